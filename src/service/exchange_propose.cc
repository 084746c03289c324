// The sending registry's side of an external transfer (exchange_transfers.h): the proposal, and
// the outcome it gives (completion or release) whichever message or time limit decides it.
#include <algorithm>
#include <utility>

#include "core/account_number.h"
#include "ledger/decide.h"
#include "service/exchange_peers.h"
#include "service/exchange_transfers.h"
#include "service/internal/exchange_state.h"

namespace jcm::service {
namespace {

using exchange::MessageKind;
using internal::ExchangeState;

constexpr int64_t kTimeLimitSecondsMax = 30 * 86'400;

core::Status CheckRequest(const ExternalTransferRequest& request) {
  if (request.time_limit_s < 1 || request.time_limit_s > kTimeLimitSecondsMax) {
    return core::InvalidArgument("an external transfer's time limit is 1 s to 30 days, not " +
                                 std::to_string(request.time_limit_s) + " s");
  }
  if (request.quantity < 1) {
    return core::InvalidArgument("an external transfer moves at least one unit");
  }
  return core::OkStatus();
}

// Check 835: the destination is an account number of a registry that is no configured peer (an
// account number of this registry, or none at all, is the ledger's 831).
std::optional<Rejection> CheckDestinationPeer(const ExchangeState& state,
                                              const ExchangeIdentity& identity,
                                              const std::string& to_account) {
  core::Result<core::AccountNumber> to = core::AccountNumber::Parse(to_account);
  if (!to.ok() || to->registry == identity.self) return std::nullopt;
  if (state.peers.peers().contains(to->registry)) return std::nullopt;
  return FromExchange(
      {exchange::ExchangeCheck::kDestinationNotPeer,
       "registry " + to->registry.str() + " of account " + to_account + " is no configured peer"});
}

// The transfer proposed earlier under the request's idempotency key: the same request again is
// a replay, another one check 1 (as the ledger refuses a key reused with other content).
std::optional<OrRejection<ProposedTransfer>> ProposedBefore(
    const ExchangeState& state, const ExternalTransferRequest& request) {
  if (request.idempotency_key.empty()) return std::nullopt;
  const auto found = state.proposed_by_key.find(request.idempotency_key);
  if (found == state.proposed_by_key.end()) return std::nullopt;
  const exchange::OutgoingRecord& first = state.book.outgoing().at(found->second);
  if (first.from_account != request.from_account || first.to_account != request.to_account ||
      first.quantity != request.quantity) {
    return FromLedger({ledger::CheckCode::kIdempotencyKeyReused,
                       "idempotency key '" + request.idempotency_key + "' proposed transfer " +
                           found->second + " with other content"});
  }
  return ProposedTransfer{found->second, first.reservation, true};
}

// One attempt: the reservation and exchange.transfer_proposed, in one write.
core::Result<std::optional<OrRejection<ProposedTransfer>>> TryPropose(
    store::Store& store, const ExchangeIdentity& identity, const ExternalTransferRequest& request,
    const ExchangeState& state) {
  using Out = std::optional<OrRejection<ProposedTransfer>>;
  if (auto before = ProposedBefore(state, request)) return Out(std::move(*before));
  if (auto refused = CheckDestinationPeer(state, identity, request.to_account)) {
    return Out(std::move(*refused));
  }
  // Check 845: no transfer with a peer while a reconciliation's inconsistency with it is open.
  if (const auto to_peer = core::AccountNumber::Parse(request.to_account); to_peer.ok()) {
    if (auto frozen = state.reconciliations.Frozen(to_peer->registry)) {
      return Out(FromExchange(*frozen));
    }
  }
  JCM_ASSIGN_OR_RETURN(const int64_t now_s, internal::NowSeconds(identity));
  const std::string transaction = state.book.NextTransactionId(identity.self);
  ledger::TransactionRequest reserve;
  reserve.type = ledger::TransactionType::kExternalTransfer;
  reserve.from = request.from_account;
  reserve.to = request.to_account;
  reserve.quantity = request.quantity;
  reserve.external_transaction = transaction;
  const core::Result<core::AccountNumber> to = core::AccountNumber::Parse(request.to_account);
  core::Record event;
  event.Add("transaction", transaction)
      .Add("peer", to.ok() ? to->registry.str() : "")
      .Add("from", request.from_account)
      .Add("to", request.to_account)
      .AddInt("quantity", request.quantity)
      .AddInt("deadline", now_s + request.time_limit_s)
      .Add("deadline_utc", internal::IsoOfUnixSeconds(now_s + request.time_limit_s))
      .Add("request.key", request.idempotency_key)
      .Add("by", request.by);
  ledger::ExecuteDecision write{
      reserve,
      ledger::AppendEvent{std::string(exchange::kEventTransferProposed), event, "", state.last_seq},
      "reservation"};
  JCM_ASSIGN_OR_RETURN(std::optional<store::Outcome> outcome, internal::SubmitLocked(store, write));
  if (!outcome) return Out();
  if (outcome->rejection) return Out(FromLedger(*outcome->rejection));
  return Out(ProposedTransfer{transaction, outcome->entry.seq, false});
}

}  // namespace

core::Result<OrRejection<ProposedTransfer>> ProposeExternalTransfer(
    store::Store& store, const ExchangeIdentity& identity, const ExternalTransferRequest& request,
    ExchangeStateCache* cache) {
  JCM_RETURN_IF_ERROR(CheckRequest(request));
  ExchangeStateCache local;
  ExchangeStateCache& shared = internal::CacheOr(cache, local);
  JCM_ASSIGN_OR_RETURN(OrRejection<ProposedTransfer> proposed,
                       internal::DecideLocked<OrRejection<ProposedTransfer>>(
                           store, shared, [&](const ExchangeState& state) {
                             return TryPropose(store, identity, request, state);
                           }));
  // The proposal needs the blocks the reservation took, which only its write decides: it is
  // queued by the next write (and by any later step, should this process stop in between).
  if (!IsRejected(proposed)) {
    JCM_RETURN_IF_ERROR(internal::QueueMissingProposals(store, identity, shared).status());
  }
  return proposed;
}

namespace internal {

void MarkFirstInternationalTransfer(ledger::UnitBlock& block) {
  if (block.itmo_first == 0 || block.first_transferred ||
      !ledger::AllowsNdcUse(block.authorization)) {
    return;
  }
  block.first_transferred = true;
  block.first_transferring_party =
      block.article6_authorisation.substr(0, block.article6_authorisation.find('/'));
}

core::Result<core::Record> ProposalBody(store::Store& store, const ExchangeIdentity& identity,
                                        const exchange::OutgoingRecord& transfer) {
  JCM_ASSIGN_OR_RETURN(std::vector<ledger::JournalEntry> entries,
                       store.ReadJournalRange(transfer.reservation, 1));
  if (entries.empty() || entries[0].seq != transfer.reservation) {
    return core::DataLoss("reservation entry " + std::to_string(transfer.reservation) +
                          " is not in the journal");
  }
  JCM_ASSIGN_OR_RETURN(const std::string transit, TransitAccountOf(store, identity.self));
  JCM_ASSIGN_OR_RETURN(std::vector<ledger::UnitBlock> created, ledger::CreatedBlocks(entries[0]));
  core::Record body;
  body.Add("from", transfer.from_account)
      .Add("to", transfer.to_account)
      .AddInt("quantity", transfer.quantity)
      .Add("deadline", IsoOfUnixSeconds(transfer.machine.deadline_s));
  for (ledger::UnitBlock block : created) {
    if (block.account != transit) continue;
    MarkFirstInternationalTransfer(block);
    body.Add("block", ledger::EncodeBlock(block));
  }
  return body;
}

// Queues the first missing proposal: true when it did, false when none is missing, nullopt when
// another process moved the family head (check 23).
core::Result<std::optional<bool>> QueueOneMissingProposal(store::Store& store,
                                                          const ExchangeIdentity& identity,
                                                          const ExchangeState& state) {
  for (const auto& [transaction, transfer] : state.book.outgoing()) {
    if (transfer.machine.state != exchange::OutgoingState::kProposed ||
        state.proposal_queued.contains(transaction)) {
      continue;
    }
    JCM_ASSIGN_OR_RETURN(core::Record body, ProposalBody(store, identity, transfer));
    JCM_ASSIGN_OR_RETURN(const int64_t now_s, NowSeconds(identity));
    const int64_t seq = state.book.NextSendSeq(transfer.peer);
    core::Record event;
    event.Add("peer", transfer.peer.str())
        .AddInt("seq", seq)
        .Add("transaction", transaction)
        .Add("kind", exchange::MessageKindName(MessageKind::kProposal))
        .Add("wire", SignedWire(identity, transfer.peer, seq, transaction, MessageKind::kProposal,
                                now_s, std::move(body)));
    JCM_ASSIGN_OR_RETURN(
        auto outcome, AppendLocked(store, state, exchange::kEventMessageQueued, std::move(event)));
    if (!outcome) return std::optional<bool>();
    if (outcome->rejection) return core::Internal(outcome->rejection->message);
    return std::optional<bool>(true);
  }
  return std::optional<bool>(false);
}

core::Result<int> QueueMissingProposals(store::Store& store, const ExchangeIdentity& identity,
                                        ExchangeStateCache& cache) {
  int queued = 0;
  for (;;) {
    JCM_ASSIGN_OR_RETURN(const bool one,
                         DecideLocked<bool>(store, cache, [&](const ExchangeState& s) {
                           return QueueOneMissingProposal(store, identity, s);
                         }));
    if (!one) return queued;
    ++queued;
  }
}

core::Result<std::optional<store::Outcome>> FinishOutgoing(
    store::Store& store, const ExchangeIdentity& identity, const ExchangeState& state,
    const std::string& transaction, bool complete, int64_t now_s, const core::Record& extra) {
  const exchange::OutgoingRecord& transfer = state.book.outgoing().at(transaction);
  JCM_ASSIGN_OR_RETURN(const std::string transit, TransitAccountOf(store, identity.self));
  ledger::TransactionRequest outcome;
  outcome.type = complete ? ledger::TransactionType::kExternalCompletion
                          : ledger::TransactionType::kExternalRelease;
  outcome.from = transit;
  outcome.to = complete ? transfer.to_account : transfer.from_account;
  outcome.quantity = transfer.quantity;
  outcome.external_transaction = transaction;
  outcome.external_reservation = transfer.reservation;
  core::Record event = extra;
  event.Add("transaction", transaction);
  core::Record message;
  message.Add("outcome", complete ? "completed" : "failed");
  QueueWith(state, identity, transfer.peer, transaction, MessageKind::kOutcome, now_s,
            std::move(message), &event);
  const std::string_view kind =
      complete ? exchange::kEventTransferCompleted : exchange::kEventTransferFailed;
  JCM_ASSIGN_OR_RETURN(
      std::optional<store::Outcome> written,
      SubmitLocked(store,
                   ledger::ExecuteDecision{
                       outcome, ledger::AppendEvent{std::string(kind), event, "", state.last_seq},
                       "ledger_transaction"}));
  if (written && written->rejection) {
    // The book says the reservation is open, so only a damaged registry refuses its outcome.
    return core::Internal("the " + std::string(complete ? "completion" : "release") + " of " +
                          transaction + " was refused: " + written->rejection->message);
  }
  return written;
}

}  // namespace internal
}  // namespace jcm::service
