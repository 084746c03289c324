#include "server/exchange_transport.h"

#include <openssl/ssl.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/json.hpp>
#include <map>
#include <memory>

#include "core/sha256.h"
#include "exchange/exchange_check.h"
#include "ledger/check_code.h"
#include "server/http_client.h"

namespace jcm::server {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;
namespace ssl = asio::ssl;
namespace bj = boost::json;

// The problem document's check, name and detail, when the body is one with a check.
std::optional<service::Rejection> CheckOfProblem(std::string_view body) {
  boost::system::error_code ec;
  const bj::value value = bj::parse(body, ec);
  if (ec || !value.is_object()) return std::nullopt;
  const bj::object& problem = value.get_object();
  const bj::value* check = problem.if_contains("check");
  if (check == nullptr || !check->is_int64()) return std::nullopt;
  service::Rejection rejection;
  rejection.check = static_cast<int>(check->get_int64());
  if (const bj::value* name = problem.if_contains("name"); name && name->is_string()) {
    rejection.name = std::string(name->get_string());
  }
  if (const bj::value* detail = problem.if_contains("detail"); detail && detail->is_string()) {
    rejection.message = std::string(detail->get_string());
  }
  return rejection;
}

struct Answer {
  int status = 0;
  std::string body;
};

// Runs one asynchronous operation of `io` to its end and returns its error: the streams'
// timeouts (expires_after) apply to asynchronous operations only, so even one request at a time
// is made of them.
template <typename Start>
beast::error_code Complete(asio::io_context& io, Start start) {
  beast::error_code result = asio::error::would_block;
  start([&result](beast::error_code ec, auto&&...) { result = ec; });
  io.restart();
  io.run();
  return result;
}

// The kept-alive connection to one peer's server: opened at its first message and again after a
// failure, closed when the peer answers `Connection: close`. A message sent on a connection kept
// from before is sent once more on a new one when the old one fails other than by a timeout (the
// peer's server drops connections idle past its request timeout, and a proxy may close each
// after one answer); the receiver's gate makes a repeat harmless (803, delivered).
//
// The snapshot's GET goes through one of its own, made for the fetch and dropped after it, so
// that it has the same timeouts (a blocking call of Beast's would have none).
class PeerConnection {
 public:
  PeerConnection(HttpUrl url, const ExchangeClientOptions& options, ssl::context& tls)
      : url_(std::move(url)), options_(options), tls_(tls) {}

  // Sends `request` (its Host set here) and reads the answer, a body of at most `body_limit`
  // bytes, within `read_timeout`; `what` names the request in an error ("POST https://…").
  core::Result<Answer> Send(http::request<http::string_body> request, uint64_t body_limit,
                            std::chrono::milliseconds read_timeout, const std::string& what) {
    request.set(http::field::host, url_.host);
    request.set(http::field::user_agent, "jcm-exchange");
    request.prepare_payload();
    const bool kept = plain_ != nullptr || secure_ != nullptr;
    beast::error_code ec = kept ? beast::error_code() : Connect();
    Answer answer;
    if (!ec) ec = Exchange(request, body_limit, read_timeout, &answer);
    if (ec && kept && ec != beast::error::timeout) {
      ec = Connect();
      if (!ec) ec = Exchange(request, body_limit, read_timeout, &answer);
    }
    if (ec) {
      Close();
      return core::Unavailable(what + ": " + ec.message());
    }
    return answer;
  }

 private:
  beast::tcp_stream& Tcp() { return secure_ ? beast::get_lowest_layer(*secure_) : *plain_; }
  void Close() {
    plain_.reset();
    secure_.reset();
    buffer_.clear();
  }

  // Resolves, connects and (https) shakes hands within the connect timeout.
  beast::error_code Connect() {
    Close();
    beast::error_code ec;
    asio::ip::tcp::resolver resolver(io_);
    const auto endpoints = resolver.resolve(url_.host, url_.port, ec);
    if (ec) return ec;
    if (url_.tls) {
      secure_ = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(io_, tls_);
      // SNI, and the peer's certificate must name the host (or IP address) of its URL.
      SSL_set_tlsext_host_name(secure_->native_handle(), url_.host.c_str());
      secure_->set_verify_callback(ssl::host_name_verification(url_.host));
    } else {
      plain_ = std::make_unique<beast::tcp_stream>(io_);
    }
    Tcp().expires_after(options_.connect_timeout);
    ec = Complete(io_, [&](auto done) { Tcp().async_connect(endpoints, std::move(done)); });
    if (ec || !secure_) return ec;
    return Complete(io_, [&](auto done) {
      secure_->async_handshake(ssl::stream_base::client, std::move(done));
    });
  }

