#include "service/json/exchange_reconcile_json.h"

namespace jcm::service::json {

namespace bj = boost::json;

bj::object SnapshotJson(const exchange::ReconcileSnapshot& snapshot, const std::string& digest) {
  bj::array totals;
  for (const auto& [origin, t] : snapshot.totals) {
    totals.push_back(bj::object{{"origin", origin.str()},
                                {"sent_completed", t.sent_completed},
                                {"sent_in_flight", t.sent_in_flight},
                                {"received_completed", t.received_completed},
                                {"received_pending", t.received_pending}});
  }
  bj::array live_units;
  for (const auto& [key, units] : snapshot.live_units) {
    live_units.push_back(
        bj::object{{"origin", key.first.str()}, {"account_type", key.second}, {"units", units}});
  }
  return bj::object{{"registry", snapshot.registry.str()},
                    {"peer", snapshot.peer.str()},
                    {"journal_seq", snapshot.journal_seq},
                    {"taken_at", snapshot.taken_at},
                    {"digest", digest},
                    {"transactions", snapshot.trail.size()},
                    {"live_runs", snapshot.live.size()},
                    {"totals", std::move(totals)},
                    {"live_units", std::move(live_units)}};
}

bj::object ReconciliationJson(const ReconciliationResult& result) {
  const exchange::ReconcileReport& r = result.report;
  bj::array differences;
  for (const exchange::Difference& d : r.differences) {
    differences.push_back(bj::object{
        {"phase", exchange::PhaseName(d.phase)}, {"transaction", d.transaction}, {"text", d.text}});
  }
  return bj::object{{"registry", r.registry.str()},
                    {"peer", r.peer.str()},
                    {"status", r.consistent() ? "consistent" : "inconsistent"},
                    {"itl_status", exchange::ItlStatusName(r.itl_status())},
                    {"registry_seq", r.registry_seq},
                    {"peer_seq", r.peer_seq},
                    {"registry_digest", r.registry_digest},
                    {"peer_digest", r.peer_digest},
                    {"transactions", r.transactions},
                    {"in_flight", r.in_flight},
                    {"differences", std::move(differences)},
                    {"differences_omitted", r.differences_omitted},
                    {"journal_seq", result.journal_seq},
                    {"frozen", result.frozen}};
}

}  // namespace jcm::service::json
