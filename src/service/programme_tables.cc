// ProgrammeReportTables: the programme report (programme/indicators.h) as the tables of `jcm
// programme report --xlsx` (one sheet each), the figures as the JSON report states them.
#include <cstdint>
#include <string>

#include "service/programme_service.h"

namespace jcm::service {
namespace {

Cell OptionalInt(const std::optional<int64_t>& value) {
  return value ? Cell(*value) : Cell(std::monostate{});
}

// n ÷ d to four decimal places, rounded half up, by long division (no product of n or d that
// could overflow). REQUIRES n >= 0, d > 0 (a realisation ratio).
Decimal RatioDecimal(const programme::Fraction& ratio) {
  int64_t whole = ratio.numerator / ratio.denominator;
  int64_t remainder = ratio.numerator % ratio.denominator;
  int64_t digits = 0;  // the first five decimals
  for (int i = 0; i < 5; ++i) {
    const int64_t digit = remainder >= INT64_MAX / 10 ? remainder / (ratio.denominator / 10)
                                                      : remainder * 10 / ratio.denominator;
    remainder = remainder >= INT64_MAX / 10 ? 0 : remainder * 10 % ratio.denominator;
    digits = digits * 10 + digit;
  }
  int64_t four = (digits + 5) / 10;
  if (four == 10'000) {
    ++whole;
    four = 0;
  }
  std::string fraction = std::to_string(four);
  fraction.insert(0, 4 - fraction.size(), '0');
  return Decimal{std::to_string(whole) + "." + fraction};
}

Table GroupTable(std::string name, std::string key, const std::vector<programme::GroupRow>& rows) {
  Table table{std::move(name),
              {std::move(key), "projects", "registered", "issued_tco2e", "subsidy_yen",
               "expected_lifetime_tco2e", "issued_funded_tco2e", "yen_per_tco2e_expected",
               "yen_per_tco2e_issued"},
              {}};
  for (const programme::GroupRow& g : rows) {
    table.rows.push_back({g.key, g.projects, g.registered, g.issued_tco2e, g.subsidy_yen,
                          g.expected_lifetime_tco2e, g.issued_funded_tco2e,
                          OptionalInt(g.yen_per_tco2e_expected),
                          OptionalInt(g.yen_per_tco2e_issued)});
  }
  return table;
}

}  // namespace

std::vector<Table> ProgrammeReportTables(const programme::IndicatorReport& r, core::Date today) {
  std::vector<Table> tables;
  tables.push_back({"Summary",
                    {"today", "issued_tco2e", "goj_acquired_tco2e", "ndc_used_tco2e",
                     "partner_countries_with_jc", "partner_countries_target"},
                    {{today.ToString(), r.issued_tco2e, r.goj_acquired_tco2e, r.ndc_used_tco2e,
                      r.partner_countries_with_jc, r.partner_countries_target}}});
  Table years{"Fiscal years",
              {"fiscal_year", "issued_tco2e", "goj_acquired_tco2e", "ndc_used_tco2e",
               "cumulative_issued_tco2e"},
              {}};
  for (const programme::FiscalYearRow& y : r.fiscal_years) {
    years.rows.push_back({int64_t{y.fiscal_year}, y.issued_tco2e, y.goj_acquired_tco2e,
                          y.ndc_used_tco2e, y.cumulative_issued_tco2e});
  }
  tables.push_back(std::move(years));
  Table targets{"Targets",
                {"fiscal_year", "target_tco2e", "issued_tco2e", "pipeline_expected_tco2e",
                 "forecast_low_tco2e", "forecast_high_tco2e", "gap_low_tco2e", "gap_high_tco2e"},
                {}};
  for (const programme::TargetRow& t : r.targets) {
    targets.rows.push_back({int64_t{t.fiscal_year}, t.target_tco2e, t.issued_tco2e,
                            t.pipeline_expected_tco2e, t.forecast_low_tco2e, t.forecast_high_tco2e,
                            t.gap_low_tco2e, t.gap_high_tco2e});
  }
  tables.push_back(std::move(targets));
  Table realisation{
      "Realisation", {"technology", "issued_tco2e", "expected_tco2e", "ratio", "observed"}, {}};
  for (const programme::RealisationRow& row : r.realisation) {
    realisation.rows.push_back({row.technology, row.issued_tco2e, row.expected_tco2e,
                                RatioDecimal(row.ratio), std::string(row.observed ? "yes" : "no")});
  }
  tables.push_back(std::move(realisation));
  tables.push_back(GroupTable("By partner country", "country", r.by_country));
  tables.push_back(GroupTable("By technology", "technology", r.by_technology));
  tables.push_back(GroupTable("By funding channel", "channel", r.by_channel));
  tables.push_back(GroupTable("By funded project", "project", r.by_project));
  return tables;
}

}  // namespace jcm::service
