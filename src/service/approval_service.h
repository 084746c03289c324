// ApprovalService: four-eyes approval of transfers, retirements and cancellations, and each
// account's trusted-account list (docs/architecture.md, "Four eyes"), for every front end — the
// CLI (`jcm tx …`, `jcm trusted …`) and the HTTP API (/api/v1/transactions, …/trusted).
//
// The rules are src/approval's (decide.h); this class gives them the state replayed from the
// journal's "approval.*" entries (an ApprovalReplay: the seq of the last one applied, shared by
// the pooled services of `jcm serve`), the accounts from the store, the time from the injected
// clock and the approver's TOTP signature (IdentityService::VerifyTotpForSigning, INV-16). Each
// event is appended with the family head as its optimistic lock (check 23): when another process
// changed proposals meanwhile the service refreshes and decides again. An approval and an
// execution lock only what they read (INV-60): the proposal's own events and the trusted lists,
// so approvals of different proposals by several services (one per write worker of `jcm serve`)
// commit side by side, in one write batch, while a cancellation journaled meanwhile still wins
// over an execution (INV-19).
//
// A signed approval over a store that offers store::SignedSubmitter (SQLite) is one write, all
// or nothing (INV-67): the approver's TOTP step claim, identity.signin_succeeded, approval.approved
// and, when the transfer is due at once, its execution — instead of four writes one after another.
// If the ledger refuses that execution, the approval is journaled alone and RunDue journals the
// failure, as below. Other stores claim, journal and execute apart.
//
// Execution: an approved proposal whose time has come is executed by RunDue as one ledger
// command, ledger::ExecuteDecision — the transaction (idempotency key "approval:<id>") and its
// approval.executed event in one write batch — so the ledger's checks stay authoritative and no
// ledger transaction exists without the event that completes its proposal. A ledger rejection
// journals approval.failed with the ledger's check. RunDue runs lazily at the start of every use
// (a read included), so a due transfer never waits for a timer to be seen completed; `jcm serve`
// also calls it every minute and `jcm tx run-due` on demand (docs/cli.md).
//
// Results report the proposal's status at the clock's now (awaiting approval past its expiry
// reads `expired` even before RunDue journals it). A proposal that failed in the ledger is a
// result, not a Rejection: its approval was journaled.
//
// Not thread-safe: one ApprovalService per thread, sharing one store and, when given one, one
// ApprovalReplay (the pooled services of `jcm serve`).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "approval/decide.h"
#include "approval/state.h"
#include "core/status.h"
#include "identity/access.h"
#include "service/errors.h"
#include "service/identity_service.h"
#include "service/replay.h"
#include "store/signed_submit.h"
#include "store/store.h"

namespace jcm::service {

Rejection FromApproval(const approval::Rejection& rejection);

struct ProposalResult {
  approval::Proposal proposal;
  approval::ProposalStatus status = approval::ProposalStatus::kAwaitingApproval;  // at now
  bool replayed = false;  // an idempotent retry: the proposal as it is now
};

struct TrustedResult {
  approval::TrustedEntry entry;
  bool effective = false;  // at now
  bool replayed = false;
};

struct RulesResult {
  std::string account;
  approval::AccountRules rules;
  bool waived = false;  // at now: transfers to trusted accounts need no second approval
  bool replayed = false;
};

// What one RunDue did, by proposal id.
struct RunDueResult {
  int64_t now_s = 0;
  std::vector<int64_t> expired;
  std::vector<int64_t> completed;
  std::vector<int64_t> failed;
};

// The proposals and trusted lists replayed from the journal's approval.* entries, shared by the
// pooled services of `jcm serve` (replay.h).
class ApprovalReplay : public Replay<approval::ApprovalState> {
 public:
  ApprovalReplay() : Replay(approval::kEventKindPrefix, &approval::ApplyApprovalEvent) {}
};

class ApprovalService {
 public:
  // `store` and `clock` must outlive the service. `replay`, `identities`: shared with other
  // services over the same store; nullptr: one of its own.
  ApprovalService(store::Store& store, store::Clock& clock, approval::Policy policy = {},
                  std::shared_ptr<ApprovalReplay> replay = nullptr,
                  std::shared_ptr<IdentityReplay> identities = nullptr);

