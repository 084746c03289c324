// Internal to the service's external transfers (service/exchange_transfers.h): the state every
// step decides on, replayed from the journal's "exchange.*" family — the peers (PeerBook), the
// transfers, outbox and sequence numbers (TransferBook) and what only the service needs: which
// idempotency key proposed which transfer, when each transfer started and how often this
// registry has asked about it (the retry times), the check a receiver gave with its rejection,
// and which incoming transfers were escalated. Then the helpers every step shares: building a
// signed message, queueing it in the event that reports it, and appending with the exchange
// family head as lock (nullopt when another process moved it: check 23, decide again).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/record.h"
#include "core/registry_code.h"
#include "core/status.h"
#include "exchange/envelope.h"
#include "exchange/peers.h"
#include "exchange/reconciliation_book.h"
#include "exchange/transfer_book.h"
#include "ledger/audit.h"
#include "service/errors.h"
#include "service/exchange_transfers.h"
#include "store/store.h"

namespace jcm::service::internal {

// Event kinds the service adds to the TransferBook's (docs/formats/journal.md). Persisted.
inline constexpr std::string_view kEventMessageReceived = "exchange.message_received";
inline constexpr std::string_view kEventMessageRefused = "exchange.message_refused";
inline constexpr std::string_view kEventIncomingEscalated = "exchange.incoming_escalated";

// Status requests sent about one transfer, and the time the next is due from.
struct RetryCount {
  int sent = 0;
  int64_t last_s = 0;  // the transfer's start, then the last request's time
};

using IncomingKey = std::pair<core::RegistryCode, std::string>;

struct ExchangeState {
  exchange::PeerBook peers;
  exchange::TransferBook book;
  // Reconciliations with each peer: an open inconsistency freezes transfers with it (845).
  exchange::ReconciliationBook reconciliations;
  std::map<std::string, std::string> proposed_by_key;  // idempotency key -> transaction
  std::set<std::string> proposal_queued;               // outgoing transactions
  std::map<std::string, RetryCount> outgoing_retries;
  std::map<IncomingKey, RetryCount> incoming_retries;
  std::map<std::string, std::pair<int, std::string>> outgoing_checks;  // the receiver's
  std::map<IncomingKey, std::pair<int, std::string>> incoming_checks;  // this registry's
  std::set<IncomingKey> escalated;
  int64_t last_seq = 0;  // the family head: the lock of the next append

  core::Status Apply(const ledger::JournalEntry& entry);
  // The transfer's machine with its retry time set from the requests sent.
  exchange::OutgoingTransfer Outgoing(const std::string& transaction) const;
  exchange::IncomingTransfer Incoming(const IncomingKey& key) const;
};

core::Result<ExchangeState> ReadExchangeState(store::Store& store);

core::Result<int64_t> UnixSecondsOf(std::string_view iso);
std::string IsoOfUnixSeconds(int64_t seconds);
core::Result<int64_t> NowSeconds(const ExchangeIdentity& identity);

// The signed wire form of a message from `identity` to `peer`.
std::string SignedWire(const ExchangeIdentity& identity, const core::RegistryCode& peer,
                       int64_t seq, const std::string& transaction, exchange::MessageKind kind,
                       int64_t now_s, core::Record body);

// Adds to `event` the message queued with it ("queued.*"), the next to `peer` in `state`.
void QueueWith(const ExchangeState& state, const ExchangeIdentity& identity,
               const core::RegistryCode& peer, const std::string& transaction,
               exchange::MessageKind kind, int64_t now_s, core::Record body, core::Record* event);
// Adds the message that caused `event` ("received.*").
void ReceivedWith(const exchange::Envelope& message, core::Record* event);

// Submits `command` whose event was decided on `state`: nullopt when check 23 says another
// process journaled an exchange event meanwhile (decide again), else the outcome (a rejection
// in it is the ledger's).
core::Result<std::optional<store::Outcome>> SubmitLocked(store::Store& store,
                                                         const ledger::Command& command);
// An exchange event alone, locked on `state`'s head.
core::Result<std::optional<store::Outcome>> AppendLocked(store::Store& store,
                                                         const ExchangeState& state,
                                                         std::string_view kind, core::Record body);

// Runs `attempt(state)` on a fresh state until it decides on a head nobody moved (nullopt from
// the attempt means check 23); Unavailable after a few tries.
template <typename T, typename Attempt>
core::Result<T> DecideLocked(store::Store& store, Attempt attempt) {
  constexpr int kAttempts = 8;
  for (int i = 0; i < kAttempts; ++i) {
    JCM_ASSIGN_OR_RETURN(ExchangeState state, ReadExchangeState(store));
    JCM_ASSIGN_OR_RETURN(std::optional<T> done, attempt(state));
    if (done) return *std::move(done);
  }
  return core::Unavailable("the exchange journal kept moving; try again");
}

// The registry's exchange transit account (type 250); NotFound before its first transfer.
core::Result<std::string> TransitAccountOf(store::Store& store, const core::RegistryCode& self);

// Queues the proposal of every outgoing transfer still proposed whose proposal was never queued
// (a crash between the reservation's write and the proposal's); how many it queued.
core::Result<int> QueueMissingProposals(store::Store& store, const ExchangeIdentity& identity);
// The units' first international transfer (docs/article6.md, "First transfer"): ITMOs that may
// count toward an NDC and were not first transferred before are carried first transferred by
// the authorising Party, whose AEF reports the completion as that first transfer.
void MarkFirstInternationalTransfer(ledger::UnitBlock& block);
// The proposal's message body of outgoing `transaction`, its blocks read from the reservation
// (each marked by MarkFirstInternationalTransfer).
core::Result<core::Record> ProposalBody(store::Store& store, const ExchangeIdentity& identity,
                                        const exchange::OutgoingRecord& transfer);

// The sender's outcome of `transaction`: the completion (its units end) or the release (back to
// the source), with transfer_completed/failed and the outcome message queued, in one write.
// `extra` fields go into the event (received.*, the receiver's check).
core::Result<std::optional<store::Outcome>> FinishOutgoing(
    store::Store& store, const ExchangeIdentity& identity, const ExchangeState& state,
    const std::string& transaction, bool complete, int64_t now_s, const core::Record& extra);

// INV-57 over a journal: every outgoing transfer final or within its time limit at `now_s` (a
// violation at the transfer_proposed entry of each that is not; one when the events do not
// replay).
std::vector<ledger::Violation> AuditExternalTransfers(std::span<const ledger::JournalEntry> journal,
                                                      int64_t now_s);

}  // namespace jcm::service::internal
