#include "server/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace jcm::server {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;

}  // namespace

core::Result<HttpUrl> ParseHttpUrl(const std::string& url, std::string_view what) {
  const auto invalid = [&] {
    return core::InvalidArgument(std::string(what) + " must be http[s]://HOST[:PORT][/PATH], got " +
                                 url);
  };
  HttpUrl out;
  std::string rest;
  if (url.rfind("http://", 0) == 0) {
    rest = url.substr(7);
    out.port = "80";
  } else if (url.rfind("https://", 0) == 0) {
    rest = url.substr(8);
    out.tls = true;
    out.port = "443";
  } else {
    return invalid();
  }
  const size_t slash = rest.find('/');
  if (slash != std::string::npos) {
    out.path_prefix = rest.substr(slash);
    rest.resize(slash);
    while (!out.path_prefix.empty() && out.path_prefix.back() == '/') out.path_prefix.pop_back();
  }
  const size_t colon = rest.rfind(':');
  if (colon != std::string::npos && rest.find(']', colon) == std::string::npos) {
    out.port = rest.substr(colon + 1);
    rest.resize(colon);
  }
  if (rest.size() > 2 && rest.front() == '[' && rest.back() == ']') {
    rest = rest.substr(1, rest.size() - 2);
  }
  out.host = rest;
  if (out.host.empty() || out.port.empty() ||
      out.port.find_first_not_of("0123456789") != std::string::npos) {
    return invalid();
  }
  return out;
}

core::Result<HttpGetResult> HttpGet(const std::string& base_url, const std::string& target,
                                    std::chrono::milliseconds timeout) {
  JCM_ASSIGN_OR_RETURN(HttpUrl url, ParseHttpUrl(base_url, "--url"));
  if (url.tls) {
    return core::InvalidArgument("--url must be http://HOST[:PORT][/PATH], got " + base_url);
  }
  try {
    asio::io_context io;
    asio::ip::tcp::resolver resolver(io);
    beast::tcp_stream stream(io);
    stream.expires_after(timeout);
    stream.connect(resolver.resolve(url.host, url.port));
    http::request<http::empty_body> request(http::verb::get, url.path_prefix + target, 11);
    request.set(http::field::host, url.host);
    request.set(http::field::user_agent, "jcm-verify-public");
    request.set(http::field::accept, "application/json");
    http::write(stream, request);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(kHttpBodyBytesMax);
    http::read(stream, buffer, parser);
    beast::error_code ignored;
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    http::response<http::string_body> response = parser.release();
    return HttpGetResult{static_cast<int>(response.result_int()),
                         std::string(response[http::field::content_type]),
                         std::move(response.body())};
  } catch (const std::exception& e) {
    return core::Unavailable("GET " + base_url + target + ": " + e.what());
  }
}

}  // namespace jcm::server