  // 400, 402, 403; InvalidArgument for a malformed transaction. A transfer that needs no
  // second approval (approval::DecidePropose, INV-69) executes in the same write as its
  // proposal, and answers completed or the ledger's rejection (nothing journaled).
  core::Result<OrRejection<ProposalResult>> Propose(const identity::Principal& principal,
                                                    const approval::ProposedTransaction& t,
                                                    const std::string& key);
  // 400, 401, 402, 403, 404, 405, 406, then the TOTP code (311, 312, 313, 314: a failure counts
  // toward the approver's lockout and changes no proposal). Executes at once unless delayed.
  core::Result<OrRejection<ProposalResult>> Approve(const identity::Principal& principal,
                                                    int64_t id, const std::string& totp_code,
                                                    const std::string& key);
  core::Result<OrRejection<ProposalResult>> Reject(const identity::Principal& principal, int64_t id,
                                                   const std::string& comment,
                                                   const std::string& key);
  core::Result<OrRejection<ProposalResult>> Cancel(const identity::Principal& principal, int64_t id,
                                                   const std::string& comment,
                                                   const std::string& key);
  // 401, 402, 403 (kReadAccount on its source account).
  core::Result<OrRejection<ProposalResult>> Get(const identity::Principal& principal, int64_t id);
  // The proposals from `account`, ascending ids. 402, 403.
  core::Result<OrRejection<std::vector<ProposalResult>>> List(const identity::Principal& principal,
                                                              const std::string& account);

  core::Result<OrRejection<TrustedResult>> AddTrusted(const identity::Principal& principal,
                                                      const std::string& account,
                                                      const std::string& trusted,
                                                      const std::string& key);
  core::Result<OrRejection<TrustedResult>> RemoveTrusted(const identity::Principal& principal,
                                                         const std::string& account, int64_t entry,
                                                         const std::string& key);
  // The live entries of `account`'s list, ascending ids. 402, 403.
  core::Result<OrRejection<std::vector<TrustedResult>>> ListTrusted(
      const identity::Principal& principal, const std::string& account);

  // `account`'s rule for transfers to its trusted accounts (approval::DecideSetRules: 400, 402,
  // 403, 413), and reading it (402, 403).
  core::Result<OrRejection<RulesResult>> SetRules(const identity::Principal& principal,
                                                  const std::string& account,
                                                  bool second_approval_to_trusted,
                                                  const std::string& key);
  core::Result<OrRejection<RulesResult>> Rules(const identity::Principal& principal,
                                               const std::string& account);

  // Expires proposals past their lifetime and executes approved ones whose time has come.
  core::Result<RunDueResult> RunDue();