  // Writes the request and reads the answer within `read_timeout`.
  beast::error_code Exchange(const http::request<http::string_body>& request, uint64_t body_limit,
                             std::chrono::milliseconds read_timeout, Answer* answer) {
    http::response_parser<http::string_body> parser;
    parser.body_limit(body_limit);
    Tcp().expires_after(read_timeout);
    const auto exchange = [&](auto& stream) {
      beast::error_code ec =
          Complete(io_, [&](auto done) { http::async_write(stream, request, std::move(done)); });
      if (ec) return ec;
      return Complete(
          io_, [&](auto done) { http::async_read(stream, buffer_, parser, std::move(done)); });
    };
    const beast::error_code ec = secure_ ? exchange(*secure_) : exchange(*plain_);
    if (ec) return ec;
    http::response<http::string_body> response = parser.release();
    if (!response.keep_alive()) Close();
    *answer = Answer{static_cast<int>(response.result_int()), std::move(response.body())};
    return ec;
  }

  HttpUrl url_;
  const ExchangeClientOptions& options_;
  ssl::context& tls_;
  asio::io_context io_;
  std::unique_ptr<beast::tcp_stream> plain_;  // one of these two while connected
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> secure_;
  beast::flat_buffer buffer_;
};

// The transport: one PeerConnection per peer URL, kept for the transport's life (copies of the
// std::function share them).
class HttpTransport {
 public:
  HttpTransport(ExchangeClientOptions options, std::shared_ptr<ssl::context> tls)
      : state_(std::make_shared<State>(std::move(options), std::move(tls))) {}

  core::Result<service::PeerReply> operator()(const exchange::PeerRecord& peer,
                                              std::string_view wire) const {
    std::unique_ptr<PeerConnection>& connection = state_->connections[peer.url];
    JCM_ASSIGN_OR_RETURN(HttpUrl url, ParseHttpUrl(peer.url, "the peer's URL"));
    if (connection == nullptr) {
      connection = std::make_unique<PeerConnection>(url, state_->options, *state_->tls);
    }
    http::request<http::string_body> request(
        http::verb::post, url.path_prefix + std::string(kExchangeMessagesPath), 11);
    request.set(http::field::content_type, "text/plain; charset=utf-8");
    request.set(http::field::accept, "application/json");
    // The API wants a key on every POST; the envelope is its own (the receiver's gate refuses a
    // replay), so its digest serves.
    request.set("Idempotency-Key", "exchange-" + core::Sha256Hex(wire));
    request.keep_alive(true);
    request.body() = std::string(wire);
    const std::string what = "POST " + peer.url + std::string(kExchangeMessagesPath);
    core::Result<Answer> answer = core::Internal("no answer");
    try {
      answer = connection->Send(std::move(request), kHttpBodyBytesMax, state_->options.read_timeout,
                                what);
    } catch (const std::exception& e) {
      connection.reset();
      return core::Unavailable(what + ": " + e.what());
    }
    if (!answer.ok()) return answer.status();
    return PeerReplyFor(answer->status, answer->body);
  }

 private:
  struct State {
    State(ExchangeClientOptions o, std::shared_ptr<ssl::context> t)
        : options(std::move(o)), tls(std::move(t)) {}
    ExchangeClientOptions options;
    std::shared_ptr<ssl::context> tls;
    std::map<std::string, std::unique_ptr<PeerConnection>> connections;  // by peer URL
  };
  std::shared_ptr<State> state_;
};

core::Result<std::shared_ptr<ssl::context>> ClientTlsContext(const ExchangeClientOptions& options) {
  auto tls = std::make_shared<ssl::context>(ssl::context::tls_client);
  tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                   ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  tls->set_verify_mode(ssl::verify_peer);
  beast::error_code ec;
  if (options.ca_file.empty()) {
    tls->set_default_verify_paths(ec);
  } else {
    tls->load_verify_file(options.ca_file, ec);
  }
  if (ec) return core::InvalidArgument("--exchange-ca " + options.ca_file + ": " + ec.message());
  if (options.client_cert_file.empty() != options.client_key_file.empty()) {
    return core::InvalidArgument("--exchange-client-cert and --exchange-client-key go together");
  }
  if (options.client_cert_file.empty()) return tls;
  tls->use_certificate_chain_file(options.client_cert_file, ec);
  if (ec) {
    return core::InvalidArgument("--exchange-client-cert " + options.client_cert_file + ": " +
                                 ec.message());
  }
  tls->use_private_key_file(options.client_key_file, ssl::context::pem, ec);
  if (ec) {
    return core::InvalidArgument("--exchange-client-key " + options.client_key_file + ": " +
                                 ec.message());
  }
  return tls;
}

}  // namespace

