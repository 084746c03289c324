#include "programme/indicators.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>
#include <utility>

namespace jcm::programme {
namespace {

__extension__ typedef __int128 Int128;  // GCC/Clang extension: exact products of two int64

constexpr int64_t kDaysPerYear = 365;
constexpr std::array<Technology, 5> kTechnologies = {
    Technology::kTransformers, Technology::kChillers, Technology::kSolarPv,
    Technology::kWasteToEnergy, Technology::kOther};

// num ÷ den to the nearest integer, halves up. REQUIRES num >= 0, den > 0.
int64_t DivideRounded(Int128 num, Int128 den) {
  return static_cast<int64_t>((2 * num + den) / (2 * den));
}

int64_t DivideFloored(Int128 num, Int128 den) { return static_cast<int64_t>(num / den); }

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

int64_t LifetimeTimes365(const Funding& f) {
  return ExpectedTimes365(f.expected_annual_tco2e, f.crediting_period, f.crediting_period.start,
                          f.crediting_period.end);
}

// Per technology: issued and annual × days over the monitoring periods issued, for projects with
// a funding record and at least one issuance.
struct Observed {
  int64_t issued = 0;
  int64_t expected_times365 = 0;
};

std::map<Technology, Observed> ObserveRealisation(const IndicatorInputs& in) {
  std::map<std::string, std::set<std::pair<int64_t, int64_t>>> periods;  // by project
  std::map<std::string, int64_t> issued;
  for (const IssuedFact& fact : in.issued) {
    periods[fact.project].insert({fact.monitoring_period.start.days_since_epoch(),
                                  fact.monitoring_period.end.days_since_epoch()});
    issued[fact.project] += fact.units;
  }
  std::map<Technology, Observed> out;
  for (const ProjectFacts& p : in.projects) {
    if (!p.funding || !periods.contains(p.project)) continue;
    Observed& o = out[p.technology];
    o.issued += issued[p.project];
    for (const auto& [start, end] : periods[p.project]) {
      o.expected_times365 += ExpectedTimes365(
          p.funding->expected_annual_tco2e, p.funding->crediting_period,
          core::Date::FromDaysSinceEpoch(start), core::Date::FromDaysSinceEpoch(end));
    }
  }
  return out;
}

std::vector<RealisationRow> Realisation(const std::map<Technology, Observed>& observed) {
  Observed all;
  for (const auto& [technology, o] : observed) {
    if (o.expected_times365 == 0) continue;  // issued outside any expectation: no ratio
    all.issued += o.issued;
    all.expected_times365 += o.expected_times365;
  }
  const Fraction fallback = all.expected_times365 > 0
                                ? Fraction{all.issued * kDaysPerYear, all.expected_times365}
                                : Fraction{1, 1};
  std::vector<RealisationRow> rows;
  for (Technology t : kTechnologies) {
    RealisationRow row{std::string(TechnologyName(t)), 0, 0, fallback, false};
    if (const auto it = observed.find(t);
        it != observed.end() && it->second.expected_times365 > 0) {
      row.issued_tco2e = it->second.issued;
      row.expected_tco2e = it->second.expected_times365 / kDaysPerYear;
      row.ratio = {it->second.issued * kDaysPerYear, it->second.expected_times365};
      row.observed = true;
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

TargetRow Forecast(const IndicatorInputs& in, const std::vector<RealisationRow>& realisation,
                   int64_t issued, int fiscal_year, int64_t target) {
  std::map<Technology, int64_t> expected_times365;
  for (const ProjectFacts& p : in.projects) {
    if (!p.in_pipeline || !p.funding) continue;
    expected_times365[p.technology] +=
        ExpectedTimes365(p.funding->expected_annual_tco2e, p.funding->crediting_period, in.today,
                         FiscalYearEnd(fiscal_year));
  }
  TargetRow row{fiscal_year, target, issued, 0, issued, issued, 0, 0};
  int64_t all_times365 = 0;
  for (const auto& [technology, e] : expected_times365) {
    all_times365 += e;
    const Fraction r = realisation[static_cast<size_t>(technology)].ratio;
    const int64_t scaled = DivideFloored(static_cast<Int128>(e) * r.numerator,
                                         static_cast<Int128>(r.denominator) * kDaysPerYear);
    const int64_t plain = e / kDaysPerYear;
    row.forecast_low_tco2e += std::min(scaled, plain);
    row.forecast_high_tco2e += std::max(scaled, plain);
  }
  row.pipeline_expected_tco2e = all_times365 / kDaysPerYear;
  row.gap_low_tco2e = target - row.forecast_high_tco2e;
  row.gap_high_tco2e = target - row.forecast_low_tco2e;
  return row;
}

void AddToGroup(GroupRow& g, const ProjectFacts& p, int64_t issued) {
  ++g.projects;
  if (p.registered) ++g.registered;
  g.issued_tco2e += issued;
  if (!p.funding) return;
  g.subsidy_yen += p.funding->subsidy_yen;
  g.expected_lifetime_tco2e += LifetimeTimes365(*p.funding) / kDaysPerYear;
  g.issued_funded_tco2e += issued;
}

std::vector<GroupRow> Finish(std::map<std::string, GroupRow> groups) {
  std::vector<GroupRow> out;
  for (auto& [key, g] : groups) {
    g.key = key;
    if (g.expected_lifetime_tco2e > 0) {
      g.yen_per_tco2e_expected = DivideRounded(g.subsidy_yen, g.expected_lifetime_tco2e);
    }
    if (g.issued_funded_tco2e > 0) {
      g.yen_per_tco2e_issued = DivideRounded(g.subsidy_yen, g.issued_funded_tco2e);
    }
    out.push_back(std::move(g));
  }
  return out;
}

void Group(const IndicatorInputs& in, IndicatorReport& report) {
  std::map<std::string, int64_t> issued;
  for (const IssuedFact& fact : in.issued) issued[fact.project] += fact.units;
  std::map<std::string, GroupRow> country, technology, channel, project;
  for (const ProjectFacts& p : in.projects) {
    const int64_t units = issued.contains(p.project) ? issued.at(p.project) : 0;
    AddToGroup(country[p.partner], p, units);
    AddToGroup(technology[std::string(TechnologyName(p.technology))], p, units);
    AddToGroup(channel[p.channel], p, units);
    if (p.funding) AddToGroup(project[p.project], p, units);
  }
  report.by_country = Finish(std::move(country));
  report.by_technology = Finish(std::move(technology));
  report.by_channel = Finish(std::move(channel));
  report.by_project = Finish(std::move(project));
}

std::vector<FiscalYearRow> FiscalYears(const IndicatorInputs& in) {
  std::map<int, FiscalYearRow> years;
  for (const IssuedFact& f : in.issued) years[f.fiscal_year].issued_tco2e += f.units;
  for (const FlowFact& f : in.goj_acquired) years[f.fiscal_year].goj_acquired_tco2e += f.units;
  for (const FlowFact& f : in.ndc_used) years[f.fiscal_year].ndc_used_tco2e += f.units;
  std::vector<FiscalYearRow> out;
  int64_t cumulative = 0;
  for (auto& [year, row] : years) {
    row.fiscal_year = year;
    cumulative += row.issued_tco2e;
    row.cumulative_issued_tco2e = cumulative;
    out.push_back(row);
  }
  return out;
}

}  // namespace

std::string_view TechnologyName(Technology technology) {
  switch (technology) {
    case Technology::kTransformers:
      return "transformers";
    case Technology::kChillers:
      return "chillers";
    case Technology::kSolarPv:
      return "solar_pv";
    case Technology::kWasteToEnergy:
      return "waste_to_energy";
    case Technology::kOther:
      return "other";
  }
  return "other";
}

Technology ClassifyTechnology(std::string_view text) {
  const std::string lower = Lower(text);
  const auto has = [&lower](std::string_view word) {
    return lower.find(word) != std::string::npos;
  };
  if (has("waste-to-energy") || has("waste to energy") || has("incinerat") || has("waste power") ||
      has("municipal solid waste")) {
    return Technology::kWasteToEnergy;
  }
  if (has("transformer")) return Technology::kTransformers;
  if (has("chiller") || has("refrigerat")) return Technology::kChillers;
  if (has("solar") || has("photovoltaic")) return Technology::kSolarPv;
  return Technology::kOther;
}

int64_t ExpectedTimes365(int64_t annual_tco2e, const core::Period& period, core::Date from,
                         core::Date to) {
  const core::Date start = std::max(period.start, from);
  const core::Date end = std::min(period.end, to);
  if (end < start) return 0;
  return annual_tco2e * (end.days_since_epoch() - start.days_since_epoch() + 1);
}

IndicatorReport ComputeIndicators(const IndicatorInputs& in) {
  IndicatorReport report;
  for (const IssuedFact& f : in.issued) report.issued_tco2e += f.units;
  for (const FlowFact& f : in.goj_acquired) report.goj_acquired_tco2e += f.units;
  for (const FlowFact& f : in.ndc_used) report.ndc_used_tco2e += f.units;
  report.fiscal_years = FiscalYears(in);
  report.realisation = Realisation(ObserveRealisation(in));
  report.targets = {
      Forecast(in, report.realisation, report.issued_tco2e, 2030, kTargetFy2030_tco2e),
      Forecast(in, report.realisation, report.issued_tco2e, 2040, kTargetFy2040_tco2e)};
  Group(in, report);
  report.partner_countries_with_jc = in.partner_countries_with_jc;
  return report;
}

}  // namespace jcm::programme
