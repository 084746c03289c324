// The journal form of proposals and trusted-account lists, and the state replayed from it.
//
// A transfer, retirement or cancellation asked for by an authorised representative is first a
// proposal; a second person approves it (four eyes), and only then does the ledger see the
// transaction. Proposals and trusted-account entries are never stored as rows: they are the
// replay of the journal's "approval.*" entries (docs/formats/journal.md), as users are of
// "identity.*". Every time is Unix seconds from the injected clock, written into the event that
// decided it (an entry's effective time, a proposal's expiry, a delayed transfer's execution
// time), so a replay never depends on the configuration of the process that replays. Pure.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "core/record.h"
#include "core/status.h"
#include "ledger/types.h"

namespace jcm::approval {

// Event kinds. Persisted: never rename one.
inline constexpr std::string_view kEventKindPrefix = "approval.";
inline constexpr std::string_view kEventProposed = "approval.proposed";
inline constexpr std::string_view kEventApproved = "approval.approved";
inline constexpr std::string_view kEventRejected = "approval.rejected";
inline constexpr std::string_view kEventCancelled = "approval.cancelled";
inline constexpr std::string_view kEventExpired = "approval.expired";
inline constexpr std::string_view kEventExecuted = "approval.executed";
inline constexpr std::string_view kEventFailed = "approval.failed";
inline constexpr std::string_view kEventTrustedAdded = "approval.trusted_added";
inline constexpr std::string_view kEventTrustedRemoved = "approval.trusted_removed";
inline constexpr std::string_view kEventRulesSet = "approval.rules_set";

// The delays and lifetimes a new decision is given (each is written into its event).
struct Policy {
  int64_t trusted_entry_delay_s = 7 * 86'400;      // a new trusted account counts after this
  int64_t untrusted_transfer_delay_s = 26 * 3600;  // a transfer to an untrusted account waits
  int64_t proposal_lifetime_s = 14 * 86'400;       // unapproved proposals expire after this
};

// awaiting_approval → delayed → completed, or rejected / cancelled / expired / failed. An
// approved proposal is `delayed` until its execute_at (at once for a retirement, a cancellation
// or a transfer to a trusted account), then completed or, if a ledger check refuses it, failed.
enum class ProposalStatus : uint8_t {
  kAwaitingApproval,
  kDelayed,
  kCompleted,
  kRejected,
  kCancelled,
  kExpired,
  kFailed,
};
std::string_view ProposalStatusName(ProposalStatus status);  // "awaiting_approval", …
std::optional<ProposalStatus> ProposalStatusFromName(std::string_view name);

// What is proposed: the ledger request without its idempotency key.
struct ProposedTransaction {
  ledger::TransactionType type = ledger::TransactionType::kInternalTransfer;
  std::string from;
  std::string to;  // transfers only
  int64_t quantity = 0;
  std::string serials;               // optional "FIRST..LAST"
  std::string beneficiary;           // retirements
  std::string reason;                // cancellations
  int64_t use_year = 0;              // retirements toward the NDC (0: the year of the retirement)
  std::string cancellation_purpose;  // cancellations: omge, voluntary, other (empty: other)

  bool operator==(const ProposedTransaction&) const = default;
};
// "transfer", "retirement", "cancellation"; nullopt for anything else (issuance is no proposal).
std::optional<ledger::TransactionType> ProposableTypeFromName(std::string_view name);
std::string_view ProposableTypeName(ledger::TransactionType type);
// The transaction an approval.proposed body proposes; DataLoss when a field it needs is missing.
core::Result<ProposedTransaction> ProposedTransactionOf(const core::Record& body);
// An account's rule for transfers to its trusted accounts as journaled and answered:
// "required" (true) or "not_required" (false); nullopt for anything else.
std::string_view SecondApprovalName(bool required);
std::optional<bool> SecondApprovalFromName(std::string_view name);

struct Proposal {
  int64_t id = 0;  // the seq of its approval.proposed entry
  ProposedTransaction transaction;
  std::string initiator;
  int64_t proposed_at_s = 0;
  int64_t expires_at_s = 0;  // still awaiting approval at this time: expired
  ProposalStatus status = ProposalStatus::kAwaitingApproval;
  std::string approver;  // set once approved (or the user who rejected it)
  int64_t approved_at_s = 0;
  int64_t execute_at_s = 0;  // approved: when the ledger transaction runs
  bool to_trusted = false;   // approved: the destination was a trusted account then
  std::string ended_by;      // rejected / cancelled: who
  int64_t ended_at_s = 0;    // rejected / cancelled / expired / completed / failed: when
  std::string comment;       // rejected / cancelled: why, as given
  int64_t ledger_seq = 0;    // completed: the ledger's transaction entry
  // A transfer to a trusted account of an account whose rules waive the second approval: it
  // executed with its proposal, in the same write (approver empty).
  bool without_second_approval = false;
  int failed_check = 0;  // failed: the ledger check that refused it
  std::string failed_name;
  std::string failed_message;

