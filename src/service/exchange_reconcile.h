// Reconciliation with a peer registry (docs/exchange.md, "Reconciliation"; issue 12 §3), for
// every front end: `jcm exchange snapshot|reconcile|resolve`, the server's schedule.
//
// - BuildSnapshot describes this registry for one peer at one journal seq (exchange/reconcile.h):
//   read through one Store::Snapshot, so no write lands between the journal and the blocks. The
//   trail joins the ledger's external_* entries (the units: reserved, ended, released, acquired)
//   with the transfer book's states (pending, rejected, terminated, and each time limit); a
//   transfer the ledger holds without its exchange.* event still appears, with the state its
//   ledger entries give, so a unit movement is never hidden from the peer.
// - Reconcile checks the peer's snapshot (check 846 unless it decodes, names this registry as
//   its peer, and verifies under the configured peer's key; 800 for a registry that is no peer),
//   compares it with this registry's own, and journals the report:
//   exchange.reconciliation_completed, or exchange.reconciliation_inconsistent with each
//   difference — after which transfers with that peer are frozen (845) until
//   ResolveReconciliation journals an operator's decision.
// - SnapshotForPeer serves BuildSnapshot to the peer it is for, on a request signed with that
//   peer's key (exchange/peer_auth.h; GET /api/v1/exchange/snapshot); SignSnapshotAsk is this
//   registry's side of it, for the schedule's fetch.
// - ExchangeFrozen is the freeze as the transfer use cases ask it (service/exchange_transfers.h:
//   ProposeExternalTransfer refuses, ReceiveMessage answers a proposal "rejected" with 845).
//
// Times are the injected clock's, so tests move time rather than sleep.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/registry_code.h"
#include "core/status.h"
#include "exchange/peers.h"
#include "exchange/reconcile.h"
#include "exchange/reconciliation_book.h"
#include "service/errors.h"
#include "service/exchange_transfers.h"
#include "store/store.h"

namespace jcm::service {

// This registry's snapshot for `peer`, signed with the identity's key. InvalidArgument when
// `peer` is the registry itself.
core::Result<exchange::ReconcileSnapshot> BuildSnapshot(store::Store& store,
                                                        const ExchangeIdentity& identity,
                                                        const core::RegistryCode& peer,
                                                        store::Clock& clock);

// A peer's request for this registry's snapshot for it (GET /api/v1/exchange/snapshot;
// docs/exchange.md, "Between two servers"), as the texts an HTTP request carries: the peer's
// exchange::SnapshotRequest to this registry (exchange/peer_auth.h), signed with its key.
struct SnapshotAsk {
  std::string peer;           // the registry asking, whom the snapshot is for
  std::string at;             // when it signed: seconds since 1970 UTC, decimal
  std::string signature_hex;  // Ed25519 over the request's SignedBytes, 128 hex digits
  // Under mutual TLS, the subject commonName of the client certificate the request came with.
  std::optional<std::string> certified_as;
};

// This registry's request for `peer`'s snapshot, signed with the identity's key at its clock.
core::Result<SnapshotAsk> SignSnapshotAsk(const ExchangeIdentity& identity,
                                          const core::RegistryCode& peer);

// This registry's snapshot for the peer asking, as its wire form; or, before anything is built,
// 804 for a field not of its form, then 800, 837, 802 (exchange::CheckSnapshotRequest: a
// request meant for another registry does not verify), then 836 (a certificate naming another
// registry). A read: nothing is journaled, the refusals included.
// `cache` (the server's): the peers are read from it; nullptr: replayed.
core::Result<OrRejection<std::string>> SnapshotForPeer(store::Store& store,
                                                       const ExchangeIdentity& identity,
                                                       const SnapshotAsk& ask,
                                                       ExchangeStateCache* cache = nullptr);

struct ReconciliationResult {
  exchange::ReconcileReport report;
  int64_t journal_seq = 0;  // the entry that recorded it
  bool frozen = false;      // transfers with the peer are frozen after it
};

// Checks 800, 846; then the report, journaled.
core::Result<OrRejection<ReconciliationResult>> Reconcile(store::Store& store,
                                                          const ExchangeIdentity& identity,
                                                          std::string_view peer_snapshot,
                                                          store::Clock& clock,
                                                          const std::string& by);

// Check 847 unless an inconsistency with `peer` is open; InvalidArgument unless `reason` is
// 1–500 printable characters. Returns the resolution's journal seq.
core::Result<OrRejection<int64_t>> ResolveReconciliation(store::Store& store,
                                                         const std::string& peer,
                                                         const std::string& reason,
                                                         const std::string& by);

// Check 845 when an inconsistency with `peer` is open; nullopt when transfers may go on.
core::Result<std::optional<Rejection>> ExchangeFrozen(store::Store& store,
                                                      const core::RegistryCode& peer);

// The reconciliations with each peer, replayed (last status, open inconsistency).
core::Result<exchange::ReconciliationBook> ReadReconciliations(store::Store& store);

// The schedule (issue 12 §3 "on a schedule"; the UK Transaction Log runs daily at 00:30): at
// each call, every configured peer whose last reconciliation is before today's `daily_at_s`
// (seconds after 00:00 UTC), once that time has passed, is reconciled with the snapshot `fetch`
// returns for it. A peer that cannot be reached is skipped until the next call (the CADT lesson,
// turn2-anchors §2.3: never block the loop on one peer); the others go on.
using SnapshotFetch = std::function<core::Result<std::string>(const exchange::PeerRecord& peer)>;
struct ScheduledReconciliations {
  int reconciled = 0;
  int inconsistent = 0;
  int unreachable = 0;  // fetch failed: tried again at the next call
  int refused = 0;      // the peer's snapshot was refused (846, 800)
};
// `cache` (the server's): the peers and the last reconciliations are read from it, so a round
// in which every peer was reconciled today reads only the journal's tail; nullptr: replayed.
core::Result<ScheduledReconciliations> ReconcileDue(store::Store& store,
                                                    const ExchangeIdentity& identity,
                                                    store::Clock& clock, int64_t daily_at_s,
                                                    const SnapshotFetch& fetch,
                                                    ExchangeStateCache* cache = nullptr);
inline constexpr int64_t kDefaultReconcileAtSeconds = 30 * 60;  // 00:30 UTC, as the UK's

}  // namespace jcm::service
