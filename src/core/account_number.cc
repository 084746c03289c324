#include "core/account_number.h"

#include <cstdio>

namespace jcm::core {
namespace {

int64_t Mod97(std::string_view text) {
  int64_t remainder = 0;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      remainder = (remainder * 10 + (c - '0')) % 97;
    } else if (c >= 'A' && c <= 'Z') {
      remainder = (remainder * 100 + (c - 'A' + 10)) % 97;
    }
  }
  return remainder;
}

std::string Payload(const std::string& registry, int type_code, int64_t sequence) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%03d%07lld", registry.c_str(), type_code,
                static_cast<long long>(sequence));
  return buf;
}

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return !s.empty();
}

}  // namespace

int AccountCheckDigits(std::string_view payload) {
  // Append "00", then check = 98 - (n mod 97): the whole string is then ≡ 1 (mod 97).
  std::string extended(payload);
  extended += "00";
  return static_cast<int>(98 - Mod97(extended));
}

std::string AccountNumber::ToString() const {
  JCM_CHECK(type_code >= 100 && type_code <= 999 && sequence >= 1 && sequence <= 9'999'999,
            "account number parts in range");
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s-%03d-%07lld-%02d", registry.str().c_str(), type_code,
                static_cast<long long>(sequence),
                AccountCheckDigits(Payload(registry.str(), type_code, sequence)));
  return buf;
}

Result<AccountNumber> AccountNumber::Parse(std::string_view text) {
  const std::string shown(text);
  const bool shape_ok = text.size() == 17 && text[2] == '-' && text[6] == '-' && text[14] == '-' &&
                        AllDigits(text.substr(3, 3)) && AllDigits(text.substr(7, 7)) &&
                        AllDigits(text.substr(15, 2));
  if (!shape_ok) {
    return InvalidArgument("'" + shown +
                           "' is not an account number (expected CC-TTT-NNNNNNN-KK, e.g. "
                           "JP-121-0000007-63)");
  }
  JCM_ASSIGN_OR_RETURN(RegistryCode registry, RegistryCode::Parse(text.substr(0, 2)));
  const int type_code = std::stoi(std::string(text.substr(3, 3)));
  const int64_t sequence = std::stoll(std::string(text.substr(7, 7)));
  const int check = std::stoi(std::string(text.substr(15, 2)));
  if (type_code < 100 || sequence < 1 ||
      check != AccountCheckDigits(Payload(registry.str(), type_code, sequence))) {
    return InvalidArgument("account number '" + shown +
                           "' fails its check digits: it is mistyped (no such account can exist)");
  }
  return AccountNumber{registry, type_code, sequence};
}

}  // namespace jcm::core
