// Delivering the outbox, the time-driven steps, the transfers' states, and the registry's
// exchange key (exchange_transfers.h).
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

// Journals the delivery of (peer, seq) unless another process did meanwhile.
core::Status MarkDelivered(store::Store& store, const core::RegistryCode& peer, int64_t seq,
                           const std::optional<Rejection>& refusal) {
  return internal::DecideLocked<bool>(
             store,
             [&](const ExchangeState& state) -> core::Result<std::optional<bool>> {
               const auto owed = state.book.outbox().find({peer, seq});
               if (owed == state.book.outbox().end()) return std::optional<bool>(false);
               core::Record event;
               event.Add("peer", peer.str()).AddInt("seq", seq);
               event.Add("transaction", owed->second.transaction).Add("kind", owed->second.kind);
               if (refusal) event.AddInt("refused", refusal->check);
               JCM_ASSIGN_OR_RETURN(
                   auto outcome,
                   internal::AppendLocked(store, state, exchange::kEventMessageDelivered,
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

core::Result<DeliveryResult> DeliverOutbox(store::Store& store, const Transport& send) {
  DeliveryResult result;
  JCM_ASSIGN_OR_RETURN(ExchangeState state, internal::ReadExchangeState(store));
  std::set<core::RegistryCode> unreachable;
  for (const auto& [key, message] : state.book.outbox()) {
    const core::RegistryCode& peer = key.first;
    if (unreachable.contains(peer)) continue;  // in order per peer: none after one not sent
    const auto configured = state.peers.peers().find(peer);
    core::Result<PeerReply> reply = configured == state.peers.peers().end()
                                        ? core::Result<PeerReply>(core::NotFound("no such peer"))
                                        : send(configured->second, message.wire);
    if (!reply.ok() || !reply->delivered) {
      unreachable.insert(peer);
      continue;
    }
    JCM_RETURN_IF_ERROR(MarkDelivered(store, peer, key.second, reply->refusal));
    ++(reply->refusal ? result.refused : result.delivered);
  }
  result.unreachable_peers = static_cast<int>(unreachable.size());
  JCM_ASSIGN_OR_RETURN(ExchangeState after, internal::ReadExchangeState(store));
  result.owed = static_cast<int>(after.book.outbox().size());
  return result;
}

core::Result<TickResult> ExchangeTick(store::Store& store, const ExchangeIdentity& identity) {
  JCM_ASSIGN_OR_RETURN(const int64_t now_s, internal::NowSeconds(identity));
  JCM_RETURN_IF_ERROR(internal::QueueMissingProposals(store, identity).status());
  TickResult result;
  for (;;) {
    JCM_ASSIGN_OR_RETURN(
        const TickAction action,
        internal::DecideLocked<TickAction>(store, [&](const ExchangeState& state) -> TickAttempt {
          JCM_ASSIGN_OR_RETURN(auto outgoing, TickOutgoing(store, identity, state, now_s));
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

core::Result<std::vector<ExternalTransferStatus>> ListExternalTransfers(store::Store& store) {
  JCM_ASSIGN_OR_RETURN(ExchangeState state, internal::ReadExchangeState(store));
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

}  // namespace jcm::service
