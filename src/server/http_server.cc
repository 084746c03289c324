// The Beast-heavy half of the server, kept to this one file because Beast compiles slowly: the
// listener, one session per connection (plain or TLS), the limits and the shutdown.
#include "server/http_server.h"

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <vector>

#include "server/prebuilt_response.h"
#include "server/problem.h"

namespace jcm::server {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

class SessionBase {
 public:
  virtual ~SessionBase() = default;
  // Closes the connection if it is waiting for a request (posted on the session's strand).
  virtual void StopIfIdle() = 0;
};

// What the listener and every session share.
struct ServerState {
  ServerState(const ServerOptions& options_in, const RequestHandler& handler_in, AccessLog& log_in)
      : options(options_in), handler(handler_in), log(log_in) {}

  const ServerOptions& options;
  const RequestHandler& handler;
  AccessLog& log;
  net::thread_pool* writers = nullptr;  // where writes run; nullptr: on the I/O threads
  std::atomic<int> connections{0};
  std::atomic<bool> stopping{false};
  std::mutex sessions_mu;  // guards sessions
  std::vector<std::weak_ptr<SessionBase>> sessions;

  void Register(const std::shared_ptr<SessionBase>& session) {
    std::lock_guard lock(sessions_mu);
    std::erase_if(sessions, [](const auto& weak) { return weak.expired(); });
    sessions.push_back(session);
  }
  void StopIdleSessions() {
    std::lock_guard lock(sessions_mu);
    for (const auto& weak : sessions) {
      if (auto session = weak.lock()) session->StopIfIdle();
    }
  }
};

// The problem document a transport-level refusal answers with.
std::optional<HttpResponse> RefusalFor(const beast::error_code& ec, const std::string& id) {
  if (ec == http::error::header_limit) {
    return Problem(431, "header_fields_too_large", "the request header is too large", "", id);
  }
  if (ec == http::error::body_limit) {
    return Problem(413, "content_too_large", "the request body is too large", "", id);
  }
  if (ec == http::error::end_of_stream || ec == http::error::partial_message) {
    return std::nullopt;  // the client closed the connection
  }
  if (ec.category() == http::make_error_code(http::error::bad_target).category()) {
    return Problem(400, "bad_request", "malformed HTTP request: " + ec.message(), "", id);
  }
  return std::nullopt;  // timeout, reset, end of stream: nobody to answer
}

constexpr std::chrono::seconds kDrainTime{1};

// The client certificate OpenSSL verified against the client CA: its subject commonName ("" when
// it has none), or nullopt when the peer presented none or it did not verify (a server without
// --tls-client-ca never asks, so never has one).
template <typename Stream>
std::optional<std::string> VerifiedClientCertificateName(Stream& stream) {
  if constexpr (std::is_same_v<Stream, TlsStream>) {
    SSL* ssl_handle = stream.native_handle();
    X509* certificate = SSL_get1_peer_certificate(ssl_handle);
    if (certificate == nullptr) return std::nullopt;
    std::optional<std::string> name;
    if (SSL_get_verify_result(ssl_handle) == X509_V_OK) {
      name.emplace();
      const X509_NAME* subject = X509_get_subject_name(certificate);
      const int index = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
      unsigned char* utf8 = nullptr;
      const int length =
          index < 0 ? -1
                    : ASN1_STRING_to_UTF8(
                          &utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, index)));
      if (length > 0)
        name->assign(reinterpret_cast<const char*>(utf8), static_cast<size_t>(length));
      OPENSSL_free(utf8);
    }
    X509_free(certificate);
    return name;
  } else {
    return std::nullopt;
  }
}

template <typename Stream>
class Session : public SessionBase, public std::enable_shared_from_this<Session<Stream>> {
 public:
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

  template <typename... StreamArgs>
  Session(ServerState& state, StreamArgs&&... args)
      : state_(state), stream_(std::forward<StreamArgs>(args)...) {
    ++state_.connections;
  }
  ~Session() override { --state_.connections; }

