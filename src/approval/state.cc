#include "approval/state.h"

#include <array>
#include <utility>

namespace jcm::approval {
namespace {

using ledger::TransactionType;

constexpr std::array<std::pair<ProposalStatus, std::string_view>, 7> kStatusNames = {{
    {ProposalStatus::kAwaitingApproval, "awaiting_approval"},
    {ProposalStatus::kDelayed, "delayed"},
    {ProposalStatus::kCompleted, "completed"},
    {ProposalStatus::kRejected, "rejected"},
    {ProposalStatus::kCancelled, "cancelled"},
    {ProposalStatus::kExpired, "expired"},
    {ProposalStatus::kFailed, "failed"},
}};

constexpr std::array<std::pair<TransactionType, std::string_view>, 3> kTypeNames = {{
    {TransactionType::kInternalTransfer, "transfer"},
    {TransactionType::kRetirement, "retirement"},
    {TransactionType::kCancellation, "cancellation"},
}};

std::string Text(const core::Record& body, std::string_view key) {
  return std::string(body.Find(key).value_or(""));
}

core::Result<Proposal*> KnownProposal(ApprovalState& state, const core::Record& body,
                                      std::string_view kind) {
  JCM_ASSIGN_OR_RETURN(const int64_t id, body.GetInt("proposal"));
  auto it = state.proposals.find(id);
  if (it == state.proposals.end()) {
    return core::DataLoss(std::string(kind) + " names proposal " + std::to_string(id) +
                          ", never proposed");
  }
  return &it->second;
}

// The proposal of `body` when its status is one of `from`; DataLoss otherwise.
core::Result<Proposal*> ProposalIn(ApprovalState& state, const core::Record& body,
                                   std::string_view kind, bool awaiting_ok, bool delayed_ok) {
  JCM_ASSIGN_OR_RETURN(Proposal * proposal, KnownProposal(state, body, kind));
  const bool ok = (awaiting_ok && proposal->status == ProposalStatus::kAwaitingApproval) ||
                  (delayed_ok && proposal->status == ProposalStatus::kDelayed);
  if (!ok) {
    return core::DataLoss(std::string(kind) + " for proposal " + std::to_string(proposal->id) +
                          ", which is " + std::string(ProposalStatusName(proposal->status)));
  }
  return proposal;
}

// The time under which a pending proposal is indexed in pending_by_time.
int64_t PendingTime(const Proposal& p) {
  return p.status == ProposalStatus::kAwaitingApproval ? p.expires_at_s : p.execute_at_s;
}

// Moves `p` to `status`, keeping pending_by_time in step (INV-68).
void SetStatus(ApprovalState& state, Proposal& p, ProposalStatus status) {
  if (p.pending()) state.pending_by_time.erase({PendingTime(p), p.id});
  p.status = status;
  if (p.pending()) state.pending_by_time.insert({PendingTime(p), p.id});
}

void RememberKey(ApprovalState& state, const core::Record& body, int64_t target) {
  const auto key = body.Find("request.key");
  if (key && !key->empty()) {
    state.keys[std::string(*key)] = KeyUse{Text(body, "request.sha256"), target};
  }
}

core::Status ApplyProposed(ApprovalState& state, const core::Record& body, int64_t seq) {
  Proposal p;
  p.id = seq;
  JCM_ASSIGN_OR_RETURN(p.transaction, ProposedTransactionOf(body));
  JCM_ASSIGN_OR_RETURN(p.initiator, body.Get("initiator"));
  JCM_ASSIGN_OR_RETURN(p.proposed_at_s, body.GetInt("at"));
  JCM_ASSIGN_OR_RETURN(p.expires_at_s, body.GetInt("expires_at"));
  if (body.Find("ledger_transaction")) {
    // Executed with its proposal: no second approval, no delay (ApprovalState::RulesOf).
    JCM_ASSIGN_OR_RETURN(p.ledger_seq, body.GetInt("ledger_transaction"));
    p.without_second_approval = true;
    p.to_trusted = true;
    p.approved_at_s = p.execute_at_s = p.ended_at_s = p.proposed_at_s;
    p.status = ProposalStatus::kCompleted;
  } else {
    state.pending_by_time.insert({p.expires_at_s, seq});
  }
  state.proposals[seq] = std::move(p);
  RememberKey(state, body, seq);
  return core::OkStatus();
}

core::Status ApplyApproved(ApprovalState& state, const core::Record& body) {
  JCM_ASSIGN_OR_RETURN(Proposal * p, ProposalIn(state, body, kEventApproved, true, false));
  JCM_ASSIGN_OR_RETURN(p->approver, body.Get("by"));
  JCM_ASSIGN_OR_RETURN(p->approved_at_s, body.GetInt("at"));
  JCM_ASSIGN_OR_RETURN(const int64_t execute_at_s, body.GetInt("execute_at"));
  p->to_trusted = body.Find("trusted") == "true";
  state.pending_by_time.erase({p->expires_at_s, p->id});
  p->execute_at_s = execute_at_s;
  p->status = ProposalStatus::kDelayed;
  state.pending_by_time.insert({p->execute_at_s, p->id});
  RememberKey(state, body, p->id);
  return core::OkStatus();
}

// rejected, cancelled, expired: the proposal ends without a ledger transaction.
core::Status ApplyEnded(ApprovalState& state, std::string_view kind, const core::Record& body) {
  const bool cancel = kind == kEventCancelled;
  JCM_ASSIGN_OR_RETURN(Proposal * p, ProposalIn(state, body, kind, true, cancel));
  JCM_ASSIGN_OR_RETURN(p->ended_at_s, body.GetInt("at"));
  if (kind == kEventExpired) {
    SetStatus(state, *p, ProposalStatus::kExpired);
    return core::OkStatus();
  }
  JCM_ASSIGN_OR_RETURN(p->ended_by, body.Get("by"));
  p->comment = Text(body, "comment");
  SetStatus(state, *p, cancel ? ProposalStatus::kCancelled : ProposalStatus::kRejected);
  if (!cancel) p->approver = p->ended_by;
  RememberKey(state, body, p->id);
  return core::OkStatus();
}

// executed, failed: the ledger's answer to the approved proposal.
core::Status ApplyOutcome(ApprovalState& state, std::string_view kind, const core::Record& body) {
  JCM_ASSIGN_OR_RETURN(Proposal * p, ProposalIn(state, body, kind, false, true));
  JCM_ASSIGN_OR_RETURN(p->ended_at_s, body.GetInt("at"));
  if (kind == kEventExecuted) {
    JCM_ASSIGN_OR_RETURN(p->ledger_seq, body.GetInt("ledger_transaction"));
    SetStatus(state, *p, ProposalStatus::kCompleted);
    return core::OkStatus();
  }
  JCM_ASSIGN_OR_RETURN(const int64_t check, body.GetInt("check"));
  p->failed_check = static_cast<int>(check);
  p->failed_name = Text(body, "name");
  p->failed_message = Text(body, "message");
  SetStatus(state, *p, ProposalStatus::kFailed);
  return core::OkStatus();
}

core::Status ApplyTrusted(ApprovalState& state, std::string_view kind, const core::Record& body,
                          int64_t seq) {
  if (kind == kEventTrustedAdded) {
    TrustedEntry entry;
    entry.id = seq;
    JCM_ASSIGN_OR_RETURN(entry.account, body.Get("account"));
    JCM_ASSIGN_OR_RETURN(entry.trusted, body.Get("trusted"));
    JCM_ASSIGN_OR_RETURN(entry.added_by, body.Get("by"));
    JCM_ASSIGN_OR_RETURN(entry.added_at_s, body.GetInt("at"));
    JCM_ASSIGN_OR_RETURN(entry.effective_at_s, body.GetInt("effective_at"));
    if (!state.live_entries.emplace(std::pair{entry.account, entry.trusted}, seq).second) {
      return core::DataLoss("approval.trusted_added of " + entry.trusted + " to the list of " +
                            entry.account + ", which names it already");
    }
    state.trusted[seq] = std::move(entry);
    RememberKey(state, body, seq);
    return core::OkStatus();
  }
  JCM_ASSIGN_OR_RETURN(const int64_t id, body.GetInt("entry"));
  auto it = state.trusted.find(id);
  if (it == state.trusted.end() || it->second.removed) {
    return core::DataLoss("approval.trusted_removed of entry " + std::to_string(id) +
                          ", which is not on a list");
  }
  it->second.removed = true;
  state.live_entries.erase({it->second.account, it->second.trusted});
  JCM_ASSIGN_OR_RETURN(it->second.removed_by, body.Get("by"));
  JCM_ASSIGN_OR_RETURN(it->second.removed_at_s, body.GetInt("at"));
  RememberKey(state, body, id);
  return core::OkStatus();
}

core::Status ApplyRulesSet(ApprovalState& state, const core::Record& body, int64_t seq) {
  AccountRules rules;
  JCM_ASSIGN_OR_RETURN(const std::string account, body.Get("account"));
  JCM_ASSIGN_OR_RETURN(const std::string second, body.Get("second_approval_to_trusted"));
  const std::optional<bool> required = SecondApprovalFromName(second);
  if (!required) {
    return core::DataLoss("approval.rules_set with second_approval_to_trusted '" + second + "'");
  }
  rules.second_approval_to_trusted = *required;
  JCM_ASSIGN_OR_RETURN(rules.set_by, body.Get("by"));
  JCM_ASSIGN_OR_RETURN(rules.set_at_s, body.GetInt("at"));
  JCM_ASSIGN_OR_RETURN(rules.effective_at_s, body.GetInt("effective_at"));
  rules.entry = seq;
  state.rules[account] = std::move(rules);
  RememberKey(state, body, seq);
  return core::OkStatus();
}

}  // namespace

std::string_view ProposalStatusName(ProposalStatus status) {
  for (const auto& [value, name] : kStatusNames) {
    if (value == status) return name;
  }
  return "unknown";
}

std::optional<ProposalStatus> ProposalStatusFromName(std::string_view name) {
  for (const auto& [value, text] : kStatusNames) {
    if (text == name) return value;
  }
  return std::nullopt;
}

std::optional<TransactionType> ProposableTypeFromName(std::string_view name) {
  for (const auto& [value, text] : kTypeNames) {
    if (text == name) return value;
  }
  return std::nullopt;
}

std::string_view ProposableTypeName(TransactionType type) {
  for (const auto& [value, text] : kTypeNames) {
    if (value == type) return text;
  }
  return "unknown";
}

std::string_view SecondApprovalName(bool required) {
  return required ? "required" : "not_required";
}

std::optional<bool> SecondApprovalFromName(std::string_view name) {
  if (name == "required") return true;
  if (name == "not_required") return false;
  return std::nullopt;
}

core::Result<ProposedTransaction> ProposedTransactionOf(const core::Record& body) {
  ProposedTransaction t;
  JCM_ASSIGN_OR_RETURN(const std::string type, body.Get("type"));
  const auto parsed = ProposableTypeFromName(type);
  if (!parsed) return core::DataLoss("approval.proposed of type '" + type + "'");
  t.type = *parsed;
  JCM_ASSIGN_OR_RETURN(t.from, body.Get("from"));
  t.to = Text(body, "to");
  JCM_ASSIGN_OR_RETURN(t.quantity, body.GetInt("quantity"));
  t.serials = Text(body, "serials");
  t.beneficiary = Text(body, "beneficiary");
  t.reason = Text(body, "reason");
  if (body.Find("use_year")) {
    JCM_ASSIGN_OR_RETURN(t.use_year, body.GetInt("use_year"));
  }
  t.cancellation_purpose = Text(body, "cancellation_purpose");
  return t;
}

ProposalStatus Proposal::StatusAt(int64_t now_s) const {
  if (status == ProposalStatus::kAwaitingApproval && now_s >= expires_at_s) {
    return ProposalStatus::kExpired;
  }
  return status;
}

ledger::TransactionRequest Proposal::LedgerRequest() const {
  ledger::TransactionRequest request;
  request.type = transaction.type;
  request.idempotency_key = "approval:" + std::to_string(id);
  request.from = transaction.from;
  request.to = transaction.to;
  request.quantity = transaction.quantity;
  request.serials = transaction.serials;
  request.beneficiary = transaction.beneficiary;
  request.reason = transaction.reason;
  request.use_year = transaction.use_year;
  request.cancellation_purpose = transaction.cancellation_purpose;
  return request;
}

const Proposal* ApprovalState::FindProposal(int64_t id) const {
  auto it = proposals.find(id);
  return it == proposals.end() ? nullptr : &it->second;
}

const TrustedEntry* ApprovalState::FindTrusted(int64_t id) const {
  auto it = trusted.find(id);
  return it == trusted.end() ? nullptr : &it->second;
}

const TrustedEntry* ApprovalState::LiveEntry(std::string_view account,
                                             std::string_view trusted_account) const {
  const auto it = live_entries.find(std::pair{std::string(account), std::string(trusted_account)});
  return it == live_entries.end() ? nullptr : FindTrusted(it->second);
}

bool ApprovalState::Trusts(std::string_view account, std::string_view trusted_account,
                           int64_t now_s) const {
  const TrustedEntry* entry = LiveEntry(account, trusted_account);
  return entry != nullptr && entry->EffectiveAt(now_s);
}

AccountRules ApprovalState::RulesOf(const std::string& account) const {
  auto it = rules.find(account);
  return it == rules.end() ? AccountRules{} : it->second;
}

core::Status ApplyApprovalEvent(ApprovalState& state, std::string_view kind,
                                const core::Record& body, int64_t seq) {
  if (kind == kEventProposed) {
    JCM_RETURN_IF_ERROR(ApplyProposed(state, body, seq));
  } else if (kind == kEventApproved) {
    JCM_RETURN_IF_ERROR(ApplyApproved(state, body));
  } else if (kind == kEventRejected || kind == kEventCancelled || kind == kEventExpired) {
    JCM_RETURN_IF_ERROR(ApplyEnded(state, kind, body));
  } else if (kind == kEventExecuted || kind == kEventFailed) {
    JCM_RETURN_IF_ERROR(ApplyOutcome(state, kind, body));
  } else if (kind == kEventTrustedAdded || kind == kEventTrustedRemoved) {
    JCM_RETURN_IF_ERROR(ApplyTrusted(state, kind, body, seq));
  } else if (kind == kEventRulesSet) {
    JCM_RETURN_IF_ERROR(ApplyRulesSet(state, body, seq));
  }
  state.last_seq = seq;
  return core::OkStatus();
}

}  // namespace jcm::approval
