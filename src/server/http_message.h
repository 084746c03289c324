// The HTTP request and response as the API's routing and handlers see them: plain values with no
// Boost.Beast type, so the routing compiles fast and is tested without a socket. The transport
// (http_server.cc) converts to and from Beast's messages.
//
// RequestContext carries what is known about the caller of one request: Auth (auth.h) fills
// `principal` from a session cookie or an API token before routing, and each route's
// authorisation decision (api.cc, Authorize) reads only this context.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "identity/access.h"

namespace jcm::server {

// Who is asking (docs/api.md, "Identity").
struct Principal {
  std::string user = "public";  // as written to the access log
  bool signed_in = false;       // by session or token; false: the public
  // A signed-in user's roles (a token's: its scope), filled by Auth (auth.h); empty: the public.
  std::vector<identity::Role> roles;

  // For identity::Authorize: the public is the principal with no user and no roles.
  identity::Principal Identity() const {
    return signed_in ? identity::Principal{user, roles} : identity::Principal{};
  }
};

struct RequestContext {
  std::string request_id;  // echoed as X-Request-Id and written to the access log
  Principal principal;
  bool tls = false;  // the connection is TLS (HSTS is sent only then)
  // The peer's IP address as text ("127.0.0.1", "::1"), set by the transport; the rate limits
  // key the public by it (rate_limit.h). Empty without a socket (tests).
  std::string client_address = {};
  // The TLS client presented a certificate that the server's --tls-client-ca verified (mutual
  // TLS, docs/security.md); false on plain HTTP, without a client CA, or with no certificate.
  bool client_certificate_verified = false;
  // That certificate's subject commonName ("" when it has none): the registry code of the peer
  // it was issued to, which the exchange routes hold a request to (check 836).
  std::string client_certificate_name = {};
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct PrebuiltResponse;  // prebuilt_response.h

struct HttpRequest {
  std::string method;  // "GET", …
  std::string target;  // origin-form as received: "/api/v1/projects?limit=10"
  HeaderList headers;  // as received (names in the client's case)
  std::string body;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  HeaderList headers;  // extra headers (the transport adds the security headers and the id)
  // Why an internal error happened: written to the access log as "error", never sent.
  std::string log_detail;
  // The user the access log names when the handler identified the caller (auth.h); empty: the
  // context's principal.
  std::string log_user;
  // A kept answer's bytes, built once (prebuilt_response.h): when set, this response is that
  // one — `status` is its status, but content_type, headers and body are left empty (read them
  // through Resolved) — and the transport sends its bytes with only the request id spliced in.
  std::shared_ptr<const PrebuiltResponse> prebuilt;
};

// The value of the request's first header named `name` (case-insensitive), or nullopt.
std::optional<std::string> HeaderValue(const HttpRequest& request, std::string_view name);

// The headers every response carries (docs/api.md, "Security headers"); HSTS only under TLS.
const HeaderList& SecurityHeaders(bool tls);

// True for the one request whose body may exceed the JSON limit: POST /api/v1/documents (with
// any query), whose body is a document of up to store::kDocumentBytesMax bytes. The transport
// (http_server.cc) raises the body limit for it once the header is read; declared here rather
// than in api.h so the transport does not recompile when a route is added (defined in api.cc).
bool TakesDocumentBody(std::string_view method, std::string_view target);

// True for the requests the transport runs on its write workers rather than an I/O thread: any
// that may write (a method but GET, HEAD and OPTIONS), and GET /api/v1/exchange/snapshot, which
// reads for seconds at 10^6 blocks (defined in api.cc, as TakesDocumentBody).
bool LeavesIoThread(std::string_view method, std::string_view target);

}  // namespace jcm::server
