// Delivering the outbox, the time-driven steps, the transfers' states, and the registry's
// exchange key (exchange_transfers.h).
#include <map>
#include <set>
#include <utility>

#include "service/exchange_transfers.h"
#include "service/internal/exchange_state.h"
#include "service/internal/key_file.h"

namespace jcm::service {
namespace {

using exchange::MessageKind;
using internal::ExchangeState;
using internal::IncomingKey;

// Messages handed to one peer in a delivery and not yet journaled as delivered. They are
// journaled together, in one entry (one fsync rather than one a message) at most this many at a
// time: after a crash in between, these are sent again and the peer refuses them as replays.
constexpr size_t kDeliveriesPerEntryMax = 64;
struct Delivered {
  int64_t seq = 0;
  int check = 0;  // the peer's refusal; 0: it took the message
};

// Journals the delivery of `sent` to `peer` (exchange.messages_delivered), but of those another
// process marked meanwhile.
core::Status MarkDelivered(store::Store& store, ExchangeStateCache& cache,
                           const core::RegistryCode& peer, const std::vector<Delivered>& sent) {
  return internal::DecideLocked<bool>(
             store, cache,
             [&](const ExchangeState& state) -> core::Result<std::optional<bool>> {
               core::Record event;
               event.Add("peer", peer.str());
               for (const Delivered& message : sent) {
                 const auto owed = state.book.outbox().find({peer, message.seq});
                 if (owed == state.book.outbox().end()) continue;
                 event.Add("delivered", std::to_string(message.seq) + "|" +
                                            std::to_string(message.check) + "|" +
                                            owed->second.kind + "|" + owed->second.transaction);
               }
               if (event.FindAll("delivered").empty()) return std::optional<bool>(false);
               JCM_ASSIGN_OR_RETURN(
                   auto outcome,
                   internal::AppendLocked(store, state, exchange::kEventMessagesDelivered,
                                          std::move(event)));
               if (!outcome) return std::optional<bool>();
               if (outcome->rejection) return core::Internal(outcome->rejection->message);
               return std::optional<bool>(true);
             })
      .status();
}

// A status request about `transaction` to `peer`, queued on its own (exchange.message_queued).
core::Result<std::optional<bool>> AskStatus(store::Store& store, const ExchangeIdentity& identity,
                                            const ExchangeState& state,
                                            const core::RegistryCode& peer,
                                            const std::string& transaction, int64_t now_s) {
  const int64_t seq = state.book.NextSendSeq(peer);
  core::Record event;
  event.Add("peer", peer.str()).AddInt("seq", seq).Add("transaction", transaction);
  event.Add("kind", exchange::MessageKindName(MessageKind::kStatusRequest));
  event.Add("wire", internal::SignedWire(identity, peer, seq, transaction,
                                         MessageKind::kStatusRequest, now_s, core::Record()));
  JCM_ASSIGN_OR_RETURN(
      auto outcome,
      internal::AppendLocked(store, state, exchange::kEventMessageQueued, std::move(event)));
  if (!outcome) return std::optional<bool>();
  if (outcome->rejection) return core::Internal(outcome->rejection->message);
  return std::optional<bool>(true);
}

enum class TickAction : uint8_t { kNone, kFailed, kAsked, kEscalated };
using TickAttempt = core::Result<std::optional<TickAction>>;

// The first due step of an outgoing transfer (fail at its deadline, or ask its receiver).
TickAttempt TickOutgoing(store::Store& store, const ExchangeIdentity& identity,
                         const ExchangeState& state, int64_t now_s) {
  for (const auto& [transaction, transfer] : state.book.outgoing()) {
    const exchange::SenderStep step = exchange::OnSenderTick(state.Outgoing(transaction), now_s);
    if (step == exchange::SenderStep::kFail) {
      core::Record extra;
      extra.Add("reason", "the time limit passed");
      JCM_ASSIGN_OR_RETURN(
          auto outcome,
          internal::FinishOutgoing(store, identity, state, transaction, false, now_s, extra));
      if (!outcome) return std::optional<TickAction>();
      return std::optional<TickAction>(TickAction::kFailed);
    }
    if (step == exchange::SenderStep::kAskStatus) {
      JCM_ASSIGN_OR_RETURN(auto asked,
                           AskStatus(store, identity, state, transfer.peer, transaction, now_s));
      if (!asked) return std::optional<TickAction>();
      return std::optional<TickAction>(TickAction::kAsked);
    }
  }
  return std::optional<TickAction>(TickAction::kNone);
}

// The first due step of an incoming transfer still pending (ask its sender, or escalate once).
TickAttempt TickIncoming(store::Store& store, const ExchangeIdentity& identity,
                         const ExchangeState& state, int64_t now_s) {
  for (const auto& [key, transfer] : state.book.incoming()) {
    exchange::ReceiverStep step = exchange::OnReceiverTick(state.Incoming(key), now_s);
    // Escalated once, a pending transfer is still asked about (at the longest delay): only the
    // sender's answer ends it, and reconciliation is for the operator, not instead of it.
    if (step == exchange::ReceiverStep::kEscalate && state.escalated.contains(key)) {
      step = exchange::ReceiverStep::kAskStatus;
    }
    if (step == exchange::ReceiverStep::kAskStatus) {
      JCM_ASSIGN_OR_RETURN(auto asked,
                           AskStatus(store, identity, state, key.first, key.second, now_s));
      if (!asked) return std::optional<TickAction>();
      return std::optional<TickAction>(TickAction::kAsked);
    }
    if (step == exchange::ReceiverStep::kEscalate) {
      core::Record event;
      event.Add("peer", key.first.str()).Add("transaction", key.second);
      event.Add("reason", "no answer to " + std::to_string(exchange::kRetriesBeforeEscalation) +
                              " status requests: for reconciliation");
      JCM_ASSIGN_OR_RETURN(auto outcome,
                           internal::AppendLocked(store, state, internal::kEventIncomingEscalated,
                                                  std::move(event)));
      if (!outcome) return std::optional<TickAction>();
      if (outcome->rejection) return core::Internal(outcome->rejection->message);
      return std::optional<TickAction>(TickAction::kEscalated);
    }
  }
  return std::optional<TickAction>(TickAction::kNone);
}

// The transfers of `state`, outgoing then incoming.
std::vector<ExternalTransferStatus> ListOf(const ExchangeState& state) {
  std::vector<ExternalTransferStatus> transfers;
  for (const auto& [transaction, record] : state.book.outgoing()) {
    ExternalTransferStatus status;
    status.transaction = transaction;
    status.peer = record.peer.str();
    status.direction = "outgoing";
    status.state = exchange::Reported(record.machine.state);
    status.quantity = record.quantity;
    status.from_account = record.from_account;
    status.to_account = record.to_account;
    status.deadline_s = record.machine.deadline_s;
    status.deadline_utc = internal::IsoOfUnixSeconds(record.machine.deadline_s);
    if (const auto check = state.outgoing_checks.find(transaction);
        check != state.outgoing_checks.end()) {
      status.check = check->second.first;
      status.check_name = check->second.second;
    }
    transfers.push_back(std::move(status));
  }
  for (const auto& [key, record] : state.book.incoming()) {
    ExternalTransferStatus status;
    status.transaction = key.second;
    status.peer = key.first.str();
    status.direction = "incoming";
    status.state = exchange::Reported(record.machine.state);
    status.quantity = record.quantity;
    status.to_account = record.to_account;
    if (const auto check = state.incoming_checks.find(key); check != state.incoming_checks.end()) {
      status.check = check->second.first;
      status.check_name = check->second.second;
    }
    status.escalated = state.escalated.contains(key);
    transfers.push_back(std::move(status));
  }
  return transfers;
}

}  // namespace

std::string DefaultExchangeKeyPath(const std::string& db_path) {
  return db_path + ".exchange-key.pem";
}

core::Result<core::Ed25519PrivateKey> CreateExchangeKey(const std::string& path) {
  return internal::CreateKeyFile(path, "exchange key");
}

core::Result<core::Ed25519PrivateKey> LoadExchangeKey(const std::string& path) {
  return internal::LoadKeyFile(path, "exchange key", "jcm exchange keygen");
}

core::Result<core::RegistryCode> LocalRegistry(store::Store& store) {
  JCM_ASSIGN_OR_RETURN(std::vector<std::string> registries, store.ListRegistries());
  if (registries.size() != 1) {
    return core::FailedPrecondition(
        "an exchanging registry's database holds exactly one registry, this one holds " +
        std::to_string(registries.size()));
  }
  return core::RegistryCode::Parse(registries[0]);
}

core::Result<DeliveryResult> DeliverOutbox(store::Store& store, const Transport& send,
                                           ExchangeStateCache* cache) {
  ExchangeStateCache local;
  ExchangeStateCache& shared = internal::CacheOr(cache, local);
  // Copied out of the cache, whose lock is not held while a transport sends.
  using Outbox = std::map<std::pair<core::RegistryCode, int64_t>, exchange::QueuedMessage>;
  using Peers = std::map<core::RegistryCode, exchange::PeerRecord>;
  JCM_ASSIGN_OR_RETURN(auto owed, internal::ReadCached(store, shared, [](const ExchangeState& s) {
                         return std::make_pair(Outbox(s.book.outbox()), Peers(s.peers.peers()));
                       }));
  const auto& [outbox, peers] = owed;
  DeliveryResult result;
  std::set<core::RegistryCode> unreachable;
  std::map<core::RegistryCode, std::vector<Delivered>> sent;  // not yet journaled
  for (const auto& [key, message] : outbox) {
    const core::RegistryCode& peer = key.first;
    if (unreachable.contains(peer)) continue;  // in order per peer: none after one not sent
    const auto configured = peers.find(peer);
    core::Result<PeerReply> reply = configured == peers.end()
                                        ? core::Result<PeerReply>(core::NotFound("no such peer"))
                                        : send(configured->second, message.wire);
    if (!reply.ok() || !reply->delivered) {
      unreachable.insert(peer);
      continue;
    }
    std::vector<Delivered>& to_peer = sent[peer];
    to_peer.push_back({key.second, reply->refusal ? reply->refusal->check : 0});
    ++(reply->refusal ? result.refused : result.delivered);
    if (to_peer.size() == kDeliveriesPerEntryMax) {
      JCM_RETURN_IF_ERROR(MarkDelivered(store, shared, peer, to_peer));
      to_peer.clear();
    }
  }
  for (const auto& [peer, to_peer] : sent) {
    if (!to_peer.empty()) JCM_RETURN_IF_ERROR(MarkDelivered(store, shared, peer, to_peer));
  }
  result.unreachable_peers = static_cast<int>(unreachable.size());
  JCM_ASSIGN_OR_RETURN(result.owed, internal::ReadCached(store, shared, [](const ExchangeState& s) {
                         return static_cast<int>(s.book.outbox().size());
                       }));
  return result;
}

core::Result<TickResult> ExchangeTick(store::Store& store, const ExchangeIdentity& identity,
                                      ExchangeStateCache* cache) {
  JCM_ASSIGN_OR_RETURN(const int64_t now_s, internal::NowSeconds(identity));
  ExchangeStateCache local;
  ExchangeStateCache& shared = internal::CacheOr(cache, local);
  JCM_RETURN_IF_ERROR(internal::QueueMissingProposals(store, identity, shared).status());
  TickResult result;
  for (;;) {
    JCM_ASSIGN_OR_RETURN(const TickAction action,
                         internal::DecideLocked<TickAction>(
                             store, shared, [&](const ExchangeState& state) -> TickAttempt {
                               JCM_ASSIGN_OR_RETURN(auto outgoing,
                                                    TickOutgoing(store, identity, state, now_s));
                               if (!outgoing || *outgoing != TickAction::kNone) return outgoing;
                               return TickIncoming(store, identity, state, now_s);
                             }));
    switch (action) {
      case TickAction::kNone:
        return result;
      case TickAction::kFailed:
        ++result.failed;
        break;
      case TickAction::kAsked:
        ++result.status_requests;
        break;
      case TickAction::kEscalated:
        ++result.escalated;
        break;
    }
  }
}

core::Result<std::vector<ExternalTransferStatus>> ListExternalTransfers(store::Store& store,
                                                                        ExchangeStateCache* cache) {
  ExchangeStateCache local;
  return internal::ReadCached(store, internal::CacheOr(cache, local), ListOf);
}

}  // namespace jcm::service
