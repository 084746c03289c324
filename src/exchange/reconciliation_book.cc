#include "exchange/reconciliation_book.h"

#include <algorithm>

namespace jcm::exchange {
namespace {

core::Result<core::RegistryCode> PeerOf(const core::Record& body) {
  JCM_ASSIGN_OR_RETURN(std::string text, body.Get("peer"));
  core::Result<core::RegistryCode> code = core::RegistryCode::Parse(text);
  if (!code.ok()) return core::DataLoss("field peer is no registry code: " + text);
  return *code;
}

}  // namespace

std::string_view ReconciliationEventKind(const ReconcileReport& report) {
  return report.consistent() ? kEventReconciliationCompleted : kEventReconciliationInconsistent;
}

core::Record ReconciliationEvent(const ReconcileReport& report, int64_t at_s) {
  core::Record r;
  r.Add("peer", report.peer.str());
  r.Add("itl_status", ItlStatusName(report.itl_status()));
  r.AddInt("registry_seq", report.registry_seq).AddInt("peer_seq", report.peer_seq);
  r.Add("registry_digest", report.registry_digest).Add("peer_digest", report.peer_digest);
  r.AddInt("transactions", report.transactions).AddInt("in_flight", report.in_flight);
  r.AddInt("at", at_s);
  for (const Difference& d : report.differences) {
    r.Add("difference", std::string(PhaseName(d.phase)) + "|" + d.transaction + "|" + d.text);
  }
  if (report.differences_omitted > 0) r.AddInt("differences_omitted", report.differences_omitted);
  return r;
}

core::Status ReconciliationBook::Apply(std::string_view kind, const core::Record& body,
                                       int64_t seq) {
  last_seq_ = std::max(last_seq_, seq);
  const bool completed = kind == kEventReconciliationCompleted;
  const bool inconsistent = kind == kEventReconciliationInconsistent;
  if (!completed && !inconsistent && kind != kEventReconciliationResolved) {
    return core::OkStatus();
  }
  JCM_ASSIGN_OR_RETURN(core::RegistryCode peer, PeerOf(body));
  PeerReconciliation& state = peers_[peer];
  if (kind == kEventReconciliationResolved) {
    if (state.open_inconsistency == 0) {
      return core::DataLoss("a resolution with " + peer.str() + ", where none is open");
    }
    state.open_inconsistency = 0;
    state.open_differences = 0;
    state.last_itl_status = ItlStatusName(ItlStatus::kCompletedManualIntervention);
    return core::OkStatus();
  }
  JCM_ASSIGN_OR_RETURN(state.last_at_s, body.GetInt("at"));
  JCM_ASSIGN_OR_RETURN(state.last_itl_status, body.Get("itl_status"));
  state.last_seq = seq;
  if (inconsistent) {
    if (state.open_inconsistency == 0) state.open_inconsistency = seq;
    const std::optional<int64_t> omitted =
        core::ParseInt64(body.Find("differences_omitted").value_or("0"));
    state.open_differences =
        static_cast<int64_t>(body.FindAll("difference").size()) + omitted.value_or(0);
  }
  return core::OkStatus();
}

std::optional<Refusal> ReconciliationBook::Frozen(const core::RegistryCode& peer) const {
  auto found = peers_.find(peer);
  if (found == peers_.end() || found->second.open_inconsistency == 0) return std::nullopt;
  return Refusal{ExchangeCheck::kExchangeFrozen,
                 "transfers with " + peer.str() + " are frozen: the reconciliation of entry " +
                     std::to_string(found->second.open_inconsistency) +
                     " found differences no operator has resolved"};
}

std::variant<core::Record, Refusal> DecideResolve(const ReconciliationBook& book,
                                                  const core::RegistryCode& peer,
                                                  const std::string& reason) {
  auto found = book.peers().find(peer);
  if (found == book.peers().end() || found->second.open_inconsistency == 0) {
    return Refusal{ExchangeCheck::kReconciliationNotOpen,
                   "no inconsistency with " + peer.str() + " is open"};
  }
  core::Record r;
  r.Add("peer", peer.str()).AddInt("inconsistency", found->second.open_inconsistency);
  r.Add("reason", reason);
  return r;
}

}  // namespace jcm::exchange
