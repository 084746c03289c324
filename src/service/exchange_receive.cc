// Receiving one message (exchange_transfers.h): the gate, then the step of the machine the
// message concerns, decided on the book replayed from the journal and journaled — with the
// ledger write it makes and the reply it queues — in one write locked on the family head.
// The receiver's side (proposal, outcome) is here; the sender's replies (answer, status) and
// the status requests of both sides are in exchange_replies.cc.
#include "service/internal/exchange_receive.h"

#include <algorithm>
#include <utility>

#include "core/sha256.h"
#include "exchange/peer_auth.h"
#include "ledger/incoming_blocks.h"
#include "ledger/transaction_table.h"
#include "service/exchange_peers.h"
#include "service/exchange_transfers.h"

namespace jcm::service::internal {
namespace {

using exchange::MessageKind;

constexpr size_t kRefusedFieldBytesMax = 64;

std::string Clipped(std::string_view text) {
  return std::string(text.substr(0, kRefusedFieldBytesMax));
}

Rejection LedgerCheck(ledger::CheckCode code, std::string message) {
  return FromLedger(ledger::Rejection{code, std::move(message)});
}

// What a proposal asks: malformed (804) when a field is missing or not of its form.
struct ProposalContent {
  std::string to;
  int64_t quantity = 0;
  std::vector<std::string> encoded;
  std::vector<ledger::UnitBlock> blocks;
};

std::variant<ProposalContent, exchange::Refusal> ParseProposal(const core::Record& body) {
  ProposalContent content;
  content.to = std::string(body.Find("to").value_or(""));
  content.quantity = core::ParseInt64(body.Find("quantity").value_or("")).value_or(0);
  for (std::string_view text : body.FindAll("block")) {
    core::Result<ledger::UnitBlock> block = ledger::DecodeBlock(text);
    if (!block.ok()) {
      return exchange::Refusal{exchange::ExchangeCheck::kMessageMalformed,
                               "a proposed block does not decode: " + block.status().message()};
    }
    content.encoded.emplace_back(text);
    content.blocks.push_back(*std::move(block));
  }
  if (content.to.empty() || content.quantity < 1) {
    return exchange::Refusal{exchange::ExchangeCheck::kMessageMalformed,
                             "a proposal names its destination and a positive quantity"};
  }
  return content;
}

// This registry's checks on a proposal, in order: the destination (12, 13, 14, as the
// acquisition will check it), the blocks (833), the serials not live here already (834).
core::Result<std::optional<Rejection>> CheckProposal(store::Store& store,
                                                     const core::RegistryCode& self,
                                                     const ProposalContent& proposal) {
  using Out = std::optional<Rejection>;
  JCM_ASSIGN_OR_RETURN(std::optional<ledger::Account> to, store.FindAccount(proposal.to));
  if (!to || to->registry != self) {
    return Out(LedgerCheck(ledger::CheckCode::kDestinationAccountUnknown,
                           "account " + proposal.to + " is not an account of " + self.str()));
  }
  if (to->state != ledger::AccountState::kOpen) {
    return Out(LedgerCheck(ledger::CheckCode::kDestinationAccountNotOpen,
                           "account " + proposal.to + " is not open"));
  }
  const ledger::TransactionTypeRow& row =
      ledger::RowFor(ledger::TransactionType::kExternalAcquisition);
  if (!ledger::Contains(row.destination_types, to->type)) {
    return Out(LedgerCheck(ledger::CheckCode::kDestinationAccountMayNotReceive,
                           "account " + proposal.to + " may not receive an external transfer"));
  }
  ledger::TransactionRequest acquisition;
  acquisition.type = ledger::TransactionType::kExternalAcquisition;
  acquisition.quantity = proposal.quantity;
  acquisition.incoming_blocks = proposal.blocks;
  if (auto invalid = ledger::CheckIncomingBlocks(acquisition)) return Out(FromLedger(*invalid));
  for (const ledger::UnitBlock& block : proposal.blocks) {
    JCM_ASSIGN_OR_RETURN(auto live,
                         store.FindLiveBlockOverlapping(block.registry.str(), block.serial_first,
                                                        block.serial_last()));
    if (live) {
      return Out(FromExchange(
          {exchange::ExchangeCheck::kIncomingSerialsLive,
           "serials " + std::to_string(std::max(block.serial_first, live->serial_first)) + ".." +
               std::to_string(std::min(block.serial_last(), live->serial_last())) + " of " +
               block.registry.str() + " are held live here, in " + live->account}));
    }
  }
  return Out();
}

core::Record AnswerBody(const std::optional<Rejection>& rejection) {
  core::Record answer;
  answer.Add("answer", rejection ? "rejected" : "accepted");
  if (rejection) {
    answer.AddInt("check", rejection->check).Add("check_name", rejection->name);
    answer.Add("reason", rejection->message);
  }
  return answer;
}

// The answer given before to a proposal received again: accepted unless it was rejected.
core::Record AnswerGiven(const Context& c, const IncomingKey& key) {
  const auto check = c.state.incoming_checks.find(key);
  if (c.state.book.incoming().at(key).machine.state != exchange::IncomingState::kRejected ||
      check == c.state.incoming_checks.end()) {
    return AnswerBody(std::nullopt);
  }
  return AnswerBody(Rejection{check->second.first, check->second.second, "rejected before"});
}

Attempt OnProposalMessage(const Context& c) {
  const exchange::Envelope& m = c.message;
  const IncomingKey key{m.from, m.transaction};
  const auto found = c.state.book.incoming().find(key);
  const std::string digest = core::Sha256Hex(m.body.Encode());
  const auto step = exchange::OnProposal(
      found == c.state.book.incoming().end() ? nullptr : &found->second.machine, digest);
  if (const auto* refusal = std::get_if<exchange::Refusal>(&step)) return Refuse(c, *refusal, true);
  if (std::get<exchange::ReceiverStep>(step) == exchange::ReceiverStep::kRepeatAnswer) {
    core::Record event = MessageFields(m);
    event.Add("effect", "answered");
    QueueWith(c.state, c.identity, m.from, m.transaction, MessageKind::kAnswer, c.now_s,
              AnswerGiven(c, key), &event);
    return Journal(c, kEventMessageReceived, std::move(event), "answered");
  }
  auto parsed = ParseProposal(m.body);
  if (const auto* refusal = std::get_if<exchange::Refusal>(&parsed)) {
    return Refuse(c, *refusal, true);
  }
  const ProposalContent& proposal = std::get<ProposalContent>(parsed);
  // A proposal from a peer whose reconciliation is inconsistent is answered rejected (845).
  std::optional<Rejection> rejection;
  if (auto frozen = c.state.reconciliations.Frozen(m.from)) {
    rejection = FromExchange(*frozen);
  } else {
    JCM_ASSIGN_OR_RETURN(rejection, CheckProposal(c.store, c.identity.self, proposal));
  }
  core::Record event;
  event.Add("peer", m.from.str()).Add("transaction", m.transaction).Add("digest", digest);
  if (rejection) {
    event.AddInt("check", rejection->check).Add("check_name", rejection->name);
    event.Add("reason", rejection->message);
  } else {
    event.Add("to", proposal.to).AddInt("quantity", proposal.quantity);
    for (const std::string& block : proposal.encoded) event.Add("block", block);
  }
  ReceivedWith(m, &event);
  QueueWith(c.state, c.identity, m.from, m.transaction, MessageKind::kAnswer, c.now_s,
            AnswerBody(rejection), &event);
  return rejection ? Journal(c, exchange::kEventIncomingRejected, std::move(event), "rejected")
                   : Journal(c, exchange::kEventIncomingPending, std::move(event), "pending");
}

Attempt OnOutcomeMessage(const Context& c) {
  const exchange::Envelope& m = c.message;
  const std::string outcome(m.body.Find("outcome").value_or(""));
  if (outcome != "completed" && outcome != "failed") {
    return Refuse(
        c, {exchange::ExchangeCheck::kMessageMalformed, "an outcome is completed or failed"}, true);
  }
  const IncomingKey key{m.from, m.transaction};
  const auto found = c.state.book.incoming().find(key);
  const auto step =
      exchange::OnOutcome(found == c.state.book.incoming().end() ? nullptr : &found->second.machine,
                          outcome == "completed");
  if (const auto* refusal = std::get_if<exchange::Refusal>(&step)) return Refuse(c, *refusal, true);
  return FollowSender(c, key, std::get<exchange::ReceiverStep>(step));
}

}  // namespace

Attempt Dispatch(const Context& c) {
  const std::optional<exchange::Refusal> gate = exchange::CheckEnvelope(
      c.message, c.identity.self, c.state.peers.GatePeers(), c.state.book.last_received());
  if (gate) return Refuse(c, *gate, false);
  // After the gate, so the message is the sender's own; not consumed, so a relay through another
  // registry's connection does not use up the sender's sequence number.
  if (c.certified_as != nullptr) {
    if (auto relayed = exchange::CheckCertificateNames(*c.certified_as, c.message.from)) {
      return Refuse(c, *relayed, false);
    }
  }
  switch (c.message.kind) {
    case MessageKind::kProposal:
      return OnProposalMessage(c);
    case MessageKind::kOutcome:
      return OnOutcomeMessage(c);
    case MessageKind::kAnswer:
      return OnAnswerMessage(c);
    case MessageKind::kStatusRequest:
      return OnStatusRequestMessage(c);
    case MessageKind::kStatus:
      return OnStatusMessage(c);
  }
  return core::Internal("a message of no kind");
}

core::Record MessageFields(const exchange::Envelope& m) {
  core::Record fields;
  fields.Add("peer", m.from.str()).AddInt("seq", m.seq).Add("transaction", m.transaction);
  fields.Add("kind", exchange::MessageKindName(m.kind));
  ReceivedWith(m, &fields);
  return fields;
}

Attempt Journal(const Context& c, std::string_view kind, core::Record event, std::string effect) {
  JCM_ASSIGN_OR_RETURN(auto outcome, AppendLocked(c.store, c.state, kind, std::move(event)));
  if (!outcome) return Handled();
  if (outcome->rejection) return core::Internal(outcome->rejection->message);
  return Handled(ReceiveResult{c.message.transaction,
                               std::string(exchange::MessageKindName(c.message.kind)),
                               std::move(effect), outcome->entry.seq});
}

Attempt Refuse(const Context& c, const exchange::Refusal& refusal, bool consumed) {
  const exchange::Envelope& m = c.message;
  core::Record event;
  event.Add("sender", Clipped(m.from.str())).AddInt("seq", m.seq);
  event.Add("transaction", Clipped(m.transaction));
  event.Add("kind", exchange::MessageKindName(m.kind));
  event.AddInt("check", refusal.number()).Add("check_name", refusal.name());
  event.Add("reason", refusal.message);
  if (consumed) ReceivedWith(m, &event);
  JCM_ASSIGN_OR_RETURN(auto outcome,
                       AppendLocked(c.store, c.state, kEventMessageRefused, std::move(event)));
  if (!outcome) return Handled();
  if (outcome->rejection) return core::Internal(outcome->rejection->message);
  return Handled(FromExchange(refusal));
}

Attempt FollowSender(const Context& c, const IncomingKey& key, exchange::ReceiverStep step) {
  const exchange::Envelope& m = c.message;
  core::Record event;
  event.Add("peer", key.first.str()).Add("transaction", key.second);
  ReceivedWith(m, &event);
  if (step == exchange::ReceiverStep::kDropPending) {
    return Journal(c, exchange::kEventIncomingTerminated, std::move(event), "terminated");
  }
  if (step != exchange::ReceiverStep::kCreateBlocks) {
    core::Record ignored = MessageFields(m);
    ignored.Add("effect", "ignored");
    return Journal(c, kEventMessageReceived, std::move(ignored), "ignored");
  }
  const exchange::IncomingRecord& incoming = c.state.book.incoming().at(key);
  ledger::TransactionRequest acquisition;
  acquisition.type = ledger::TransactionType::kExternalAcquisition;
  acquisition.to = incoming.to_account;
  acquisition.quantity = incoming.quantity;
  acquisition.external_transaction = key.second;
  for (const std::string& text : incoming.blocks) {
    JCM_ASSIGN_OR_RETURN(ledger::UnitBlock block, ledger::DecodeBlock(text));
    acquisition.incoming_blocks.push_back(std::move(block));
  }
  JCM_ASSIGN_OR_RETURN(
      auto outcome,
      SubmitLocked(c.store, ledger::ExecuteDecision{
                                acquisition,
                                ledger::AppendEvent{std::string(exchange::kEventIncomingCompleted),
                                                    event, "", c.state.last_seq},
                                "ledger_transaction"}));
  if (!outcome) return Handled();
  if (outcome->rejection) {
    // Accepted, but the account can no longer take the units (closed meanwhile): the message
    // stays undelivered and the transfer pending until an operator settles it.
    return core::FailedPrecondition("the acquisition of " + key.second +
                                    " was refused: " + outcome->rejection->message);
  }
  return Handled(
      ReceiveResult{m.transaction, std::string(exchange::MessageKindName(m.kind)), "completed",
                    outcome->follow_entry ? outcome->follow_entry->seq : outcome->entry.seq});
}

}  // namespace jcm::service::internal

namespace jcm::service {

core::Result<OrRejection<ReceiveResult>> ReceiveMessage(
    store::Store& store, const ExchangeIdentity& identity, std::string_view wire,
    const std::optional<std::string>& certified_as, ExchangeStateCache* cache) {
  using internal::Attempt;
  JCM_ASSIGN_OR_RETURN(const int64_t now_s, internal::NowSeconds(identity));
  core::Result<exchange::Envelope> parsed = exchange::Envelope::Parse(wire);
  const bool malformed = !parsed.ok();
  exchange::Envelope message = malformed ? exchange::Envelope() : *std::move(parsed);
  if (malformed) message.transaction = "?";
  ExchangeStateCache local;
  return internal::DecideLocked<OrRejection<ReceiveResult>>(
      store, internal::CacheOr(cache, local), [&](const internal::ExchangeState& state) -> Attempt {
        const internal::Context c{store, identity, state, message, now_s, &certified_as};
        if (malformed) {
          return internal::Refuse(
              c, {exchange::ExchangeCheck::kMessageMalformed, parsed.status().message()}, false);
        }
        return internal::Dispatch(c);
      });
}

}  // namespace jcm::service
