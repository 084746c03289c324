// The issuance_records.csv planner: rows grouped into JC issuance decisions, each row checked.
#include <algorithm>
#include <map>

#include "cycle/import/sheet.h"

namespace jcm::cycle::import::internal {
namespace {

// One row of issuance_records.csv, checked.
struct IssuanceRow {
  int64_t line = 0;
  std::string reference;
  std::string side;
  core::Period period;
  core::Date decision;
  int64_t notified_tco2e = 0;
  std::optional<core::Date> issued;
  int64_t total_notified = 0;
};

std::optional<IssuanceRow> ReadIssuanceRow(Sheet& sheet, const CsvRow& row) {
  IssuanceRow r;
  r.line = row.line;
  r.reference = sheet.Get(row, "reference_no");
  std::string country = sheet.Get(row, "country");
  r.side = std::string(CountryCode(country));
  if (r.side.empty()) {
    sheet.Note(row.line, true, r.reference + ": unknown country '" + country + "'");
    return std::nullopt;
  }
  bool bad = false;
  auto start = sheet.DateOf(row, "", "monitoring_start", &bad);
  auto end = sheet.DateOf(row, "", "monitoring_end", &bad);
  auto decision = sheet.DateOf(row, "decision_date_raw", "decision_date", &bad);
  r.issued = sheet.DateOf(row, "issuance_date_raw", "issuance_date", &bad);
  if (bad) return std::nullopt;
  if (!start || !end || !decision || *end < *start) {
    sheet.Note(row.line, true,
               r.reference + ": monitoring period or decision date missing/invalid");
    return std::nullopt;
  }
  std::string raw_period = sheet.Get(row, "monitoring_period_raw");
  size_t dash = raw_period.find(" - ");
  if (dash != std::string::npos) {
    auto raw_start = ParseRawDate(raw_period.substr(0, dash));
    auto raw_end = ParseRawDate(raw_period.substr(dash + 3));
    if (!raw_start.ok() || !raw_end.ok() || *raw_start != *start || *raw_end != *end) {
      sheet.Note(row.line, true,
                 r.reference + ": monitoring_period_raw '" + raw_period +
                     "' disagrees with monitoring_start/monitoring_end");
      return std::nullopt;
    }
  }
  r.period = {*start, *end};
  r.decision = *decision;
  auto notified = ParseWholeNumber(sheet.Get(row, "notified_amount"));
  auto total = ParseWholeNumber(sheet.Get(row, "total_notified"));
  if (!notified || !total) {
    sheet.Note(row.line, true,
               r.reference + ": notified_amount or total_notified not a whole number");
    return std::nullopt;
  }
  if (*notified < 0 || *total < 0) {
    sheet.Note(row.line, true,
               r.reference + ": negative amount (notified " + std::to_string(*notified) + ")");
    return std::nullopt;
  }
  r.notified_tco2e = *notified;
  r.total_notified = *total;
  std::string issued_text = sheet.Get(row, "issued_amount");
  if (r.issued.has_value()) {
    auto issued = ParseWholeNumber(issued_text);
    if (!issued || *issued != r.notified_tco2e) {
      sheet.Note(
          row.line, true,
          r.reference + ": issued_amount '" + issued_text + "' differs from notified_amount");
      return std::nullopt;
    }
    if (*r.issued < r.decision) {
      sheet.Note(row.line, true,
                 r.reference + " " + r.side + ": issuance date " + r.issued->ToString() +
                     " precedes the JC decision of " + r.decision.ToString() + " for period " +
                     r.period.ToString() +
                     " (the row likely belongs to a period missing from the data)");
      return std::nullopt;
    }
  } else if (r.notified_tco2e > 0) {
    sheet.Note(row.line, false,
               r.reference + " " + r.side + ": no issuance date: pending on " + r.side + "'s side");
  } else {
    sheet.Note(row.line, false, r.reference + " " + r.side + ": notified 0: nothing to issue");
  }
  return r;
}

struct DecisionGroup {
  std::string reference;
  core::Period period;
  core::Date decision;
  std::vector<IssuanceRow> rows;
};

}  // namespace

void PlanIssuances(Sheet& sheet, ImportPlan* plan) {
  if (!sheet.HasColumns({"reference_no", "country", "notified_amount", "total_notified"})) return;
  std::vector<DecisionGroup> groups;
  std::map<std::string, std::vector<IssuanceRow>> by_project;
  for (const CsvRow& row : sheet.rows()) {
    auto r = ReadIssuanceRow(sheet, row);
    if (!r) continue;
    auto group = std::find_if(groups.begin(), groups.end(), [&](const DecisionGroup& g) {
      return g.reference == r->reference && g.period == r->period && g.decision == r->decision;
    });
    if (group == groups.end()) {
      groups.push_back({r->reference, r->period, r->decision, {}});
      group = groups.end() - 1;
    }
    auto same_side = std::find_if(group->rows.begin(), group->rows.end(),
                                  [&](const IssuanceRow& o) { return o.side == r->side; });
    if (same_side != group->rows.end()) {
      sheet.Note(row.line, true,
                 r->reference + ": second " + r->side + " row for the decision of " +
                     r->decision.ToString() + " (first on line " + std::to_string(same_side->line) +
                     "); not loaded");
      continue;
    }
    group->rows.push_back(*r);
    by_project[r->reference].push_back(*r);
  }
  // total_notified is cumulative per project (README): check it against the rows loaded.
  for (const auto& [reference, rows] : by_project) {
    int64_t sum = 0;
    for (const IssuanceRow& r : rows) sum += r.notified_tco2e;
    if (sum != rows.front().total_notified) {
      sheet.Note(rows.front().line, false,
                 reference + ": cumulative total_notified " +
                     std::to_string(rows.front().total_notified) + " but the loaded rows sum to " +
                     std::to_string(sum) + " (some decisions are missing from the data)");
    }
  }
  for (const DecisionGroup& g : groups) {
    std::string partner;
    std::vector<SideAmount> sides;
    for (const IssuanceRow& r : g.rows) {
      sides.push_back({r.side, r.notified_tco2e});
      if (r.side != "JP") partner = r.side;
    }
    if (partner.empty()) partner = g.reference.substr(0, 2);
    plan->commands.push_back(
        {Command{SecretariatOf(partner),
                 RecordIssuanceDecision{g.reference, g.period, sides, g.decision}},
         sheet.file(), g.rows.front().line});
    for (const IssuanceRow& r : g.rows) {
      if (!r.issued || r.notified_tco2e == 0) continue;
      plan->commands.push_back(
          {Command{Actor{Role::kRegistryManager, r.side},
                   ExecuteIssuance{g.reference, g.period, r.side, "", *r.issued}},
           sheet.file(), r.line});
    }
  }
}

}  // namespace jcm::cycle::import::internal
