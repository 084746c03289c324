// The ingest hot loop: one worker over one byte range of one monitoring CSV file.
// Per reading it does no allocation and no floating point: a hand-written decimal scan into
// a 128-bit mantissa, an exact range check against precomputed limits and an exact add. In
// wide rows the usual field is not even converted: its digit bytes are summed in per-column
// lanes (decimal_swar.h).
#include <algorithm>
#include <atomic>
#include <cstring>
#include <utility>

#include "mrv/csv_scan.h"
#include "mrv/decimal_swar.h"
#include "mrv/ingest_internal.h"
#include "mrv/ingest_long.h"
#include "mrv/keyed_text.h"
#include "mrv/monitoring_csv.h"

namespace jcm::mrv::internal {

bool AddReadingExact(const SeriesPlan& plan, Accum& a, Int128 mantissa, int s, int64_t day,
                     uint64_t offset, bool interval_reading) {
  const bool below = plan.has_min && mantissa < plan.min_ceil[s];
  const bool above = plan.has_max && mantissa > plan.max_floor[s];
  ++a.count;
  if (below || above) {
    a.first_issue_offset = std::min(a.first_issue_offset, offset);
    const bool low_side = plan.definition->conservative == Conservative::kLow;
    if (low_side || below) {
      if (plan.has_min)
        ++a.replaced_by_min;
      else
        ++a.dropped;
      return true;
    }
  }
  if (plan.definition->conservative == Conservative::kHigh && interval_reading) {
    const bool higher =
        !a.has_high_water ||
        (s == a.high_water.scale() ? mantissa > a.high_water.mantissa()
                                   : Rational::FromScaled(mantissa, s) > a.high_water.ToRational());
    if (higher) {
      a.high_water = ExactSum();
      a.high_water.AddScaled(mantissa, s);
      a.has_high_water = true;
    }
  }
  if (plan.has_calibration &&
      (day < plan.calibration_first_day || day > plan.calibration_last_day)) {
    ++a.uncalibrated_count;
    a.first_issue_offset = std::min(a.first_issue_offset, offset);
    return a.uncalibrated.AddScaled(mantissa, s);
  }
  return a.sum.AddScaled(mantissa, s);
}

namespace {

constexpr size_t kPlanAccumsMax = 1'000'000;  // limits on everything: series × periods
// Bytes of whole lines the long-form fast path takes at a time (fits the L2 cache).
constexpr size_t kLongChunkBytes = 256 * 1024;

// Scans a decimal field starting at `p`, stopping at ',' or `end`, into a 64-bit mantissa
// (at most 18 significant digits). Sets *next to the delimiter. Longer numbers are parsed by
// ParseDecimal into *big (then *is_big is true). Returns kEmpty for an empty field.
// REQUIRES: *end is a sentinel ('\n' or '\r', RangeLineReader guarantees it), so the digit
// loops need no bounds check.
inline DecimalParse ScanDecimal(const char* p, const char* end, const char** next,
                                int64_t* mantissa_out, int* scale_out, DecimalValue* big,
                                bool* is_big) {
  const char* start = p;
  const bool negative = *p == '-';
  if (*p == '-' || *p == '+') ++p;
  uint64_t mantissa = 0;
  const char* digits_start = p;
  unsigned d = 0;
  while ((d = static_cast<unsigned>(*p - '0')) <= 9) {
    mantissa = mantissa * 10 + d;
    ++p;
  }
  size_t digit_count = static_cast<size_t>(p - digits_start);
  int scale = 0;
  if (*p == '.') {
    const char* fraction_start = ++p;
    while ((d = static_cast<unsigned>(*p - '0')) <= 9) {
      mantissa = mantissa * 10 + d;
      ++p;
    }
    scale = static_cast<int>(p - fraction_start);
    digit_count += static_cast<size_t>(scale);
  }
  *is_big = false;
  *next = p;
  if (p > end || (p < end && *p != ',')) {
    *next = std::min(p, end);
    return DecimalParse::kSyntax;
  }
  if (digit_count > 18) {  // may not fit 64 bits (leading zeros included): the careful parser
    *is_big = true;
    return ParseDecimal(std::string_view(start, static_cast<size_t>(p - start)), big);
  }
  if (digit_count == 0) return p == start ? DecimalParse::kEmpty : DecimalParse::kSyntax;
  const int64_t m = static_cast<int64_t>(mantissa);
  *mantissa_out = negative ? -m : m;
  *scale_out = scale;
  return DecimalParse::kOk;
}

const char* ParseError(DecimalParse parse) {
  switch (parse) {
    case DecimalParse::kSyntax:
      return "not a decimal number";
    case DecimalParse::kTooPrecise:
      return "more than 18 decimals";
    case DecimalParse::kOverflow:
      return "number too large";
    default:
      return "bad number";
  }
}

class Worker final : public LongLineFallback {
 public:
  Worker(const IngestContext& context, WorkerResult* result)
      : c_(context), r_(*result), period_count_(context.periods.size()) {
    if (c_.wide) {
      r_.accums.resize(c_.wide_plans.size() * c_.periods.size());
      r_.fast.resize(r_.accums.size());
      for (size_t i = 0; i < r_.fast.size(); ++i) {
        r_.fast[i].simple = c_.wide_fast[i / c_.periods.size()].simple ? 1 : 0;
      }
      r_.wide_rows.assign(c_.periods.size(), 0);
      r_.row_slots.resize(c_.periods.size());
      r_.row_dups.resize(c_.periods.size());
      for (size_t p = 0; p < c_.periods.size(); ++p) {
        r_.row_slots[p].assign((c_.periods[p].slot_count + 63) / 64, 0);
      }
      if (c_.collect != nullptr) {
        for (const SeriesPlan& plan : c_.wide_plans) {
          auto found = c_.collect->find(PointParameter{plan.point, plan.parameter});
          collect_columns_.push_back(found == c_.collect->end() ? nullptr : &found->second);
        }
      }
    }
  }

