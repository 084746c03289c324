// MonitoringData: monitored values aggregated per (monitoring period, point, parameter), with
// the data-quality findings found on the way. Produced by IngestMonitoringCsv
// (monitoring_csv.h) or by reading a Monitoring Report Sheet (report_sheet.h); consumed by
// Calculate (calculator.h).
//
// Every total is exact (a Rational in the parameter's unit). Readings that data quality
// excludes or replaces are counted and described by a Finding; nothing is dropped silently.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "mrv/rational.h"

namespace jcm::mrv {

enum class Severity : uint8_t { kInfo, kWarning, kError };
std::string_view SeverityName(Severity severity);

// A line of an input file (1-based), as fields: never text to be parsed back.
struct SourceLine {
  std::string file;
  int64_t line = 0;
};

struct Finding {
  Severity severity = Severity::kWarning;
  std::string code;    // stable: gap, duplicate, out_of_range, uncalibrated, overlap, …
  std::string period;  // "START..END" or empty
  std::string point;
  std::string parameter;
  int64_t count = 0;    // readings or slots concerned
  std::string message;  // what was found and how it was treated
  SourceLine location;  // the first reading concerned, where there is one (line 0: none)
};

struct SeriesKey {
  size_t period_index = 0;
  std::string point;
  std::string parameter;
  auto operator<=>(const SeriesKey&) const = default;
};

struct SeriesTotal {
  Rational total;             // in the parameter's unit, after conservative treatment
  int64_t reading_count = 0;  // readings that contributed
};

struct InputFile {
  std::string path;
  uint64_t bytes = 0;
  uint64_t rows = 0;   // data rows (excluding the header)
  std::string sha256;  // filled by the caller that hashes (see cli)
};

struct MonitoringData {
  std::vector<core::Period> periods;
  std::map<SeriesKey, SeriesTotal> series;
  std::vector<Finding> findings;
  std::vector<InputFile> files;

  const SeriesTotal* Find(size_t period_index, std::string_view point,
                          std::string_view parameter) const;
};

}  // namespace jcm::mrv
