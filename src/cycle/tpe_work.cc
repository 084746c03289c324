#include "cycle/tpe_work.h"

#include <algorithm>
#include <tuple>

namespace jcm::cycle {
namespace {

TpeWorkItem ItemOf(const Project& p, TpeFunction function) {
  TpeWorkItem item;
  item.project = p.reference.empty() ? p.id : p.reference;
  item.partner = p.partner;
  item.title = p.title;
  item.function = function;
  return item;
}

void Verifications(const State& state, const Project& p, std::string_view org, core::Date today,
                   std::vector<TpeWorkItem>& items) {
  const bool designated =
      state.IsTpeDesignated(p.partner, org, p.sectoral_scope, TpeFunction::kVerification, today);
  for (const MonitoringPeriodState& m : p.periods) {
    const bool open = m.status == MonitoringStatus::kReported && designated;
    const bool done = m.verifier == org && m.status != MonitoringStatus::kReported;
    if (!open && !done) continue;
    TpeWorkItem item = ItemOf(p, TpeFunction::kVerification);
    item.period = m.period;
    item.done = done;
    item.tco2e = done ? m.verified_tco2e : m.reported_tco2e;
    items.push_back(std::move(item));
  }
}

}  // namespace

std::vector<TpeWorkItem> TpeWork(const State& state, std::string_view org, core::Date today) {
  std::vector<TpeWorkItem> items;
  for (const auto& [id, p] : state.projects) {
    const bool open =
        p.status == ProjectStatus::kValidation &&
        state.IsTpeDesignated(p.partner, org, p.sectoral_scope, TpeFunction::kValidation, today);
    if (open || (p.validator == org && p.status != ProjectStatus::kValidation)) {
      TpeWorkItem item = ItemOf(p, TpeFunction::kValidation);
      item.done = !open;
      items.push_back(std::move(item));
    }
    Verifications(state, p, org, today, items);
  }
  std::stable_sort(items.begin(), items.end(), [](const TpeWorkItem& a, const TpeWorkItem& b) {
    auto start = [](const TpeWorkItem& i) { return i.period ? i.period->start : core::Date(); };
    return std::tuple(a.done, a.project, start(a)) < std::tuple(b.done, b.project, start(b));
  });
  return items;
}

}  // namespace jcm::cycle
