#include "server/prebuilt_response.h"

#include <utility>

namespace jcm::server {
namespace {

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 203:
      return "Non-Authoritative Information";
    case 204:
      return "No Content";
    default:
      return "";
  }
}

PrebuiltText TextFor(const HttpResponse& response, bool tls) {
  std::string text = "HTTP/1.1 " + std::to_string(response.status) + " ";
  text += ReasonPhrase(response.status);
  text += "\r\nContent-Type: " + response.content_type + "\r\n";
  for (const auto& [name, value] : SecurityHeaders(tls)) text += name + ": " + value + "\r\n";
  for (const auto& [name, value] : response.headers) text += name + ": " + value + "\r\n";
  text += "Content-Length: " + std::to_string(response.body.size()) + "\r\nX-Request-Id: ";
  const size_t id_at = text.size();
  text += "\r\n\r\n";
  text += response.body;
  return PrebuiltText{std::move(text), id_at};
}

}  // namespace

std::shared_ptr<const PrebuiltResponse> Prebuild(HttpResponse response) {
  response.prebuilt.reset();
  auto prebuilt = std::make_shared<PrebuiltResponse>();
  prebuilt->plain = TextFor(response, false);
  prebuilt->tls = TextFor(response, true);
  prebuilt->response = std::move(response);
  return prebuilt;
}

const HttpResponse& Resolved(const HttpResponse& response) {
  return response.prebuilt ? response.prebuilt->response : response;
}

}  // namespace jcm::server
