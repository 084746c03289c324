// Auth: the step of the request pipeline before routing that says who is asking
// (docs/api.md, "Signing in"), and the three routes of signing in:
//
//   POST   /api/v1/session   {"user","password","totp"} → 201, a session cookie and a CSRF token
//   DELETE /api/v1/session   signs the session out (needs its CSRF token like any change)
//   GET    /api/v1/me        the principal of the session or token, 401 without one
//
// Every other request is passed to `next` (the Api) with RequestContext::principal filled from
//   - "Authorization: Bearer jcm_<id>_<secret>" (IdentityService::AuthenticateToken; 401 when
//     refused), for machine clients: no cookie, so no CSRF token is needed;
//   - else the "jcm_session" cookie (SessionStore; 401 when unknown or expired). A POST, PUT,
//     PATCH or DELETE with the cookie must carry X-CSRF-Token equal to the session's token, else
//     403 — a cross-site form cannot read the token.
// Without either, the principal stays the public. The response's log_user names the user for
// the access log.
//
// Sign-in rejections (checks 310 unknown user or wrong password, 311 locked, 312 TOTP required,
// 313 wrong TOTP, 314 replayed TOTP) all answer 401 with "check" and "name". Request bodies are
// decoded strictly: not JSON, invalid UTF-8, truncated, an unknown field or a wrong type → 400.
//
// Thread-safe: each request uses an IdentityService of its own, all sharing one replay of the
// users (service/replay.h), so a sign-in's Argon2id holds up no token check; sign-ins of one
// user (of names that share a lock stripe) run one at a time, so the lockout counts each.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "core/status.h"
#include "server/http_message.h"
#include "server/session_store.h"
#include "service/identity_service.h"
#include "store/store.h"

namespace jcm::server {

inline constexpr std::string_view kSessionCookie = "jcm_session";

// The clock's "YYYY-MM-DDTHH:MM:SSZ" as Unix seconds.
core::Result<int64_t> UnixSeconds(std::string_view iso_utc);

class Auth {
 public:
  using Next = std::function<HttpResponse(const HttpRequest&, const RequestContext&)>;

  // `store` and `clock` must outlive the Auth; `clock` is the injected one (tests move it).
  // `identities`: the replay of the users to share with the routes behind (Api::identities), so
  // each identity.* entry is read once per server; none: one of its own.
  Auth(store::Store& store, store::Clock& clock, Next next,
       std::shared_ptr<service::IdentityReplay> identities = nullptr);

  HttpResponse Handle(const HttpRequest& request, const RequestContext& context);

  SessionStore& sessions() { return sessions_; }

 private:
  // The caller's principal into `context`, or the 401/403 problem to answer with.
  std::optional<HttpResponse> Identify(const HttpRequest& request, const std::string& path,
                                       int64_t now_s, RequestContext& context,
                                       std::optional<Session>& session, bool& by_token);
  HttpResponse SignIn(const HttpRequest& request, const RequestContext& context, int64_t now_s);
  HttpResponse SignOut(const HttpRequest& request, const RequestContext& context,
                       const std::optional<Session>& session);
  HttpResponse Me(const RequestContext& context, const std::optional<Session>& session,
                  bool by_token);

  store::Store& store_;
  store::Clock& clock_;
  Next next_;
  std::shared_ptr<service::IdentityReplay> identities_;
  std::array<std::mutex, 64> signin_mu_;  // by a hash of the user name signing in
  SessionStore sessions_;
};

}  // namespace jcm::server