  void Start() {
    beast::error_code peer_error;
    const tcp::endpoint peer = Lowest().socket().remote_endpoint(peer_error);
    if (!peer_error) client_address_ = peer.address().to_string();
    net::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
      if constexpr (kTls) {
        self->Lowest().expires_after(self->state_.options.request_timeout);
        self->stream_.async_handshake(ssl::stream_base::server, [self](beast::error_code ec) {
          if (ec) return self->Close();
          self->client_certificate_ = VerifiedClientCertificateName(self->stream_);
          self->ReadHeader();
        });
      } else {
        self->ReadHeader();
      }
    });
  }

  void StopIfIdle() override {
    net::post(stream_.get_executor(), [self = this->shared_from_this()] {
      if (!self->busy_) self->Close();
    });
  }

 private:
  beast::tcp_stream& Lowest() { return beast::get_lowest_layer(stream_); }

  void ReadHeader() {
    busy_ = false;
    if (state_.stopping) return Close();
    parser_.emplace();
    parser_->header_limit(state_.options.header_bytes_max);
    // Beast checks a Content-Length against the limit as the header ends, before OnHeader can
    // tell which route it is for: the larger limit first, the JSON one applied in OnHeader.
    parser_->body_limit(std::max(state_.options.body_bytes_max, state_.options.document_bytes_max));
    Lowest().expires_after(state_.options.request_timeout);
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    if (ec) return OnReadError(ec);
    busy_ = true;  // from here the request is in flight: a shutdown lets it finish
    const auto& header = parser_->get();
    if (!TakesDocumentBody(header.method_string(), header.target())) {
      // 1 MiB stays the rule but for a document upload: a declared length above it is refused
      // now, a chunked body as its chunks add up.
      const boost::optional<uint64_t> length = parser_->content_length();
      if (length && *length > state_.options.body_bytes_max) {
        return OnReadError(http::error::body_limit);
      }
      parser_->body_limit(state_.options.body_bytes_max);
    }
    started_ = std::chrono::steady_clock::now();
    http::async_read(stream_, buffer_, *parser_,
                     [self = this->shared_from_this()](beast::error_code ec2, size_t) {
                       if (ec2) return self->OnReadError(ec2);
                       self->Respond();
                     });
  }

  void OnReadError(beast::error_code ec) {
    const std::string id = RequestIdFor("");
    std::optional<HttpResponse> refusal = RefusalFor(ec, id);
    if (!refusal) return Close();
    busy_ = true;
    drain_ = true;  // the client may still be sending what was refused
    started_ = std::chrono::steady_clock::now();
    Send(std::move(*refusal), RequestContext{id, {}, kTls}, "", "", false);
  }

  void Respond() {
    http::request<http::string_body> message = parser_->release();
    HttpRequest request{std::string(message.method_string()),
                        std::string(message.target()),
                        {},
                        std::move(message.body())};
    for (const auto& field : message) {
      request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    const auto client_id = message.find("X-Request-Id");
    RequestContext context{RequestIdFor(client_id == message.end() ? "" : client_id->value()),
                           {},
                           kTls,
                           client_address_,
                           client_certificate_.has_value(),
                           client_certificate_.value_or("")};
    const bool keep_alive = message.keep_alive();
    if (state_.writers != nullptr && LeavesIoThread(request.method, request.target))
      return RespondOnWriter(std::move(request), std::move(context), keep_alive);
    HttpResponse response = Handle(request, context);
    const std::string path = request.target.substr(0, request.target.find('?'));
    Send(std::move(response), context, request.method, path, keep_alive && !state_.stopping);
  }

  // A write leaves the I/O thread: it waits for the store's group commit on a write worker, so
  // as many writes as workers share a commit while the loop goes on serving reads (and so does
  // a peer's snapshot, seconds of reading: LeavesIoThread); the answer
  // is posted back to the connection's strand. The work is tracked on the connection's loop,
  // so a graceful stop waits for it.
  void RespondOnWriter(HttpRequest request, RequestContext context, bool keep_alive) {
    auto back = net::prefer(stream_.get_executor(), net::execution::outstanding_work.tracked);
    net::post(
        *state_.writers, [self = this->shared_from_this(), back, keep_alive,
                          request = std::move(request), context = std::move(context)]() mutable {
          HttpResponse response = self->Handle(request, context);
          std::string path = request.target.substr(0, request.target.find('?'));
          net::post(back,
                    [self, keep_alive, response = std::move(response), context = std::move(context),
                     method = std::move(request.method), path = std::move(path)]() mutable {
                      self->Send(std::move(response), context, method, path,
                                 keep_alive && !self->state_.stopping);
                    });
        });
  }

  HttpResponse Handle(const HttpRequest& request, const RequestContext& context) {
    try {
      return state_.handler(request, context);
    } catch (const std::exception& e) {
      HttpResponse response = Problem(500, "internal", "internal error", "", context.request_id);
      response.log_detail = e.what();
      return response;
    }
  }

  void Send(HttpResponse response, const RequestContext& context, const std::string& method,
            const std::string& path, bool keep_alive) {
    if (response.prebuilt) {
      if (keep_alive) return SendPrebuilt(std::move(response), context, method, path);
      // Closing: Beast formats the "Connection: close" response from the answer itself.
      HttpResponse resolved = response.prebuilt->response;
      resolved.log_user = std::move(response.log_user);
      response = std::move(resolved);
    }
    auto out = std::make_shared<http::response<http::string_body>>();
    out->result(static_cast<unsigned>(response.status));
    out->set(http::field::content_type, response.content_type);
    for (const auto& [name, value] : SecurityHeaders(kTls)) out->set(name, value);
    for (const auto& [name, value] : response.headers) out->set(name, value);
    out->set("X-Request-Id", context.request_id);
    out->body() = std::move(response.body);
    out->keep_alive(keep_alive);
    out->prepare_payload();
    Log(response, context, method, path);
    Lowest().expires_after(state_.options.request_timeout);
    http::async_write(stream_, *out,
                      [self = this->shared_from_this(), out](beast::error_code ec, size_t) {
                        if (ec || !out->keep_alive()) return self->Close();
                        self->ReadHeader();
                      });
  }

  // A kept answer (prebuilt_response.h) on a keep-alive connection: its shared bytes with the
  // request id between them, written as three buffers — nothing formatted or copied.
  void SendPrebuilt(HttpResponse response, const RequestContext& context, const std::string& method,
                    const std::string& path) {
    Log(response, context, method, path);
    prebuilt_ = std::move(response.prebuilt);  // kept alive until written
    request_id_ = context.request_id;          // reuses the string's capacity
    const PrebuiltText& text = kTls ? prebuilt_->tls : prebuilt_->plain;
    const std::array<net::const_buffer, 3> buffers = {
        net::buffer(text.head()), net::buffer(request_id_), net::buffer(text.tail())};
    Lowest().expires_after(state_.options.request_timeout);
    net::async_write(stream_, buffers,
                     [self = this->shared_from_this()](beast::error_code ec, size_t) {
                       self->prebuilt_.reset();
                       if (ec) return self->Close();
                       self->ReadHeader();
                     });
  }

  void Log(HttpResponse& response, const RequestContext& context, const std::string& method,
           const std::string& path) {
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                            std::chrono::steady_clock::now() - started_)
                            .count();
    const std::string& user =
        response.log_user.empty() ? context.principal.user : response.log_user;
    state_.log.Write(AccessRecord{context.request_id, user, method, path, response.status, micros,
                                  std::move(response.log_detail)});
  }

  void Close() {
    busy_ = false;
    if constexpr (kTls) {
      if (closing_) return;
      closing_ = true;
      Lowest().expires_after(std::chrono::seconds(2));
      stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) {
        beast::error_code ignored;
        self->Lowest().socket().close(ignored);
      });
    } else {
      beast::error_code ignored;
      Lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
      if (drain_) {
        // Closing with unread bytes makes the kernel send a reset, which can destroy the refusal
        // before the client reads it: read and discard for a moment first (a lingering close).
        drain_ = false;
        Lowest().expires_after(kDrainTime);
        return Drain();
      }
      Lowest().socket().close(ignored);
    }
  }

  void Drain() {
    Lowest().async_read_some(net::buffer(discard_),
                             [self = this->shared_from_this()](beast::error_code ec, size_t) {
                               if (!ec) return self->Drain();
                               beast::error_code ignored;
                               self->Lowest().socket().close(ignored);
                             });
  }

  ServerState& state_;
  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::chrono::steady_clock::time_point started_;
  std::string client_address_;                        // the peer's IP address, for the rate limits
  std::shared_ptr<const PrebuiltResponse> prebuilt_;  // being written (SendPrebuilt)
  std::string request_id_;                            // the id spliced into it
  bool busy_ = false;
  // Mutual TLS: the verified client certificate's commonName, set once the handshake is done.
  std::optional<std::string> client_certificate_;
  bool closing_ = false;
  bool drain_ = false;                // close lingering: the refused request may still be arriving
  std::array<char, 4096> discard_{};  // what a lingering close reads
};

