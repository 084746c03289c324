// PrebuiltResponse: an answer the server sends many times (a kept public answer,
// public_cache.h) as the bytes of a whole HTTP/1.1 response, built once and shared immutably:
// the status line, the content type, the security headers (security headers differ under TLS,
// so there is one text per transport), the answer's own headers, Content-Length, then
// "X-Request-Id: " — the one field that varies, which the transport splices in between the two
// parts — and the body. So serving a kept answer formats nothing and allocates nothing for its
// header block or body (docs/api.md, "Benchmark").
//
// The texts say exactly what the transport would have formatted for `response` on a keep-alive
// HTTP/1.1 connection (no Connection field: keep-alive is HTTP/1.1's default); a response that
// closes the connection (HTTP/1.0, the graceful stop) is formatted from `response` instead.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "server/http_message.h"

namespace jcm::server {

// One transport's bytes: `bytes.substr(0, id_at)` ends with "X-Request-Id: ", the request id
// goes between, and `bytes.substr(id_at)` begins with "\r\n\r\n" and ends with the body.
struct PrebuiltText {
  std::string bytes;
  size_t id_at = 0;

  std::string_view head() const { return std::string_view(bytes).substr(0, id_at); }
  std::string_view tail() const { return std::string_view(bytes).substr(id_at); }
};

struct PrebuiltResponse {
  HttpResponse response;  // the answer itself (its `prebuilt` is empty)
  PrebuiltText plain;     // over plain HTTP
  PrebuiltText tls;       // under TLS (with Strict-Transport-Security)
};

// `response` (a 200, 203, 204… any status: the reason phrase is the standard one) prebuilt.
std::shared_ptr<const PrebuiltResponse> Prebuild(HttpResponse response);

// The response `response` stands for: itself, or the prebuilt one it points to.
const HttpResponse& Resolved(const HttpResponse& response);

}  // namespace jcm::server