  // Returns false after recording an error.
  bool Line(std::string_view line, uint64_t offset) override {
    if (line.empty()) return true;
    ++r_.rows;
    return c_.wide ? WideLine(line, offset) : LongLine(line, offset);
  }

 private:
  bool Fail(uint64_t offset, size_t column, std::string message) {
    r_.error = WorkerError{offset, column, std::move(message)};
    return false;
  }

  int PeriodOf(int64_t day) const { return PeriodOfDay(c_, day); }

  uint64_t SlotOf(size_t period, const Timestamp& t) const {
    const int64_t minutes = t.minutes() - c_.periods[period].first_day * 1440;
    return static_cast<uint64_t>(minutes / c_.interval_minutes);
  }

  void AddReading(const SeriesPlan& plan, Accum& a, Int128 mantissa, int s, int64_t day,
                  uint64_t offset, bool interval_reading = true) {
    if (!AddReadingExact(plan, a, mantissa, s, day, offset, interval_reading)) overflow_ = true;
  }

  // Second pass: records `v` if its interval is one of the duplicated ones.
  void Collect(const SeriesPlan& plan, size_t pi, uint64_t slot, const DecimalValue& v,
               int64_t day) {
    PointParameter key{plan.point, plan.parameter};
    auto found = c_.collect->find(key);
    if (found == c_.collect->end() || !HasSlot(found->second[pi], slot)) return;
    const Rational& weight =
        plan.definition->conservative == Conservative::kLow ? c_.weight_low : c_.weight_high;
    r_.collected.push_back({std::move(key), pi, slot, TreatedContribution(plan, v, day, weight)});
  }

