#include "approval/decide.h"

#include <algorithm>

#include "core/sha256.h"

namespace jcm::approval {
namespace {

using identity::Action;

Rejection Reject(ApprovalCheck check, std::string message) {
  return Rejection{check, std::move(message)};
}

identity::Resource ResourceOf(const AccountFacts& account) {
  identity::Resource resource;
  resource.registry = account.registry;
  resource.account = account.number;
  resource.government_account = account.government;
  return resource;
}

std::string Who(const identity::Principal& principal) {
  return principal.user.empty() ? std::string("the public") : principal.user;
}

// 402 / 403 for `action` on `account`, or nullopt when allowed.
std::optional<Rejection> CheckRight(const identity::Principal& principal,
                                    const std::optional<AccountFacts>& account,
                                    const std::string& number, Action action) {
  if (!account) {
    return Reject(ApprovalCheck::kAccountUnknown, "no account " + number);
  }
  if (!identity::Authorize(principal, action, ResourceOf(*account))) {
    return Reject(ApprovalCheck::kRightMissing, Who(principal) + " has no right to " +
                                                    std::string(identity::ActionName(action)) +
                                                    " on account " + number);
  }
  return std::nullopt;
}

// An idempotency key bound to one request: "<user>:<key>" and the request's digest.
// The field of approval.proposed that says a transfer needs no second approval.
constexpr std::string_view kSecondApprovalField = "second_approval";

struct Binding {
  std::string key;
  std::string digest;
};

// Replay or check 400 when the key was used before; nullopt (and `binding` set) otherwise.
std::optional<Verdict> CheckKey(const ApprovalState& state, const identity::Principal& principal,
                                const std::string& key, std::string_view action,
                                const core::Record& content, Binding& binding) {
  if (key.empty()) return std::nullopt;
  binding.key = principal.user + ":" + key;
  binding.digest = core::Sha256Hex(std::string(action) + "\n" + content.Encode());
  auto it = state.keys.find(binding.key);
  if (it == state.keys.end()) return std::nullopt;
  if (it->second.digest == binding.digest) return Verdict(Replay{it->second.target});
  return Verdict(Reject(ApprovalCheck::kKeyReused,
                        "idempotency key '" + key + "' was used for another request"));
}

Event Keyed(std::string_view kind, core::Record body, const Binding& binding) {
  if (!binding.key.empty())
    body.Add("request.key", binding.key).Add("request.sha256", binding.digest);
  return Event{std::string(kind), std::move(body)};
}

core::Record ProposalRef(int64_t id) {
  core::Record record;
  record.AddInt("proposal", id);
  return record;
}

core::Status CheckTransaction(const ProposedTransaction& t) {
  if (ProposableTypeName(t.type) == "unknown") {
    return core::InvalidArgument("only a transfer, retirement or cancellation is proposed");
  }
  if (t.quantity < 1) return core::InvalidArgument("quantity must be at least 1");
  const bool transfer = t.type == ledger::TransactionType::kInternalTransfer;
  if (transfer && t.to.empty()) return core::InvalidArgument("a transfer needs a destination");
  if (!transfer && !t.to.empty()) {
    return core::InvalidArgument("only a transfer names a destination");
  }
  return core::OkStatus();
}

core::Record TransactionRecord(const ProposedTransaction& t) {
  core::Record body;
  body.Add("type", ProposableTypeName(t.type)).Add("from", t.from);
  if (!t.to.empty()) body.Add("to", t.to);
  body.AddInt("quantity", t.quantity);
  if (!t.serials.empty()) body.Add("serials", t.serials);
  if (!t.beneficiary.empty()) body.Add("beneficiary", t.beneficiary);
  if (!t.reason.empty()) body.Add("reason", t.reason);
  if (t.use_year != 0) body.AddInt("use_year", t.use_year);
  if (!t.cancellation_purpose.empty()) body.Add("cancellation_purpose", t.cancellation_purpose);
  return body;
}

// The proposal `id` and the checks every action on one runs first: 401, then 402/403 for
// `action` on its source account.
std::variant<const Proposal*, Rejection> ProposalFor(const ApprovalState& state,
                                                     const identity::Principal& principal,
                                                     const std::optional<AccountFacts>& source,
                                                     int64_t id, Action action) {
  const Proposal* proposal = state.FindProposal(id);
  if (proposal == nullptr) {
    return Reject(ApprovalCheck::kProposalUnknown, "no proposal " + std::to_string(id));
  }
  if (auto refused = CheckRight(principal, source, proposal->transaction.from, action)) {
    return *refused;
  }
  return proposal;
}

// The four-eyes checks of approving and rejecting: 404, 405, 406.
std::optional<Rejection> CheckSecondPair(const Proposal& proposal,
                                         const identity::Principal& principal, int64_t now_s) {
  if (proposal.initiator == principal.user) {
    return Reject(ApprovalCheck::kApproverIsInitiator,
                  principal.user + " proposed " + std::to_string(proposal.id) +
                      " and may not also approve or reject it (four eyes)");
  }
  if (proposal.status != ProposalStatus::kAwaitingApproval) {
    return Reject(ApprovalCheck::kProposalNotPending,
                  "proposal " + std::to_string(proposal.id) + " is " +
                      std::string(ProposalStatusName(proposal.status)));
  }
  if (now_s >= proposal.expires_at_s) {
    return Reject(ApprovalCheck::kProposalExpired,
                  "proposal " + std::to_string(proposal.id) + " expired unapproved");
  }
  return std::nullopt;
}

}  // namespace

core::Result<Verdict> DecidePropose(const ApprovalState& state,
                                    const identity::Principal& principal,
                                    const std::optional<AccountFacts>& source,
                                    const std::optional<AccountFacts>& destination,
                                    const ProposedTransaction& transaction, const std::string& key,
                                    int64_t now_s, const Policy& policy) {
  JCM_RETURN_IF_ERROR(CheckTransaction(transaction));
  core::Record body = TransactionRecord(transaction);
  Binding binding;
  if (auto keyed = CheckKey(state, principal, key, kEventProposed, body, binding)) return *keyed;
  if (auto refused = CheckRight(principal, source, transaction.from, Action::kInitiateTransfer)) {
    return Verdict(*refused);
  }
  body.Add("initiator", principal.user)
      .AddInt("at", now_s)
      .AddInt("expires_at", now_s + policy.proposal_lifetime_s);
  const bool waived = transaction.type == ledger::TransactionType::kInternalTransfer &&
                      !source->government && destination && !destination->government &&
                      state.Trusts(transaction.from, transaction.to, now_s) &&
                      state.RulesOf(transaction.from).WaivedAt(now_s);
  if (waived) body.Add(kSecondApprovalField, SecondApprovalName(false));
  return Verdict(Keyed(kEventProposed, std::move(body), binding));
}

bool ExecutesWithProposal(const Event& event) {
  return event.kind == kEventProposed &&
         event.body.Find(kSecondApprovalField) == SecondApprovalName(false);
}

Verdict DecideSetRules(const ApprovalState& state, const identity::Principal& principal,
                       const std::optional<AccountFacts>& account, const std::string& number,
                       bool second_approval_to_trusted, const std::string& key, int64_t now_s,
                       const Policy& policy) {
  core::Record content;
  content.Add("account", number)
      .Add("second_approval_to_trusted", SecondApprovalName(second_approval_to_trusted));
  Binding binding;
  if (auto keyed = CheckKey(state, principal, key, kEventRulesSet, content, binding)) {
    return *keyed;
  }
  if (auto refused = CheckRight(principal, account, number, Action::kManageAccounts)) {
    return *refused;
  }
  if (!second_approval_to_trusted && account->government) {
    return Reject(ApprovalCheck::kRulesGovernmentAccount,
                  "transfers from government account " + number +
                      " are approved by a second person, to any account");
  }
  const int64_t effective_at =
      second_approval_to_trusted ? now_s : now_s + policy.trusted_entry_delay_s;
  content.Add("by", principal.user).AddInt("at", now_s).AddInt("effective_at", effective_at);
  return Keyed(kEventRulesSet, std::move(content), binding);
}

Verdict DecideApprove(const ApprovalState& state, const identity::Principal& principal,
                      const std::optional<AccountFacts>& source, int64_t id, const std::string& key,
                      int64_t now_s, const Policy& policy) {
  Binding binding;
  if (auto keyed = CheckKey(state, principal, key, kEventApproved, ProposalRef(id), binding)) {
    return *keyed;
  }
  auto found = ProposalFor(state, principal, source, id, Action::kApproveTransfer);
  if (auto* refused = std::get_if<Rejection>(&found)) return *refused;
  const Proposal& proposal = *std::get<const Proposal*>(found);
  if (auto refused = CheckSecondPair(proposal, principal, now_s)) return *refused;
  const ProposedTransaction& t = proposal.transaction;
  const bool transfer = t.type == ledger::TransactionType::kInternalTransfer;
  const bool trusted = transfer && state.Trusts(t.from, t.to, now_s);
  const int64_t execute_at =
      transfer && !trusted ? now_s + policy.untrusted_transfer_delay_s : now_s;
  core::Record body = ProposalRef(id);
  body.Add("by", principal.user)
      .AddInt("at", now_s)
      .AddInt("execute_at", execute_at)
      .Add("trusted", trusted ? "true" : "false");
  return Keyed(kEventApproved, std::move(body), binding);
}

Verdict DecideReject(const ApprovalState& state, const identity::Principal& principal,
                     const std::optional<AccountFacts>& source, int64_t id,
                     const std::string& comment, const std::string& key, int64_t now_s) {
  Binding binding;
  core::Record content = ProposalRef(id);
  content.Add("comment", comment);
  if (auto keyed = CheckKey(state, principal, key, kEventRejected, content, binding)) {
    return *keyed;
  }
  auto found = ProposalFor(state, principal, source, id, Action::kApproveTransfer);
  if (auto* refused = std::get_if<Rejection>(&found)) return *refused;
  if (auto refused = CheckSecondPair(*std::get<const Proposal*>(found), principal, now_s)) {
    return *refused;
  }
  core::Record body = ProposalRef(id);
  body.Add("by", principal.user).AddInt("at", now_s);
  if (!comment.empty()) body.Add("comment", comment);
  return Keyed(kEventRejected, std::move(body), binding);
}

Verdict DecideCancel(const ApprovalState& state, const identity::Principal& principal,
                     const std::optional<AccountFacts>& source, int64_t id,
                     const std::string& comment, const std::string& key, int64_t now_s) {
  Binding binding;
  core::Record content = ProposalRef(id);
  content.Add("comment", comment);
  if (auto keyed = CheckKey(state, principal, key, kEventCancelled, content, binding)) {
    return *keyed;
  }
  auto found = ProposalFor(state, principal, source, id, Action::kReadAccount);
  if (auto* refused = std::get_if<Rejection>(&found)) return *refused;
  const Proposal& proposal = *std::get<const Proposal*>(found);
  const bool delayed = proposal.status == ProposalStatus::kDelayed;
  const bool initiator = proposal.initiator == principal.user;
  if (!initiator && !(delayed && proposal.approver == principal.user)) {
    return Reject(ApprovalCheck::kCancelNotAllowed,
                  delayed ? "only the initiator or the approver cancels a delayed transfer"
                          : "only the initiator cancels a proposal awaiting approval");
  }
  if (proposal.StatusAt(now_s) != ProposalStatus::kAwaitingApproval && !delayed) {
    return Reject(ApprovalCheck::kProposalNotCancellable,
                  "proposal " + std::to_string(id) + " is " +
                      std::string(ProposalStatusName(proposal.StatusAt(now_s))));
  }
  core::Record body = ProposalRef(id);
  body.Add("by", principal.user).AddInt("at", now_s);
  if (!comment.empty()) body.Add("comment", comment);
  return Keyed(kEventCancelled, std::move(body), binding);
}

Verdict DecideTrustedAdd(const ApprovalState& state, const identity::Principal& principal,
                         const std::optional<AccountFacts>& account,
                         const std::optional<AccountFacts>& trusted, const std::string& key,
                         int64_t now_s, const Policy& policy) {
  // The caller looked both up by number; an unknown one has only the number it asked for.
  const std::string number = account ? account->number : "";
  const std::string trusted_number = trusted ? trusted->number : "";
  core::Record content;
  content.Add("account", number).Add("trusted", trusted_number);
  Binding binding;
  if (auto keyed = CheckKey(state, principal, key, kEventTrustedAdded, content, binding)) {
    return *keyed;
  }
  if (auto refused = CheckRight(principal, account, number, Action::kInitiateTransfer)) {
    return *refused;
  }
  if (!trusted) return Reject(ApprovalCheck::kAccountUnknown, "no account to trust");
  if (trusted->number == number) {
    return Reject(ApprovalCheck::kTrustedSelf, "an account cannot trust itself");
  }
  if (state.LiveEntry(number, trusted->number) != nullptr) {
    return Reject(ApprovalCheck::kTrustedExists, trusted->number + " is already on the list");
  }
  if (trusted->registry != account->registry) {
    return Reject(ApprovalCheck::kTrustedOtherRegistry,
                  trusted->number + " is in registry " + trusted->registry +
                      "; units never leave registry " + account->registry);
  }
  content.Add("by", principal.user)
      .AddInt("at", now_s)
      .AddInt("effective_at", now_s + policy.trusted_entry_delay_s);
  return Keyed(kEventTrustedAdded, std::move(content), binding);
}

Verdict DecideTrustedRemove(const ApprovalState& state, const identity::Principal& principal,
                            const std::optional<AccountFacts>& account, int64_t entry,
                            const std::string& key, int64_t now_s) {
  const std::string number = account ? account->number : "";
  core::Record content;
  content.AddInt("entry", entry);
  Binding binding;
  if (auto keyed = CheckKey(state, principal, key, kEventTrustedRemoved, content, binding)) {
    return *keyed;
  }
  if (auto refused = CheckRight(principal, account, number, Action::kInitiateTransfer)) {
    return *refused;
  }
  const TrustedEntry* found = state.FindTrusted(entry);
  if (found == nullptr || found->removed || found->account != number) {
    return Reject(ApprovalCheck::kTrustedEntryUnknown,
                  "no entry " + std::to_string(entry) + " on the list of " + number);
  }
  content.Add("by", principal.user).AddInt("at", now_s);
  return Keyed(kEventTrustedRemoved, std::move(content), binding);
}

std::optional<Rejection> CheckRead(const identity::Principal& principal,
                                   const std::optional<AccountFacts>& account,
                                   const std::string& number) {
  return CheckRight(principal, account, number, Action::kReadAccount);
}

DueWork Due(const ApprovalState& state, int64_t now_s) {
  DueWork due;
  // Only the pending proposals whose time has come, earliest first (INV-68); ids ascending in
  // the result, as a walk over every proposal would give them.
  for (const auto& [time_s, id] : state.pending_by_time) {
    if (time_s > now_s) break;
    const Proposal* proposal = state.FindProposal(id);
    if (proposal->status == ProposalStatus::kAwaitingApproval) {
      due.expire.push_back(id);
    } else {
      due.execute.push_back(id);
    }
  }
  std::sort(due.expire.begin(), due.expire.end());
  std::sort(due.execute.begin(), due.execute.end());
  return due;
}

Event ExpiredEvent(int64_t id, int64_t now_s) {
  core::Record body = ProposalRef(id);
  body.AddInt("at", now_s);
  return Event{std::string(kEventExpired), std::move(body)};
}

Event ExecutedEvent(int64_t id, int64_t ledger_seq, int64_t now_s) {
  core::Record body = ProposalRef(id);
  body.AddInt("at", now_s).AddInt("ledger_transaction", ledger_seq);
  return Event{std::string(kEventExecuted), std::move(body)};
}

Event FailedEvent(int64_t id, int check, const std::string& name, const std::string& message,
                  int64_t now_s) {
  core::Record body = ProposalRef(id);
  body.AddInt("at", now_s).AddInt("check", check).Add("name", name).Add("message", message);
  return Event{std::string(kEventFailed), std::move(body)};
}

}  // namespace jcm::approval
