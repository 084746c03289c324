// TransferBook: this registry's external transfers and the messages it owes its peers, replayed
// from the journal's "exchange.*" events (docs/exchange.md, "The transfer book"), as PeerBook
// replays the peers: no table, the journal is the record. The service
// (service/exchange_transfers.h) decides with transfer.h's state machines over this state and
// journals each step as one of the events below — a ledger write (reservation, release, completion,
// acquisition) and its event in one write batch (ledger::ExecuteDecision) — so a crash never leaves
// units and state apart.
//
// Outgoing messages are an outbox: each is journaled (`exchange.message_queued`, its signed wire
// form included) before anything sends it, and stays owed until `exchange.messages_delivered`
// names it (`exchange.message_delivered`, one message an entry, in journals before 2026-12);
// so a crash loses no message, and a delivery repeated after a crash is one the receiver's gate
// refuses as a replay (803). Sequence numbers per peer come from the book: the next sent is one
// more than the last queued, the gate's "last accepted" is the highest received.
//
// Apply refuses (DataLoss) an event that contradicts the book — a second proposal of one
// transaction, an outcome for a transfer that is not open, a sequence number not above the last
// — which only a damaged journal holds, since every event was decided on the book it extends
// (the family head as lock, check 23). Pure.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/record.h"
#include "core/registry_code.h"
#include "core/status.h"
#include "exchange/transfer.h"

namespace jcm::exchange {

// Event kinds. Persisted: never rename one.
inline constexpr std::string_view kEventTransferProposed = "exchange.transfer_proposed";
inline constexpr std::string_view kEventTransferCompleted = "exchange.transfer_completed";
inline constexpr std::string_view kEventTransferFailed = "exchange.transfer_failed";
inline constexpr std::string_view kEventIncomingPending = "exchange.incoming_pending";
inline constexpr std::string_view kEventIncomingRejected = "exchange.incoming_rejected";
inline constexpr std::string_view kEventIncomingCompleted = "exchange.incoming_completed";
inline constexpr std::string_view kEventIncomingTerminated = "exchange.incoming_terminated";
inline constexpr std::string_view kEventMessageQueued = "exchange.message_queued";
inline constexpr std::string_view kEventMessageDelivered = "exchange.message_delivered";
// Several messages to one peer delivered: "peer", then one "delivered" per message,
// "SEQ|CHECK|KIND|TRANSACTION" (CHECK: the peer's refusal, 0 when it took the message).
inline constexpr std::string_view kEventMessagesDelivered = "exchange.messages_delivered";

// Any event may record the message that caused it: "received.peer" and "received.seq" (the
// gate's last accepted from that peer then moves to it). Any event may also queue the message
// that reports it, in the same write: "queued.peer", "queued.seq", "queued.transaction",
// "queued.kind", "queued.wire" (what exchange.message_queued holds, prefixed), so a state change
// and the message that tells the peer are never apart.
inline constexpr std::string_view kQueuedPrefix = "queued.";

// A transfer this registry sends (transaction ids are the sender's: "JP:1").
struct OutgoingRecord {
  OutgoingTransfer machine;
  core::RegistryCode peer;
  std::string from_account;
  std::string to_account;  // in the peer's registry
  int64_t quantity = 0;
  int64_t reservation = 0;  // the ledger entry of the external_transfer
  friend bool operator==(const OutgoingRecord&, const OutgoingRecord&) = default;
};

// A transfer this registry receives, by (sending peer, its transaction id).
struct IncomingRecord {
  IncomingTransfer machine;
  std::string to_account;
  int64_t quantity = 0;
  std::vector<std::string> blocks;  // as the proposal carried them (ledger block encoding)
  friend bool operator==(const IncomingRecord&, const IncomingRecord&) = default;
};

// An outgoing message not yet delivered.
struct QueuedMessage {
  std::string transaction;
  std::string kind;  // MessageKindName
  std::string wire;  // Envelope::Encode(), signed
  friend bool operator==(const QueuedMessage&, const QueuedMessage&) = default;
};

class TransferBook {
 public:
  // Applies one journal entry of the exchange.* family (peer events and unknown kinds are
  // skipped; `seq` still counts as the family head).
  core::Status Apply(std::string_view kind, const core::Record& body, int64_t seq);

  const std::map<std::string, OutgoingRecord>& outgoing() const { return outgoing_; }
  const std::map<std::pair<core::RegistryCode, std::string>, IncomingRecord>& incoming() const {
    return incoming_;
  }
  // Undelivered messages by (peer, seq), in sending order per peer.
  const std::map<std::pair<core::RegistryCode, int64_t>, QueuedMessage>& outbox() const {
    return outbox_;
  }
  // The seq the next message to `peer` carries (1 for the first).
  int64_t NextSendSeq(const core::RegistryCode& peer) const;
  // The highest seq accepted from each peer: the gate's `last_seq` (envelope.h).
  const std::map<core::RegistryCode, int64_t>& last_received() const { return last_received_; }
  // Outgoing transfers still proposed whose deadline is before `now_s`: to be failed.
  std::vector<std::string> Overdue(int64_t now_s) const;
  // The next transaction id this registry gives: "REG:N", N one more than the proposals so far.
  std::string NextTransactionId(const core::RegistryCode& self) const;
  int64_t last_seq() const { return last_seq_; }
  // Equal books hold the same transfers, outbox and sequence numbers (a book applied entry by
  // entry across calls against one replayed at once: the service's cache).
  friend bool operator==(const TransferBook&, const TransferBook&) = default;

 private:
  core::Status ApplyOutgoing(std::string_view kind, const core::Record& body);
  core::Status ApplyIncoming(std::string_view kind, const core::Record& body);
  core::Status ApplyMessage(std::string_view kind, const core::Record& body);
  core::Status ApplyReceived(const core::Record& body);
  core::Status Queue(const core::Record& body, std::string_view prefix);

  std::map<std::string, OutgoingRecord> outgoing_;
  std::map<std::pair<core::RegistryCode, std::string>, IncomingRecord> incoming_;
  std::map<std::pair<core::RegistryCode, int64_t>, QueuedMessage> outbox_;
  std::map<core::RegistryCode, int64_t> last_queued_;
  std::map<core::RegistryCode, int64_t> last_received_;
  int64_t last_seq_ = 0;
};

}  // namespace jcm::exchange
