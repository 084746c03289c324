// The HTTP transport of `jcm serve`: Boost.Beast on Boost.Asio, HTTP/1.1 with keep-alive, a
// fixed pool of I/O threads, TLS 1.2/1.3 through OpenSSL when a certificate is given. It moves
// bytes and enforces the limits; what a request means is the handler's (api.h).
//
// Limits (docs/api.md, "Limits"): a request whose header exceeds header_bytes_max gets 431, a
// body above body_bytes_max 413, an unparsable request 400 — each answered with a problem
// document and the connection closed. A client that has not sent a whole request within
// request_timeout is disconnected without an answer (slow clients are dropped), which also
// bounds how long an idle keep-alive connection stays open. Beyond connections_max open
// connections a new one gets 503 (plain HTTP) or is closed (TLS) at once.
//
// SIGTERM and SIGINT stop the server: it stops accepting, closes the connections waiting for a
// request, lets every request whose header has arrived finish (its response says
// "Connection: close"), and RunServer returns OkStatus once the last connection is closed.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "core/status.h"
#include "server/access_log.h"
#include "server/http_message.h"
#include "store/store.h"

namespace jcm::server {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;       // 0: an ephemeral port, reported through on_listening
  std::string tls_cert_file;  // PEM certificate chain; TLS when set (with tls_key_file)
  std::string tls_key_file;   // PEM private key
  // PEM CA certificates: when set (with TLS), the server asks every client for a certificate and
  // verifies one it presents against them (mutual TLS); a client without one is still served —
  // browsers present none — and RequestContext::client_certificate_verified says which it was.
  // A certificate that does not verify fails the handshake.
  std::string tls_client_ca_file;
  int io_threads = 4;
  // Requests that may write (any method but GET, HEAD and OPTIONS) and a peer's snapshot
  // (LeavesIoThread, http_message.h) run on a pool of this many threads, not on the I/O threads,
  // so that many of them wait for the store's group commit at once while the I/O threads serve
  // reads; 0: every request on the I/O threads.
  int write_workers = 32;
  uint32_t header_bytes_max = 16 * 1024;
  uint64_t body_bytes_max = 1024 * 1024;  // JSON bodies
  // The body of a document upload (TakesDocumentBody, http_message.h): a document's own limit.
  uint64_t document_bytes_max = store::kDocumentBytesMax;
  std::chrono::milliseconds request_timeout{10'000};
  int connections_max = 256;
};

using RequestHandler = std::function<HttpResponse(const HttpRequest&, const RequestContext&)>;

// Serves until SIGTERM or SIGINT. `on_listening` is called once with the bound port before any
// request is served. An error Status when the address cannot be bound or the TLS files cannot
// be loaded (InvalidArgument), before anything is served.
core::Status RunServer(const ServerOptions& options, const RequestHandler& handler, AccessLog& log,
                       const std::function<void(uint16_t port)>& on_listening);

}  // namespace jcm::server
