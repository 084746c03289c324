// External transfers between registries (docs/exchange.md; issue 12 §1–2): the use cases every
// front end shares — the CLI's `jcm exchange transfer|deliver|tick|status` between two database
// files, the server's `POST /api/v1/exchange/messages` and its delivery loop.
//
// CONTRACT (written before the implementation so the CLI, the server and the fault tests can be
// built in parallel; extend it, do not change what is here without telling every user):
//
// - Every decision is the pure exchange module's (envelope.h gate, transfer.h machines,
//   transfer_book.h state) over the book replayed from the journal's "exchange.*" family; every
//   state change is journaled with the exchange family head as its lock (check 23; decide again
//   when another process moved it), and a ledger write (reservation, release, completion,
//   acquisition) goes with its exchange.* event in one write batch (ledger::ExecuteDecision).
// - Nothing here sends anything. A message to a peer is queued in the outbox (journaled, signed)
//   by the same write that records the state change it reports; DeliverOutbox hands the owed
//   messages to a transport the caller gives (another database file, HTTP, a test proxy).
// - Receiving is synchronous and final: ReceiveMessage returns only after the message and what
//   it caused (state change, reply queued, or its refusal) are durable. A refused message is
//   journaled too (exchange.message_refused) with its check, never its content's secrets.
// - Times come from the store's injected clock, so tests move time instead of sleeping.
// - The state a call decides on is kept between calls in an ExchangeStateCache (below) when the
//   caller gives one, and read incrementally: only the journal's exchange.* entries after the
//   last one the cache applied. Without one, a call keeps its own for its duration.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "core/ed25519.h"
#include "core/registry_code.h"
#include "core/status.h"
#include "exchange/peers.h"
#include "exchange/transfer.h"
#include "service/errors.h"
#include "store/store.h"

namespace jcm::service {

namespace internal {
struct CachedExchangeState;
}

// The exchange's state (peers, transfer book, reconciliations: internal/exchange_state.h) kept
// between the use cases' calls by a long-lived front end — `jcm serve` holds one for its
// database, shared by the receiving route and the delivery loop — so a call reads only the
// exchange.* entries journaled after the last one the cache applied, not the whole family from
// seq 1 (an O(N) replay per call made a server's rate fall as its history grew).
//
// The cache is never trusted alone: every call first reads the journal's tail from the entry the
// cache was last brought to, and uses the cache only when that entry is still there with the
// same hash (a hash-chain entry fixes every entry before it); otherwise it replays from seq 1. So
// another process writing the same database (two `jcm` commands on one SQLite file, several
// servers on one PostgreSQL database) is seen at the next call, and a cache used with another
// store than before is either still right for it (the same journal) or replayed. Decisions still
// commit with the family head they were decided on as their lock (check 23) and are decided
// again on the refreshed state when another writer moved it.
//
// Thread-safe: calls sharing a cache take its lock while they read the tail, decide and append
// (never while a transport sends), so they run one at a time, as the family-head lock would
// make them anyway. Holds a copy of the exchange state: memory grows with the exchange's
// history, as the replay did per call.
class ExchangeStateCache {
 public:
  ExchangeStateCache();
  ~ExchangeStateCache();
  ExchangeStateCache(const ExchangeStateCache&) = delete;
  ExchangeStateCache& operator=(const ExchangeStateCache&) = delete;

  // Waits until a write through this cache queued messages (a reply the receiving route queued,
  // a status request of a tick; not a delivery marked, which owes nothing new), `timeout`
  // passed, or `stop` was requested (then false).
  // For one waiter, the delivery loop: a write made while it was not waiting ends its next wait
  // at once, so a reply goes out now rather than a whole interval later.
  bool WaitForOwedMessages(std::stop_token stop, std::chrono::milliseconds timeout);

  // For the service's internals.
  internal::CachedExchangeState& cached() { return *cached_; }

