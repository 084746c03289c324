// ProjectParams: a project's parameter file — the ex-ante values, monitoring points, meter
// calibration windows and the monitoring periods to compute (docs/formats/methodology.md,
// "Project parameter files"). Same line format as methodology files (keyed_text.h).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "mrv/rational.h"

namespace jcm::mrv {

struct ParamValue {
  Rational value;
  int line = 0;
};

struct PointSpec {
  std::string name;
  // Ex-ante values that differ for this point (e.g. the rated COP of chiller CH01).
  std::map<std::string, ParamValue, std::less<>> values;
  // The meter's calibration validity; readings outside it are treated conservatively.
  std::optional<core::Period> calibration;
  // Monitoring option (A, B or C) chosen per parameter, e.g. "EG" -> "C".
  std::map<std::string, std::string, std::less<>> options;
};

struct ProjectParams {
  std::string file_name;
  std::string project_id;
  std::string methodology;  // "ID@VERSION", may be empty
  std::vector<core::Period> periods;
  std::vector<core::Period> reported;  // periods of earlier monitoring reports
  int interval_minutes = 0;            // 0: not declared (gap/duplicate checks are skipped)
  // Share of a reading outside its meter's calibration validity that is discounted (RE side)
  // or added (PE side); default 100: such readings are dropped from RE-side sums.
  Rational uncalibrated_discount_percent = Rational::FromInt(100);
  std::map<std::string, ParamValue, std::less<>> values;  // "EF_grid", "W[3]"
  // The monitoring points. Every point that monitoring data names must be declared here
  // (docs/mrv.md, "Monitoring points"): an undeclared one is an input error.
  std::vector<PointSpec> points;
  // `points` by name, kept by ParseProjectParams; FindPoint scans `points` when a caller filled
  // them without it.
  std::map<std::string, size_t, std::less<>> point_index;

  const PointSpec* FindPoint(std::string_view name) const;
};

// InvalidArgument "FILE:LINE:COLUMN: message" on malformed input.
core::Result<ProjectParams> ParseProjectParams(std::string_view text, std::string_view file_name);
core::Result<ProjectParams> LoadProjectParamsFile(const std::string& path);

// Parses "A..B, C..D" into periods.
core::Result<std::vector<core::Period>> ParsePeriodList(std::string_view text);

}  // namespace jcm::mrv
