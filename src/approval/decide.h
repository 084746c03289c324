// The decisions of four-eyes approval and trusted-account lists: given the replayed state
// (state.h), who asks (identity::Principal) and what the store says of the accounts involved,
// each returns the one event to journal, the proposal or entry an idempotent retry refers to,
// or the first failing numbered check (approval_check.h). Pure: no I/O, no clock — `now_s` is
// handed in.
//
// Rights (identity::Authorize on the source account): proposing needs kInitiateTransfer
// (an authorised representative with right initiate or initiate_and_approve, or the registry
// administrator for a government account); approving and rejecting need kApproveTransfer and a
// user other than the initiator; reading needs kReadAccount; managing the trusted list needs
// kInitiateTransfer. The initiator cancels a proposal awaiting approval; once approved and
// delayed, the initiator or its approver.
//
// Idempotency keys are per user (the key is stored as "<user>:<key>"). A key used again for the
// same request (action and content) answers Replay with the proposal or entry it produced;
// with another request, check 400. An empty key binds nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "approval/approval_check.h"
#include "approval/state.h"
#include "core/record.h"
#include "core/status.h"
#include "identity/access.h"

namespace jcm::approval {

// What the store says of an account the decision concerns.
struct AccountFacts {
  std::string number;
  std::string registry;
  bool government = false;  // a Party's holding, retirement or cancellation account
};

// The event to journal.
struct Event {
  std::string kind;
  core::Record body;
};

// An idempotent retry: the proposal or entry the first request produced or acted on.
struct Replay {
  int64_t target = 0;
};

using Verdict = std::variant<Rejection, Event, Replay>;

// InvalidArgument when the transaction is malformed (quantity below 1, a transfer without a
// destination or to its source); `source` is nullopt when the account does not exist, as is
// `destination` (also for a retirement or cancellation).
//
// A transfer needs no second approval (the UK ETS registry's rule 1; INV-69) when its
// destination is on the source's trusted list (effective now), the source's rules waive the
// second approval to trusted accounts (effective now), and neither account is a government
// account: its event then carries second_approval "not_required", and the caller journals it
// with the ledger transaction in one write, its ledger_transaction field set to that
// transaction's seq (ledger::ExecuteDecision): the proposal is completed when it is journaled.
core::Result<Verdict> DecidePropose(const ApprovalState& state,
                                    const identity::Principal& principal,
                                    const std::optional<AccountFacts>& source,
                                    const std::optional<AccountFacts>& destination,
                                    const ProposedTransaction& transaction, const std::string& key,
                                    int64_t now_s, const Policy& policy);
// True when `event` (a DecidePropose verdict) executes with its proposal.
bool ExecutesWithProposal(const Event& event);

// The facts of proposal `id`'s source account are looked up by the caller (nullopt: unknown).
Verdict DecideApprove(const ApprovalState& state, const identity::Principal& principal,
                      const std::optional<AccountFacts>& source, int64_t id, const std::string& key,
                      int64_t now_s, const Policy& policy);
Verdict DecideReject(const ApprovalState& state, const identity::Principal& principal,
                     const std::optional<AccountFacts>& source, int64_t id,
                     const std::string& comment, const std::string& key, int64_t now_s);
Verdict DecideCancel(const ApprovalState& state, const identity::Principal& principal,
                     const std::optional<AccountFacts>& source, int64_t id,
                     const std::string& comment, const std::string& key, int64_t now_s);

Verdict DecideTrustedAdd(const ApprovalState& state, const identity::Principal& principal,
                         const std::optional<AccountFacts>& account,
                         const std::optional<AccountFacts>& trusted, const std::string& key,
                         int64_t now_s, const Policy& policy);
// Sets `account`'s rule for transfers to its trusted accounts (the registry administrator:
// kManageAccounts on the account; 402, 403; 413 when waiving it for a government account). A
// waiver counts after the policy's trusted_entry_delay_s, as a new trusted account does; a
// return to required at once.
Verdict DecideSetRules(const ApprovalState& state, const identity::Principal& principal,
                       const std::optional<AccountFacts>& account, const std::string& number,
                       bool second_approval_to_trusted, const std::string& key, int64_t now_s,
                       const Policy& policy);
Verdict DecideTrustedRemove(const ApprovalState& state, const identity::Principal& principal,
                            const std::optional<AccountFacts>& account, int64_t entry,
                            const std::string& key, int64_t now_s);

// 402 when the account is unknown, 403 when the principal may not read it.
std::optional<Rejection> CheckRead(const identity::Principal& principal,
                                   const std::optional<AccountFacts>& account,
                                   const std::string& number);

// What is due at `now_s`: proposals awaiting approval past their expiry, and approved ones whose
// execution time has come (ascending ids).
struct DueWork {
  std::vector<int64_t> expire;
  std::vector<int64_t> execute;
};
DueWork Due(const ApprovalState& state, int64_t now_s);

Event ExpiredEvent(int64_t id, int64_t now_s);
Event ExecutedEvent(int64_t id, int64_t ledger_seq, int64_t now_s);
Event FailedEvent(int64_t id, int check, const std::string& name, const std::string& message,
                  int64_t now_s);

}  // namespace jcm::approval
