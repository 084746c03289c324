// Internal to monitoring_csv.cc and ingest_worker.cc: the per-series plans and per-worker
// accumulators of CSV ingest.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "mrv/compressed_input.h"
#include "mrv/csv_scan.h"
#include "mrv/decimal_swar.h"
#include "mrv/exact_sum.h"
#include "mrv/methodology.h"
#include "mrv/project_params.h"

namespace jcm::mrv::internal {

// How readings of one (point, parameter, unit) are checked and converted.
struct SeriesPlan {
  std::string point, parameter, unit_text;
  const ParameterDef* definition = nullptr;
  Rational factor;  // row unit -> parameter unit
  // value < min  <=>  mantissa < min_ceil[scale]; value > max <=> mantissa > max_floor[scale].
  bool has_min = false, has_max = false;
  Int128 min_ceil[kDecimalScaleMax + 1] = {};
  Int128 max_floor[kDecimalScaleMax + 1] = {};
  // The same limits clamped to ±(2^63 - 1): exact for the ≤ 18-digit mantissas of the fast path.
  int64_t min_ceil64[kDecimalScaleMax + 1] = {};
  int64_t max_floor64[kDecimalScaleMax + 1] = {};
  bool high_side = false;
  // The point's [point] section gives a calibration window.
  bool calibration_declared = false;
  // Readings are checked against the window: it is declared and does not cover every
  // monitoring period (a window covering them all can exclude no credited reading).
  bool has_calibration = false;
  int64_t calibration_first_day = 0, calibration_last_day = 0;
};

// Hot fields first: per reading the worker touches `sum` and `count` only.
// The wide-form fast path per column: a reading that is >= 0 with no upper limit, no
// calibration window and on the reference side needs nothing but this (kept apart from the big
// SeriesPlan so a row touches one small array).
struct ColumnFast {
  bool simple = false;
};

// Fast path per series: consecutive readings of one scale summed in 64 bits, flushed into
// Accum::sum when the scale changes, 64 bits would overflow, or the worker ends; so
// Accum::sum + FastAccum::sum is always the exact total.
// Readings of exactly `scale` decimals that fit 8 bytes are not even converted to binary:
// their digits are summed byte-wise into the 16-bit lanes of `lanes_even` and `lanes_odd`
// (see decimal_swar.h), which are folded into `sum` before a lane could overflow, before the
// scale changes and when the worker ends.
struct FastAccum {
  int64_t sum = 0;
  int32_t scale = -1;
  int32_t simple = 0;  // ColumnFast::simple of the column, next to the sum it guards
  uint64_t lanes_even = 0, lanes_odd = 0;
  FixedScaleKey key;  // matches readings of `scale` decimals; never matches while scale < 0
};

struct Accum {
  int64_t count = 0;
  ExactSum sum;           // readings counted as they are (row unit)
  ExactSum uncalibrated;  // readings outside the meter's calibration validity (row unit)
  ExactSum high_water;    // largest reading seen (one-term sum), for PE-side gap filling
  bool has_high_water = false;
  int64_t uncalibrated_count = 0, replaced_by_min = 0, dropped = 0, empty_count = 0;
  int64_t overlap_count = 0, slotted_count = 0;
  uint64_t first_issue_offset = UINT64_MAX;
  std::vector<uint64_t> slots;      // one bit per interval of the period (when declared)
  std::vector<uint64_t> dup_slots;  // intervals seen more than once
};

struct PeriodWindow {
  int64_t first_day = 0, last_day = 0;
  uint64_t slot_count = 0;  // intervals in the period, 0 if no interval declared
};

// A monitored series: (point, parameter). A structured key, never text joined with a
// separator, so no byte in a name can make two series meet or split one.
struct PointParameter {
  std::string point, parameter;
  auto operator<=>(const PointParameter&) const = default;
};

// One series in one row unit: (point, parameter, unit as written).
struct SeriesUnitKey {
  std::string point, parameter, unit;
  auto operator<=>(const SeriesUnitKey&) const = default;
};

// Intervals holding more than one reading: (point, parameter) -> per period, one bit per
// interval. The second ingest pass collects the readings of exactly these intervals.
using DuplicateSlots = std::map<PointParameter, std::vector<std::vector<uint64_t>>>;

// One reading of a duplicated interval, as it contributed to its series total.
struct CollectedReading {
  PointParameter key;
  size_t period = 0;
  uint64_t slot = 0;
  Rational contribution;
};

// Sets `slot` in `slots`; if it was already set, also in `dups` (sized on first use).
inline void MarkSlot(std::vector<uint64_t>& slots, std::vector<uint64_t>& dups, uint64_t slot) {
  const uint64_t bit = uint64_t{1} << (slot % 64);
  uint64_t& word = slots[slot / 64];
  if ((word & bit) != 0) {
    if (dups.empty()) dups.assign(slots.size(), 0);
    dups[slot / 64] |= bit;
  }
  word |= bit;
}

inline bool HasSlot(const std::vector<uint64_t>& slots, uint64_t slot) {
  return slot / 64 < slots.size() && (slots[slot / 64] >> (slot % 64) & 1) != 0;
}

// Everything a worker reads but never writes.
struct IngestContext {
  const Methodology* methodology = nullptr;
  const ProjectParams* project = nullptr;
  std::vector<PeriodWindow> periods;
  std::vector<PeriodWindow> excluded;  // earlier reports
  int interval_minutes = 0;
  std::string file_name;
  int fd = -1;
  const char* mapping = nullptr;  // the whole file when mmap succeeded, else null (pread)
  uint64_t file_bytes = 0;
  bool wide = false;
  Compression compression = Compression::kNone;  // a stream: one worker, lines counted anew
  // Long form: column positions.
  int col_point = -1, col_parameter = -1, col_timestamp = -1, col_period = -1, col_value = -1,
      col_unit = -1;
  size_t column_count = 0;
  // Wide form: one plan per data column (column 0 is the timestamp).
  std::vector<SeriesPlan> wide_plans;
  std::vector<ColumnFast> wide_fast;
  // Second pass: when set, the worker only collects the readings of these intervals.
  const DuplicateSlots* collect = nullptr;
  Rational weight_low, weight_high;  // uncalibrated readings: RE side, PE side
};

// The period a day falls in, -1 if none, -2 if inside an earlier report (earlier reports win:
// a day already reported is never credited twice).
inline int PeriodOfDay(const IngestContext& c, int64_t day) {
  for (const PeriodWindow& w : c.excluded) {
    if (day >= w.first_day && day <= w.last_day) return -2;
  }
  for (size_t p = 0; p < c.periods.size(); ++p) {
    if (day >= c.periods[p].first_day && day <= c.periods[p].last_day) return static_cast<int>(p);
  }
  return -1;
}

// An error at a byte offset (converted to LINE:COLUMN by the caller) or a plain status.
struct WorkerError {
  uint64_t offset = UINT64_MAX;
  size_t column = 1;
  std::string message;
};

struct WorkerResult {
  // Long form: plans discovered by this worker; wide form: empty (context plans are used).
  std::vector<SeriesPlan> plans;
  std::map<SeriesUnitKey, size_t> plan_index;    // (point, parameter, unit) -> plan
  std::vector<Accum> accums;                     // [plan * period_count + period]
  std::vector<FastAccum> fast;                   // wide form, same index
  std::vector<int64_t> wide_rows;                // wide form: rows per period (for the counts)
  std::vector<std::vector<uint64_t>> row_slots;  // wide form: per period
  std::vector<std::vector<uint64_t>> row_dups;   // wide form: timestamps seen twice
  std::vector<CollectedReading> collected;       // second pass only
  int64_t wide_row_count_slotted = 0;
  uint64_t rows = 0, rows_outside = 0;
  std::optional<WorkerError> error;
  core::Status io_status;
};

// Builds the plan for (point, parameter, unit); an error message if it cannot be read (a
// control character in the point or parameter name, a point the parameter file does not
// declare, an unknown parameter, a bad unit).
// "monitoring point "X" is not declared in the parameter file F: add [point X] …".
std::string PointNotDeclaredMessage(const ProjectParams& project, std::string_view point);

core::Result<SeriesPlan> MakeSeriesPlan(const IngestContext& context, std::string_view point,
                                        std::string_view parameter, std::string_view unit);

// The exact contribution (parameter unit) of one reading to its series total after the
// conservative treatment of ingest: out of range, uncalibrated (× `uncalibrated_weight`).
Rational TreatedContribution(const SeriesPlan& plan, const DecimalValue& reading, int64_t day,
                             const Rational& uncalibrated_weight);

// Reads the header line into `c`: the layout, the long form's column positions or the wide
// form's series plans (csv_header.cc). An error has the header's LINE:COLUMN.
core::Status ParseHeader(std::string_view header, IngestContext* c);

// Adds one parsed reading to its accumulator with the range and calibration checks (the exact
// path of both layouts). False if a 128-bit sum overflowed. Only an `interval_reading` (one
// with a timestamp) may become the high-water mark that fills PE-side gaps: a reading that
// covers a whole period (an invoice) is a total, and multiplying it would count it many times.
bool AddReadingExact(const SeriesPlan& plan, Accum& a, Int128 mantissa, int scale, int64_t day,
                     uint64_t offset, bool interval_reading = true);

// slots |= from; an interval set on both sides (or already duplicated) is a duplicate.
void MergeSlots(const std::vector<uint64_t>& from, const std::vector<uint64_t>& from_dups,
                std::vector<uint64_t>* slots, std::vector<uint64_t>* dups);
// Adds one worker's (or file's) accumulator to another; *overflow on a 128-bit overflow.
void MergeAccum(const Accum& from, Accum* to, bool* overflow);

// Processes the lines starting in [begin, end) of the context's file.
void RunIngestWorker(const IngestContext& context, uint64_t begin, uint64_t end,
                     std::atomic<uint64_t>* bytes_done, WorkerResult* result);
// The same over the lines `reader` returns (a decompressed stream after its header); `begin`
// is the first line's offset.
void RunIngestWorkerOn(const IngestContext& context, RangeLineReader& reader, uint64_t begin,
                       std::atomic<uint64_t>* bytes_done, WorkerResult* result);

}  // namespace jcm::mrv::internal
