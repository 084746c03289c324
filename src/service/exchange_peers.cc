#include "service/exchange_peers.h"

#include <algorithm>
#include <utility>

#include "service/internal/append_attempts.h"
#include "service/internal/journal_replay.h"

namespace jcm::service {

using internal::kAppendAttempts;
namespace {

constexpr size_t kReasonBytesMax = 500;

core::Result<exchange::PeerBook> ReadPeerBook(store::Store& store) {
  return internal::ReplayJournalFamily<exchange::PeerBook>(store, exchange::kEventKindPrefix);
}

// Decides with `decide(book)` — a record to journal as `kind`, or a refusal — and appends it,
// deciding again when another process journaled an exchange event meanwhile.
template <typename Decide>
core::Result<OrRejection<ledger::JournalEntry>> Append(store::Store& store, std::string_view kind,
                                                       const std::string& by, Decide decide) {
  using Out = OrRejection<ledger::JournalEntry>;
  for (int attempt = 0; attempt < kAppendAttempts; ++attempt) {
    JCM_ASSIGN_OR_RETURN(exchange::PeerBook book, ReadPeerBook(store));
    std::variant<core::Record, exchange::Refusal> verdict = decide(book);
    if (const auto* refusal = std::get_if<exchange::Refusal>(&verdict)) {
      return Out(FromExchange(*refusal));
    }
    core::Record body = std::get<core::Record>(std::move(verdict));
    body.Add("by", by);
    ledger::AppendEvent command{std::string(kind), body, "", book.last_seq()};
    JCM_ASSIGN_OR_RETURN(store::Outcome outcome, store.Submit(command));
    if (!outcome.rejection) return Out(std::move(outcome.entry));
    if (outcome.rejection->check != ledger::CheckCode::kEventFamilyMoved) {
      return Out(FromLedger(*outcome.rejection));
    }
  }
  return core::Unavailable("the exchange configuration kept changing; try again");
}

core::Result<OrRejection<exchange::PeerRecord>> PeerOf(OrRejection<ledger::JournalEntry> outcome) {
  if (IsRejected(outcome)) return OrRejection<exchange::PeerRecord>(std::get<Rejection>(outcome));
  const ledger::JournalEntry& entry = std::get<ledger::JournalEntry>(outcome);
  JCM_ASSIGN_OR_RETURN(exchange::PeerRecord peer, exchange::PeerRecord::FromRecord(entry.body));
  peer.added_seq = entry.seq;
  return OrRejection<exchange::PeerRecord>(std::move(peer));
}

}  // namespace

Rejection FromExchange(const exchange::Refusal& refusal) {
  return Rejection{refusal.number(), std::string(refusal.name()), refusal.message};
}

core::Result<OrRejection<exchange::PeerRecord>> AddPeer(store::Store& store,
                                                        const exchange::PeerRequest& request,
                                                        const std::string& by) {
  JCM_ASSIGN_OR_RETURN(std::vector<std::string> local, store.ListRegistries());
  auto decide =
      [&](const exchange::PeerBook& book) -> std::variant<core::Record, exchange::Refusal> {
    auto verdict = exchange::DecideAddPeer(book, local, request);
    if (auto* refusal = std::get_if<exchange::Refusal>(&verdict)) return std::move(*refusal);
    return std::get<exchange::PeerRecord>(verdict).ToRecord();
  };
  JCM_ASSIGN_OR_RETURN(auto outcome, Append(store, exchange::kEventPeerAdded, by, decide));
  return PeerOf(std::move(outcome));
}

core::Result<OrRejection<exchange::PeerRecord>> RemovePeer(store::Store& store,
                                                           const std::string& code,
                                                           const std::string& reason,
                                                           const std::string& by) {
  const bool printable = std::all_of(reason.begin(), reason.end(),
                                     [](char c) { return static_cast<unsigned char>(c) >= 0x20; });
  if (reason.empty() || reason.size() > kReasonBytesMax || !printable) {
    return core::InvalidArgument("the reason for removing a peer is 1–500 printable characters");
  }
  // The peer as the book the removal was decided on held it (the last attempt's), so the
  // journal is read once per attempt, not once more before.
  exchange::PeerRecord removed;
  auto decide = [&](const exchange::PeerBook& book) {
    for (const auto& [existing, peer] : book.peers()) {
      if (existing.str() == code) removed = peer;
    }
    return exchange::DecideRemovePeer(book, code, reason);
  };
  JCM_ASSIGN_OR_RETURN(auto outcome, Append(store, exchange::kEventPeerRemoved, by, decide));
  if (IsRejected(outcome)) return OrRejection<exchange::PeerRecord>(std::get<Rejection>(outcome));
  return OrRejection<exchange::PeerRecord>(std::move(removed));
}

std::vector<exchange::PeerRecord> PeerRecordsOf(const exchange::PeerBook& book) {
  std::vector<exchange::PeerRecord> peers;
  for (const auto& [code, peer] : book.peers()) peers.push_back(peer);
  return peers;
}

core::Result<std::vector<exchange::PeerRecord>> ListPeers(store::Store& store) {
  JCM_ASSIGN_OR_RETURN(exchange::PeerBook book, ReadPeerBook(store));
  return PeerRecordsOf(book);
}

}  // namespace jcm::service