  bool CollectWide(std::string_view line, uint64_t offset, size_t pi, const Timestamp& t) {
    const uint64_t slot = SlotOf(pi, t);
    std::vector<std::string> storage;
    size_t error_column = 0;
    if (!SplitCsvLine(line, &fields_, &storage, &error_column) ||
        fields_.size() != c_.wide_plans.size() + 1) {
      return Fail(offset, 1, "malformed row");  // pass 1 accepted it: cannot happen
    }
    for (size_t col = 0; col < c_.wide_plans.size(); ++col) {
      const auto* periods = collect_columns_[col];
      if (periods == nullptr || !HasSlot((*periods)[pi], slot)) continue;
      DecimalValue v;
      if (ParseDecimal(fields_[col + 1], &v) != DecimalParse::kOk) continue;  // empty field
      Collect(c_.wide_plans[col], pi, slot, v, t.days);
    }
    return true;
  }

  // Moves a fast accumulator's 64-bit partial sum into the exact 128-bit sum (cold path).
  __attribute__((noinline)) void FlushFast(const FastAccum& f, Accum& a) {
    if (f.scale >= 0 && !a.sum.AddScaled(f.sum, f.scale)) overflow_ = true;
  }

  // Moves a fast accumulator's lanes into its 64-bit sum (cold path).
  __attribute__((noinline)) void FoldLanes(FastAccum& f, Accum& a) {
    if (f.lanes_even == 0 && f.lanes_odd == 0) return;
    const int64_t value = LaneValue(f.lanes_even, f.lanes_odd, f.key);
    f.lanes_even = f.lanes_odd = 0;
    int64_t sum;
    if (!__builtin_add_overflow(f.sum, value, &sum)) {
      f.sum = sum;
      return;
    }
    FlushFast(f, a);
    f.sum = value;
  }

 public:
  bool overflowed() const { return overflow_; }
  void FoldAllLanes() {
    lane_rows_ = 0;
    for (size_t i = 0; i < r_.fast.size(); ++i) FoldLanes(r_.fast[i], r_.accums[i]);
  }

 private:
  // Adds a parsed reading of <= 18 digits to column `col` through its fast accumulator when
  // the column allows it (see FastAccum), else through the exact path.
  __attribute__((always_inline)) void AddFast(FastAccum* f, size_t col, size_t pi, int64_t mantissa,
                                              int scale, int64_t day, uint64_t offset) {
    // The common case: >= 0, no upper limit, calibrated, reference side, <= 18 digits.
    if (f->simple != 0 && mantissa >= 0) {
      int64_t sum;
      if (scale == f->scale && !__builtin_add_overflow(f->sum, mantissa, &sum)) {
        f->sum = sum;
        return;
      }
      Accum& a = r_.accums[col * period_count_ + pi];
      FoldLanes(*f, a);  // the lanes are at the old scale
      FlushFast(*f, a);
      f->sum = mantissa;
      if (scale != f->scale) f->key = FixedScaleKeyFor(scale);
      f->scale = scale;
      return;
    }
    AddReading(c_.wide_plans[col], r_.accums[col * period_count_ + pi], Int128(mantissa), scale,
               day, offset);
  }

  // One field of a wide row, any shape: `p` is its first byte. Sets *next to the delimiter
  // after it. Returns false after recording an error.
  bool WideField(std::string_view line, const char* p, const char* end, size_t col, size_t pi,
                 FastAccum* f, int64_t day, uint64_t offset, const char** next) {
    bool is_big = false;
    int64_t mantissa = 0;
    int scale = 0;
    DecimalValue big;
    const DecimalParse parse = ScanDecimal(p, end, next, &mantissa, &scale, &big, &is_big);
    if (parse == DecimalParse::kOk && !is_big) {
      AddFast(f, col, pi, mantissa, scale, day, offset);
      return true;
    }
    Accum& a = r_.accums[col * period_count_ + pi];
    if (parse == DecimalParse::kOk) {
      AddReading(c_.wide_plans[col], a, big.mantissa, big.scale, day, offset);
    } else if (parse == DecimalParse::kEmpty) {
      ++a.empty_count;
    } else {
      return Fail(offset, static_cast<size_t>(p - line.data()) + 1, ParseError(parse));
    }
    return true;
  }

