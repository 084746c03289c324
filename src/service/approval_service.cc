#include "service/approval_service.h"

#include <functional>
#include <memory>
#include <utility>

#include "core/date.h"
#include "service/internal/append_attempts.h"

namespace jcm::service {

using internal::kAppendAttempts;
namespace {

using approval::Verdict;

core::Result<int64_t> UnixSecondsOf(const std::string& iso) {
  const auto field = [&](size_t at) { return core::ParseInt64(iso.substr(at, 2)); };
  if (iso.size() < 20) return core::Internal("the clock gave '" + iso + "'");
  const auto h = field(11), m = field(14), s = field(17);
  if (!h || !m || !s) return core::Internal("the clock gave '" + iso + "'");
  JCM_ASSIGN_OR_RETURN(const core::Date date, core::Date::Parse(iso.substr(0, 10)));
  return date.days_since_epoch() * 86'400 + *h * 3600 + *m * 60 + *s;
}

// The proposal or entry an event concerns: named in its body, or the event itself.
int64_t TargetOf(const approval::Event& event, int64_t seq) {
  for (const std::string_view field : {"proposal", "entry"}) {
    if (const auto value = event.body.Find(field)) return core::ParseInt64(*value).value_or(seq);
  }
  return seq;
}

ProposalResult ResultIn(const approval::ApprovalState& state, int64_t id, int64_t now_s,
                        bool replayed) {
  const approval::Proposal& proposal = *state.FindProposal(id);
  return ProposalResult{proposal, proposal.StatusAt(now_s), replayed};
}

TrustedResult TrustedIn(const approval::ApprovalState& state, int64_t id, int64_t now_s,
                        bool replayed) {
  const approval::TrustedEntry& entry = *state.FindTrusted(id);
  return TrustedResult{entry, entry.EffectiveAt(now_s), replayed};
}

// Check 402: no account has this number (the domain names the account from its facts).
Verdict UnknownAccount(const std::string& account) {
  return approval::Rejection{approval::ApprovalCheck::kAccountUnknown, "no account " + account};
}

auto Unsigned() {
  return []() -> core::Result<std::optional<Rejection>> { return std::optional<Rejection>(); };
}

}  // namespace

Rejection FromApproval(const approval::Rejection& rejection) {
  return Rejection{rejection.number(), std::string(rejection.name()), rejection.message};
}

ApprovalService::ApprovalService(store::Store& store, store::Clock& clock, approval::Policy policy,
                                 std::shared_ptr<ApprovalReplay> replay,
                                 std::shared_ptr<IdentityReplay> identities)
    : store_(store),
      clock_(clock),
      policy_(policy),
      replay_(replay != nullptr ? std::move(replay) : std::make_shared<ApprovalReplay>()),
      identity_(store, std::move(identities)) {}

core::Status ApprovalService::Refresh() { return replay_->CatchUp(store_); }

int64_t ApprovalService::LastSeq() const {
  return replay_->Read([](const approval::ApprovalState& state) { return state.last_seq; });
}

core::Result<int64_t> ApprovalService::Now() { return UnixSecondsOf(clock_.NowUtc()); }

core::Result<std::optional<approval::AccountFacts>> ApprovalService::Facts(
    const std::string& number) {
  if (const auto kept = facts_.find(number); kept != facts_.end()) {
    return std::optional<approval::AccountFacts>(kept->second);
  }
  JCM_ASSIGN_OR_RETURN(std::optional<ledger::Account> account, store_.FindAccount(number));
  if (!account) return std::optional<approval::AccountFacts>();  // it may be opened later
  approval::AccountFacts facts{account->number, account->registry.str(),
                               account->type != ledger::AccountType::kEntityHolding};
  if (facts_.size() >= kFactsKept) facts_.clear();
  facts_.emplace(number, facts);
  return std::optional<approval::AccountFacts>(std::move(facts));
}

std::optional<std::string> ApprovalService::SourceNumberOf(int64_t id) const {
  return replay_->Read([&](const approval::ApprovalState& state) -> std::optional<std::string> {
    const approval::Proposal* proposal = state.FindProposal(id);
    if (proposal == nullptr) return std::nullopt;
    return proposal->transaction.from;
  });
}

core::Result<std::optional<approval::AccountFacts>> ApprovalService::SourceOf(int64_t id) {
  // Read apart from the decision: the store is not read under the replay's lock, and a
  // proposal's source never changes.
  const std::optional<std::string> from = SourceNumberOf(id);
  if (!from) return std::optional<approval::AccountFacts>();
  return Facts(*from);
}

std::function<core::Status()> ApprovalService::SourceInto(
    int64_t id, std::optional<approval::AccountFacts>& source) {
  return [this, id, &source]() -> core::Status {
    JCM_ASSIGN_OR_RETURN(source, SourceOf(id));
    return core::OkStatus();
  };
}

ApprovalService::LockScope ApprovalService::ProposalScope(int64_t id, const std::string& binding) {
  LockScope scope{
      {{"proposal", std::to_string(id)}},
      {std::string(approval::kEventTrustedAdded), std::string(approval::kEventTrustedRemoved)}};
  if (!binding.empty()) scope.fields.emplace_back("request.key", binding);
  return scope;
}

core::Result<std::optional<int64_t>> ApprovalService::Append(const approval::Event& event,
                                                             int64_t seen_seq,
                                                             const LockScope& scope) {
  ledger::AppendEvent command{event.kind, event.body, "", seen_seq, scope.fields, scope.kinds};
  JCM_ASSIGN_OR_RETURN(store::Outcome outcome, store_.Submit(command));
  if (outcome.rejection) {
    if (outcome.rejection->check == ledger::CheckCode::kEventFamilyMoved) {
      return std::optional<int64_t>();
    }
    return core::Internal("the journal refused an approval event: " + outcome.rejection->message);
  }
  JCM_RETURN_IF_ERROR(Refresh());
  return std::optional<int64_t>(outcome.entry.seq);
}

template <typename Decide, typename Sign>
core::Result<OrRejection<std::pair<int64_t, bool>>> ApprovalService::Commit(
    Decide decide, Sign sign, int64_t* now_s, const LockScope& scope,
    const std::function<core::Status()>& prepare,
    std::optional<ledger::JournalEntry>* executed_with) {
  using Out = OrRejection<std::pair<int64_t, bool>>;
  JCM_ASSIGN_OR_RETURN(*now_s, Now());
  bool signed_once = false;
  for (int attempt = 0; attempt < kAppendAttempts; ++attempt) {
    JCM_RETURN_IF_ERROR(Refresh());
    JCM_RETURN_IF_ERROR(RunDueAt(*now_s, nullptr));
    if (prepare) JCM_RETURN_IF_ERROR(prepare());
    int64_t seen_seq = 0;
    JCM_ASSIGN_OR_RETURN(
        const Verdict verdict,
        replay_->Read([&](const approval::ApprovalState& state) -> core::Result<Verdict> {
          seen_seq = state.last_seq;
          return decide(state, *now_s);
        }));
    if (const auto* rejection = std::get_if<approval::Rejection>(&verdict)) {
      return Out(FromApproval(*rejection));
    }
    if (const auto* replay = std::get_if<approval::Replay>(&verdict)) {
      return Out(std::pair{replay->target, true});
    }
    const auto& event = std::get<approval::Event>(verdict);
    if (!signed_once) {
      JCM_ASSIGN_OR_RETURN(std::optional<Rejection> refused, sign());
      if (refused) return Out(std::move(*refused));
      signed_once = true;
    }
    JCM_ASSIGN_OR_RETURN(const auto journaled, Journal(event, seen_seq, scope, executed_with));
    if (!journaled) continue;
    if (const auto* refused = std::get_if<Rejection>(&*journaled)) return Out(*refused);
    // An approval due now executes in the same call.
    JCM_RETURN_IF_ERROR(RunDueAt(*now_s, nullptr));
    return Out(std::pair{TargetOf(event, std::get<int64_t>(*journaled)), false});
  }
  return core::Unavailable("proposals kept changing under this request; try again");
}

ProposalResult ApprovalService::ResultOf(int64_t id, int64_t now_s, bool replayed) const {
  return replay_->Read(
      [&](const approval::ApprovalState& state) { return ResultIn(state, id, now_s, replayed); });
}

TrustedResult ApprovalService::TrustedOf(int64_t id, int64_t now_s, bool replayed) const {
  return replay_->Read(
      [&](const approval::ApprovalState& state) { return TrustedIn(state, id, now_s, replayed); });
}

OrRejection<ProposalResult> ApprovalService::ProposalOutcome(const Committed& outcome,
                                                             int64_t now_s) const {
  if (const auto* rejection = std::get_if<Rejection>(&outcome)) return *rejection;
  const auto [id, replayed] = std::get<std::pair<int64_t, bool>>(outcome);
  return ResultOf(id, now_s, replayed);
}

OrRejection<TrustedResult> ApprovalService::TrustedOutcome(const Committed& outcome,
                                                           int64_t now_s) const {
  if (const auto* rejection = std::get_if<Rejection>(&outcome)) return *rejection;
  const auto [id, replayed] = std::get<std::pair<int64_t, bool>>(outcome);
  return TrustedOf(id, now_s, replayed);
}

core::Result<OrRejection<ProposalResult>> ApprovalService::Propose(
    const identity::Principal& principal, const approval::ProposedTransaction& t,
    const std::string& key) {
  JCM_ASSIGN_OR_RETURN(const std::optional<approval::AccountFacts> source, Facts(t.from));
  std::optional<approval::AccountFacts> destination;
  if (t.type == ledger::TransactionType::kInternalTransfer && !t.to.empty()) {
    JCM_ASSIGN_OR_RETURN(destination, Facts(t.to));
  }
  // What the decision reads: the key, the trusted lists and the rules (INV-60), never another
  // proposal, so proposals from several services commit side by side.
  LockScope scope{
      {},
      {std::string(approval::kEventTrustedAdded), std::string(approval::kEventTrustedRemoved),
       std::string(approval::kEventRulesSet)}};
  if (!key.empty()) scope.fields.emplace_back("request.key", principal.user + ":" + key);
  int64_t now_s = 0;
  std::optional<ledger::JournalEntry> executed_with;
  JCM_ASSIGN_OR_RETURN(auto outcome, Commit(
                                         [&](const approval::ApprovalState& state, int64_t now) {
                                           return approval::DecidePropose(state, principal, source,
                                                                          destination, t, key, now,
                                                                          policy_);
                                         },
                                         Unsigned(), &now_s, scope, {}, &executed_with));
  const auto* committed = std::get_if<std::pair<int64_t, bool>>(&outcome);
  if (committed != nullptr && !committed->second && executed_with &&
      executed_with->seq == committed->first) {
    // Executed with its transfer (Journal): the proposal as its own entry makes it.
    approval::ApprovalState written;
    JCM_RETURN_IF_ERROR(approval::ApplyApprovalEvent(written, executed_with->kind,
                                                     executed_with->body, executed_with->seq));
    return OrRejection<ProposalResult>(ResultIn(written, committed->first, now_s, false));
  }
  return ProposalOutcome(outcome, now_s);
}

core::Result<std::optional<OrRejection<int64_t>>> ApprovalService::Journal(
    const approval::Event& event, int64_t seen_seq, const LockScope& scope,
    std::optional<ledger::JournalEntry>* executed_with) {
  using Out = std::optional<OrRejection<int64_t>>;
  if (!approval::ExecutesWithProposal(event)) {
    JCM_ASSIGN_OR_RETURN(const std::optional<int64_t> seq, Append(event, seen_seq, scope));
    return seq ? Out(*seq) : Out();
  }
  approval::Proposal executed;
  JCM_ASSIGN_OR_RETURN(executed.transaction, approval::ProposedTransactionOf(event.body));
  ledger::TransactionRequest request = executed.LedgerRequest();
  request.idempotency_key.clear();  // a retry is the proposal's key's replay, not the ledger's
  const ledger::ExecuteDecision command{
      std::move(request),
      ledger::AppendEvent{event.kind, event.body, "", seen_seq, scope.fields, scope.kinds},
      "ledger_transaction"};
  JCM_ASSIGN_OR_RETURN(store::Outcome outcome, store_.Submit(command));
  if (outcome.rejection) {
    if (outcome.rejection->check == ledger::CheckCode::kEventFamilyMoved) return Out();
    return Out(FromLedger(*outcome.rejection));
  }
  if (!outcome.follow_entry) return core::Internal("the proposal executed without its event");
  // Not caught up here: the next decision's Refresh reads it, once for every request committed
  // meanwhile, where a catch-up by each request of the batch on its way out contended for the
  // replay's lock (docs/api.md, lever 18). Propose answers from the entry itself.
  if (executed_with != nullptr) *executed_with = *outcome.follow_entry;
  return Out(outcome.follow_entry->seq);
}

core::Result<OrRejection<ProposalResult>> ApprovalService::Approve(
    const identity::Principal& principal, int64_t id, const std::string& totp_code,
    const std::string& key) {
  if (store::SignedSubmitter* submitter = store::SignedSubmitterOf(store_)) {
    return ApproveInOneWrite(*submitter, principal, id, totp_code, key);
  }
  int64_t now_s = 0;
  std::optional<approval::AccountFacts> source;
  JCM_ASSIGN_OR_RETURN(
      auto outcome,
      Commit(
          [&](const approval::ApprovalState& state, int64_t now) {
            return approval::DecideApprove(state, principal, source, id, key, now, policy_);
          },
          [&]() -> core::Result<std::optional<Rejection>> {
            JCM_ASSIGN_OR_RETURN(auto signature,
                                 identity_.VerifyTotpForSigning(principal.user, totp_code, now_s));
            if (auto* refused = std::get_if<Rejection>(&signature)) return std::optional(*refused);
            return std::optional<Rejection>();
          },
          &now_s, ProposalScope(id, key.empty() ? "" : principal.user + ":" + key),
          SourceInto(id, source)));
  return ProposalOutcome(outcome, now_s);
}

core::Result<OrRejection<ProposalResult>> ApprovalService::ApproveInOneWrite(
    store::SignedSubmitter& submitter, const identity::Principal& principal, int64_t id,
    const std::string& totp_code, const std::string& key) {
  using Out = OrRejection<ProposalResult>;
  JCM_ASSIGN_OR_RETURN(const int64_t now_s, Now());
  const LockScope scope = ProposalScope(id, key.empty() ? "" : principal.user + ":" + key);
  std::optional<int64_t> step;  // the code's TOTP step, checked once
  bool execute_with = true;     // false once the ledger refused the execution in the group
  for (int attempt = 0; attempt < kAppendAttempts; ++attempt) {
    JCM_RETURN_IF_ERROR(Refresh());
    JCM_RETURN_IF_ERROR(RunDueAt(now_s, nullptr));
    JCM_ASSIGN_OR_RETURN(const auto source, SourceOf(id));
    int64_t seen_seq = 0;
    const Verdict verdict = replay_->Read([&](const approval::ApprovalState& state) {
      seen_seq = state.last_seq;
      return approval::DecideApprove(state, principal, source, id, key, now_s, policy_);
    });
    if (const auto* rejection = std::get_if<approval::Rejection>(&verdict)) {
      return Out(FromApproval(*rejection));
    }
    if (const auto* replay = std::get_if<approval::Replay>(&verdict)) {
      return Out(ResultOf(replay->target, now_s, true));
    }
    const auto& event = std::get<approval::Event>(verdict);
    if (!step) {
      JCM_ASSIGN_OR_RETURN(auto checked,
                           identity_.CheckTotpForSigning(principal.user, totp_code, now_s));
      if (const auto* refused = std::get_if<Rejection>(&checked)) return Out(*refused);
      step = std::get<int64_t>(checked);
    }
    store::SignedCommands group{principal.user, *step, {}};
    group.commands.emplace_back(IdentityService::SignatureSucceeded(principal.user, now_s));
    group.commands.emplace_back(
        ledger::AppendEvent{event.kind, event.body, "", seen_seq, scope.fields, scope.kinds});
    JCM_ASSIGN_OR_RETURN(const int64_t execute_at_s, event.body.GetInt("execute_at"));
    const bool executes = execute_with && execute_at_s <= now_s;
    if (executes) {
      JCM_ASSIGN_OR_RETURN(ledger::ExecuteDecision execution, ExecutionOf(id, now_s, -1));
      group.commands.emplace_back(std::move(execution));
    }
    JCM_ASSIGN_OR_RETURN(const store::SignedOutcome outcome, submitter.SubmitSigned(group));
    if (!outcome.claimed) {
      JCM_ASSIGN_OR_RETURN(Rejection refused,
                           identity_.RefuseReplayedSignature(principal.user, now_s));
      return Out(std::move(refused));
    }
    if (outcome.rejected) {
      const ledger::Rejection& refused = *outcome.outcomes[*outcome.rejected].rejection;
      if (executes && *outcome.rejected + 1 == group.commands.size()) {
        execute_with = false;  // approved alone next, and RunDue journals the ledger's refusal
      } else if (refused.check != ledger::CheckCode::kEventFamilyMoved) {
        return core::Internal("the journal refused an approval: " + refused.message);
      }
      continue;
    }
    JCM_RETURN_IF_ERROR(Refresh());
    JCM_RETURN_IF_ERROR(RunDueAt(now_s, nullptr));  // due now but executed apart
    return Out(ResultOf(id, now_s, false));
  }
  return core::Unavailable("proposals kept changing under this request; try again");
}

core::Result<OrRejection<ProposalResult>> ApprovalService::Reject(
    const identity::Principal& principal, int64_t id, const std::string& comment,
    const std::string& key) {
  return End(approval::DecideReject, principal, id, comment, key);
}

core::Result<OrRejection<ProposalResult>> ApprovalService::Cancel(
    const identity::Principal& principal, int64_t id, const std::string& comment,
    const std::string& key) {
  return End(approval::DecideCancel, principal, id, comment, key);
}

core::Result<OrRejection<ProposalResult>> ApprovalService::End(DecideEnd decide_end,
                                                               const identity::Principal& principal,
                                                               int64_t id,
                                                               const std::string& comment,
                                                               const std::string& key) {
  int64_t now_s = 0;
  std::optional<approval::AccountFacts> source;
  JCM_ASSIGN_OR_RETURN(auto outcome, Commit(
                                         [&](const approval::ApprovalState& state, int64_t now) {
                                           return decide_end(state, principal, source, id, comment,
                                                             key, now);
                                         },
                                         Unsigned(), &now_s, {}, SourceInto(id, source)));
  return ProposalOutcome(outcome, now_s);
}

core::Result<OrRejection<ProposalResult>> ApprovalService::Get(const identity::Principal& principal,
                                                               int64_t id) {
  JCM_ASSIGN_OR_RETURN(const RunDueResult due, RunDue());
  const std::optional<std::string> from = SourceNumberOf(id);
  if (!from) {
    return OrRejection<ProposalResult>(FromApproval(approval::Rejection{
        approval::ApprovalCheck::kProposalUnknown, "no proposal " + std::to_string(id)}));
  }
  JCM_ASSIGN_OR_RETURN(auto source, Facts(*from));
  if (auto refused = approval::CheckRead(principal, source, *from)) {
    return OrRejection<ProposalResult>(FromApproval(*refused));
  }
  return OrRejection<ProposalResult>(ResultOf(id, due.now_s, false));
}

core::Result<OrRejection<std::vector<ProposalResult>>> ApprovalService::List(
    const identity::Principal& principal, const std::string& account) {
  using Out = OrRejection<std::vector<ProposalResult>>;
  JCM_ASSIGN_OR_RETURN(const RunDueResult due, RunDue());
  JCM_ASSIGN_OR_RETURN(auto facts, Facts(account));
  if (auto refused = approval::CheckRead(principal, facts, account)) {
    return Out(FromApproval(*refused));
  }
  return Out(replay_->Read([&](const approval::ApprovalState& state) {
    std::vector<ProposalResult> out;
    for (const auto& [id, proposal] : state.proposals) {
      if (proposal.transaction.from == account)
        out.push_back(ResultIn(state, id, due.now_s, false));
    }
    return out;
  }));
}

core::Result<OrRejection<TrustedResult>> ApprovalService::AddTrusted(
    const identity::Principal& principal, const std::string& account, const std::string& trusted,
    const std::string& key) {
  JCM_ASSIGN_OR_RETURN(auto facts, Facts(account));
  JCM_ASSIGN_OR_RETURN(auto trusted_facts, Facts(trusted));
  // Unknown accounts keep the numbers asked for, so the key binds the request as made.
  int64_t now_s = 0;
  JCM_ASSIGN_OR_RETURN(
      auto outcome,
      Commit(
          [&](const approval::ApprovalState& state, int64_t now) -> core::Result<Verdict> {
            if (!facts) return UnknownAccount(account);
            return approval::DecideTrustedAdd(state, principal, facts, trusted_facts, key, now,
                                              policy_);
          },
          Unsigned(), &now_s));
  return TrustedOutcome(outcome, now_s);
}

core::Result<OrRejection<TrustedResult>> ApprovalService::RemoveTrusted(
    const identity::Principal& principal, const std::string& account, int64_t entry,
    const std::string& key) {
  JCM_ASSIGN_OR_RETURN(auto facts, Facts(account));
  int64_t now_s = 0;
  JCM_ASSIGN_OR_RETURN(
      auto outcome,
      Commit(
          [&](const approval::ApprovalState& state, int64_t now) -> core::Result<Verdict> {
            if (!facts) return UnknownAccount(account);
            return approval::DecideTrustedRemove(state, principal, facts, entry, key, now);
          },
          Unsigned(), &now_s));
  return TrustedOutcome(outcome, now_s);
}

core::Result<OrRejection<RulesResult>> ApprovalService::SetRules(
    const identity::Principal& principal, const std::string& account,
    bool second_approval_to_trusted, const std::string& key) {
  JCM_ASSIGN_OR_RETURN(auto facts, Facts(account));
  int64_t now_s = 0;
  JCM_ASSIGN_OR_RETURN(auto outcome, Commit(
                                         [&](const approval::ApprovalState& state, int64_t now) {
                                           return approval::DecideSetRules(
                                               state, principal, facts, account,
                                               second_approval_to_trusted, key, now, policy_);
                                         },
                                         Unsigned(), &now_s));
  if (const auto* rejection = std::get_if<Rejection>(&outcome)) {
    return OrRejection<RulesResult>(*rejection);
  }
  return OrRejection<RulesResult>(
      RulesAt(account, now_s, std::get<std::pair<int64_t, bool>>(outcome).second));
}

core::Result<OrRejection<RulesResult>> ApprovalService::Rules(const identity::Principal& principal,
                                                              const std::string& account) {
  JCM_ASSIGN_OR_RETURN(const RunDueResult due, RunDue());
  JCM_ASSIGN_OR_RETURN(auto facts, Facts(account));
  if (auto refused = approval::CheckRead(principal, facts, account)) {
    return OrRejection<RulesResult>(FromApproval(*refused));
  }
  return OrRejection<RulesResult>(RulesAt(account, due.now_s, false));
}

RulesResult ApprovalService::RulesAt(const std::string& account, int64_t now_s,
                                     bool replayed) const {
  return replay_->Read([&](const approval::ApprovalState& state) {
    const approval::AccountRules rules = state.RulesOf(account);
    return RulesResult{account, rules, rules.WaivedAt(now_s), replayed};
  });
}

core::Result<OrRejection<std::vector<TrustedResult>>> ApprovalService::ListTrusted(
    const identity::Principal& principal, const std::string& account) {
  using Out = OrRejection<std::vector<TrustedResult>>;
  JCM_ASSIGN_OR_RETURN(const RunDueResult due, RunDue());
  JCM_ASSIGN_OR_RETURN(auto facts, Facts(account));
  if (auto refused = approval::CheckRead(principal, facts, account)) {
    return Out(FromApproval(*refused));
  }
  return Out(replay_->Read([&](const approval::ApprovalState& state) {
    std::vector<TrustedResult> out;
    for (const auto& [id, entry] : state.trusted) {
      if (entry.account == account && !entry.removed) {
        out.push_back(TrustedIn(state, id, due.now_s, false));
      }
    }
    return out;
  }));
}

}  // namespace jcm::service
