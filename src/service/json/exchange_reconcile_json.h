// JSON codecs of reconciliation between registries (docs/cli.md, "Transfers between
// registries": `jcm exchange snapshot|reconcile|resolve`).
#pragma once

#include <boost/json.hpp>

#include "service/exchange_reconcile.h"

namespace jcm::service::json {

// {"registry", "peer", "journal_seq", "taken_at", "digest", "transactions", "live_runs",
//  "totals": [{"origin", "sent_completed", "sent_in_flight", "received_completed",
//  "received_pending"}], "live_units": [{"origin", "account_type", "units"}]}
// `digest` is snapshot.Digest(), computed once by the caller (it encodes the whole snapshot).
boost::json::object SnapshotJson(const exchange::ReconcileSnapshot& snapshot,
                                 const std::string& digest);

// {"registry", "peer", "status" ("consistent" | "inconsistent"), "itl_status", "registry_seq",
//  "peer_seq", "registry_digest", "peer_digest", "transactions", "in_flight",
//  "differences": [{"phase", "transaction", "text"}], "differences_omitted", "journal_seq",
//  "frozen"}
boost::json::object ReconciliationJson(const ReconciliationResult& result);

}  // namespace jcm::service::json
