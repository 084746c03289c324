// JSON codecs of identity and access (docs/cli.md, "Users"). No secret is ever written here but
// the two shown once on purpose: a new TOTP key (TotpEnrollmentJson) and a new API token
// (TokenJson of IssueToken's answer).
#pragma once

#include <boost/json.hpp>
#include <vector>

#include "identity/access.h"
#include "service/identity_service.h"

namespace jcm::service::json {

// {"name", "roles": [..], "has_password", "totp_enrolled", "consecutive_failures",
//  "locked_until" (Unix seconds or null), "created_entry"}
boost::json::object UserJson(const UserSummary& user);
// {"users": [UserJson…]}
boost::json::object UserListJson(const std::vector<UserSummary>& users);
// {"totp": {"user", "otpauth_uri", "secret_base32", "algorithm", "digits", "period_s"}}
boost::json::object TotpEnrollmentJson(const TotpEnrollment& enrollment);
// {"id", "user", "scope": [..], "issued_at", "expires_at", "revoked_at" (or null), and "token"
//  only when it is the answer to an issue}
boost::json::object TokenJson(const TokenInfo& token);
// {"tokens": [TokenJson…]}
boost::json::object TokenListJson(const std::vector<TokenInfo>& tokens);
// {"principal": {"user", "roles": [..]}}
boost::json::object PrincipalJson(const identity::Principal& principal);

}  // namespace jcm::service::json
