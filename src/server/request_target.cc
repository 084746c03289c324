#include "server/request_target.h"

#include <optional>

namespace jcm::server {
namespace {

constexpr std::string_view kCursorPrefix = "k1:";
constexpr std::string_view kBase64Url =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::optional<int> HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return std::nullopt;
}

// Percent-decodes `text` ("+" is a space in a query); refuses control characters and NUL.
core::Result<std::string> Decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      const bool complete = i + 2 < text.size();
      const std::optional<int> high = complete ? HexValue(text[i + 1]) : std::nullopt;
      const std::optional<int> low = complete ? HexValue(text[i + 2]) : std::nullopt;
      if (!high || !low) return core::InvalidArgument("malformed percent escape in the target");
      c = static_cast<char>(*high * 16 + *low);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      c = ' ';
    }
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return core::InvalidArgument("control character in the target");
    }
    out += c;
  }
  return out;
}

core::Status ParseQuery(std::string_view query, std::map<std::string, std::string>* out) {
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    JCM_ASSIGN_OR_RETURN(std::string key, Decode(pair.substr(0, eq), true));
    JCM_ASSIGN_OR_RETURN(std::string value, eq == std::string_view::npos
                                                ? core::Result<std::string>(std::string())
                                                : Decode(pair.substr(eq + 1), true));
    if (!out->emplace(key, std::move(value)).second) {
      return core::InvalidArgument("query parameter '" + key + "' given twice");
    }
  }
  return core::OkStatus();
}

}  // namespace

core::Result<RequestTarget> ParseTarget(std::string_view target) {
  if (target.empty() || target.front() != '/') {
    return core::InvalidArgument("the request target must be an absolute path");
  }
  if (target.size() > kTargetBytesMax) {
    return core::InvalidArgument("the request target exceeds " + std::to_string(kTargetBytesMax) +
                                 " bytes");
  }
  RequestTarget parsed;
  const size_t question = target.find('?');
  parsed.path = std::string(target.substr(0, question));
  std::string_view rest = std::string_view(parsed.path).substr(1);
  while (true) {
    const size_t slash = rest.find('/');
    JCM_ASSIGN_OR_RETURN(std::string segment, Decode(rest.substr(0, slash), false));
    if (segment == "." || segment == ".." || segment.find('/') != std::string::npos ||
        segment.find('\\') != std::string::npos) {
      return core::InvalidArgument("path segment '" + segment + "' is not allowed");
    }
    parsed.segments.push_back(std::move(segment));
    if (slash == std::string_view::npos) break;
    rest = rest.substr(slash + 1);
  }
  if (question != std::string_view::npos) {
    JCM_RETURN_IF_ERROR(ParseQuery(target.substr(question + 1), &parsed.query));
  }
  return parsed;
}

std::string EncodeCursor(std::string_view last_key) {
  const std::string text = std::string(kCursorPrefix) + std::string(last_key);
  std::string out;
  uint32_t bits = 0;
  int held = 0;
  for (const char c : text) {
    bits = (bits << 8) | static_cast<unsigned char>(c);
    held += 8;
    while (held >= 6) {
      held -= 6;
      out += kBase64Url[(bits >> held) & 63];
    }
  }
  if (held > 0) out += kBase64Url[(bits << (6 - held)) & 63];
  return out;
}

core::Result<std::string> DecodeCursor(std::string_view cursor) {
  std::string text;
  uint32_t bits = 0;
  int held = 0;
  for (const char c : cursor) {
    const size_t value = kBase64Url.find(c);
    if (value == std::string_view::npos) return core::InvalidArgument("malformed cursor");
    bits = (bits << 6) | static_cast<uint32_t>(value);
    held += 6;
    if (held >= 8) {
      held -= 8;
      text += static_cast<char>((bits >> held) & 0xff);
    }
  }
  if (text.substr(0, kCursorPrefix.size()) != kCursorPrefix) {
    return core::InvalidArgument("malformed cursor");
  }
  return text.substr(kCursorPrefix.size());
}

}  // namespace jcm::server
