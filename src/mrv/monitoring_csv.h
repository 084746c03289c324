// IngestMonitoringCsv: streamed, multi-threaded ingest of monitoring CSV files.
//
// Two layouts (docs/formats/monitoring-csv.md):
//   long:  point,parameter,timestamp,value,unit   (columns in any order; "period" =
//          "START..END" may replace "timestamp" for readings that cover a whole period)
//   wide:  timestamp,PV01:EG[kWh],PV02:EG[kWh],…  (a meter export: one column per meter)
//
// Files of any size are read in bounded blocks by `threads` workers, each over its own byte
// range, with a hand-written decimal parser and exact 128-bit sums per series; the per-worker
// sums are merged exactly, so the result is byte-identical for any thread count, row order
// or file split. Peak memory is bounded by the block size × threads plus the series tables.
//
// Readings are converted exactly to the parameter's unit (kWh → MWh). A reading of an
// unknown parameter, unit of another dimension, or malformed number is an error with
// FILE:LINE:COLUMN. Data-quality issues (gaps, duplicates, out-of-range, uncalibrated meters,
// readings inside earlier reports) become Findings with the conservative treatment applied.
// A file that shrinks, grows or is rewritten while it is read is a data_loss error naming it.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "mrv/methodology.h"
#include "mrv/monitoring_data.h"
#include "mrv/project_params.h"

namespace jcm::mrv {

// Bytes each worker reads at a time; also the longest line accepted.
inline constexpr size_t kIngestBlockBytes = 8 * 1024 * 1024;
inline constexpr int kIngestThreadsMax = 64;
inline constexpr size_t kWideColumnsMax = 100000;

struct IngestOptions {
  int threads = 1;
  // A file gets at most one worker per this many bytes (tests lower it to force splitting).
  uint64_t bytes_per_thread_min = 1 << 20;
  // Incremented with bytes consumed, for a progress display; may be null.
  std::atomic<uint64_t>* bytes_done = nullptr;
  // Tests only: called with each file's path after it is opened, before it is read (to change
  // the file meanwhile).
  std::function<void(const std::string&)> before_read_for_test;
};

// Reads `paths` for the monitored parameters of `methodology`, assigning readings to
// `periods` (REQUIRES: non-empty, non-overlapping). Calibration windows, the interval for
// gap/duplicate checks and earlier reports come from `project`.
core::Result<MonitoringData> IngestMonitoringCsv(std::span<const std::string> paths,
                                                 const Methodology& methodology,
                                                 const ProjectParams& project,
                                                 const std::vector<core::Period>& periods,
                                                 const IngestOptions& options);

}  // namespace jcm::mrv
