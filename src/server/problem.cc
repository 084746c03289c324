#include "server/problem.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>

namespace jcm::server {
namespace {

namespace bj = boost::json;

std::string LowerCodeName(core::StatusCode code) {
  std::string name(core::StatusCodeName(code));
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return name;
}

HttpResponse FromObject(int status, bj::object problem) {
  HttpResponse response;
  response.status = status;
  response.content_type = std::string(kProblemContentType);
  response.body = bj::serialize(problem);
  return response;
}

bj::object ProblemObject(int status, std::string_view code, std::string_view detail,
                         const std::string& instance, const std::string& request_id) {
  return {{"type", "urn:jcm:problem:" + std::string(code)},
          {"title", ReasonPhrase(status)},
          {"status", status},
          {"detail", detail},
          {"instance", instance},
          {"request_id", request_id},
          {"code", code}};
}

}  // namespace

int HttpStatusFor(core::StatusCode code) {
  switch (code) {
    case core::StatusCode::kOk:
      return 200;
    case core::StatusCode::kInvalidArgument:
      return 400;
    case core::StatusCode::kNotFound:
      return 404;
    case core::StatusCode::kAlreadyExists:
    case core::StatusCode::kFailedPrecondition:
      return 409;
    case core::StatusCode::kResourceExhausted:
      return 413;
    case core::StatusCode::kUnavailable:
      return 503;
    case core::StatusCode::kInternal:
    case core::StatusCode::kDataLoss:
      return 500;
  }
  return 500;
}

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Error";
  }
}

HttpResponse Problem(int status, std::string_view code, std::string_view detail,
                     const std::string& instance, const std::string& request_id) {
  return FromObject(status, ProblemObject(status, code, detail, instance, request_id));
}

HttpResponse ProblemFromStatus(const core::Status& status, const std::string& instance,
                               const std::string& request_id) {
  const int http = HttpStatusFor(status.code());
  // An internal error's message may name files or rows: the log has it, the client does not.
  const std::string detail = http == 500 ? "internal error" : std::string(status.message());
  HttpResponse response = Problem(http, LowerCodeName(status.code()), detail, instance, request_id);
  if (http == 500) response.log_detail = status.ToString();
  return response;
}

HttpResponse ProblemFromRejection(const service::Rejection& rejection, const std::string& instance,
                                  const std::string& request_id) {
  bj::object problem = ProblemObject(422, "rejected", rejection.message, instance, request_id);
  problem["check"] = rejection.check;
  problem["name"] = rejection.name;
  return FromObject(422, std::move(problem));
}

HeaderList SecurityHeaders(bool tls) {
  HeaderList headers = {
      {"Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "no-referrer"},
      {"Cache-Control", "no-store"},
  };
  if (tls) headers.emplace_back("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  return headers;
}

}  // namespace jcm::server