  bool operator==(const Proposal&) const = default;
  bool pending() const {
    return status == ProposalStatus::kAwaitingApproval || status == ProposalStatus::kDelayed;
  }
  // The status shown at `now_s`: awaiting approval past its expiry is expired even before the
  // expiry is journaled.
  ProposalStatus StatusAt(int64_t now_s) const;
  // The ledger transaction it executes. Its idempotency key, "approval:<id>", makes a second
  // execution (another process, a retry after a crash) the ledger's replay of the first.
  ledger::TransactionRequest LedgerRequest() const;
};

struct TrustedEntry {
  int64_t id = 0;       // the seq of its approval.trusted_added entry
  std::string account;  // whose list
  std::string trusted;  // the account it trusts
  std::string added_by;
  int64_t added_at_s = 0;
  int64_t effective_at_s = 0;  // transfers approved from this time on skip the delay
  bool removed = false;
  std::string removed_by;
  int64_t removed_at_s = 0;

  bool EffectiveAt(int64_t now_s) const { return !removed && effective_at_s <= now_s; }
};

// An account's transaction rule (the UK ETS registry's "rule 1"): whether a transfer to an
// account on its trusted list needs a second authorised representative's approval. Required
// unless the registry administrator waived it; a waiver counts from its effective time (the
// trusted-entry delay after it was set), a return to required at once.
struct AccountRules {
  bool second_approval_to_trusted = true;
  int64_t effective_at_s = 0;
  std::string set_by;
  int64_t set_at_s = 0;
  int64_t entry = 0;  // the seq of the approval.rules_set entry (0: never set)

  bool WaivedAt(int64_t now_s) const {
    return !second_approval_to_trusted && effective_at_s <= now_s;
  }
};

// An idempotency key's binding: the digest of the request it was first used with and the
// proposal or entry that request produced or acted on.
struct KeyUse {
  std::string digest;
  int64_t target = 0;
};

// Changed only by ApplyApprovalEvent, which keeps the two indexes below equal to what a walk
// over `proposals` and `trusted` would find (INV-68), so the work due and a list's entry cost a
// look-up, not a walk over every proposal ever made.
struct ApprovalState {
  std::map<int64_t, Proposal> proposals;      // by id
  std::map<int64_t, TrustedEntry> trusted;    // by id, removed ones included
  std::map<std::string, KeyUse> keys;         // by (user-prefixed) key
  std::map<std::string, AccountRules> rules;  // by account; absent: the defaults
  int64_t last_seq = 0;                       // the last approval.* entry applied (0: none)
  // (time, id) of every pending proposal: its expires_at_s while awaiting approval, its
  // execute_at_s while delayed.
  std::set<std::pair<int64_t, int64_t>> pending_by_time;
  // (account, trusted account) → the id of the entry of that list that is not removed.
  std::map<std::pair<std::string, std::string>, int64_t> live_entries;

  const Proposal* FindProposal(int64_t id) const;
  const TrustedEntry* FindTrusted(int64_t id) const;
  // The entry of `account`'s list naming `trusted` that is not removed, or nullptr.
  const TrustedEntry* LiveEntry(std::string_view account, std::string_view trusted) const;
  // True when `account`'s list names `trusted` in an entry effective at `now_s`.
  bool Trusts(std::string_view account, std::string_view trusted, int64_t now_s) const;
  // `account`'s rules (the defaults when never set).
  AccountRules RulesOf(const std::string& account) const;
};

// Applies one journaled approval event (entry `seq`). DataLoss when the body lacks a field its
// kind needs, names a proposal or entry never created, or moves a proposal out of a state it
// cannot leave (a journal this program did not write); unknown approval.* kinds are ignored.
core::Status ApplyApprovalEvent(ApprovalState& state, std::string_view kind,
                                const core::Record& body, int64_t seq);

}  // namespace jcm::approval