// Answers a connection beyond connections_max with 503 and closes it (plain HTTP only).
void RefuseBusy(tcp::socket& socket) {
  const HttpResponse problem =
      Problem(503, "too_many_connections", "the server is at its connection limit", "", "");
  const std::string text =
      "HTTP/1.1 503 Service Unavailable\r\nContent-Type: " + problem.content_type +
      "\r\nConnection: close\r\nContent-Length: " + std::to_string(problem.body.size()) +
      "\r\n\r\n" + problem.body;
  beast::error_code ignored;
  net::write(socket, net::buffer(text), ignored);
  socket.shutdown(tcp::socket::shutdown_send, ignored);
  socket.close(ignored);
}

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  // Accepts on `loops[0]` and gives each connection to the next loop in turn: one event loop
  // per I/O thread, as nginx runs one per worker, so no loop's scheduler is shared (and locked)
  // between threads.
  Listener(std::vector<net::io_context*> loops, ServerState& state, ssl::context* tls)
      : loops_(std::move(loops)),
        io_(*loops_[0]),
        state_(state),
        tls_(tls),
        acceptor_(net::make_strand(io_)) {}

  core::Status Bind(const ServerOptions& options) {
    beast::error_code ec;
    tcp::resolver resolver(io_);
    const auto endpoints = resolver.resolve(options.host, std::to_string(options.port), ec);
    if (ec || endpoints.empty()) {
      return core::InvalidArgument("cannot resolve " + options.host + ": " + ec.message());
    }
    const tcp::endpoint endpoint = endpoints.begin()->endpoint();
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) return core::Unavailable("cannot listen on " + options.host + ": " + ec.message());
    return core::OkStatus();
  }
  uint16_t port() const { return acceptor_.local_endpoint().port(); }

  void Accept() {
    net::io_context& loop = *loops_[next_loop_++ % loops_.size()];
    acceptor_.async_accept(net::make_strand(loop),
                           [self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
                             if (ec) return;  // closed by the shutdown
                             self->Admit(std::move(socket));
                             self->Accept();
                           });
  }

  void Stop() {
    net::post(acceptor_.get_executor(), [self = shared_from_this()] {
      beast::error_code ignored;
      self->acceptor_.close(ignored);
    });
  }

 private:
  void Admit(tcp::socket socket) {
    if (state_.connections >= state_.options.connections_max) {
      if (tls_ == nullptr) return RefuseBusy(socket);
      beast::error_code ignored;
      return static_cast<void>(socket.close(ignored));
    }
    if (tls_ != nullptr) {
      auto session = std::make_shared<Session<TlsStream>>(state_, std::move(socket), *tls_);
      state_.Register(session);
      session->Start();
    } else {
      auto session = std::make_shared<Session<PlainStream>>(state_, std::move(socket));
      state_.Register(session);
      session->Start();
    }
  }

  std::vector<net::io_context*> loops_;
  size_t next_loop_ = 0;  // only the acceptor's strand touches it
  net::io_context& io_;
  ServerState& state_;
  ssl::context* tls_;
  tcp::acceptor acceptor_;
};

