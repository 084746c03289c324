#include "identity/password_policy.h"

#include <algorithm>
#include <string>
#include <vector>

#include "identity/internal/common_passwords.h"

namespace jcm::identity {
namespace {

std::string AsciiLower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

// The bundled list, split once into sorted lines (the data file is kept sorted; sorting here
// again keeps a hand-edited file correct).
const std::vector<std::string_view>& CommonPasswords() {
  static const std::vector<std::string_view> lines = [] {
    std::vector<std::string_view> out;
    const std::string_view text = internal::CommonPasswordsText();
    size_t start = 0;
    while (start < text.size()) {
      size_t end = text.find('\n', start);
      if (end == std::string_view::npos) end = text.size();
      if (end > start) out.push_back(text.substr(start, end - start));
      start = end + 1;
    }
    std::sort(out.begin(), out.end());
    return out;
  }();
  return lines;
}

// Length of the UTF-8 sequence a lead byte starts, with the smallest value it may encode
// (to refuse overlong forms); 0 for a byte that cannot start one.
struct Lead {
  int length;
  char32_t min_value;
};
Lead LeadOf(unsigned char byte) {
  if (byte < 0x80) return {1, 0};
  if ((byte & 0xE0) == 0xC0) return {2, 0x80};
  if ((byte & 0xF0) == 0xE0) return {3, 0x800};
  if ((byte & 0xF8) == 0xF0) return {4, 0x10000};
  return {0, 0};
}

}  // namespace

std::optional<size_t> CountCodePoints(std::string_view utf8) {
  size_t count = 0;
  size_t i = 0;
  while (i < utf8.size()) {
    const auto byte = static_cast<unsigned char>(utf8[i]);
    const Lead lead = LeadOf(byte);
    if (lead.length == 0 || i + static_cast<size_t>(lead.length) > utf8.size()) {
      return std::nullopt;
    }
    char32_t value = lead.length == 1 ? byte : byte & (0x7Fu >> lead.length);
    for (int k = 1; k < lead.length; ++k) {
      const auto next = static_cast<unsigned char>(utf8[i + static_cast<size_t>(k)]);
      if ((next & 0xC0) != 0x80) return std::nullopt;
      value = (value << 6) | (next & 0x3Fu);
    }
    if (value < lead.min_value || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
      return std::nullopt;
    }
    ++count;
    i += static_cast<size_t>(lead.length);
  }
  return count;
}

bool IsCommonPassword(std::string_view password) {
  const std::string lower = AsciiLower(password);
  const auto& list = CommonPasswords();
  return std::binary_search(list.begin(), list.end(), std::string_view(lower));
}

std::optional<Rejection> CheckPasswordPolicy(std::string_view user_name,
                                             std::string_view password) {
  const std::optional<size_t> code_points = CountCodePoints(password);
  if (!code_points) {
    return Rejection{IdentityCheck::kPasswordNotUtf8, "the password is not valid UTF-8"};
  }
  if (password.size() > kPasswordBytesMax) {
    return Rejection{IdentityCheck::kPasswordTooLong,
                     "the password is longer than " + std::to_string(kPasswordBytesMax) + " bytes"};
  }
  if (*code_points < kPasswordCodePointsMin) {
    return Rejection{IdentityCheck::kPasswordTooShort,
                     "the password has " + std::to_string(*code_points) + " characters; at least " +
                         std::to_string(kPasswordCodePointsMin) + " are required"};
  }
  if (IsCommonPassword(password)) {
    return Rejection{IdentityCheck::kPasswordCommon,
                     "the password is in the list of common passwords; choose another"};
  }
  if (!user_name.empty() && AsciiLower(password).find(AsciiLower(user_name)) != std::string::npos) {
    return Rejection{IdentityCheck::kPasswordContainsUserName,
                     "the password contains the user name"};
  }
  return std::nullopt;
}

}  // namespace jcm::identity
