#include "service/json/identity_json.h"

#include "identity/totp.h"

namespace jcm::service::json {
namespace {

boost::json::array Strings(const std::vector<std::string>& values) {
  boost::json::array out;
  for (const std::string& value : values) out.emplace_back(value);
  return out;
}

boost::json::value OptionalSeconds(const std::optional<int64_t>& seconds) {
  if (!seconds) return nullptr;
  return *seconds;
}

}  // namespace

boost::json::object UserJson(const UserSummary& user) {
  return {{"name", user.name},
          {"roles", Strings(user.roles)},
          {"has_password", user.has_password},
          {"totp_enrolled", user.totp_enrolled},
          {"consecutive_failures", user.consecutive_failures},
          {"locked_until", OptionalSeconds(user.locked_until_s)},
          {"created_entry", user.created_seq}};
}

boost::json::object UserListJson(const std::vector<UserSummary>& users) {
  boost::json::array out;
  for (const UserSummary& user : users) out.emplace_back(UserJson(user));
  return {{"users", std::move(out)}};
}

boost::json::object TotpEnrollmentJson(const TotpEnrollment& enrollment) {
  return {{"totp",
           {{"user", enrollment.user},
            {"otpauth_uri", enrollment.otpauth_uri},
            {"secret_base32", enrollment.secret_base32},
            {"algorithm", enrollment.algorithm},
            {"digits", identity::kTotpDigits},
            {"period_s", identity::kTotpStep_s}}}};
}

boost::json::object TokenJson(const TokenInfo& token) {
  boost::json::object out{{"id", token.id},
                          {"user", token.user},
                          {"scope", Strings(token.scope)},
                          {"issued_at", token.issued_at_s},
                          {"expires_at", token.expires_at_s},
                          {"revoked_at", OptionalSeconds(token.revoked_at_s)}};
  if (!token.token.empty()) out["token"] = token.token;
  return out;
}

boost::json::object TokenListJson(const std::vector<TokenInfo>& tokens) {
  boost::json::array out;
  for (const TokenInfo& token : tokens) out.emplace_back(TokenJson(token));
  return {{"tokens", std::move(out)}};
}

boost::json::object PrincipalJson(const identity::Principal& principal) {
  boost::json::array roles;
  for (const identity::Role& role : principal.roles) roles.emplace_back(role.ToText());
  return {{"principal", {{"user", principal.user}, {"roles", std::move(roles)}}}};
}

}  // namespace jcm::service::json
