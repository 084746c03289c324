// Internal to the ingest: the long-form fast path (`point,parameter,timestamp,value,unit`, one
// reading per line), used by RunIngestWorker (ingest_worker.cc).
//
// Contract: for every line it either adds the reading exactly as the general per-line parser
// would (same series plan, period, interval slot, range treatment and exact sum), or hands the
// line unchanged to that parser (LongLineFallback::Line). It takes only lines of the usual
// shape: no quote, the header's field count, a timestamp "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM"
// dated inside a monitoring period, and a value of at most 18 digits. Everything else —
// errors included — goes to the general parser, so messages and positions do not change.
//
// Why it is fast (docs/mrv.md, "Long form"): lines are not split one by one; the commas and
// newlines of 64 bytes at a time are found with one vector compare each, so a line's fields
// are known without a scan per field. The series is predicted from the previous line (the
// series that followed it last time), the date is parsed once per distinct day, and readings
// of a simple series (≥ 0, no upper limit, no calibration check, reference side) are summed
// in 64 bits per series and period, flushed exactly into the 128-bit sums.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "mrv/ingest_internal.h"

namespace jcm::mrv::internal {

// The general per-line parser the fast path falls back to (the ingest worker).
class LongLineFallback {
 public:
  // Parses one line (without '\n'/'\r'; the byte after it is one of them). False after an error.
  virtual bool Line(std::string_view line, uint64_t offset) = 0;
  // The worker's plan index of (point, parameter, unit), created on first use.
  virtual core::Result<size_t> PlanFor(std::string_view point, std::string_view parameter,
                                       std::string_view unit) = 0;

 protected:
  ~LongLineFallback() = default;
};

// Per series and period: the 64-bit partial sum of the simple readings (one scale at a time)
// and their count; Flush moves both into the worker's Accum.
struct LongHot {
  int64_t sum = 0;
  int32_t scale = -1;
  int32_t simple = 0;
  int64_t count = 0;
  uint64_t* slots = nullptr;  // Accum::slots of the series and period once allocated
};

class LongFastPath {
 public:
  static constexpr size_t kFieldsMax = 16;
  // Whether the fast path can take lines of this file at all.
  static bool Applies(const IngestContext& c) {
    return !c.wide && c.collect == nullptr && c.col_timestamp >= 0 && c.column_count <= kFieldsMax;
  }

  LongFastPath(const IngestContext& context, WorkerResult* result, LongLineFallback* fallback);

  // Processes the complete lines of `chunk` (each ends with '\n'); the first starts at file
  // offset `offset`. False after an error was recorded in the result.
  bool Chunk(std::string_view chunk, uint64_t offset);
  // Moves the partial sums and counts into the worker's accumulators; false on overflow.
  bool Flush();

 private:
  struct Key {
    std::string point, parameter, unit;
  };
  // What a line's series is compared with, one cache line per series: the names as written
  // (inline when together they fit) and the series that followed it last time.
  struct alignas(64) KeyEntry {
    uint32_t next = UINT32_MAX;
    uint8_t point_size = 0, parameter_size = 0, unit_size = 0;
    bool names_inline = false;
    char names[56] = {};  // "POINT,PARAMETER,UNIT" when names_inline
  };
  // The per-line steps are inlined into Chunk's loop; the rare ones (a new day, a new series, a
  // reading that needs the exact checks, the general parser) are calls.
  bool Line(const char* begin, const char* end, const char* const* commas, size_t comma_count,
            bool quoted, uint64_t offset);
  // 1: the reading was added; 0: the line needs the general parser; -1: error recorded.
  bool TemplateLine(const char* p, uint64_t offset, const char** next, int* added);
  bool TemplateChunk(std::string_view chunk, uint64_t offset);
  int FastLine(const char* begin, const char* end, const char* const* commas, uint64_t offset);
  __attribute__((noinline)) bool Fallback(const char* begin, const char* end, uint64_t offset);
  __attribute__((noinline)) bool CacheDate(const char* text);
  size_t PlanOf(std::string_view point, std::string_view parameter, std::string_view unit);
  __attribute__((noinline)) size_t PlanMiss(std::string_view point, std::string_view parameter,
                                            std::string_view unit);
  __attribute__((noinline)) size_t InsertPlan(std::string_view point, std::string_view parameter,
                                              std::string_view unit);
  bool Matches(size_t plan, std::string_view point, std::string_view parameter,
               std::string_view unit) const;
  int AddReading(size_t plan, int64_t mantissa, int scale, int32_t minute, uint64_t offset);
  __attribute__((noinline)) int AddExact(size_t plan, size_t index, int64_t mantissa, int scale,
                                         uint64_t offset);
  __attribute__((noinline)) int FlushHot(LongHot& hot, size_t index, int64_t mantissa, int scale,
                                         uint64_t offset);
  __attribute__((noinline)) uint64_t* AllocateSlots(size_t index, size_t period);
  __attribute__((noinline)) void MarkDuplicate(size_t index, uint64_t slot);

  const IngestContext& c_;
  WorkerResult& r_;
  LongLineFallback& fallback_;
  const size_t period_count_;
  std::vector<LongHot> hot_;       // [plan * period_count_ + period]
  std::vector<Key> keys_;          // [plan]: the names as written
  std::vector<KeyEntry> entries_;  // [plan]
  bool canonical_ = false;  // columns point,parameter,timestamp,value,unit: TemplateLine applies
  std::vector<uint32_t> table_;  // open addressing: plan + 1, 0 = empty
  size_t last_plan_ = SIZE_MAX;
  char date_text_[10] = {};  // the last date parsed
  bool has_date_ = false;
  int64_t date_day_ = 0;
  int date_period_ = -1;                  // PeriodOf(date_day_)
  int64_t date_minutes_in_period_ = 0;    // minutes from the period's start to date_day_
  uint64_t date_first_slot_ = 0;          // the slot of date_day_'s first minute
  std::vector<uint16_t> slot_of_minute_;  // minute of day -> slot offset, when 1440 % interval == 0
};

}  // namespace jcm::mrv::internal
