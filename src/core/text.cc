#include "core/text.h"

namespace jcm::core {
namespace {

// The code point of the UTF-8 sequence at text[*i], advancing *i past it; nullopt (with *i
// unchanged) when the bytes there are not a well-formed sequence.
std::optional<char32_t> NextCodePoint(std::string_view text, size_t* i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[*i + k]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) {
    ++*i;
    return lead;
  }
  size_t length = 0;
  char32_t cp = 0;
  char32_t minimum = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2, cp = lead & 0x1F, minimum = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3, cp = lead & 0x0F, minimum = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4, cp = lead & 0x07, minimum = 0x10000;
  } else {
    return std::nullopt;  // a continuation byte, an overlong 2-byte lead, or above U+10FFFF
  }
  if (text.size() - *i < length) return std::nullopt;
  for (size_t k = 1; k < length; ++k) {
    if ((byte(k) & 0xC0) != 0x80) return std::nullopt;
    cp = (cp << 6) | (byte(k) & 0x3F);
  }
  if (cp < minimum || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
  *i += length;
  return cp;
}

}  // namespace

bool IsValidUtf8(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    if (!NextCodePoint(text, &i)) return false;
  }
  return true;
}

bool HasControlCharacter(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    const std::optional<char32_t> cp = NextCodePoint(text, &i);
    if (!cp) return false;  // not UTF-8: IsValidUtf8 says so
    if (*cp < 0x20 || (*cp >= 0x7F && *cp <= 0x9F)) return true;
  }
  return false;
}

std::optional<std::string> UndoDoubleEncoding(std::string_view text) {
  std::string bytes;
  bool changed = false;
  for (size_t i = 0; i < text.size();) {
    const std::optional<char32_t> cp = NextCodePoint(text, &i);
    if (!cp || *cp > 0xFF) return std::nullopt;
    changed = changed || *cp >= 0x80;
    bytes += static_cast<char>(static_cast<unsigned char>(*cp));
  }
  if (!changed || !IsValidUtf8(bytes)) return std::nullopt;
  return bytes;
}

std::optional<std::string> TextProblem(std::string_view text, std::string_view what,
                                       size_t max_bytes, bool single_line) {
  const std::string name(what);
  if (text.size() > max_bytes) {
    return name + " is longer than " + std::to_string(max_bytes) + " bytes";
  }
  if (!IsValidUtf8(text)) return name + " is not valid UTF-8";
  if (single_line && HasControlCharacter(text)) {
    return name + " contains a control character (e.g. a newline or tab)";
  }
  return std::nullopt;
}

std::string BytesToHex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * bytes.size());
  for (char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    out.push_back(kHex[byte >> 4]);
    out.push_back(kHex[byte & 0xf]);
  }
  return out;
}

Result<std::string> HexToBytes(std::string_view hex) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  if (hex.size() % 2 != 0) return InvalidArgument("hex text has an odd number of digits");
  std::string bytes(hex.size() / 2, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) {
    const int high = nibble(hex[2 * i]);
    const int low = nibble(hex[2 * i + 1]);
    if (high < 0 || low < 0) return InvalidArgument("not a hex digit in hex text");
    bytes[i] = static_cast<char>(high << 4 | low);
  }
  return bytes;
}

}  // namespace jcm::core