core::Result<service::PeerReply> PeerReplyFor(int status, std::string_view body) {
  if (status >= 200 && status < 300) return service::PeerReply{true, std::nullopt};
  if (status >= 400 && status < 500) {
    if (std::optional<service::Rejection> check = CheckOfProblem(body)) {
      if (check->check == static_cast<int>(exchange::ExchangeCheck::kMessageReplayed)) {
        return service::PeerReply{true, std::nullopt};  // it has the message already
      }
      // Check 23: another exchange entry was journaled there meanwhile; the same message,
      // resent, is decided again. Check 836: this registry's client certificate names another
      // registry — fixed here, after which the same message is delivered.
      if (check->check != static_cast<int>(ledger::CheckCode::kEventFamilyMoved) &&
          check->check != static_cast<int>(exchange::ExchangeCheck::kClientCertificateNotPeer)) {
        return service::PeerReply{false, std::move(check)};
      }
    }
  }
  return core::Unavailable("the peer answered " + std::to_string(status) + ": " +
                           std::string(body.substr(0, 300)));
}

core::Result<service::Transport> HttpExchangeTransport(const ExchangeClientOptions& options) {
  JCM_ASSIGN_OR_RETURN(std::shared_ptr<ssl::context> tls, ClientTlsContext(options));
  return service::Transport(HttpTransport(options, std::move(tls)));
}

// The snapshot fetch: a GET on a PeerConnection of its own, beside the messages' POSTs.
namespace {

class SnapshotFetcher {
 public:
  SnapshotFetcher(ExchangeClientOptions options, std::shared_ptr<ssl::context> tls,
                  const service::ExchangeIdentity& identity)
      : options_(std::move(options)), tls_(std::move(tls)), identity_(identity) {}

  core::Result<std::string> operator()(const exchange::PeerRecord& peer) const {
    JCM_ASSIGN_OR_RETURN(const HttpUrl url, ParseHttpUrl(peer.url, "the peer's URL"));
    JCM_ASSIGN_OR_RETURN(const service::SnapshotAsk ask,
                         service::SignSnapshotAsk(identity_, peer.code));
    const std::string what = "GET " + peer.url + std::string(kExchangeSnapshotPath);
    http::request<http::string_body> request(
        http::verb::get, url.path_prefix + std::string(kExchangeSnapshotPath) + "?peer=" + ask.peer,
        11);
    request.set(http::field::accept, "text/plain, application/problem+json");
    request.set(kExchangeTimeHeader, ask.at);
    request.set(kExchangeSignatureHeader, ask.signature_hex);
    request.keep_alive(false);
    core::Result<Answer> sent = core::Internal("no answer");
    try {
      PeerConnection connection(url, options_, *tls_);  // for this fetch only
      sent = connection.Send(std::move(request), kSnapshotBytesMax, kSnapshotReadTimeout, what);
    } catch (const std::exception& e) {
      return core::Unavailable(what + ": " + e.what());
    }
    if (!sent.ok()) return sent.status();
    Answer& answer = *sent;
    if (answer.status == 200) return std::move(answer.body);
    const std::optional<service::Rejection> check = CheckOfProblem(answer.body);
    return core::Unavailable(what + ": " + std::to_string(answer.status) +
                             (check ? " check " + std::to_string(check->check) + " " + check->name +
                                          ": " + check->message
                                    : ""));
  }

 private:
  ExchangeClientOptions options_;
  std::shared_ptr<ssl::context> tls_;
  const service::ExchangeIdentity& identity_;
};

}  // namespace

core::Result<service::SnapshotFetch> HttpSnapshotFetch(const ExchangeClientOptions& options,
                                                       const service::ExchangeIdentity& identity) {
  JCM_ASSIGN_OR_RETURN(std::shared_ptr<ssl::context> tls, ClientTlsContext(options));
  return service::SnapshotFetch(SnapshotFetcher(options, std::move(tls), identity));
}

}  // namespace jcm::server
