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
          {"detail", ValidUtf8(detail)},
          {"instance", ValidUtf8(instance)},
          {"request_id", request_id},
          {"code", code}};
}

// The length of the well-formed UTF-8 sequence at the start of `text`, 0 if there is none.
size_t Utf8SequenceLength(std::string_view text) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return 1;
  size_t length = 0;
  unsigned char low = 0x80;  // the bounds of the second byte (RFC 3629 table)
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;   // no overlong forms
    if (lead == 0xED) high = 0x9F;  // no surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;  // nothing above U+10FFFF
  } else {
    return 0;
  }
  if (text.size() < length || byte(1) < low || byte(1) > high) return 0;
  for (size_t i = 2; i < length; ++i) {
    if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
  }
  return length;
}

}  // namespace

std::string ValidUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    const size_t length = Utf8SequenceLength(text);
    if (length == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
      text.remove_prefix(1);
    } else {
      out.append(text.substr(0, length));
      text.remove_prefix(length);
    }
  }
  return out;
}

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
                                  const std::string& request_id, int status) {
  bj::object problem = ProblemObject(status, status == 403 ? "forbidden" : "rejected",
                                     rejection.message, instance, request_id);
  problem["check"] = rejection.check;
  problem["name"] = rejection.name;
  return FromObject(status, std::move(problem));
}

std::optional<std::string> HeaderValue(const HttpRequest& request, std::string_view name) {
  for (const auto& [key, value] : request.headers) {
    if (key.size() == name.size() &&
        std::equal(key.begin(), key.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        })) {
      return value;
    }
  }
  return std::nullopt;
}

const HeaderList& SecurityHeaders(bool tls) {
  // Built once: every response sends them.
  static const HeaderList kPlain = {
      {"Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "no-referrer"},
      {"Cache-Control", "no-store"},
  };
  static const HeaderList kTls = [] {
    HeaderList headers = kPlain;
    headers.emplace_back("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    return headers;
  }();
  return tls ? kTls : kPlain;
}

}  // namespace jcm::server