  bool WideLine(std::string_view line, uint64_t offset) {
    const char* p = line.data();
    const char* end = p + line.size();
    const char* comma = static_cast<const char*>(std::memchr(p, ',', line.size()));
    const char* ts_end = comma == nullptr ? end : comma;
    Timestamp t;
    if (!ParseTimestamp(std::string_view(p, static_cast<size_t>(ts_end - p)), &t)) {
      return Fail(offset, 1, "bad timestamp");
    }
    const int period = PeriodOf(t.days);
    if (period < 0) {
      ++r_.rows_outside;
      if (period == -2) ++overlap_rows_;
      return true;
    }
    const size_t pi = static_cast<size_t>(period);
    ++r_.wide_rows[pi];
    if (c_.collect != nullptr) return CollectWide(line, offset, pi, t);
    if (c_.interval_minutes > 0) {
      MarkSlot(r_.row_slots[pi], r_.row_dups[pi], SlotOf(pi, t));
      ++r_.wide_row_count_slotted;
    }
    const size_t columns = c_.wide_plans.size();
    // The column's fast accumulator for this period: fast[col * period_count_ + pi].
    FastAccum* f = r_.fast.data() + pi;
    size_t col = 0;
    p = ts_end;  // always the delimiter before field `col`
    if (p < end) {
      // Each row adds at most one field per column to the lanes.
      if (++lane_rows_ == kLaneAddsMax) FoldAllLanes();
      // Block loop: the commas of 64 bytes at a time, then each field between two commas. The
      // 8 bytes loaded for a field are the 8 before its comma: inside the line, since the
      // first field starts after a timestamp of at least 10 bytes.
      const char* field = p + 1;
      for (const char* block = field; end - block >= 64; block += 64) {
        for (uint64_t commas = CommaMask(block); commas != 0; commas &= commas - 1) {
          const char* delimiter = block + __builtin_ctzll(commas);
          uint64_t digits = 0;
          if (MatchFixedScale(LoadEndingAt(delimiter), static_cast<uint64_t>(delimiter - field),
                              f->key, &digits)) [[likely]] {
            AddToLanes(digits, &f->lanes_even, &f->lanes_odd);
          } else {
            // A successful parse stops at the field's comma; any other result fails the row.
            const char* next = field;
            if (!WideField(line, field, end, col, pi, f, t.days, offset, &next)) return false;
          }
          if (col + 1 == columns) {
            return Fail(offset, static_cast<size_t>(delimiter - line.data()) + 1,
                        "more fields than the header");
          }
          ++col;
          f += period_count_;
          field = delimiter + 1;
        }
      }
      p = field - 1;
    }
    // The last fields of the row (fewer than 64 bytes left), one field at a time.
    for (; col < columns; ++col, f += period_count_) {
      if (p >= end)
        return Fail(offset, line.size() + 1,
                    "row has " + std::to_string(col + 1) + " fields, header has " +
                        std::to_string(columns + 1));
      ++p;  // the comma
      const char* next = p;
      if (!WideField(line, p, end, col, pi, f, t.days, offset, &next)) return false;
      p = next;
    }
    if (p != end)
      return Fail(offset, static_cast<size_t>(p - line.data()) + 1, "more fields than the header");
    if (overflow_) return Fail(offset, 1, "sum exceeds 128 bits");
    return true;
  }

  core::Result<size_t> PlanFor(std::string_view point, std::string_view parameter,
                               std::string_view unit) override {
    key_.point.assign(point);
    key_.parameter.assign(parameter);
    key_.unit.assign(unit);
    if (has_last_plan_ && key_ == last_key_) return last_plan_;
    auto found = r_.plan_index.find(key_);
    size_t index = 0;
    if (found != r_.plan_index.end()) {
      index = found->second;
    } else {
      JCM_ASSIGN_OR_RETURN(SeriesPlan plan, MakeSeriesPlan(c_, point, parameter, unit));
      index = r_.plans.size();
      if ((index + 1) * c_.periods.size() > kPlanAccumsMax) {
        return core::ResourceExhausted("too many series (point, parameter, unit)");
      }
      r_.plans.push_back(std::move(plan));
      r_.plan_index[key_] = index;
      r_.accums.resize(r_.plans.size() * c_.periods.size());
    }
    last_key_ = key_;
    last_plan_ = index;
    has_last_plan_ = true;
    return index;
  }

