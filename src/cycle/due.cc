#include "cycle/due.h"

#include <algorithm>

#include "cycle/deadlines.h"

namespace jcm::cycle {
namespace {

void Add(std::vector<DueItem>& items, std::string subject, std::string what, std::string who,
         std::optional<core::Date> due, core::Date today) {
  bool overdue = due.has_value() && today > *due;
  items.push_back({std::move(subject), std::move(what), std::move(who), due, overdue});
}

void MethodologyItems(const Methodology& m, core::Date today, std::vector<DueItem>& items) {
  if (m.status == MethodologyStatus::kProposed) {
    Add(items, m.proposal_code, "completeness_check", "secretariat",
        m.proposed.PlusDays(kMethodologyCompletenessDays), today);
  }
  if (m.status != MethodologyStatus::kPublicInput || !m.input_end) return;
  if (today <= *m.input_end) {
    Add(items, m.proposal_code, "methodology_public_input", "public", *m.input_end, today);
    return;
  }
  int64_t days = m.extended ? kJcConsiderationExtendedDays : kJcConsiderationDays;
  Add(items, m.proposal_code, "methodology_jc_consideration", "joint_committee",
      m.input_end->PlusDays(days), today);
}

void ProjectItems(const Project& p, core::Date today, std::vector<DueItem>& items) {
  if (p.status == ProjectStatus::kValidation && p.pdd_input_start) {
    core::Date end = p.pdd_input_start->PlusDays(kPddPublicInputDays - 1);
    if (today <= end) Add(items, p.id, "pdd_public_input", "public", end, today);
  }
  if (p.status == ProjectStatus::kPinSubmitted) {
    Add(items, p.id, "pin_decision", "joint_committee", std::nullopt, today);
  }
  if (p.status == ProjectStatus::kRegistrationRequested) {
    Add(items, p.id, "registration_decision", "joint_committee", std::nullopt, today);
  }
  for (const MonitoringPeriodState& m : p.periods) {
    std::string subject = (p.reference.empty() ? p.id : p.reference) + " " + m.period.ToString();
    if (m.status == MonitoringStatus::kIssuanceRequested) {
      Add(items, subject, "issuance_decision", "joint_committee", std::nullopt, today);
    }
    for (const SideState& side : m.sides) {
      if (side.amount_tco2e > 0 && !side.executed) {
        Add(items, subject, "issuance_execution_" + side.side, "registry_manager", std::nullopt,
            today);
      }
    }
  }
}

}  // namespace

std::vector<DueItem> Due(const State& state, core::Date today) {
  std::vector<DueItem> items;
  for (const auto& [code, m] : state.methodologies) MethodologyItems(m, today, items);
  for (const auto& [id, p] : state.projects) ProjectItems(p, today, items);
  std::stable_sort(items.begin(), items.end(), [](const DueItem& a, const DueItem& b) {
    if (a.due.has_value() != b.due.has_value()) return a.due.has_value();
    if (a.due != b.due) return *a.due < *b.due;
    return a.subject < b.subject;
  });
  return items;
}

}  // namespace jcm::cycle
