// jcm user …: identity and access from the command line (docs/cli.md, "Users"), so an operator
// with the database file can create the first administrator and manage users before the API
// exists. The operator is journaled as "operator": whoever can write the file is trusted.
// Passwords come from standard input (one line) or from the environment variable named by
// --password-env, never from argv (visible to every user of the machine in ps).
#include <cstdlib>
#include <iostream>
#include <ostream>

#include "cli/commands.h"
#include "service/identity_service.h"
#include "service/json/identity_json.h"

namespace jcm::cli {
namespace {

constexpr std::string_view kOperator = "operator";
constexpr int64_t kDefaultTokenLifetime_s = 90 * 86'400;

// The clock's time as Unix seconds ("2026-11-29T04:10:00Z").
core::Result<int64_t> NowSeconds(CommandRun& run) {
  const std::string now = run.env.clock.NowUtc();
  JCM_ASSIGN_OR_RETURN(const core::Date date, core::Date::Parse(now.substr(0, 10)));
  const auto field = [&](size_t at) { return core::ParseInt64(now.substr(at, 2)); };
  const auto h = field(11), m = field(14), s = field(17);
  if (now.size() < 20 || !h || !m || !s) {
    return core::Internal("the clock gave '" + now + "', not YYYY-MM-DDTHH:MM:SSZ");
  }
  return date.days_since_epoch() * 86'400 + *h * 3600 + *m * 60 + *s;
}

core::Result<std::string> ReadPassword(CommandRun& run) {
  if (auto variable = run.args.Get("password-env")) {
    const char* value = std::getenv(variable->c_str());
    if (value == nullptr) {
      return core::InvalidArgument("--password-env " + *variable + ": the variable is not set");
    }
    return std::string(value);
  }
  std::string line;
  if (!std::getline(std::cin, line)) {
    return core::InvalidArgument("no password: give one line on standard input or --password-env");
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

void PrintUser(const service::UserSummary& user, std::ostream& out) {
  out << user.name << (user.has_password ? "" : " (no password)")
      << (user.totp_enrolled ? " totp" : "");
  if (user.locked_until_s) out << " locked until " << *user.locked_until_s;
  for (const std::string& role : user.roles) out << "\n  " << role;
  out << "\n";
}

void PrintToken(const service::TokenInfo& token, std::ostream& out) {
  out << "token " << token.id << " of " << token.user << ", expires " << token.expires_at_s
      << (token.revoked_at_s ? ", revoked" : "") << "\n";
  if (!token.token.empty()) out << token.token << "\n(shown once: it is stored hashed)\n";
}

core::Status UserAdd(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(const std::string name, run.args.Require("name"));
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run));
  service::IdentityService identity(*store);
  JCM_ASSIGN_OR_RETURN(auto outcome, identity.CreateUser(name, std::string(kOperator)));
  run.print.Outcome(outcome, service::json::UserJson, PrintUser);
  return core::OkStatus();
}

core::Status UserList(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run));
  JCM_ASSIGN_OR_RETURN(const int64_t now, NowSeconds(run));
  service::IdentityService identity(*store);
  JCM_ASSIGN_OR_RETURN(auto users, identity.ListUsers(now));
  run.print.Json(service::json::UserListJson(users));
  if (!run.print.json()) {
    for (const auto& user : users) PrintUser(user, run.print.out());
  }
  return core::OkStatus();
}

core::Status UserRole(CommandRun& run, bool grant) {
  JCM_ASSIGN_OR_RETURN(const std::string name, run.args.Require("name"));
  JCM_ASSIGN_OR_RETURN(const std::string role, run.args.Require("role"));
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run));
  service::IdentityService identity(*store);
  const std::string by(kOperator);
  JCM_ASSIGN_OR_RETURN(auto outcome, grant ? identity.GrantRole(name, role, by)
                                           : identity.RevokeRole(name, role, by));
  run.print.Outcome(outcome, service::json::UserJson, PrintUser);
  return core::OkStatus();
}
core::Status UserGrant(CommandRun& run) { return UserRole(run, true); }
core::Status UserRevoke(CommandRun& run) { return UserRole(run, false); }

core::Status UserPassword(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(const std::string name, run.args.Require("name"));
  JCM_ASSIGN_OR_RETURN(const std::string password, ReadPassword(run));
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run));
  service::IdentityService identity(*store);
  JCM_ASSIGN_OR_RETURN(auto outcome, identity.SetPassword(name, password, std::string(kOperator)));
  run.print.Outcome(outcome, service::json::UserJson, PrintUser);
  return core::OkStatus();
}

core::Status UserTotp(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(const std::string name, run.args.Require("name"));
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run));
  service::IdentityService identity(*store);
  JCM_ASSIGN_OR_RETURN(auto outcome, identity.EnrollTotp(name, std::string(kOperator)));
  run.print.Outcome(outcome, service::json::TotpEnrollmentJson,
                    [](const service::TotpEnrollment& e, std::ostream& out) {
                      out << e.otpauth_uri << "\nsecret " << e.secret_base32
                          << " (shown once: add it to an authenticator app now)\n";
                    });
  return core::OkStatus();
}