  size_t ColumnOf(std::string_view line, size_t field) const {
    return static_cast<size_t>(fields_[field].data() - line.data()) + 1;
  }

  // The field a long-form plan error concerns: the point when its name holds a control
  // character or is not declared, else the parameter.
  int PlanErrorField() const {
    const std::string_view point = fields_[static_cast<size_t>(c_.col_point)];
    const bool bad_point = FindControlCharacter(point) != std::string::npos ||
                           (!point.empty() && c_.project->FindPoint(point) == nullptr);
    return bad_point ? c_.col_point : c_.col_parameter;
  }

  bool LongLine(std::string_view line, uint64_t offset) {
    size_t error_column = 0;
    if (!SplitCsvLine(line, &fields_, &storage_, &error_column)) {
      return Fail(offset, error_column, "malformed quoted field");
    }
    if (fields_.size() != c_.column_count) {
      return Fail(offset, 1,
                  "row has " + std::to_string(fields_.size()) + " fields, header has " +
                      std::to_string(c_.column_count));
    }
    const bool quoted = !storage_.empty() && line.find('"') != std::string_view::npos;
    auto column = [&](int field) {
      return quoted ? 1 : ColumnOf(line, static_cast<size_t>(field));
    };
    int64_t day = 0;
    std::optional<Timestamp> stamp;
    int period = -1;
    if (c_.col_timestamp >= 0) {
      Timestamp t;
      if (!ParseTimestamp(fields_[static_cast<size_t>(c_.col_timestamp)], &t)) {
        return Fail(offset, column(c_.col_timestamp), "bad timestamp");
      }
      stamp = t;
      day = t.days;
      period = PeriodOf(day);
    } else {
      auto covered = core::Period::Parse(fields_[static_cast<size_t>(c_.col_period)]);
      if (!covered.ok()) return Fail(offset, column(c_.col_period), covered.status().message());
      day = covered->start.days_since_epoch();
      period = PeriodOf(day);
      const int end_period = PeriodOf(covered->end.days_since_epoch());
      if (period != end_period) {
        return Fail(
            offset, column(c_.col_period),
            "reading period " + covered->ToString() + " straddles a monitoring period boundary");
      }
    }
    auto plan_index = PlanFor(fields_[static_cast<size_t>(c_.col_point)],
                              fields_[static_cast<size_t>(c_.col_parameter)],
                              c_.col_unit >= 0 ? fields_[static_cast<size_t>(c_.col_unit)] : "");
    if (!plan_index.ok()) {
      return Fail(offset, column(PlanErrorField()), plan_index.status().message());
    }
    if (period < 0) {
      ++r_.rows_outside;
      if (period == -2) ++r_.accums[*plan_index * c_.periods.size()].overlap_count;
      return true;
    }
    const size_t pi = static_cast<size_t>(period);
    DecimalValue v;
    const DecimalParse parse = ParseDecimal(fields_[static_cast<size_t>(c_.col_value)], &v);
    if (parse != DecimalParse::kOk) {
      return Fail(offset, column(c_.col_value),
                  parse == DecimalParse::kEmpty ? "empty value" : ParseError(parse));
    }
    Accum& a = r_.accums[*plan_index * c_.periods.size() + pi];
    if (stamp && c_.interval_minutes > 0) {
      const uint64_t slot = SlotOf(pi, *stamp);
      if (c_.collect != nullptr) {
        Collect(r_.plans[*plan_index], pi, slot, v, day);
        return true;
      }
      if (a.slots.empty()) a.slots.assign((c_.periods[pi].slot_count + 63) / 64, 0);
      MarkSlot(a.slots, a.dup_slots, slot);
      ++a.slotted_count;
    } else if (c_.collect != nullptr) {
      return true;
    }
    AddReading(r_.plans[*plan_index], a, v.mantissa, v.scale, day, offset, stamp.has_value());
    if (overflow_) return Fail(offset, column(c_.col_value), "sum exceeds 128 bits");
    return true;
  }

