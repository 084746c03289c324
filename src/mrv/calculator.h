// Calculate: reference, project and emission reductions per monitoring period and point.
//
// For each period and monitoring point the methodology's equations are evaluated in file
// order with exact Rationals; RE, PE and ER of the period are the sums over points, and the
// period ER is rounded once by the methodology's rule (default: down to whole tCO2e).
// Values come from, in order: the monitored totals (MonitoringData), the point's section of
// the project file, the project's [values], the methodology default. A period is issuable
// only if every eligibility criterion passes and no error-severity finding concerns it. Each
// period is also given per calendar year (SplitByCalendarYear).
#pragma once

#include <string>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "mrv/calendar_years.h"
#include "mrv/methodology.h"
#include "mrv/monitoring_data.h"
#include "mrv/project_params.h"
#include "mrv/rational.h"

namespace jcm::mrv {

struct ParameterUse {
  std::string name;    // "EF_grid", "W[3]"
  std::string point;   // empty for project-wide values
  std::string period;  // monitored values only
  Rational value;
  std::string unit;
  std::string source;       // "methodology default", "project", "project point", "monitored"
  std::string option;       // monitoring option A/B/C when declared
  std::string provisional;  // non-empty when the default is provisional
};

struct PointResult {
  std::string point;
  Rational re_tco2e, pe_tco2e, er_tco2e;
};

struct PeriodResult {
  core::Period period;
  std::vector<PointResult> points;
  Rational re_tco2e, pe_tco2e, er_tco2e;
  int64_t er_rounded_tco2e = 0;
  bool issuable = true;
  std::vector<std::string> not_issuable_reasons;
  // The period per calendar year (calendar_years.h): exact shares and whole units that sum to
  // er_rounded_tco2e.
  std::vector<CalendarYearShare> calendar_years;
};

struct EligibilityResult {
  std::string id, text, point;
  bool passed = false;
  std::string message;
};

struct CalcReport {
  std::string methodology_ref, methodology_title, technology, project_id, rounding;
  std::vector<PeriodResult> periods;
  std::vector<EligibilityResult> eligibility;
  bool eligible = true;
  std::vector<ParameterUse> parameters;
  std::vector<Finding> findings;
  std::vector<InputFile> files;
  std::vector<std::string> provisional;  // "EF_grid: source" / "equation PE: source"
};

// FailedPrecondition when a required value is missing (e.g. an ex-ante parameter the project
// file does not give); InvalidArgument when an equation cannot be evaluated (division by zero)
// or a project value overrides a non-configurable default.
core::Result<CalcReport> Calculate(const Methodology& methodology, const ProjectParams& project,
                                   const MonitoringData& data);

}  // namespace jcm::mrv
