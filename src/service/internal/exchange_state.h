// Internal to the service's external transfers (service/exchange_transfers.h): the state every
// step decides on, replayed from the journal's "exchange.*" family — the peers (PeerBook), the
// transfers, outbox and sequence numbers (TransferBook) and what only the service needs: which
// idempotency key proposed which transfer, when each transfer started and how often this
// registry has asked about it (the retry times), the check a receiver gave with its rejection,
// and which incoming transfers were escalated. Then the helpers every step shares: building a
// signed message, queueing it in the event that reports it, and appending with the exchange
// family head as lock (nullopt when another process moved it: check 23, decide again).
//
// The state is kept between calls in an ExchangeStateCache (exchange_transfers.h), brought up to
// the journal by RefreshExchangeState before every use: DecideLocked and ReadCached take the
// cache's lock, refresh, and hand the attempt the cached state.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <type_traits>
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
  friend bool operator==(const RetryCount&, const RetryCount&) = default;
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
  // Equal states decide alike (the cache's property test: cached equals replayed).
  friend bool operator==(const ExchangeState&, const ExchangeState&) = default;
};

// The whole family replayed from seq 1.
core::Result<ExchangeState> ReadExchangeState(store::Store& store);

// What an ExchangeStateCache holds.
struct CachedExchangeState {
  std::mutex mu;
  ExchangeState state;     // GUARDED_BY(mu)
  std::string state_hash;  // GUARDED_BY(mu): the hash of the entry at state.last_seq
  int64_t replays = 0;     // GUARDED_BY(mu): replays from seq 1 (the first, and any mismatch)
  // Decisions that wrote and left messages owed, and how many of them the waiter has seen.
  std::condition_variable_any owed;
  int64_t owed_writes = 0;       // GUARDED_BY(mu)
  int64_t owed_writes_seen = 0;  // GUARDED_BY(mu)
};

// Brings `cached` up to `store`'s journal: the exchange.* entries from state.last_seq on, the
// first of which must be that entry with the same hash (else the state is replayed from seq 1).
// On an error the state is dropped (replayed at the next call). REQUIRES: cached.mu held.
core::Status RefreshExchangeState(CachedExchangeState& cached, store::Store& store);

// After a decision of DecideLocked: refreshed, and when it queued messages (the outbox, of
// `outbox_before` messages before it, grew), the waiter of WaitForOwedMessages woken — not for
// a delivery marked nor a write that left owed only what was owed before, else a peer that is
// down would end every wait at once. REQUIRES: cached.mu held.
void NoteDecision(CachedExchangeState& cached, store::Store& store, size_t outbox_before);

// `read(state)` on the refreshed state of `cache`, under its lock.
template <typename Read>
auto ReadCached(store::Store& store, ExchangeStateCache& cache, Read read)
    -> core::Result<std::invoke_result_t<Read, const ExchangeState&>> {
  CachedExchangeState& cached = cache.cached();
  std::lock_guard lock(cached.mu);
  JCM_RETURN_IF_ERROR(RefreshExchangeState(cached, store));
  return read(static_cast<const ExchangeState&>(cached.state));
}

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

// Runs `attempt(state)` on the refreshed state of `cache`, under its lock, until it decides on a
// head nobody moved (nullopt from the attempt means check 23); Unavailable after a few tries.
// The attempt must not use `cache` itself (its lock is held).
template <typename T, typename Attempt>
core::Result<T> DecideLocked(store::Store& store, ExchangeStateCache& cache, Attempt attempt) {
  constexpr int kAttempts = 8;
  CachedExchangeState& cached = cache.cached();
  for (int i = 0; i < kAttempts; ++i) {
    std::lock_guard lock(cached.mu);
    JCM_RETURN_IF_ERROR(RefreshExchangeState(cached, store));
    const size_t outbox_before = cached.state.book.outbox().size();
    JCM_ASSIGN_OR_RETURN(std::optional<T> done,
                         attempt(static_cast<const ExchangeState&>(cached.state)));
    if (done) {
      NoteDecision(cached, store, outbox_before);
      return *std::move(done);
    }
  }
  return core::Unavailable("the exchange journal kept moving; try again");
}

// `*cache`, or `local` when it is null (a cache for one call).
inline ExchangeStateCache& CacheOr(ExchangeStateCache* cache, ExchangeStateCache& local) {
  return cache != nullptr ? *cache : local;
}

// The registry's exchange transit account (type 250); NotFound before its first transfer.
core::Result<std::string> TransitAccountOf(store::Store& store, const core::RegistryCode& self);

// Queues the proposal of every outgoing transfer still proposed whose proposal was never queued
// (a crash between the reservation's write and the proposal's); how many it queued.
core::Result<int> QueueMissingProposals(store::Store& store, const ExchangeIdentity& identity,
                                        ExchangeStateCache& cache);
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
