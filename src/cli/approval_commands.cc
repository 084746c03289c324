// jcm tx … and jcm trusted …: four-eyes proposals and trusted-account lists from the command line
// (docs/cli.md, "Transaction proposals"), on service::ApprovalService — the same use cases the
// API serves. `--as USER` names who acts: the operator who can write the database file vouches
// for it (as for `jcm user`), and the user's roles decide what it may do; an approval still needs
// that user's current TOTP code (--totp). The delays and the lifetime are options, written into
// the events they decide, so processes with other options replay the same state.
#include <ostream>

#include "cli/commands.h"
#include "service/approval_service.h"
#include "service/json/approval_json.h"

namespace jcm::cli {
namespace {

namespace sj = service::json;

}  // namespace

core::Result<approval::Policy> ApprovalPolicyOf(const Args& args) {
  approval::Policy policy;
  JCM_ASSIGN_OR_RETURN(policy.trusted_entry_delay_s,
                       args.RequireInt("trusted-delay", policy.trusted_entry_delay_s));
  JCM_ASSIGN_OR_RETURN(policy.untrusted_transfer_delay_s,
                       args.RequireInt("transfer-delay", policy.untrusted_transfer_delay_s));
  JCM_ASSIGN_OR_RETURN(policy.proposal_lifetime_s,
                       args.RequireInt("proposal-lifetime", policy.proposal_lifetime_s));
  if (policy.trusted_entry_delay_s < 0 || policy.untrusted_transfer_delay_s < 0 ||
      policy.proposal_lifetime_s < 1) {
    return core::InvalidArgument(
        "--trusted-delay and --transfer-delay are >= 0 s, --proposal-lifetime >= 1 s");
  }
  return policy;
}

namespace {

// What a command body works with: the store, the service and the principal of --as.
struct Session {
  std::unique_ptr<store::Store> store;
  std::optional<service::ApprovalService> service;
  identity::Principal principal;
};

// The session, or the rejection of --as (342 unknown user) already printed: then nullopt.
core::Result<std::optional<Session>> Open(CommandRun& run, bool acting = true) {
  Session session;
  JCM_ASSIGN_OR_RETURN(const approval::Policy policy, ApprovalPolicyOf(run.args));
  JCM_ASSIGN_OR_RETURN(session.store, OpenStore(run));
  if (acting) {
    JCM_ASSIGN_OR_RETURN(const std::string user, run.args.Require("as"));
    service::IdentityService identity(*session.store);
    JCM_ASSIGN_OR_RETURN(auto principal, identity.PrincipalOf(user));
    if (const auto* rejection = std::get_if<service::Rejection>(&principal)) {
      run.print.Rejected(*rejection);
      return std::optional<Session>();
    }
    session.principal = std::get<identity::Principal>(principal);
  }
  session.service.emplace(*session.store, run.env.clock, policy);
  return std::optional<Session>(std::move(session));
}

void ProposalText(const service::ProposalResult& r, std::ostream& out) {
  const approval::Proposal& p = r.proposal;
  out << "proposal " << p.id << (r.replayed ? " (already recorded)" : "") << ": "
      << approval::ProposableTypeName(p.transaction.type) << " of " << p.transaction.quantity
      << " from " << p.transaction.from;
  if (!p.transaction.to.empty()) out << " to " << p.transaction.to;
  out << ", " << approval::ProposalStatusName(r.status) << " (proposed by " << p.initiator;
  if (!p.approver.empty()) out << ", approver " << p.approver;
  out << ")\n";
  if (r.status == approval::ProposalStatus::kDelayed) {
    out << "  executes at " << p.execute_at_s << " (Unix s) unless cancelled\n";
  }
  if (p.failed_check != 0) {
    out << "  failed: check " << p.failed_check << " " << p.failed_name << ": " << p.failed_message
        << "\n";
  }
  if (p.ledger_seq != 0) out << "  ledger transaction " << p.ledger_seq << "\n";
  if (p.without_second_approval) {
    out << "  executed when proposed: a trusted account under the account's waiver of the second "
           "approval\n";
  }
}

void TrustedText(const service::TrustedResult& r, std::ostream& out) {
  out << "entry " << r.entry.id << (r.replayed ? " (already recorded)" : "") << ": "
      << r.entry.account << " trusts " << r.entry.trusted
      << (r.entry.removed ? " (removed)"
          : r.effective   ? ""
                          : " from " + std::to_string(r.entry.effective_at_s) + " (Unix s)")
      << "\n";
}

void RulesText(const service::RulesResult& r, std::ostream& out) {
  out << r.account << (r.replayed ? " (already recorded)" : "") << ": transfers to its trusted "
      << "accounts need " << (r.waived ? "no second approval" : "a second approval");
  if (!r.rules.second_approval_to_trusted && !r.waived) {
    out << " (waived from " << r.rules.effective_at_s << ", Unix s)";
  }
  if (!r.rules.set_by.empty()) out << "; set by " << r.rules.set_by;
  out << "\n";
}

core::Result<int64_t> IdOf(CommandRun& run, std::string_view flag) {
  JCM_ASSIGN_OR_RETURN(const int64_t id, run.args.RequireInt(flag));
  if (id < 1) return core::InvalidArgument("--" + std::string(flag) + " is a positive id");
  return id;
}

core::Status Propose(CommandRun& run) {
  const Args& a = run.args;
  approval::ProposedTransaction t;
  const auto type = approval::ProposableTypeFromName(a.Get("type").value_or("transfer"));
  if (!type) return core::InvalidArgument("--type is transfer, retirement or cancellation");
  t.type = *type;
  JCM_ASSIGN_OR_RETURN(t.from, a.Require("from"));
  t.to = a.Get("to").value_or("");
  JCM_ASSIGN_OR_RETURN(t.quantity, a.RequireInt("quantity"));
  t.serials = a.Get("serials").value_or("");
  t.beneficiary = a.Get("beneficiary").value_or("");
  t.reason = a.Get("reason").value_or("");
  JCM_ASSIGN_OR_RETURN(auto session, Open(run));
  if (!session) return core::OkStatus();
  JCM_ASSIGN_OR_RETURN(auto outcome,
                       session->service->Propose(session->principal, t, a.Get("key").value_or("")));
  run.print.Outcome(outcome, sj::ProposalJson, ProposalText);
  return core::OkStatus();
}

// approve, reject, cancel: an action on one proposal.
template <auto kAction>
core::Status Act(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(const int64_t id, IdOf(run, "id"));
  JCM_ASSIGN_OR_RETURN(auto session, Open(run));
  if (!session) return core::OkStatus();
  service::ApprovalService& service = *session->service;
  const std::string key = run.args.Get("key").value_or("");
  core::Result<service::OrRejection<service::ProposalResult>> outcome =
      kAction == 0 ? service.Approve(session->principal, id, run.args.Get("totp").value_or(""), key)
      : kAction == 1
          ? service.Reject(session->principal, id, run.args.Get("comment").value_or(""), key)
          : service.Cancel(session->principal, id, run.args.Get("comment").value_or(""), key);
  JCM_RETURN_IF_ERROR(outcome.status());
  run.print.Outcome(*outcome, sj::ProposalJson, ProposalText);
  return core::OkStatus();
}

core::Status Show(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(const int64_t id, IdOf(run, "id"));
  JCM_ASSIGN_OR_RETURN(auto session, Open(run));
  if (!session) return core::OkStatus();
  JCM_ASSIGN_OR_RETURN(auto outcome, session->service->Get(session->principal, id));
  run.print.Outcome(outcome, sj::ProposalJson, ProposalText);
  return core::OkStatus();
}

core::Status List(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(const std::string account, run.args.Require("account"));
  JCM_ASSIGN_OR_RETURN(auto session, Open(run));
  if (!session) return core::OkStatus();
  JCM_ASSIGN_OR_RETURN(auto outcome, session->service->List(session->principal, account));
  run.print.Outcome(outcome, sj::ProposalListJson,
                    [](const std::vector<service::ProposalResult>& all, std::ostream& out) {
                      for (const service::ProposalResult& r : all) ProposalText(r, out);
                    });
  return core::OkStatus();
}

core::Status RunDue(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(auto session, Open(run, false));
  JCM_ASSIGN_OR_RETURN(const service::RunDueResult result, session->service->RunDue());
  if (run.print.json()) {
    run.print.Json(sj::RunDueJson(result));
  } else {
    run.print.out() << result.completed.size() << " completed, " << result.failed.size()
                    << " failed, " << result.expired.size() << " expired\n";
  }
  return core::OkStatus();
}

core::Status TrustedAdd(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(const std::string account, run.args.Require("account"));
  JCM_ASSIGN_OR_RETURN(const std::string trusted, run.args.Require("trusted"));
  JCM_ASSIGN_OR_RETURN(auto session, Open(run));
  if (!session) return core::OkStatus();
  JCM_ASSIGN_OR_RETURN(auto outcome,
                       session->service->AddTrusted(session->principal, account, trusted,
                                                    run.args.Get("key").value_or("")));
  run.print.Outcome(outcome, sj::TrustedEntryJson, TrustedText);
  return core::OkStatus();
}

core::Status TrustedRemove(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(const std::string account, run.args.Require("account"));
  JCM_ASSIGN_OR_RETURN(const int64_t entry, IdOf(run, "entry"));
  JCM_ASSIGN_OR_RETURN(auto session, Open(run));
  if (!session) return core::OkStatus();
  JCM_ASSIGN_OR_RETURN(auto outcome,
                       session->service->RemoveTrusted(session->principal, account, entry,
                                                       run.args.Get("key").value_or("")));
  run.print.Outcome(outcome, sj::TrustedEntryJson, TrustedText);
  return core::OkStatus();
}

core::Status TrustedList(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(const std::string account, run.args.Require("account"));
  JCM_ASSIGN_OR_RETURN(auto session, Open(run));
  if (!session) return core::OkStatus();
  JCM_ASSIGN_OR_RETURN(auto outcome, session->service->ListTrusted(session->principal, account));
  run.print.Outcome(outcome, sj::TrustedListJson,
                    [](const std::vector<service::TrustedResult>& all, std::ostream& out) {
                      for (const service::TrustedResult& r : all) TrustedText(r, out);
                    });
  return core::OkStatus();
}

// Shows the account's transaction rules, or sets them with --second-approval.
core::Status TrustedRules(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(const std::string account, run.args.Require("account"));
  const std::optional<std::string> second = run.args.Get("second-approval");
  const std::optional<bool> required =
      second ? approval::SecondApprovalFromName(*second) : std::nullopt;
  if (second && !required) {
    return core::InvalidArgument("--second-approval is required or not_required");
  }
  JCM_ASSIGN_OR_RETURN(auto session, Open(run));
  if (!session) return core::OkStatus();
  JCM_ASSIGN_OR_RETURN(auto outcome,
                       second ? session->service->SetRules(session->principal, account, *required,
                                                           run.args.Get("key").value_or(""))
                              : session->service->Rules(session->principal, account));
  run.print.Outcome(outcome, sj::TransactionRulesJson, RulesText);
  return core::OkStatus();
}

#define JCM_POLICY_FLAGS "trusted-delay", "transfer-delay", "proposal-lifetime"

const CommandSpec kApprovalCommands[] = {
    {"tx propose",
     "four eyes",
     "propose|approve|reject|cancel|list|show|run-due: transactions a second person approves",
     "jcm tx propose --db FILE --as USER [--type transfer|retirement|cancellation] --from ACCOUNT\n"
     "    [--to ACCOUNT] --quantity N [--serials FIRST..LAST] [--beneficiary TEXT]\n"
     "    [--reason TEXT] [--key KEY] [--proposal-lifetime S] [--json]\n"
     "  A proposal awaiting another representative's approval (expires after 14 days).\n",
     {"db", "as", "type", "from", "to", "quantity", "serials", "beneficiary", "reason", "key",
      JCM_POLICY_FLAGS},
     {},
     Propose},
    {"tx approve",
     "four eyes",
     "",
     "jcm tx approve --db FILE --as USER --id ID --totp CODE [--key KEY] [--transfer-delay S]\n"
     "    [--json]\n"
     "  Signed with the approver's TOTP code. A transfer to an account not trusted waits 26 h.\n",
     {"db", "as", "id", "totp", "key", JCM_POLICY_FLAGS},
     {},
     Act<0>},
    {"tx reject",
     "four eyes",
     "",
     "jcm tx reject --db FILE --as USER --id ID [--comment TEXT] [--key KEY] [--json]\n",
     {"db", "as", "id", "comment", "key", JCM_POLICY_FLAGS},
     {},
     Act<1>},
    {"tx cancel",
     "four eyes",
     "",
     "jcm tx cancel --db FILE --as USER --id ID [--comment TEXT] [--key KEY] [--json]\n"
     "  By the initiator; once approved and delayed, also by its approver.\n",
     {"db", "as", "id", "comment", "key", JCM_POLICY_FLAGS},
     {},
     Act<2>},
    {"tx list",
     "four eyes",
     "",
     "jcm tx list --db FILE --as USER --account ACCOUNT [--json]\n",
     {"db", "as", "account", JCM_POLICY_FLAGS},
     {},
     List},
    {"tx show",
     "four eyes",
     "",
     "jcm tx show --db FILE --as USER --id ID [--json]\n",
     {"db", "as", "id", JCM_POLICY_FLAGS},
     {},
     Show},
    {"tx run-due",
     "four eyes",
     "",
     "jcm tx run-due --db FILE [--json]\n"
     "  Expires old proposals and executes approved ones whose delay has passed.\n",
     {"db", JCM_POLICY_FLAGS},
     {},
     RunDue},
    {"trusted add",
     "four eyes",
     "add|remove|list|rules: an account's trusted accounts (transfers to them skip the delay)",
     "jcm trusted add --db FILE --as USER --account ACCOUNT --trusted ACCOUNT [--key KEY]\n"
     "    [--trusted-delay S] [--json]\n"
     "  Takes effect after 7 days.\n",
     {"db", "as", "account", "trusted", "key", JCM_POLICY_FLAGS},
     {},
     TrustedAdd},
    {"trusted remove",
     "four eyes",
     "",
     "jcm trusted remove --db FILE --as USER --account ACCOUNT --entry ID [--key KEY] [--json]\n",
     {"db", "as", "account", "entry", "key", JCM_POLICY_FLAGS},
     {},
     TrustedRemove},
    {"trusted list",
     "four eyes",
     "",
     "jcm trusted list --db FILE --as USER --account ACCOUNT [--json]\n",
     {"db", "as", "account", JCM_POLICY_FLAGS},
     {},
     TrustedList},
    {"trusted rules",
     "four eyes",
     "",
     "jcm trusted rules --db FILE --as USER --account ACCOUNT\n"
     "    [--second-approval required|not_required] [--key KEY] [--trusted-delay S] [--json]\n"
     "  Shows, or (the registry administrator) sets, whether a transfer to an account on the\n"
     "  trusted list needs a second approval. A waiver counts after the trusted-entry delay\n"
     "  (7 days); then such a transfer executes when proposed.\n",
     {"db", "as", "account", "second-approval", "key", JCM_POLICY_FLAGS},
     {},
     TrustedRules},
};

#undef JCM_POLICY_FLAGS

}  // namespace

std::span<const CommandSpec> ApprovalCommands() { return kApprovalCommands; }

}  // namespace jcm::cli
