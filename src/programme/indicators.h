// The programme's indicators and forecasts (docs/programme.md, "Indicators" and "Forecast"):
// credits issued, acquired by the Government of Japan and used toward Japan's NDC per Japanese
// fiscal year against the FY2030 and FY2040 targets; the same by partner country, technology and
// funding channel; a forecast band from the pipeline; cost-effectiveness in yen per tonne. Pure:
// the service gathers the facts from the ledger, the cycle and the programme records.
//
// Integer arithmetic only: every fraction is kept exact and floored (forecasts) or rounded half
// up (yen per tonne) once, at the end, as docs/programme.md states per figure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "programme/programme.h"

namespace jcm::programme {

// The seed's four technologies (transformers, chillers, solar PV, waste-to-energy) and the rest.
enum class Technology : uint8_t { kTransformers, kChillers, kSolarPv, kWasteToEnergy, kOther };
std::string_view TechnologyName(Technology technology);
// By keywords of a project's title and its methodologies' titles (docs/programme.md,
// "Technology"), case-insensitive: waste-to-energy first, then transformers, chillers, solar PV.
Technology ClassifyTechnology(std::string_view text);

// The targets of the Global Warming Countermeasures Plan (Cabinet decision 18 Feb 2025).
inline constexpr int64_t kTargetFy2030_tco2e = 100'000'000;
inline constexpr int64_t kTargetFy2040_tco2e = 200'000'000;
inline constexpr int64_t kPartnerCountriesTarget = 30;

struct ProjectFacts {
  std::string project;  // reference (or PIN id)
  std::string partner;  // the partner country's code
  Technology technology = Technology::kOther;
  std::string channel;  // funding channel name, or "unknown"
  bool registered = false;
  bool in_pipeline = false;        // registered or in validation: counts toward the forecast
  std::optional<Funding> funding;  // expected reductions, crediting period and subsidy
};

// Units one issuance put into the ledger (any registry), and when it counts.
struct IssuedFact {
  std::string project;
  core::Period monitoring_period;
  int fiscal_year = 0;
  int64_t units = 0;
};

// Units that reached the GoJ's holdings or were used toward the NDC in a fiscal year.
struct FlowFact {
  int fiscal_year = 0;
  int64_t units = 0;
};

struct IndicatorInputs {
  std::vector<ProjectFacts> projects;
  std::vector<IssuedFact> issued;
  std::vector<FlowFact> goj_acquired;
  std::vector<FlowFact> ndc_used;
  int64_t partner_countries_with_jc = 0;
  core::Date today;
};

struct FiscalYearRow {
  int fiscal_year = 0;
  int64_t issued_tco2e = 0;
  int64_t goj_acquired_tco2e = 0;
  int64_t ndc_used_tco2e = 0;
  int64_t cumulative_issued_tco2e = 0;
};

// Cumulative issuance by the end of a target year: issued so far plus the pipeline's expected
// reductions until then, scaled by the realisation ratio (low: min(ratio, 1); high: max(ratio,
// 1)). gap = target − forecast (negative: the forecast exceeds the target).
struct TargetRow {
  int fiscal_year = 0;
  int64_t target_tco2e = 0;
  int64_t issued_tco2e = 0;             // so far
  int64_t pipeline_expected_tco2e = 0;  // unscaled, from today to the end of the year
  int64_t forecast_low_tco2e = 0;
  int64_t forecast_high_tco2e = 0;
  int64_t gap_low_tco2e = 0;   // target − forecast_high
  int64_t gap_high_tco2e = 0;  // target − forecast_low
};

// Issued ÷ expected over the monitoring periods issued so far, for projects with a funding
// record (expected = annual × days ÷ 365).
struct RealisationRow {
  std::string technology;
  int64_t issued_tco2e = 0;
  int64_t expected_tco2e = 0;  // floored
  Fraction ratio{1, 1};        // issued × 365 ÷ (Σ annual × days); 1/1 when nothing expected
  bool observed = false;       // false: the all-technology ratio (or 1) stands in
};

struct GroupRow {
  std::string key;  // a country code, a technology or a channel
  int64_t projects = 0;
  int64_t registered = 0;
  int64_t issued_tco2e = 0;
  int64_t subsidy_yen = 0;  // projects with a funding record
  int64_t expected_lifetime_tco2e = 0;
  int64_t issued_funded_tco2e = 0;                // issued by the projects with a funding record
  std::optional<int64_t> yen_per_tco2e_expected;  // subsidy ÷ expected lifetime, nearest yen
  std::optional<int64_t> yen_per_tco2e_issued;    // subsidy ÷ issued so far, nearest yen
};

struct IndicatorReport {
  int64_t issued_tco2e = 0;
  int64_t goj_acquired_tco2e = 0;
  int64_t ndc_used_tco2e = 0;
  std::vector<FiscalYearRow> fiscal_years;  // ascending
  std::vector<TargetRow> targets;           // FY2030, FY2040
  std::vector<RealisationRow> realisation;  // by technology
  std::vector<GroupRow> by_country;
  std::vector<GroupRow> by_technology;
  std::vector<GroupRow> by_channel;
  std::vector<GroupRow> by_project;  // projects with a funding record (cost-effectiveness)
  int64_t partner_countries_with_jc = 0;
  int64_t partner_countries_target = kPartnerCountriesTarget;
};

// The expected reductions of `annual_tco2e` over the days of `period` within [from, to], as
// annual × days (divide by 365 for tonnes). 0 when they do not overlap.
int64_t ExpectedTimes365(int64_t annual_tco2e, const core::Period& period, core::Date from,
                         core::Date to);

IndicatorReport ComputeIndicators(const IndicatorInputs& inputs);

}  // namespace jcm::programme