core::Status LoadTls(const ServerOptions& options, ssl::context& context) {
  context.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                      ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                      ssl::context::single_dh_use);
  beast::error_code ec;
  context.use_certificate_chain_file(options.tls_cert_file, ec);
  if (ec) return core::InvalidArgument("--tls-cert " + options.tls_cert_file + ": " + ec.message());
  context.use_private_key_file(options.tls_key_file, ssl::context::pem, ec);
  if (ec) return core::InvalidArgument("--tls-key " + options.tls_key_file + ": " + ec.message());
  if (options.tls_client_ca_file.empty()) return core::OkStatus();
  // Mutual TLS: ask for a client certificate and verify one given, but serve a client without
  // one (no fail_if_no_peer_cert), so browsers still work; the exchange route refuses them.
  context.load_verify_file(options.tls_client_ca_file, ec);
  if (ec) {
    return core::InvalidArgument("--tls-client-ca " + options.tls_client_ca_file + ": " +
                                 ec.message());
  }
  STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(options.tls_client_ca_file.c_str());
  if (names == nullptr) {
    return core::InvalidArgument("--tls-client-ca " + options.tls_client_ca_file +
                                 ": no certificate in it");
  }
  SSL_CTX_set_client_CA_list(context.native_handle(), names);  // the CAs named to the client
  // Resumed sessions keep the verification; OpenSSL refuses to resume without a context id.
  static constexpr unsigned char kSessionContext[] = "jcm-serve";
  SSL_CTX_set_session_id_context(context.native_handle(), kSessionContext,
                                 sizeof kSessionContext - 1);
  context.set_verify_mode(ssl::verify_peer);
  return core::OkStatus();
}

}  // namespace