 private:
  core::Status Refresh();
  core::Result<int64_t> Now();
  // Reject and Cancel: a proposal ended by `decide_end` (approval::DecideReject or
  // DecideCancel) with the user's comment.
  using DecideEnd = approval::Verdict (*)(const approval::ApprovalState&,
                                          const identity::Principal&,
                                          const std::optional<approval::AccountFacts>&, int64_t,
                                          const std::string&, const std::string&, int64_t);
  core::Result<OrRejection<ProposalResult>> End(DecideEnd decide_end,
                                                const identity::Principal& principal, int64_t id,
                                                const std::string& comment, const std::string& key);
  core::Result<std::optional<approval::AccountFacts>> Facts(const std::string& number);
  // Proposal `id`'s source account: its number, and its facts from the store (nullopt: no such
  // proposal replayed); SourceInto(id, source) sets `source` to SourceOf(id) when called.
  std::optional<std::string> SourceNumberOf(int64_t id) const;
  core::Result<std::optional<approval::AccountFacts>> SourceOf(int64_t id);
  std::function<core::Status()> SourceInto(int64_t id,
                                           std::optional<approval::AccountFacts>& source);
  // What an event's lock covers (ledger::AppendEvent::lock_fields, lock_kinds; INV-60): empty,
  // the whole approval.* family.
  struct LockScope {
    std::vector<std::pair<std::string, std::string>> fields;
    std::vector<std::string> kinds;
  };
  // The scope of a decision about proposal `id` alone: its own events (approval, rejection,
  // cancellation, execution, expiry all name it), every change of a trusted list, and the
  // idempotency key `binding` ("<user>:<key>", or empty).
  static LockScope ProposalScope(int64_t id, const std::string& binding);
  // Append, except that a proposal that executes with its transfer
  // (approval::ExecutesWithProposal) is journaled with it in one write (ledger::ExecuteDecision,
  // INV-69) and not replayed: its entry is set into `*executed_with` (when not null) instead.
  // The seq, nullopt when check 23 fired, or the ledger's refusal of the transfer.
  core::Result<std::optional<OrRejection<int64_t>>> Journal(
      const approval::Event& event, int64_t seen_seq, const LockScope& scope,
      std::optional<ledger::JournalEntry>* executed_with);
  // Appends an event decided on the state replayed up to `seen_seq`, with that as the family
  // head its lock expects (narrowed to `scope`): its seq, or nullopt when check 23 fired.
  core::Result<std::optional<int64_t>> Append(const approval::Event& event, int64_t seen_seq,
                                              const LockScope& scope = {});
  int64_t LastSeq() const;
  core::Status RunDueAt(int64_t now_s, RunDueResult* result);
  // Approve through `submitter`: the claim, the signature's event, the approval and, when due
  // now, the execution in one write.
  core::Result<OrRejection<ProposalResult>> ApproveInOneWrite(store::SignedSubmitter& submitter,
                                                              const identity::Principal& principal,
                                                              int64_t id,
                                                              const std::string& totp_code,
                                                              const std::string& key);
  // The ledger command that executes approved proposal `id`: its transaction (idempotency key
  // "approval:<id>") with approval.executed, locked to the proposal against `expected_seq`
  // (-1: unchecked, for an execution committed with its approval, whose lock covered it).
  core::Result<ledger::ExecuteDecision> ExecutionOf(int64_t id, int64_t now_s,
                                                    int64_t expected_seq);
  core::Status Execute(int64_t id, int64_t now_s, int64_t seen_seq, RunDueResult* result);
  ProposalResult ResultOf(int64_t id, int64_t now_s, bool replayed) const;
  TrustedResult TrustedOf(int64_t id, int64_t now_s, bool replayed) const;
  RulesResult RulesAt(const std::string& account, int64_t now_s, bool replayed) const;
  // What Commit answered (the entry's id and whether it was a retry, or the rejection) as the
  // caller's result.
  using Committed = OrRejection<std::pair<int64_t, bool>>;
  OrRejection<ProposalResult> ProposalOutcome(const Committed& outcome, int64_t now_s) const;
  OrRejection<TrustedResult> TrustedOutcome(const Committed& outcome, int64_t now_s) const;
  // Refresh, RunDue and `prepare()` (what the decision needs from the store, read outside the
  // replay's lock), then `decide(state, now_s)` (a core::Result<approval::Verdict> or a Verdict,
  // under the shared lock: it reads no store) until its event is journaled (Journal), it
  // rejects or it replays; `sign()` (a core::Result<std::optional<Rejection>>) runs once before
  // the first append. The proposal or entry concerned and whether this was a replay, or the
  // rejection (the ledger's, for a transfer that executes with its proposal); a proposal that
  // executed with its transfer is set into `*executed_with` as Journal wrote it.
  template <typename Decide, typename Sign>
  core::Result<OrRejection<std::pair<int64_t, bool>>> Commit(
      Decide decide, Sign sign, int64_t* now_s, const LockScope& scope = {},
      const std::function<core::Status()>& prepare = {},
      std::optional<ledger::JournalEntry>* executed_with = nullptr);

  store::Store& store_;
  store::Clock& clock_;
  approval::Policy policy_;
  std::shared_ptr<ApprovalReplay> replay_;
  IdentityService identity_;
  // The facts of the accounts this service read: an account's number, registry and type never
  // change once it is opened (a store updates only its state), so they are read once, not by
  // every decision (two reads of the store per proposal).
  static constexpr size_t kFactsKept = 4096;
  std::unordered_map<std::string, approval::AccountFacts> facts_;
};

}  // namespace jcm::service
