#include "exchange/transfer_book.h"

#include <algorithm>

#include "core/split.h"

namespace jcm::exchange {
namespace {

core::Result<int64_t> GetInt(const core::Record& body, std::string_view key) {
  JCM_ASSIGN_OR_RETURN(std::string text, body.Get(std::string(key)));
  std::optional<int64_t> value = core::ParseInt64(text);
  if (!value) return core::DataLoss("field " + std::string(key) + " is not an integer: " + text);
  return *value;
}

core::Result<core::RegistryCode> GetPeer(const core::Record& body, std::string_view key) {
  JCM_ASSIGN_OR_RETURN(std::string text, body.Get(std::string(key)));
  core::Result<core::RegistryCode> code = core::RegistryCode::Parse(text);
  if (!code.ok()) return core::DataLoss("field " + std::string(key) + " is no registry code");
  return *code;
}

}  // namespace

core::Status TransferBook::Apply(std::string_view kind, const core::Record& body, int64_t seq) {
  last_seq_ = std::max(last_seq_, seq);
  if (kind.starts_with("exchange.transfer_")) JCM_RETURN_IF_ERROR(ApplyOutgoing(kind, body));
  if (kind.starts_with("exchange.incoming_")) JCM_RETURN_IF_ERROR(ApplyIncoming(kind, body));
  // exchange.message_* and exchange.messages_delivered.
  if (kind.starts_with("exchange.message")) JCM_RETURN_IF_ERROR(ApplyMessage(kind, body));
  if (kind != kEventMessageQueued && body.Find(std::string(kQueuedPrefix) + "seq")) {
    JCM_RETURN_IF_ERROR(Queue(body, kQueuedPrefix));
  }
  return ApplyReceived(body);
}

core::Status TransferBook::ApplyOutgoing(std::string_view kind, const core::Record& body) {
  JCM_ASSIGN_OR_RETURN(std::string transaction, body.Get("transaction"));
  auto found = outgoing_.find(transaction);
  if (kind == kEventTransferProposed) {
    if (found != outgoing_.end())
      return core::DataLoss("transfer " + transaction + " proposed twice");
    OutgoingRecord record;
    JCM_ASSIGN_OR_RETURN(record.peer, GetPeer(body, "peer"));
    JCM_ASSIGN_OR_RETURN(record.from_account, body.Get("from"));
    JCM_ASSIGN_OR_RETURN(record.to_account, body.Get("to"));
    JCM_ASSIGN_OR_RETURN(record.quantity, GetInt(body, "quantity"));
    JCM_ASSIGN_OR_RETURN(record.reservation, GetInt(body, "reservation"));
    JCM_ASSIGN_OR_RETURN(record.machine.deadline_s, GetInt(body, "deadline"));
    outgoing_[transaction] = std::move(record);
    return core::OkStatus();
  }
  const bool completed = kind == kEventTransferCompleted;
  if (!completed && kind != kEventTransferFailed) return core::OkStatus();
  if (found == outgoing_.end() || found->second.machine.state != OutgoingState::kProposed) {
    return core::DataLoss("an outcome for transfer " + transaction + ", which is not proposed");
  }
  found->second.machine.state = completed ? OutgoingState::kCompleted : OutgoingState::kFailed;
  return core::OkStatus();
}

core::Status TransferBook::ApplyIncoming(std::string_view kind, const core::Record& body) {
  JCM_ASSIGN_OR_RETURN(core::RegistryCode peer, GetPeer(body, "peer"));
  JCM_ASSIGN_OR_RETURN(std::string transaction, body.Get("transaction"));
  const auto key = std::make_pair(peer, transaction);
  auto found = incoming_.find(key);
  if (kind == kEventIncomingPending || kind == kEventIncomingRejected) {
    if (found != incoming_.end()) {
      return core::DataLoss("transfer " + peer.str() + " " + transaction + " received twice");
    }
    IncomingRecord record;
    JCM_ASSIGN_OR_RETURN(record.machine.proposal_digest, body.Get("digest"));
    record.machine.state =
        kind == kEventIncomingPending ? IncomingState::kPending : IncomingState::kRejected;
    if (kind == kEventIncomingPending) {
      JCM_ASSIGN_OR_RETURN(record.to_account, body.Get("to"));
      JCM_ASSIGN_OR_RETURN(record.quantity, GetInt(body, "quantity"));
      for (std::string_view block : body.FindAll("block")) record.blocks.emplace_back(block);
    }
    incoming_[key] = std::move(record);
    return core::OkStatus();
  }
  const bool completed = kind == kEventIncomingCompleted;
  if (!completed && kind != kEventIncomingTerminated) return core::OkStatus();
  if (found == incoming_.end() || found->second.machine.state != IncomingState::kPending) {
    return core::DataLoss("an outcome for incoming transfer " + peer.str() + " " + transaction +
                          ", which is not pending");
  }
  found->second.machine.state = completed ? IncomingState::kCompleted : IncomingState::kTerminated;
  return core::OkStatus();
}

core::Status TransferBook::ApplyMessage(std::string_view kind, const core::Record& body) {
  if (kind == kEventMessageQueued) return Queue(body, "");
  if (kind != kEventMessageDelivered && kind != kEventMessagesDelivered) return core::OkStatus();
  JCM_ASSIGN_OR_RETURN(core::RegistryCode peer, GetPeer(body, "peer"));
  std::vector<int64_t> seqs;
  if (kind == kEventMessageDelivered) {
    JCM_ASSIGN_OR_RETURN(const int64_t seq, GetInt(body, "seq"));
    seqs.push_back(seq);
  }
  for (std::string_view delivered : body.FindAll("delivered")) {
    const std::optional<int64_t> seq = core::ParseInt64(core::SplitFields(delivered)[0]);
    if (!seq) {
      return core::DataLoss("a delivered message without its seq: " + std::string(delivered));
    }
    seqs.push_back(*seq);
  }
  if (seqs.empty()) return core::DataLoss("a delivery of no message to " + peer.str());
  for (const int64_t seq : seqs) {
    if (outbox_.erase(std::make_pair(peer, seq)) == 0) {
      return core::DataLoss("message " + std::to_string(seq) + " to " + peer.str() +
                            " delivered but not owed");
    }
  }
  return core::OkStatus();
}

// A message queued by exchange.message_queued (`prefix` empty) or by the event whose state change
// it reports (`prefix` "queued.").
core::Status TransferBook::Queue(const core::Record& body, std::string_view prefix) {
  const auto key = [&](std::string_view name) { return std::string(prefix) + std::string(name); };
  JCM_ASSIGN_OR_RETURN(core::RegistryCode peer, GetPeer(body, key("peer")));
  JCM_ASSIGN_OR_RETURN(int64_t seq, GetInt(body, key("seq")));
  if (seq != NextSendSeq(peer)) {
    return core::DataLoss("message " + std::to_string(seq) + " to " + peer.str() +
                          " queued out of order");
  }
  QueuedMessage message;
  JCM_ASSIGN_OR_RETURN(message.transaction, body.Get(key("transaction")));
  JCM_ASSIGN_OR_RETURN(message.kind, body.Get(key("kind")));
  JCM_ASSIGN_OR_RETURN(message.wire, body.Get(key("wire")));
  outbox_[std::make_pair(peer, seq)] = std::move(message);
  last_queued_[peer] = seq;
  return core::OkStatus();
}

core::Status TransferBook::ApplyReceived(const core::Record& body) {
  if (!body.Find("received.peer")) return core::OkStatus();
  JCM_ASSIGN_OR_RETURN(core::RegistryCode peer, GetPeer(body, "received.peer"));
  JCM_ASSIGN_OR_RETURN(int64_t seq, GetInt(body, "received.seq"));
  int64_t& last = last_received_[peer];
  if (seq <= last) {
    return core::DataLoss("message " + std::to_string(seq) + " from " + peer.str() +
                          " accepted after " + std::to_string(last));
  }
  last = seq;
  return core::OkStatus();
}

int64_t TransferBook::NextSendSeq(const core::RegistryCode& peer) const {
  auto found = last_queued_.find(peer);
  return found == last_queued_.end() ? 1 : found->second + 1;
}

std::vector<std::string> TransferBook::Overdue(int64_t now_s) const {
  std::vector<std::string> overdue;
  for (const auto& [transaction, record] : outgoing_) {
    if (record.machine.state == OutgoingState::kProposed && record.machine.deadline_s < now_s) {
      overdue.push_back(transaction);
    }
  }
  return overdue;
}

std::string TransferBook::NextTransactionId(const core::RegistryCode& self) const {
  return self.str() + ":" + std::to_string(outgoing_.size() + 1);
}

}  // namespace jcm::exchange
