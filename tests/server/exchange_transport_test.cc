// What the exchange's HTTP transport makes of a peer's answer (server/exchange_transport.h), the
// URLs it accepts, and its connection to a peer on loopback (kept alive, reopened, timed out)
// against a minimal HTTP server in the test. The transport with TLS and mutual TLS between two
// `jcm serve` processes is exercised by exchange_http_test.py and exchange_fault_test.py.
#include "server/exchange_transport.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <thread>

#include "server/access_log.h"
#include "server/http_client.h"
#include "store/testing/fixed_clock.h"

namespace jcm::server {
namespace {

std::string ProblemWith(int check, std::string_view name) {
  return R"({"type":"urn:jcm:problem:rejected","status":422,"check":)" + std::to_string(check) +
         R"(,"name":")" + std::string(name) + R"(","detail":"why"})";
}

TEST(PeerReplyFor, TwoHundredsAreDelivered) {
  for (const int status : {200, 201, 204}) {
    auto reply = PeerReplyFor(status, "{}");
    ASSERT_TRUE(reply.ok());
    EXPECT_TRUE(reply->delivered);
    EXPECT_FALSE(reply->refusal);
  }
}

TEST(PeerReplyFor, AReplayIsDeliveredAnotherCheckIsARefusal) {
  auto replayed = PeerReplyFor(422, ProblemWith(803, "message_replayed"));
  ASSERT_TRUE(replayed.ok());
  EXPECT_TRUE(replayed->delivered);
  EXPECT_FALSE(replayed->refusal);

  auto refused = PeerReplyFor(422, ProblemWith(802, "signature_invalid"));
  ASSERT_TRUE(refused.ok());
  EXPECT_FALSE(refused->delivered);
  ASSERT_TRUE(refused->refusal);
  EXPECT_EQ(refused->refusal->check, 802);
  EXPECT_EQ(refused->refusal->name, "signature_invalid");
  EXPECT_EQ(refused->refusal->message, "why");
}

TEST(PeerReplyFor, RetryableAnswersLeaveTheMessageOwed) {
  // A lock conflict there, the peer's configuration (no key: 409; no client certificate: 403),
  // a server error, a proxy's answer: Unavailable, never a refusal that would drop the message.
  EXPECT_EQ(PeerReplyFor(422, ProblemWith(23, "event_family_moved")).status().code(),
            core::StatusCode::kUnavailable);
  EXPECT_EQ(PeerReplyFor(409, R"({"code":"failed_precondition"})").status().code(),
            core::StatusCode::kUnavailable);
  EXPECT_EQ(PeerReplyFor(403, R"({"code":"client_certificate_required"})").status().code(),
            core::StatusCode::kUnavailable);
  // This registry's certificate names another registry: fixed here, then the message delivered.
  EXPECT_EQ(PeerReplyFor(403, ProblemWith(836, "client_certificate_not_peer")).status().code(),
            core::StatusCode::kUnavailable);
  EXPECT_EQ(PeerReplyFor(500, "").status().code(), core::StatusCode::kUnavailable);
  EXPECT_EQ(PeerReplyFor(502, "<html>bad gateway</html>").status().code(),
            core::StatusCode::kUnavailable);
  EXPECT_EQ(PeerReplyFor(404, "not json").status().code(), core::StatusCode::kUnavailable);
}

TEST(ParseHttpUrl, SchemesPortsAndPrefixes) {
  auto plain = ParseHttpUrl("http://127.0.0.1:8080/registry/", "url");
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(plain->tls);
  EXPECT_EQ(plain->host, "127.0.0.1");
  EXPECT_EQ(plain->port, "8080");
  EXPECT_EQ(plain->path_prefix, "/registry");
  auto tls = ParseHttpUrl("https://registry.example", "url");
  ASSERT_TRUE(tls.ok());
  EXPECT_TRUE(tls->tls);
  EXPECT_EQ(tls->port, "443");
  auto v6 = ParseHttpUrl("https://[::1]:9443", "url");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, "9443");
  for (const char* bad : {"ftp://x", "http://", "http://host:", "http://host:8x", "host:80"}) {
    EXPECT_EQ(ParseHttpUrl(bad, "url").status().code(), core::StatusCode::kInvalidArgument) << bad;
  }
}

TEST(HttpExchangeTransport, RefusesUnloadableFiles) {
  ExchangeClientOptions options;
  options.client_cert_file = "/nonexistent/cert.pem";
  EXPECT_EQ(HttpExchangeTransport(options).status().code(), core::StatusCode::kInvalidArgument);
  options.client_key_file = "/nonexistent/key.pem";
  EXPECT_EQ(HttpExchangeTransport(options).status().code(), core::StatusCode::kInvalidArgument);
  options = {};
  options.ca_file = "/nonexistent/ca.pem";
  EXPECT_EQ(HttpExchangeTransport(options).status().code(), core::StatusCode::kInvalidArgument);
}

TEST(HttpExchangeTransport, AnUnreachablePeerIsUnavailable) {
  auto transport = HttpExchangeTransport({});
  ASSERT_TRUE(transport.ok());
  exchange::PeerRecord peer;
  peer.url = "http://127.0.0.1:1";  // nothing listens on port 1
  EXPECT_EQ((*transport)(peer, "wire").status().code(), core::StatusCode::kUnavailable);
}

TEST(HttpSnapshotFetch, AnUnreachablePeerIsUnavailable) {
  store::FixedClock clock("2026-12-01");
  const service::ExchangeIdentity identity{core::RegistryCode::FromTrusted("JP"),
                                           core::Ed25519PrivateKey::Generate().value(), &clock};
  ExchangeClientOptions bad;
  bad.ca_file = "/nonexistent/ca.pem";
  EXPECT_EQ(HttpSnapshotFetch(bad, identity).status().code(), core::StatusCode::kInvalidArgument);
  auto fetch = HttpSnapshotFetch({}, identity);
  ASSERT_TRUE(fetch.ok());
  exchange::PeerRecord peer;
  peer.code = core::RegistryCode::FromTrusted("MN");
  peer.url = "http://127.0.0.1:1";
  EXPECT_EQ((*fetch)(peer).status().code(), core::StatusCode::kUnavailable);
}

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

// A peer's server on loopback: answers each request 200 on one connection, at most
// `answers_per_connection` (0: any number) before it closes it without saying so (as a proxy
// that forwards one request a connection does), or (`silent`) never answers.
class LoopbackPeer {
 public:
  LoopbackPeer(int answers_per_connection, bool silent)
      : answers_per_connection_(answers_per_connection), silent_(silent) {
    acceptor_.open(asio::ip::tcp::v4());
    acceptor_.bind({asio::ip::make_address("127.0.0.1"), 0});
    acceptor_.listen();
    thread_ = std::thread([this] { Run(); });
  }
  ~LoopbackPeer() {
    stopping_ = true;
    asio::ip::tcp::socket wake(io_);  // ends the accept that is waiting
    boost::system::error_code ignored;
    wake.connect(acceptor_.local_endpoint(), ignored);
    thread_.join();
  }
  exchange::PeerRecord Peer() const {
    exchange::PeerRecord peer;
    peer.url = "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port());
    return peer;
  }
  std::atomic<int> connections{0};
  std::atomic<int> requests{0};

