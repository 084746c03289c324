// Reconcile, ResolveReconciliation, ExchangeFrozen and the schedule (exchange_reconcile.h);
// BuildSnapshot is exchange_snapshot.cc.
#include "service/exchange_reconcile.h"

#include <algorithm>
#include <utility>

#include "service/exchange_peers.h"
#include "service/internal/append_attempts.h"
#include "service/internal/exchange_state.h"
#include "service/internal/journal_replay.h"
#include "service/internal/utc_seconds.h"

namespace jcm::service {

using internal::kAppendAttempts;
namespace {

constexpr size_t kReasonBytesMax = 500;

Rejection SnapshotRefused(std::string message) {
  return FromExchange({exchange::ExchangeCheck::kSnapshotInvalid, std::move(message)});
}

// The peer's snapshot, checked: decodes (846), from a configured peer (800), for this registry
// (846), signed with that peer's key (846).
core::Result<OrRejection<exchange::ReconcileSnapshot>> CheckedPeerSnapshot(
    store::Store& store, const ExchangeIdentity& identity, std::string_view wire) {
  using Out = OrRejection<exchange::ReconcileSnapshot>;
  core::Result<exchange::ReconcileSnapshot> theirs = exchange::ReconcileSnapshot::Decode(wire);
  if (!theirs.ok()) return Out(SnapshotRefused(theirs.status().message()));
  JCM_ASSIGN_OR_RETURN(std::vector<exchange::PeerRecord> peers, ListPeers(store));
  auto peer = std::find_if(peers.begin(), peers.end(), [&](const exchange::PeerRecord& p) {
    return p.code == theirs->registry;
  });
  if (peer == peers.end()) {
    return Out(FromExchange({exchange::ExchangeCheck::kPeerUnknown,
                             theirs->registry.str() + " is no configured peer"}));
  }
  if (theirs->peer != identity.self) {
    return Out(SnapshotRefused("the snapshot is " + theirs->registry.str() + "'s for " +
                               theirs->peer.str() + ", not for " + identity.self.str()));
  }
  if (!theirs->SignatureVerifies(peer->public_key)) {
    return Out(SnapshotRefused("the snapshot's signature does not verify under " +
                               theirs->registry.str() + "'s key"));
  }
  return Out(*std::move(theirs));
}

}  // namespace

core::Result<exchange::ReconciliationBook> ReadReconciliations(store::Store& store) {
  return internal::ReplayJournalFamily<exchange::ReconciliationBook>(store,
                                                                     exchange::kEventKindPrefix);
}

core::Result<OrRejection<ReconciliationResult>> Reconcile(store::Store& store,
                                                          const ExchangeIdentity& identity,
                                                          std::string_view peer_snapshot,
                                                          store::Clock& clock,
                                                          const std::string& by) {
  using Out = OrRejection<ReconciliationResult>;
  JCM_ASSIGN_OR_RETURN(auto checked, CheckedPeerSnapshot(store, identity, peer_snapshot));
  if (IsRejected(checked)) return Out(std::get<Rejection>(checked));
  const exchange::ReconcileSnapshot& theirs = std::get<exchange::ReconcileSnapshot>(checked);
  JCM_ASSIGN_OR_RETURN(exchange::ReconcileSnapshot mine,
                       BuildSnapshot(store, identity, theirs.registry, clock));
  JCM_ASSIGN_OR_RETURN(const int64_t now_s, internal::UtcSeconds(clock.NowUtc()));
  ReconciliationResult result;
  result.report = exchange::Compare(mine, theirs, now_s);
  core::Record body = exchange::ReconciliationEvent(result.report, now_s);
  body.Add("by", by);
  // No lock: the report is as of the two snapshots' seqs, which it records, and an inconsistency
  // only ever adds a freeze; a resolution is decided on the book it extends.
  ledger::AppendEvent command{std::string(exchange::ReconciliationEventKind(result.report)), body,
                              "", -1};
  JCM_ASSIGN_OR_RETURN(store::Outcome outcome, store.Submit(command));
  if (outcome.rejection) return Out(FromLedger(*outcome.rejection));
  result.journal_seq = outcome.entry.seq;
  JCM_ASSIGN_OR_RETURN(std::optional<Rejection> frozen, ExchangeFrozen(store, theirs.registry));
  result.frozen = frozen.has_value();
  return Out(std::move(result));
}

core::Result<OrRejection<int64_t>> ResolveReconciliation(store::Store& store,
                                                         const std::string& peer,
                                                         const std::string& reason,
                                                         const std::string& by) {
  using Out = OrRejection<int64_t>;
  const bool printable = std::all_of(reason.begin(), reason.end(),
                                     [](char c) { return static_cast<unsigned char>(c) >= 0x20; });
  if (reason.empty() || reason.size() > kReasonBytesMax || !printable) {
    return core::InvalidArgument("the reason of a resolution is 1–500 printable characters");
  }
  core::Result<core::RegistryCode> code = core::RegistryCode::Parse(peer);
  if (!code.ok()) return core::InvalidArgument("'" + peer + "' is no registry code");
  for (int attempt = 0; attempt < kAppendAttempts; ++attempt) {
    JCM_ASSIGN_OR_RETURN(exchange::ReconciliationBook book, ReadReconciliations(store));
    auto verdict = exchange::DecideResolve(book, *code, reason);
    if (auto* refusal = std::get_if<exchange::Refusal>(&verdict)) {
      return Out(FromExchange(*refusal));
    }
    core::Record body = std::get<core::Record>(std::move(verdict));
    body.Add("by", by);
    ledger::AppendEvent command{std::string(exchange::kEventReconciliationResolved), body, "",
                                book.last_seq()};
    JCM_ASSIGN_OR_RETURN(store::Outcome outcome, store.Submit(command));
    if (!outcome.rejection) return Out(outcome.entry.seq);
    if (outcome.rejection->check != ledger::CheckCode::kEventFamilyMoved) {
      return Out(FromLedger(*outcome.rejection));
    }
  }
  return core::Unavailable("the exchange's journal kept changing; try again");
}

core::Result<std::optional<Rejection>> ExchangeFrozen(store::Store& store,
                                                      const core::RegistryCode& peer) {
  JCM_ASSIGN_OR_RETURN(exchange::ReconciliationBook book, ReadReconciliations(store));
  std::optional<exchange::Refusal> frozen = book.Frozen(peer);
  if (!frozen) return std::optional<Rejection>();
  return std::optional<Rejection>(FromExchange(*frozen));
}

core::Result<ScheduledReconciliations> ReconcileDue(store::Store& store,
                                                    const ExchangeIdentity& identity,
                                                    store::Clock& clock, int64_t daily_at_s,
                                                    const SnapshotFetch& fetch,
                                                    ExchangeStateCache* cache) {
  JCM_ASSIGN_OR_RETURN(const int64_t now_s, internal::UtcSeconds(clock.NowUtc()));
  const int64_t today_at_s = now_s - now_s % 86'400 + daily_at_s;
  ScheduledReconciliations done;
  if (now_s < today_at_s) return done;
  // The peers not reconciled since today's time.
  const auto due = [&](const std::vector<exchange::PeerRecord>& all,
                       const exchange::ReconciliationBook& book) {
    std::vector<exchange::PeerRecord> out;
    for (const exchange::PeerRecord& peer : all) {
      auto last = book.peers().find(peer.code);
      if (last == book.peers().end() || last->second.last_at_s < today_at_s) out.push_back(peer);
    }
    return out;
  };
  std::vector<exchange::PeerRecord> peers;
  if (cache != nullptr) {
    JCM_ASSIGN_OR_RETURN(peers, internal::ReadCached(store, *cache, [&](const auto& state) {
                           return due(PeerRecordsOf(state.peers), state.reconciliations);
                         }));
  } else {
    JCM_ASSIGN_OR_RETURN(exchange::ReconciliationBook book, ReadReconciliations(store));
    JCM_ASSIGN_OR_RETURN(std::vector<exchange::PeerRecord> all, ListPeers(store));
    peers = due(all, book);
  }
  for (const exchange::PeerRecord& peer : peers) {
    core::Result<std::string> wire = fetch(peer);
    if (!wire.ok()) {
      ++done.unreachable;
      continue;
    }
    JCM_ASSIGN_OR_RETURN(auto outcome, Reconcile(store, identity, *wire, clock, "schedule"));
    if (IsRejected(outcome)) {
      ++done.refused;
      continue;
    }
    ++done.reconciled;
    done.inconsistent += std::get<ReconciliationResult>(outcome).report.consistent() ? 0 : 1;
  }
  return done;
}

}  // namespace jcm::service
