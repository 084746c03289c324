// Decide: the ledger's pure decision function. Given what the registry holds (a Reader) and a
// command, it either rejects the command with the first failing numbered check, or returns the
// Delta that the store must write atomically, including the journal entry. It never writes.
// What it returns is a Verdict (the word "decision" is kept for Joint Committee decisions).
//
// Checks run in ascending CheckCode order (check_code.h); a rejected command changes nothing.
// A command whose idempotency key was used before with the same content returns Replay (the
// store answers with the first result); with other content it is rejected (check 1).
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/record.h"
#include "core/status.h"
#include "ledger/check_code.h"
#include "ledger/reader.h"
#include "ledger/types.h"

namespace jcm::ledger {

// Initialises a registry with its government accounts and DefaultPolicy.
struct InitRegistry {
  std::string registry;
};

// Replaces a registry's policy (journaled as "registry.policy").
struct SetRegistryPolicy {
  std::string registry;
  RegistryPolicy policy;
  std::string idempotency_key;
};

struct OpenAccount {
  std::string registry;
  AccountType type = AccountType::kEntityHolding;
  Holder holder;
  std::string idempotency_key;
};

struct ChangeAccountState {
  std::string account;
  AccountState state = AccountState::kOpen;
  std::string reason;
  std::string idempotency_key;
};

// An event of another module (the project cycle, identity and access, four-eyes approval,
// documents, the transparency log's witnesses, programme records, account applications, Article 6
// authorisations, the peers of transfers between registries) journaled through the same chain.
// Kinds start with "cycle.", "identity.", "approval.", "document.", "log.", "programme.",
// "application.", "article6." or "exchange." (InvalidArgument otherwise); the family of a kind
// is that prefix.
struct AppendEvent {
  std::string kind;
  core::Record body;
  std::string idempotency_key;
  // Optimistic concurrency: the seq of the last entry of the kind's family ("cycle.*",
  // "identity.*" or "approval.*") the caller's state was built from (0: none). If another such
  // entry was journaled since, check 23 rejects the event, so two processes never both append
  // against the same state. -1: not checked.
  int64_t expected_last_event_seq = -1;
  // Narrows check 23 to what the decision read (INV-60): when either list is not empty, only an
  // entry of the family journaled after expected_last_event_seq that concerns the decision
  // counts — one whose body has one of `lock_fields` (name, value), or whose kind starts with
  // one of `lock_kinds`. So events about other subjects (approvals of other proposals) no longer
  // refuse this one and can share its write batch. Both empty: every entry of the family counts.
  std::vector<std::pair<std::string, std::string>> lock_fields = {};
  std::vector<std::string> lock_kinds = {};
};

// A project-cycle event that records Joint Committee issuance decisions (the JC's decision: one
// per side with a positive amount), in the same write: the event's entry carries one
// `jc_decision` field per decision (ledger/jc_decision.h). Check 27 when one is malformed.
struct RecordDecisions {
  AppendEvent event;
  std::vector<JcDecision> decisions;
};

// Executes a recorded JC decision (or, on import, a historical one with its evidence): the
// ledger issuance and the project-cycle event that records its execution commit in one write
// batch, as two consecutive journal entries (the issuance, then the event), or not at all. The
// event's field `transaction_field` is set to the issuance entry's seq. The idempotency key of the
// issuance covers both.
//
// The same pairing executes an approved proposal (src/approval): `issuance` is then the
// transfer, retirement or cancellation and `event` its approval.executed event, so no proposal
// is ever executed in the ledger without the event that completes it (INV-18). An issuance goes
// with a cycle.* event, an external transfer's transaction (reservation, release, completion,
// acquisition) with an exchange.* event that records its state, any other transaction with an
// approval.* event (InvalidArgument else).
struct ExecuteDecision {
  TransactionRequest issuance;
  AppendEvent event;
  std::string transaction_field = "ledger_transaction";
};

using Command = std::variant<TransactionRequest, InitRegistry, SetRegistryPolicy, OpenAccount,
                             ChangeAccountState, AppendEvent, RecordDecisions, ExecuteDecision>;

// The writes of one accepted command, applied atomically by the store.
struct Delta {
  std::vector<std::pair<core::RegistryCode, RegistryCounters>> registries;  // upserted
  std::vector<std::pair<core::RegistryCode, RegistryPolicy>> policies;      // upserted
  std::vector<JcDecision> decisions;  // upserted by (id, registry): recorded or executed
  std::vector<Account> accounts;      // upserted
  std::vector<int64_t> blocks_ended;  // ids; ended_seq = entry.seq
  // The holding account and units of each ended block, in blocks_ended order (what the stores'
  // balances lose, without reading the block back).
  std::vector<std::pair<std::string, int64_t>> units_ended;
  std::vector<UnitBlock> blocks_created;
  JournalEntry entry;
  // ExecuteDecision: the project-cycle event, written right after `entry` and chained to it.
  std::optional<JournalEntry> follow_entry;
  std::string idempotency_key;  // empty: none
  std::string idempotency_digest;
};

struct Replay {
  int64_t seq = 0;  // the entry the first request produced
};

using Verdict = std::variant<Rejection, Delta, Replay>;

struct Context {
  std::string time;  // ISO 8601 UTC, from the injected clock
};

core::Result<Verdict> Decide(Reader& reader, const Command& command, const Context& context);

// The blocks an entry created, decoded from its body (for results and audit).
core::Result<std::vector<UnitBlock>> CreatedBlocks(const JournalEntry& entry);

}  // namespace jcm::ledger