 private:
  std::unique_ptr<internal::CachedExchangeState> cached_;
};

// The registry's signing key for envelopes: an Ed25519 PKCS#8 PEM file beside the database
// (docs/exchange.md: never in the database, whose copies are shared for audit and backup).
std::string DefaultExchangeKeyPath(const std::string& db_path);  // DB + ".exchange-key.pem"
// Creates a new key in `path` (mode 0600, refusing to overwrite: AlreadyExists) and returns it.
core::Result<core::Ed25519PrivateKey> CreateExchangeKey(const std::string& path);
// FailedPrecondition naming the file and `jcm exchange keygen` when it is absent or not a key.
core::Result<core::Ed25519PrivateKey> LoadExchangeKey(const std::string& path);

// Who this registry is in the exchange: its code (one registry the database holds) and key, and
// the clock the store stamps its entries with (the time limits' "now"; required by every use
// case that decides on time: propose, receive, tick — FailedPrecondition when null).
struct ExchangeIdentity {
  core::RegistryCode self;
  core::Ed25519PrivateKey key;
  store::Clock* clock = nullptr;
};
// The one registry `store` holds (FailedPrecondition when none or several: then name it).
core::Result<core::RegistryCode> LocalRegistry(store::Store& store);

// The limit a proposal must complete within (the sender fails it afterwards); written into the
// proposal's event so the audit can judge "final or within its time limit".
inline constexpr int64_t kDefaultTransferTimeLimitSeconds = 24 * 3600;

struct ExternalTransferRequest {
  std::string from_account;  // this registry's
  std::string to_account;    // an account number of a configured peer's registry
  int64_t quantity = 0;
  std::string idempotency_key;  // empty: none
  std::string by;               // the user, for the journal
  int64_t time_limit_s = kDefaultTransferTimeLimitSeconds;
};

struct ProposedTransfer {
  std::string transaction;      // "JP:7": the exchange transaction id
  int64_t reservation_seq = 0;  // the ledger entry that reserved the units
  bool replayed = false;        // the same idempotency key and request again
};

// Checks the transfer as the ledger checks any (6–10, 17–20, 830, 831), then reserves the units,
// journals exchange.transfer_proposed and queues the signed proposal, in one write.
// `cache`, in this and the other use cases: the state kept between calls (above); null: one
// kept for this call only.
core::Result<OrRejection<ProposedTransfer>> ProposeExternalTransfer(
    store::Store& store, const ExchangeIdentity& identity, const ExternalTransferRequest& request,
    ExchangeStateCache* cache = nullptr);

// What receiving one message did.
struct ReceiveResult {
  std::string transaction;  // the exchange transaction it concerned
  std::string kind;         // exchange::MessageKindName
  std::string effect;       // e.g. "pending", "rejected", "completed", "ignored", "answered"
  int64_t journal_seq = 0;  // the entry that recorded it
};

// Gate (800–804), then the machine's step (810–812, and this registry's own checks on a
// proposal, whose failures become a rejection answer rather than a refusal). A Rejection here
// means the message itself was refused (and journaled as such); the sender should not resend it.
// `certified_as`: under mutual TLS, the subject commonName of the client certificate the message
// came with; a message from another registry than the one it names is refused (836), after the
// gate (docs/exchange.md, "Between two servers"). nullopt: no certificate (the signature names
// the sender). `cache`: as for every use case here (ExchangeStateCache above).
core::Result<OrRejection<ReceiveResult>> ReceiveMessage(
    store::Store& store, const ExchangeIdentity& identity, std::string_view wire,
    const std::optional<std::string>& certified_as = std::nullopt,
    ExchangeStateCache* cache = nullptr);

// The time-driven steps at the clock's now: fail overdue proposals (releasing their units and
// queueing "failed"), queue status requests whose retry time has come, escalate long-pending
// incoming transfers. Never waits on a peer.
struct TickResult {
  int failed = 0;
  int status_requests = 0;
  int escalated = 0;
};
core::Result<TickResult> ExchangeTick(store::Store& store, const ExchangeIdentity& identity,
                                      ExchangeStateCache* cache = nullptr);

// A transport hands one signed message to `peer` and returns what the receiver said: delivered
// (received, including a receiver's refusal of a replay, 803, which means it has it already), or
// an error status when it could not reach the peer (the message stays owed; try later).
struct PeerReply {
  bool delivered = false;
  std::optional<Rejection> refusal;  // the receiver refused it (journaled here too)
};
using Transport =
    std::function<core::Result<PeerReply>(const exchange::PeerRecord& peer, std::string_view wire)>;

// Sends the owed messages in order, per peer, through `send`, journaling each delivery
// (exchange.message_delivered). A peer that cannot be reached is skipped (its messages stay
// owed, retried with back-off on the next call); the others go on.
struct DeliveryResult {
  int delivered = 0;
  int refused = 0;
  int unreachable_peers = 0;
  int owed = 0;  // still owed after this call
};
core::Result<DeliveryResult> DeliverOutbox(store::Store& store, const Transport& send,
                                           ExchangeStateCache* cache = nullptr);

// A transaction's state as this registry holds it (both sides), for `jcm exchange status`,
// the API and status requests.
struct ExternalTransferStatus {
  std::string transaction;
  std::string peer;
  std::string direction;  // "outgoing" or "incoming"
  exchange::ReportedState state = exchange::ReportedState::kUnknown;
  int64_t quantity = 0;
  std::string from_account;
  std::string to_account;
  int64_t deadline_s = 0;    // outgoing: when it fails if not completed
  std::string deadline_utc;  // the same, "YYYY-MM-DDTHH:MM:SSZ"
  // Rejected by the receiver (or, outgoing, failed on its rejection): the receiver's check.
  int check = 0;
  std::string check_name;
  bool escalated = false;  // incoming: reported for reconciliation (never answered)
};
core::Result<std::vector<ExternalTransferStatus>> ListExternalTransfers(
    store::Store& store, ExchangeStateCache* cache = nullptr);

}  // namespace jcm::service
