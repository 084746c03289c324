// The sender's handling of the receiver's answer, and status requests and statuses both ways
// (exchange_transfers.h; internal/exchange_receive.h).
#include <utility>

#include "service/internal/exchange_receive.h"

namespace jcm::service::internal {
namespace {

using exchange::MessageKind;

// The outgoing transfer `m` concerns, when `m`'s sender is its peer.
const exchange::OutgoingRecord* OutgoingOf(const Context& c) {
  const auto found = c.state.book.outgoing().find(c.message.transaction);
  if (found == c.state.book.outgoing().end() || found->second.peer != c.message.from) {
    return nullptr;
  }
  return &found->second;
}

const exchange::IncomingRecord* IncomingOf(const Context& c) {
  const auto found =
      c.state.book.incoming().find(IncomingKey{c.message.from, c.message.transaction});
  return found == c.state.book.incoming().end() ? nullptr : &found->second;
}

Attempt Ignore(const Context& c) {
  core::Record event = MessageFields(c.message);
  event.Add("effect", "ignored");
  return Journal(c, kEventMessageReceived, std::move(event), "ignored");
}

// The sender's step: complete or fail (with the outcome queued), resend the proposal, or nothing.
Attempt Lead(const Context& c, exchange::SenderStep step, core::Record extra) {
  const std::string& transaction = c.message.transaction;
  if (step == exchange::SenderStep::kComplete || step == exchange::SenderStep::kFail) {
    const bool complete = step == exchange::SenderStep::kComplete;
    ReceivedWith(c.message, &extra);
    JCM_ASSIGN_OR_RETURN(auto outcome, FinishOutgoing(c.store, c.identity, c.state, transaction,
                                                      complete, c.now_s, extra));
    if (!outcome) return Handled();
    return Handled(
        ReceiveResult{transaction, std::string(exchange::MessageKindName(c.message.kind)),
                      complete ? "completed" : "failed",
                      outcome->follow_entry ? outcome->follow_entry->seq : outcome->entry.seq});
  }
  if (step == exchange::SenderStep::kResendProposal) {
    JCM_ASSIGN_OR_RETURN(core::Record body, ProposalBody(c.store, c.identity,
                                                         c.state.book.outgoing().at(transaction)));
    core::Record event = MessageFields(c.message);
    event.Add("effect", "resent");
    QueueWith(c.state, c.identity, c.message.from, transaction, MessageKind::kProposal, c.now_s,
              std::move(body), &event);
    return Journal(c, kEventMessageReceived, std::move(event), "resent");
  }
  return Ignore(c);
}

}  // namespace

Attempt OnAnswerMessage(const Context& c) {
  const exchange::Envelope& m = c.message;
  const std::string answer(m.body.Find("answer").value_or(""));
  if (answer != "accepted" && answer != "rejected") {
    return Refuse(
        c, {exchange::ExchangeCheck::kMessageMalformed, "an answer is accepted or rejected"}, true);
  }
  if (OutgoingOf(c) == nullptr) {
    return Refuse(c,
                  {exchange::ExchangeCheck::kTransactionUnknown,
                   "an answer about " + m.transaction + ", which this registry never proposed to " +
                       m.from.str()},
                  true);
  }
  const bool accepted = answer == "accepted";
  const exchange::SenderStep step =
      exchange::OnAnswer(c.state.Outgoing(m.transaction), accepted, c.now_s);
  core::Record extra;
  if (!accepted) {
    // The receiver's check, kept for `status` (never the signature or other wire bytes).
    extra.Add("check", std::string(m.body.Find("check").value_or("0")));
    extra.Add("check_name", std::string(m.body.Find("check_name").value_or("")));
    extra.Add("reason", std::string(m.body.Find("reason").value_or("")));
  } else if (step == exchange::SenderStep::kFail) {
    extra.Add("reason", "accepted after the time limit");
  }
  return Lead(c, step, std::move(extra));
}

Attempt OnStatusRequestMessage(const Context& c) {
  exchange::ReportedState reported = exchange::ReportedState::kUnknown;
  if (const exchange::OutgoingRecord* outgoing = OutgoingOf(c)) {
    reported = exchange::Reported(outgoing->machine.state);
  } else if (const exchange::IncomingRecord* incoming = IncomingOf(c)) {
    reported = exchange::Reported(incoming->machine.state);
  }
  core::Record body;
  body.Add("state", exchange::ReportedStateName(reported));
  core::Record event = MessageFields(c.message);
  event.Add("effect", "answered");
  QueueWith(c.state, c.identity, c.message.from, c.message.transaction, MessageKind::kStatus,
            c.now_s, std::move(body), &event);
  return Journal(c, kEventMessageReceived, std::move(event), "answered");
}

Attempt OnStatusMessage(const Context& c) {
  const exchange::Envelope& m = c.message;
  const std::optional<exchange::ReportedState> reported =
      exchange::ReportedStateFromName(m.body.Find("state").value_or(""));
  if (!reported) {
    return Refuse(c, {exchange::ExchangeCheck::kMessageMalformed, "a status names a state"}, true);
  }
  if (OutgoingOf(c) != nullptr) {
    const exchange::SenderStep step =
        exchange::OnReceiverStatus(c.state.Outgoing(m.transaction), *reported, c.now_s);
    core::Record extra;
    if (step == exchange::SenderStep::kFail) {
      extra.Add("reason",
                "the receiver reports " + std::string(exchange::ReportedStateName(*reported)));
    }
    return Lead(c, step, std::move(extra));
  }
  if (IncomingOf(c) != nullptr) {
    const IncomingKey key{m.from, m.transaction};
    return FollowSender(c, key, exchange::OnSenderStatus(c.state.Incoming(key), *reported));
  }
  return Refuse(c,
                {exchange::ExchangeCheck::kTransactionUnknown,
                 "a status about " + m.transaction + ", which this registry does not hold"},
                true);
}

}  // namespace jcm::service::internal