 public:
  int64_t overlap_rows_ = 0;

 private:
  const IngestContext& c_;
  WorkerResult& r_;
  const size_t period_count_;
  bool overflow_ = false;
  int64_t lane_rows_ = 0;  // rows added to the lanes since they were last folded
  std::vector<std::string_view> fields_;
  std::vector<std::string> storage_;
  SeriesUnitKey key_, last_key_;  // reused: no allocation per row once the names fit
  size_t last_plan_ = 0;
  bool has_last_plan_ = false;
  std::vector<const std::vector<std::vector<uint64_t>>*> collect_columns_;  // wide, second pass
};

}  // namespace

void RunIngestWorker(const IngestContext& context, uint64_t begin, uint64_t end,
                     std::atomic<uint64_t>* bytes_done, WorkerResult* result) {
  // A line never extends past the end of the file, so small files need small buffers.
  const uint64_t left = context.file_bytes - std::min(context.file_bytes, begin) + 2;
  const size_t block = static_cast<size_t>(std::min<uint64_t>(kIngestBlockBytes, left));
  RangeLineReader reader =
      context.mapping != nullptr
          ? RangeLineReader(context.mapping, context.file_bytes, begin, end, block)
          : RangeLineReader(context.fd, begin, end, block);
  RunIngestWorkerOn(context, reader, begin, bytes_done, result);
}

void RunIngestWorkerOn(const IngestContext& context, RangeLineReader& reader, uint64_t begin,
                       std::atomic<uint64_t>* bytes_done, WorkerResult* result) {
  Worker worker(context, result);
  std::string_view line;
  uint64_t offset = 0, reported = 0, last_offset = begin;
  std::optional<LongFastPath> fast;
  if (LongFastPath::Applies(context)) fast.emplace(context, result, &worker);
  while (true) {
    if (fast && reader.NextChunk(&line, &offset, kLongChunkBytes)) {
      last_offset = offset;
      if (!fast->Chunk(line, offset)) break;
    } else if (reader.Next(&line, &offset)) {
      last_offset = offset;
      if (!worker.Line(line, offset)) break;
    } else {
      break;
    }
    if (bytes_done != nullptr && reader.bytes_consumed() - reported >= (1u << 22)) {
      bytes_done->fetch_add(reader.bytes_consumed() - reported, std::memory_order_relaxed);
      reported = reader.bytes_consumed();
    }
  }
  if (fast && !fast->Flush() && !result->error) {
    result->error = WorkerError{last_offset, 1, "sum exceeds 128 bits"};
  }
  if (bytes_done != nullptr) bytes_done->fetch_add(reader.bytes_consumed() - reported);
  worker.FoldAllLanes();
  // Lanes and fast sums are folded at the end: an overflow then is placed at the last line.
  if (worker.overflowed() && !result->error)
    result->error = WorkerError{last_offset, 1, "sum exceeds 128 bits"};
  // Every non-empty field of a row in a period is a reading: fast-path readings are counted
  // here rather than one by one.
  for (size_t i = 0; i < result->fast.size(); ++i) {
    FastAccum& f = result->fast[i];
    Accum& a = result->accums[i];
    a.count = result->wide_rows[i % context.periods.size()] - a.empty_count;
    if (f.scale >= 0 && !a.sum.AddScaled(f.sum, f.scale) && !result->error) {
      result->error = WorkerError{last_offset, 1, "sum exceeds 128 bits"};
    }
    f.sum = 0;
    f.scale = -1;
  }
  result->io_status = reader.status();
  if (context.wide && worker.overlap_rows_ > 0) {
    // Rows inside an earlier report: counted on the first series of period 0 for the finding.
    for (size_t col = 0; col < context.wide_plans.size(); ++col) {
      result->accums[col * context.periods.size()].overlap_count += worker.overlap_rows_;
    }
  }
}

}  // namespace jcm::mrv::internal