core::Status RunServer(const ServerOptions& options, const RequestHandler& handler, AccessLog& log,
                       const std::function<void(uint16_t port)>& on_listening) {
  // One event loop per I/O thread (concurrency hint 1: no locking inside a loop). Loops other
  // than the first, which holds the acceptor and the signals, are kept running by a work guard
  // until the shutdown, then each returns once its connections are done.
  const size_t loop_count = static_cast<size_t>(std::max(1, options.io_threads));
  std::vector<std::unique_ptr<net::io_context>> loops;
  std::vector<net::io_context*> loop_pointers;
  for (size_t i = 0; i < loop_count; ++i) {
    loops.push_back(std::make_unique<net::io_context>(1));
    loop_pointers.push_back(loops.back().get());
  }
  std::vector<net::executor_work_guard<net::io_context::executor_type>> guards;
  for (size_t i = 1; i < loop_count; ++i) guards.emplace_back(loops[i]->get_executor());
  net::io_context& io = *loops[0];
  ServerState state(options, handler, log);
  // Joined after the loops: a loop returns only once the answers of its writes are posted back.
  std::optional<net::thread_pool> writers;
  if (options.write_workers > 0) {
    writers.emplace(static_cast<size_t>(options.write_workers));
    state.writers = &*writers;
  }
  std::optional<ssl::context> tls;
  if (!options.tls_cert_file.empty()) {
    tls.emplace(ssl::context::tls_server);
    JCM_RETURN_IF_ERROR(LoadTls(options, *tls));
  }
  auto listener = std::make_shared<Listener>(loop_pointers, state, tls ? &*tls : nullptr);
  JCM_RETURN_IF_ERROR(listener->Bind(options));
  net::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&state, &guards, listener](beast::error_code ec, int) {
    if (ec) return;
    state.stopping = true;
    listener->Stop();
    state.StopIdleSessions();
    for (auto& guard : guards) guard.reset();
  });
  on_listening(listener->port());
  listener->Accept();
  std::vector<std::thread> threads;
  for (size_t i = 1; i < loop_count; ++i) {
    threads.emplace_back([loop = loops[i].get()] { loop->run(); });
  }
  io.run();
  for (std::thread& thread : threads) thread.join();
  if (writers) writers->join();
  return core::OkStatus();
}

}  // namespace jcm::server
