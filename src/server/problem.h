// RFC 9457 problem documents (application/problem+json): the one shape of every error the API
// returns, and the one place the service's error model (docs/architecture.md) becomes HTTP
// status codes:
//
//   Rejection (a numbered check)        422, with "check" and "name"
//   kInvalidArgument                    400
//   kNotFound                           404
//   kAlreadyExists, kFailedPrecondition 409
//   kResourceExhausted                  413
//   kUnavailable                        503
//   anything else (kDataLoss, …)        500
//
// The transport's own refusals (431 header fields too large, 413 body too large, 400 malformed
// request, 503 too many connections) use the same document.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "server/http_message.h"
#include "service/errors.h"

namespace jcm::server {

inline constexpr std::string_view kProblemContentType = "application/problem+json";

int HttpStatusFor(core::StatusCode code);

// {"type": "urn:jcm:problem:<code>", "title", "status", "detail", "instance", "request_id",
// "code"}; `code` is snake_case ("not_found", "unknown_query_parameter", …).
HttpResponse Problem(int status, std::string_view code, std::string_view detail,
                     const std::string& instance, const std::string& request_id);
// A 500's detail is only "internal error"; the status itself goes to log_detail.
HttpResponse ProblemFromStatus(const core::Status& status, const std::string& instance,
                               const std::string& request_id);
// 422 with the numbered check: "check" (its number) and "name" (its stable name). With another
// `status` (403: a check that refuses who is asking) the problem's code is "forbidden" for 403,
// else "rejected", and it carries the check all the same.
HttpResponse ProblemFromRejection(const service::Rejection& rejection, const std::string& instance,
                                  const std::string& request_id, int status = 422);

// `text` with every byte that does not begin a well-formed UTF-8 sequence (RFC 3629: no
// overlong forms, surrogates or code points above U+10FFFF) replaced by U+FFFD. Problem documents
// and access-log lines echo request text through it, so they stay valid JSON whatever the
// client sent.
std::string ValidUtf8(std::string_view text);

// The reason phrase of a status ("Not Found"), the problem's title.
std::string_view ReasonPhrase(int status);

}  // namespace jcm::server