 private:
  void Run() {
    for (;;) {
      asio::ip::tcp::socket socket(io_);
      boost::system::error_code ec;
      acceptor_.accept(socket, ec);
      if (ec || stopping_) return;
      ++connections;
      Serve(socket);
    }
  }
  void Serve(asio::ip::tcp::socket& socket) {
    beast::flat_buffer buffer;
    boost::system::error_code ec;
    for (int answered = 0; answers_per_connection_ == 0 || answered < answers_per_connection_;
         ++answered) {
      http::request<http::string_body> request;
      http::read(socket, buffer, request, ec);
      if (ec) return;
      ++requests;
      if (silent_) {  // until the client gives up and closes
        char byte = 0;
        socket.read_some(asio::buffer(&byte, 1), ec);
        return;
      }
      http::response<http::string_body> response(http::status::ok, 11);
      response.body() = "{}";
      response.keep_alive(true);
      response.prepare_payload();
      http::write(socket, response, ec);
      if (ec) return;
    }
  }

  const int answers_per_connection_;
  const bool silent_;
  std::atomic<bool> stopping_{false};
  asio::io_context io_;
  asio::ip::tcp::acceptor acceptor_{io_};
  std::thread thread_;
};

TEST(HttpExchangeTransport, KeepsOneConnectionToAPeerForItsMessages) {
  LoopbackPeer peer(0, false);
  auto transport = HttpExchangeTransport({});
  ASSERT_TRUE(transport.ok());
  for (int i = 0; i < 5; ++i) {
    auto reply = (*transport)(peer.Peer(), "wire " + std::to_string(i));
    ASSERT_TRUE(reply.ok()) << reply.status().ToString();
    EXPECT_TRUE(reply->delivered);
  }
  auto copy = *transport;  // a copy of the transport shares its connections
  ASSERT_TRUE(copy(peer.Peer(), "wire 5").ok());
  EXPECT_EQ(peer.requests, 6);
  EXPECT_EQ(peer.connections, 1);
}

TEST(HttpExchangeTransport, AKeptConnectionThePeerClosedIsOpenedAgainForTheMessage) {
  LoopbackPeer peer(1, false);  // one answer a connection, then closed unannounced
  auto transport = HttpExchangeTransport({});
  ASSERT_TRUE(transport.ok());
  for (int i = 0; i < 3; ++i) {
    auto reply = (*transport)(peer.Peer(), "wire " + std::to_string(i));
    ASSERT_TRUE(reply.ok()) << i << ": " << reply.status().ToString();
    EXPECT_TRUE(reply->delivered);
  }
  EXPECT_EQ(peer.requests, 3);  // each message answered once, on a connection of its own
  EXPECT_EQ(peer.connections, 3);
}

TEST(HttpExchangeTransport, APeerThatNeverAnswersTimesOut) {
  LoopbackPeer peer(0, true);
  ExchangeClientOptions options;
  options.read_timeout = std::chrono::milliseconds(300);
  auto transport = HttpExchangeTransport(options);
  ASSERT_TRUE(transport.ok());
  const auto started = std::chrono::steady_clock::now();
  auto reply = (*transport)(peer.Peer(), "wire");
  const auto waited = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(reply.status().code(), core::StatusCode::kUnavailable);
  EXPECT_GE(waited, std::chrono::milliseconds(300));
  EXPECT_LT(waited, std::chrono::seconds(5));  // not sent again after a timeout
  EXPECT_EQ(peer.requests, 1);
}

TEST(EventLogLine, OneJsonObjectOfCountsAndAnError) {
  const std::string line =
      EventLogLine({"exchange.round", {{"delivered", 3}, {"owed", 0}}, "deliver: \xff"});
  ASSERT_EQ(line.back(), '\n');
  const boost::json::object parsed = boost::json::parse(line).as_object();
  EXPECT_EQ(parsed.at("event").as_string(), "exchange.round");
  EXPECT_EQ(parsed.at("delivered").as_int64(), 3);
  EXPECT_EQ(parsed.at("owed").as_int64(), 0);
  EXPECT_EQ(parsed.at("error").as_string(), "deliver: \xEF\xBF\xBD");
  EXPECT_TRUE(parsed.contains("time"));
  EXPECT_FALSE(boost::json::parse(EventLogLine({"x", {}, ""})).as_object().contains("error"));
}

}  // namespace
}  // namespace jcm::server