core::Status UserTokenIssue(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(const std::string name, run.args.Require("name"));
  JCM_ASSIGN_OR_RETURN(const int64_t lifetime,
                       run.args.RequireInt("lifetime", kDefaultTokenLifetime_s));
  std::vector<std::string> scope = run.args.GetAll("scope");
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run));
  JCM_ASSIGN_OR_RETURN(const int64_t now, NowSeconds(run));
  service::IdentityService identity(*store);
  JCM_ASSIGN_OR_RETURN(auto outcome,
                       identity.IssueToken(name, scope, lifetime, now, std::string(kOperator)));
  run.print.Outcome(outcome, service::json::TokenJson, PrintToken);
  return core::OkStatus();
}

core::Status UserTokenRevoke(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(const std::string id, run.args.Require("token-id"));
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run));
  JCM_ASSIGN_OR_RETURN(const int64_t now, NowSeconds(run));
  service::IdentityService identity(*store);
  JCM_ASSIGN_OR_RETURN(auto outcome, identity.RevokeToken(id, now, std::string(kOperator)));
  run.print.Outcome(outcome, service::json::TokenJson, PrintToken);
  return core::OkStatus();
}

core::Status UserSigninCheck(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(const std::string name, run.args.Require("name"));
  JCM_ASSIGN_OR_RETURN(const std::string password, ReadPassword(run));
  const std::string totp = run.args.Get("totp").value_or("");
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run));
  JCM_ASSIGN_OR_RETURN(const int64_t now, NowSeconds(run));
  service::IdentityService identity(*store);
  JCM_ASSIGN_OR_RETURN(auto outcome, identity.SignIn(name, password, totp, now));
  run.print.Outcome(outcome, service::json::PrincipalJson,
                    [](const identity::Principal& p, std::ostream& out) {
                      out << "signed in as " << p.user << "\n";
                      for (const auto& role : p.roles) out << "  " << role.ToText() << "\n";
                    });
  return core::OkStatus();
}

const CommandSpec kUserCommands[] = {
    {"user add",
     "users",
     "add|list|grant|revoke|password|totp|token-issue|token-revoke|"
     "signin-check: users, roles, credentials",
     "jcm user add --db FILE --name USER [--json]\n"
     "  A user without password or roles (check 340 name, 341 exists).\n",
     {"db", "name"},
     {},
     UserAdd},
    {"user list",
     "users",
     "",
     "jcm user list --db FILE [--json]\n"
     "  Every user with roles, TOTP enrolment and lock state (never a secret).\n",
     {"db"},
     {},
     UserList},
    {"user grant",
     "users",
     "",
     "jcm user grant --db FILE --name USER --role ROLE [--json]\n"
     "  ROLE: system_administrator | auditor | registry_administrator:CC | jc_secretariat:JC |\n"
     "  tpe:ORG | authorised_representative:ACCOUNT:initiate|approve|initiate_and_approve|"
     "read_only\n",
     {"db", "name", "role"},
     {},
     UserGrant},
    {"user revoke",
     "users",
     "",
     "jcm user revoke --db FILE --name USER --role ROLE [--json]\n",
     {"db", "name", "role"},
     {},
     UserRevoke},
    {"user password",
     "users",
     "",
     "jcm user password --db FILE --name USER [--password-env VAR] [--json]\n"
     "  The new password is one line on standard input, or the value of the variable VAR.\n",
     {"db", "name", "password-env"},
     {},
     UserPassword},
    {"user totp",
     "users",
     "",
     "jcm user totp --db FILE --name USER [--json]\n"
     "  A new TOTP key (SHA-256, 6 digits, 30 s), shown once as an otpauth:// URI.\n",
     {"db", "name"},
     {},
     UserTotp},
    {"user token-issue",
     "users",
     "",
     "jcm user token-issue --db FILE --name USER [--scope ROLE]... [--lifetime SECONDS] [--json]\n"
     "  An API token for the user's roles (or the --scope ones), shown once; default 90 days.\n",
     {"db", "name", "scope", "lifetime"},
     {},
     UserTokenIssue},
    {"user token-revoke",
     "users",
     "",
     "jcm user token-revoke --db FILE --token-id ID [--json]\n",
     {"db", "token-id"},
     {},
     UserTokenRevoke},
    {"user signin-check",
     "users",
     "",
     "jcm user signin-check --db FILE --name USER [--password-env VAR] [--totp CODE] [--json]\n"
     "  Signs in as the API will (journaled, counts toward the lockout) and prints the roles.\n",
     {"db", "name", "password-env", "totp"},
     {},
     UserSigninCheck},
};

}  // namespace

std::span<const CommandSpec> UserCommands() { return kUserCommands; }

}  // namespace jcm::cli
