// HttpGet: one HTTP/1.1 GET, for `jcm verify-public` reading a registry's public API. Plain
// http:// only (https is left out: verify against a TLS-terminating proxy's loopback side or an
// http mirror); the answer's body is capped at kHttpBodyBytesMax. Boost.Beast stays in the
// transport's sources (http_client.cc, http_server.cc).
//
// Errors: InvalidArgument for a URL that is not http://HOST[:PORT][/PATH], Unavailable when the
// server cannot be reached or answers with something that is not HTTP in time.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/status.h"

namespace jcm::server {

inline constexpr size_t kHttpBodyBytesMax = 16u << 20;

// http[s]://HOST[:PORT][/PATH] split for a client (the exchange transport takes https too).
struct HttpUrl {
  bool tls = false;
  std::string host;
  std::string port;         // "80" / "443" when the URL names none
  std::string path_prefix;  // without a trailing '/'
};
// InvalidArgument naming `what` (the option or field it came from) when the URL is not of that
// form.
core::Result<HttpUrl> ParseHttpUrl(const std::string& url, std::string_view what);

struct HttpGetResult {
  int status = 0;
  std::string content_type;
  std::string body;
};

// GET base_url + target (target starts with '/'; base_url's own path, if any, is a prefix).
core::Result<HttpGetResult> HttpGet(const std::string& base_url, const std::string& target,
                                    std::chrono::milliseconds timeout = std::chrono::seconds(30));

}  // namespace jcm::server
