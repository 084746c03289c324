#include "server/auth.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <functional>
#include <memory>
#include <mutex>

#include "core/date.h"
#include "server/problem.h"

namespace jcm::server {
namespace {

namespace bj = boost::json;

constexpr std::string_view kSessionPath = "/api/v1/session";
constexpr std::string_view kMePath = "/api/v1/me";

// The session cookie's value among the Cookie header's "name=value; …" pairs, or nullopt.
std::optional<std::string> SessionCookie(const HttpRequest& request) {
  const std::optional<std::string> header = HeaderValue(request, "Cookie");
  if (!header) return std::nullopt;
  std::string_view rest = *header;
  while (!rest.empty()) {
    const size_t end = rest.find(';');
    std::string_view pair = rest.substr(0, end);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == kSessionCookie) {
      return std::string(pair.substr(eq + 1));
    }
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
  return std::nullopt;
}

bool ChangesState(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

// Compares secrets in time independent of where they differ.
bool SameSecret(const std::string& a, const std::string& b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string CookieHeader(const std::string& value, bool tls, bool clear) {
  std::string cookie =
      std::string(kSessionCookie) + "=" + value + "; HttpOnly; SameSite=Strict; Path=/";
  if (clear) cookie += "; Max-Age=0";
  if (tls) cookie += "; Secure";
  return cookie;
}

HttpResponse Json(int status, const bj::object& body) {
  HttpResponse response;
  response.status = status;
  response.body = bj::serialize(body);
  return response;
}

bj::array RoleTexts(const identity::Principal& principal) {
  bj::array roles;
  for (const identity::Role& role : principal.roles) roles.emplace_back(role.ToText());
  return roles;
}

// 401 with the identity check that refused (docs/api.md, "Signing in").
HttpResponse Unauthorized(const service::Rejection& rejection, const std::string& instance,
                          const std::string& request_id) {
  const HttpResponse plain = Problem(401, "rejected", rejection.message, instance, request_id);
  bj::object problem = bj::parse(plain.body).as_object();
  problem["check"] = rejection.check;
  problem["name"] = rejection.name;
  HttpResponse response = plain;
  response.body = bj::serialize(problem);
  return response;
}

struct Credentials {
  std::string user;
  std::string password;
  std::string totp;
};

// The sign-in body, strictly: a JSON object of "user" and "password" strings and an optional
// "totp" string, nothing else. Boost.JSON refuses invalid UTF-8 and truncated text.
core::Result<Credentials> DecodeCredentials(const std::string& body) {
  boost::system::error_code ec;
  const bj::value value = bj::parse(body, ec);
  if (ec) return core::InvalidArgument("the body is not JSON: " + ec.message());
  if (!value.is_object()) return core::InvalidArgument("the body must be a JSON object");
  Credentials credentials;
  bool has_user = false, has_password = false;
  for (const auto& [key, field] : value.as_object()) {
    std::string* target = key == "user"       ? &credentials.user
                          : key == "password" ? &credentials.password
                          : key == "totp"     ? &credentials.totp
                                              : nullptr;
    if (target == nullptr) return core::InvalidArgument("unknown field '" + std::string(key) + "'");
    if (!field.is_string()) {
      return core::InvalidArgument("'" + std::string(key) + "' must be a string");
    }
    *target = std::string(field.as_string());
    has_user |= key == "user";
    has_password |= key == "password";
  }
  if (!has_user || !has_password)
    return core::InvalidArgument("'user' and 'password' are required");
  return credentials;
}

HttpResponse MethodNotAllowed(const HttpRequest& request, const std::string& path,
                              const std::string& request_id, std::string allow) {
  HttpResponse response =
      Problem(405, "method_not_allowed", request.method + " is not allowed here", path, request_id);
  response.headers.emplace_back("Allow", std::move(allow));
  return response;
}

}  // namespace

core::Result<int64_t> UnixSeconds(std::string_view iso_utc) {
  const auto field = [&](size_t at) -> std::optional<int64_t> {
    if (iso_utc.size() < at + 2) return std::nullopt;
    return core::ParseInt64(iso_utc.substr(at, 2));
  };
  const auto hours = field(11), minutes = field(14), seconds = field(17);
  if (iso_utc.size() < 20 || !hours || !minutes || !seconds) {
    return core::Internal("the clock gave '" + std::string(iso_utc) +
                          "', not YYYY-MM-DDTHH:MM:SSZ");
  }
  JCM_ASSIGN_OR_RETURN(const core::Date date, core::Date::Parse(iso_utc.substr(0, 10)));
  return date.days_since_epoch() * 86'400 + *hours * 3600 + *minutes * 60 + *seconds;
}

Auth::Auth(store::Store& store, store::Clock& clock, Next next,
           std::shared_ptr<service::IdentityReplay> identities)
    : store_(store),
      clock_(clock),
      next_(std::move(next)),
      identities_(identities != nullptr ? std::move(identities)
                                        : std::make_shared<service::IdentityReplay>()) {}

std::optional<HttpResponse> Auth::Identify(const HttpRequest& request, const std::string& path,
                                           int64_t now_s, RequestContext& context,
                                           std::optional<Session>& session, bool& by_token) {
  const std::string& id = context.request_id;
  if (const std::optional<std::string> authorization = HeaderValue(request, "Authorization")) {
    constexpr std::string_view kBearer = "Bearer ";
    if (!authorization->starts_with(kBearer)) {
      return Problem(401, "unauthorized", "only Bearer tokens are accepted", path, id);
    }
    service::IdentityService identity(store_, identities_);
    core::Result<service::OrRejection<identity::Principal>> principal =
        identity.AuthenticateToken(authorization->substr(kBearer.size()), now_s);
    if (!principal.ok()) return ProblemFromStatus(principal.status(), path, id);
    if (const auto* refused = std::get_if<service::Rejection>(&*principal)) {
      return Unauthorized(*refused, path, id);
    }
    const auto& signed_in = std::get<identity::Principal>(*principal);
    context.principal.user = signed_in.user;
    context.principal.signed_in = true;
    context.principal.roles = signed_in.roles;
    by_token = true;
    return std::nullopt;
  }
  const std::optional<std::string> cookie = SessionCookie(request);
  if (!cookie) return std::nullopt;  // the public
  session = sessions_.Find(*cookie, now_s);
  if (!session) {
    HttpResponse response =
        Problem(401, "session_invalid", "the session is unknown or has expired", path, id);
    response.headers.emplace_back("Set-Cookie", CookieHeader("", context.tls, true));
    return response;
  }
  if (ChangesState(request.method)) {
    const std::optional<std::string> csrf = HeaderValue(request, "X-CSRF-Token");
    if (!csrf || !SameSecret(*csrf, session->csrf_token)) {
      return Problem(403, "csrf_token_invalid",
                     "a change made with the session cookie needs the session's X-CSRF-Token", path,
                     id);
    }
  }
  context.principal.user = session->principal.user;
  context.principal.signed_in = true;
  context.principal.roles = session->principal.roles;
  return std::nullopt;
}

HttpResponse Auth::Handle(const HttpRequest& request, const RequestContext& context) {
  const std::string path = request.target.substr(0, request.target.find('?'));
  core::Result<int64_t> now_s = UnixSeconds(clock_.NowUtc());
  if (!now_s.ok()) return ProblemFromStatus(now_s.status(), path, context.request_id);
  if (path == kSessionPath && request.method == "POST") {
    // Signing in ignores any session the browser still has: it gets a new id (no fixation).
    return SignIn(request, context, *now_s);
  }
  RequestContext identified = context;
  std::optional<Session> session;
  bool by_token = false;
  HttpResponse response;
  if (auto refused = Identify(request, path, *now_s, identified, session, by_token)) {
    response = std::move(*refused);
  } else if (path == kSessionPath) {
    response = request.method == "DELETE"
                   ? SignOut(request, identified, session)
                   : MethodNotAllowed(request, path, context.request_id, "POST, DELETE");
  } else if (path == kMePath) {
    response = request.method == "GET" ? Me(identified, session, by_token)
                                       : MethodNotAllowed(request, path, context.request_id, "GET");
  } else {
    response = next_(request, identified);
  }
  response.log_user = identified.principal.user;
  return response;
}

HttpResponse Auth::SignIn(const HttpRequest& request, const RequestContext& context,
                          int64_t now_s) {
  const std::string path(kSessionPath);
  // A cross-site HTML form can post text/plain shaped like JSON (login CSRF: signing the victim
  // in as the attacker); it cannot send application/json without a CORS preflight, which fails.
  const std::string media_type = HeaderValue(request, "Content-Type").value_or("");
  if (media_type.substr(0, media_type.find(';')) != "application/json") {
    return Problem(415, "unsupported_media_type", "sign-in takes Content-Type: application/json",
                   path, context.request_id);
  }
  core::Result<Credentials> credentials = DecodeCredentials(request.body);
  if (!credentials.ok()) {
    return Problem(400, "bad_body", credentials.status().message(), path, context.request_id);
  }
  service::IdentityService identity(store_, identities_);
  // One sign-in of a user at a time: each checks the lockout before its Argon2id and journals
  // its failure after, so concurrent attempts would all pass a check that none has counted yet.
  std::lock_guard one_at_a_time(
      signin_mu_[std::hash<std::string>{}(credentials->user) % signin_mu_.size()]);
  core::Result<service::OrRejection<identity::Principal>> outcome =
      identity.SignIn(credentials->user, credentials->password, credentials->totp, now_s);
  if (!outcome.ok()) return ProblemFromStatus(outcome.status(), path, context.request_id);
  if (const auto* refused = std::get_if<service::Rejection>(&*outcome)) {
    HttpResponse response = Unauthorized(*refused, path, context.request_id);
    response.log_user = credentials->user;  // who tried, for the log
    return response;
  }
  const auto& principal = std::get<identity::Principal>(*outcome);
  core::Result<NewSession> created = sessions_.Create(principal, now_s);
  if (!created.ok()) return ProblemFromStatus(created.status(), path, context.request_id);
  HttpResponse response = Json(201, {{"user", principal.user},
                                     {"roles", RoleTexts(principal)},
                                     {"csrf_token", created->session.csrf_token},
                                     {"idle_timeout_s", kSessionIdle_s},
                                     {"absolute_timeout_s", kSessionAbsolute_s}});
  response.headers.emplace_back("Set-Cookie", CookieHeader(created->id, context.tls, false));
  response.log_user = principal.user;
  return response;
}

HttpResponse Auth::SignOut(const HttpRequest& request, const RequestContext& context,
                           const std::optional<Session>& session) {
  const std::string path(kSessionPath);
  if (!session) {
    return Problem(401, "unauthorized", "no session to sign out of", path, context.request_id);
  }
  if (const std::optional<std::string> cookie = SessionCookie(request)) sessions_.Remove(*cookie);
  HttpResponse response = Json(200, {{"user", context.principal.user}, {"signed_out", true}});
  response.headers.emplace_back("Set-Cookie", CookieHeader("", context.tls, true));
  return response;
}

HttpResponse Auth::Me(const RequestContext& context, const std::optional<Session>& session,
                      bool by_token) {
  if (!session && !by_token) {
    return Problem(401, "unauthorized", "not signed in", std::string(kMePath), context.request_id);
  }
  identity::Principal principal{context.principal.user, context.principal.roles};
  bj::object me{{"user", principal.user},
                {"roles", RoleTexts(principal)},
                {"via", session ? "session" : "token"}};
  // A reloaded page has lost the token it was given at sign-in: /me hands it again (same-origin
  // only, the API sends no CORS headers).
  if (session) me["csrf_token"] = session->csrf_token;
  return Json(200, me);
}

}  // namespace jcm::server
