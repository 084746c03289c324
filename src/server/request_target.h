// The request target (RFC 9112 origin-form) taken apart: path segments and query parameters,
// percent-decoded; and the opaque cursors of keyset pagination.
//
// A target the API will not route is an InvalidArgument naming why: not origin-form, a
// malformed percent escape, a control character or NUL, a segment "." or ".." or one holding
// an encoded "/" (path traversal: the API never resolves paths, but such a target is refused
// rather than guessed at), a query parameter given twice.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace jcm::server {

inline constexpr size_t kTargetBytesMax = 2'048;

struct RequestTarget {
  std::string path;                   // as received, without the query
  std::vector<std::string> segments;  // "/api/v1/units/JP-5" → {"api", "v1", "units", "JP-5"}
  std::map<std::string, std::string> query;
};

core::Result<RequestTarget> ParseTarget(std::string_view target);

// A keyset cursor: the last key a page returned, opaque to clients (base64url of "k1:" + key).
std::string EncodeCursor(std::string_view last_key);
// InvalidArgument when `cursor` was not made by EncodeCursor.
core::Result<std::string> DecodeCursor(std::string_view cursor);

}  // namespace jcm::server
