#include "mrv/ingest_long.h"

#include <algorithm>
#include <cstring>

#include "mrv/csv_scan.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace jcm::mrv::internal {
namespace {

// Bits i of *commas, *newlines, *quotes are set when block[i] is ',', '\n', '"'.
// REQUIRES: 64 readable bytes at `block`.
inline void DelimiterMasks(const char* block, uint64_t* commas, uint64_t* newlines,
                           uint64_t* quotes) {
#if defined(__SSE2__)
  const __m128i comma = _mm_set1_epi8(','), newline = _mm_set1_epi8('\n'),
                quote = _mm_set1_epi8('"');
  uint64_t c = 0, n = 0, q = 0;
  for (int i = 0; i < 4; ++i) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 16 * i));
    const int shift = 16 * i;
    c |= uint64_t{static_cast<uint16_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, comma)))} << shift;
    n |= uint64_t{static_cast<uint16_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, newline)))}
         << shift;
    q |= uint64_t{static_cast<uint16_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, quote)))} << shift;
  }
  *commas = c;
  *newlines = n;
  *quotes = q;
#else
  uint64_t c = 0, n = 0, q = 0;
  for (int i = 0; i < 64; ++i) {
    c |= uint64_t{block[i] == ','} << i;
    n |= uint64_t{block[i] == '\n'} << i;
    q |= uint64_t{block[i] == '"'} << i;
  }
  *commas = c;
  *newlines = n;
  *quotes = q;
#endif
}

inline uint64_t HashKey(std::string_view point, std::string_view parameter, std::string_view unit) {
  uint64_t h = 0x243F6A8885A308D3ull;
  for (std::string_view part : {point, parameter, unit}) {
    for (char ch : part) h = (h ^ static_cast<unsigned char>(ch)) * 0x100000001B3ull;
    h = (h ^ 0xFF) * 0x100000001B3ull;  // separates the parts: ("ab","c") != ("a","bc")
  }
  return h ^ (h >> 29);
}

// a[0..n) == b[0..n) with loads inside both ranges only (overlapping words for n >= 4): the
// names compared per line are short, where a call to memcmp costs more than the compare.
inline bool EqualBytes(const char* a, const char* b, size_t n) {
  if (n > 16) return std::memcmp(a, b, n) == 0;
  if (n >= 8) {
    uint64_t a0, a1, b0, b1;
    std::memcpy(&a0, a, 8);
    std::memcpy(&b0, b, 8);
    std::memcpy(&a1, a + n - 8, 8);
    std::memcpy(&b1, b + n - 8, 8);
    return ((a0 ^ b0) | (a1 ^ b1)) == 0;
  }
  if (n >= 4) {
    uint32_t a0, a1, b0, b1;
    std::memcpy(&a0, a, 4);
    std::memcpy(&b0, b, 4);
    std::memcpy(&a1, a + n - 4, 4);
    std::memcpy(&b1, b + n - 4, 4);
    return ((a0 ^ b0) | (a1 ^ b1)) == 0;
  }
  for (size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

inline bool Equal(std::string_view a, const std::string& b) {
  return a.size() == b.size() && EqualBytes(a.data(), b.data(), a.size());
}

inline bool Digit2(const char* p, int32_t* out) {
  const unsigned a = static_cast<unsigned>(p[0] - '0'), b = static_cast<unsigned>(p[1] - '0');
  *out = static_cast<int32_t>(a * 10 + b);
  return a <= 9 && b <= 9;
}

// [0-9]*[.[0-9]*] with 1..18 digits in [p, end) (no sign: signed readings take the general
// parser). The same (mantissa, scale) as ParseDecimal.
inline bool ScanPlainDecimal(const char* p, const char* end, int64_t* mantissa, int* scale) {
  uint64_t m = 0;
  const char* start = p;
  unsigned d = 0;
  while (p < end && (d = static_cast<unsigned>(*p - '0')) <= 9) {
    m = m * 10 + d;
    ++p;
  }
  int digits = static_cast<int>(p - start), fraction = 0;
  if (p < end && *p == '.') {
    const char* fraction_start = ++p;
    while (p < end && (d = static_cast<unsigned>(*p - '0')) <= 9) {
      m = m * 10 + d;
      ++p;
    }
    fraction = static_cast<int>(p - fraction_start);
    digits += fraction;
  }
  if (p != end || digits == 0 || digits > 18) return false;
  *mantissa = static_cast<int64_t>(m);
  *scale = fraction;
  return true;
}

}  // namespace

LongFastPath::LongFastPath(const IngestContext& context, WorkerResult* result,
                           LongLineFallback* fallback)
    : c_(context), r_(*result), fallback_(*fallback), period_count_(context.periods.size()) {
  table_.assign(1024, 0);
  canonical_ = c_.column_count == 5 && c_.col_point == 0 && c_.col_parameter == 1 &&
               c_.col_timestamp == 2 && c_.col_value == 3 && c_.col_unit == 4;
  // Intervals that divide the day: a day's slots start at a multiple, so the slot of a minute
  // is a table look-up instead of a division per reading.
  if (c_.interval_minutes > 0 && 1440 % c_.interval_minutes == 0) {
    slot_of_minute_.resize(1440);
    for (size_t m = 0; m < 1440; ++m) {
      slot_of_minute_[m] = static_cast<uint16_t>(m / static_cast<size_t>(c_.interval_minutes));
    }
  }
}

inline bool LongFastPath::Line(const char* begin, const char* end, const char* const* commas,
                               size_t comma_count, bool quoted, uint64_t offset) {
  if (begin == end) return true;  // an empty line
  if (!quoted && comma_count + 1 == c_.column_count) {
    const int added = FastLine(begin, end, commas, offset);
    if (added != 0) return added > 0;
  }
  return Fallback(begin, end, offset);
}

bool LongFastPath::Fallback(const char* begin, const char* end, uint64_t offset) {
  return fallback_.Line(std::string_view(begin, static_cast<size_t>(end - begin)), offset);
}

inline int LongFastPath::FastLine(const char* begin, const char* end, const char* const* commas,
                                  uint64_t offset) {
  auto field = [&](int index) {
    const auto i = static_cast<size_t>(index);
    const char* from = i == 0 ? begin : commas[i - 1] + 1;
    const char* to = i + 1 == c_.column_count ? end : commas[i];
    return std::string_view(from, static_cast<size_t>(to - from));
  };
  const std::string_view stamp = field(c_.col_timestamp);
  if (stamp.size() != 16 && stamp.size() != 10) return 0;
  if (!has_date_ || !EqualBytes(stamp.data(), date_text_, 10)) {
    if (!CacheDate(stamp.data())) return 0;
  }
  if (date_period_ < 0) return 0;
  int32_t minute = 0;
  if (stamp.size() == 16) {
    int32_t hours = 0, minutes = 0;
    if ((stamp[10] != 'T' && stamp[10] != ' ') || stamp[13] != ':' ||
        !Digit2(stamp.data() + 11, &hours) || !Digit2(stamp.data() + 14, &minutes) || hours > 23 ||
        minutes > 59) {
      return 0;
    }
    minute = hours * 60 + minutes;
  }
  int64_t mantissa = 0;
  int scale = 0;
  const std::string_view value = field(c_.col_value);
  if (!ScanPlainDecimal(value.data(), value.data() + value.size(), &mantissa, &scale)) return 0;
  const size_t plan = PlanOf(field(c_.col_point), field(c_.col_parameter), field(c_.col_unit));
  if (plan == SIZE_MAX) return 0;
  ++r_.rows;
  return AddReading(plan, mantissa, scale, minute, offset);
}

bool LongFastPath::CacheDate(const char* text) {
  Timestamp t;
  if (!ParseTimestamp(std::string_view(text, 10), &t)) return false;
  std::memcpy(date_text_, text, 10);
  has_date_ = true;
  date_day_ = t.days;
  date_period_ = PeriodOfDay(c_, t.days);
  if (date_period_ >= 0) {
    date_minutes_in_period_ =
        (t.days - c_.periods[static_cast<size_t>(date_period_)].first_day) * 1440;
    if (!slot_of_minute_.empty()) {
      date_first_slot_ = static_cast<uint64_t>(date_minutes_in_period_ / c_.interval_minutes);
    }
  }
  return true;
}

bool LongFastPath::Matches(size_t plan, std::string_view point, std::string_view parameter,
                           std::string_view unit) const {
  const KeyEntry& e = entries_[plan];
  if (e.names_inline) {
    return point.size() == e.point_size && parameter.size() == e.parameter_size &&
           unit.size() == e.unit_size && EqualBytes(point.data(), e.names, point.size()) &&
           EqualBytes(parameter.data(), e.names + e.point_size + 1, parameter.size()) &&
           EqualBytes(unit.data(), e.names + e.point_size + e.parameter_size + 2, unit.size());
  }
  const Key& key = keys_[plan];
  return Equal(point, key.point) && Equal(parameter, key.parameter) && Equal(unit, key.unit);
}

inline size_t LongFastPath::PlanOf(std::string_view point, std::string_view parameter,
                                   std::string_view unit) {
  if (last_plan_ != SIZE_MAX) {
    const size_t predicted = entries_[last_plan_].next;
    if (predicted != UINT32_MAX && Matches(predicted, point, parameter, unit)) {
      last_plan_ = predicted;
      return predicted;
    }
  }
  return PlanMiss(point, parameter, unit);
}

size_t LongFastPath::PlanMiss(std::string_view point, std::string_view parameter,
                              std::string_view unit) {
  const size_t mask = table_.size() - 1;
  size_t plan = SIZE_MAX;
  for (size_t i = HashKey(point, parameter, unit) & mask; table_[i] != 0; i = (i + 1) & mask) {
    if (Matches(table_[i] - 1, point, parameter, unit)) {
      plan = table_[i] - 1;
      break;
    }
  }
  if (plan == SIZE_MAX) plan = InsertPlan(point, parameter, unit);
  if (plan == SIZE_MAX) return plan;
  if (last_plan_ != SIZE_MAX) entries_[last_plan_].next = static_cast<uint32_t>(plan);
  last_plan_ = plan;
  return plan;
}

// A series this fast path has not met: the worker's plan (created if new; an error leaves the
// line to the general parser, which reports it), entered into the table.
size_t LongFastPath::InsertPlan(std::string_view point, std::string_view parameter,
                                std::string_view unit) {
  auto index = fallback_.PlanFor(point, parameter, unit);
  if (!index.ok()) return SIZE_MAX;
  const size_t plan = *index;
  if (keys_.size() <= plan) {
    keys_.resize(plan + 1);
    entries_.resize(plan + 1);
  }
  keys_[plan] = Key{std::string(point), std::string(parameter), std::string(unit)};
  KeyEntry& e = entries_[plan];
  if (point.size() + parameter.size() + unit.size() + 2 <= sizeof e.names) {
    e.names_inline = true;
    e.point_size = static_cast<uint8_t>(point.size());
    e.parameter_size = static_cast<uint8_t>(parameter.size());
    e.unit_size = static_cast<uint8_t>(unit.size());
    // "POINT,PARAMETER,UNIT": the first two with their commas are a canonical line's prefix.
    char* out = e.names;
    out = std::copy(point.begin(), point.end(), out);
    *out++ = ',';
    out = std::copy(parameter.begin(), parameter.end(), out);
    *out++ = ',';
    std::copy(unit.begin(), unit.end(), out);
  }
  if (hot_.size() < r_.plans.size() * period_count_) hot_.resize(r_.plans.size() * period_count_);
  const SeriesPlan& p = r_.plans[plan];
  const bool min_is_zero = p.definition->range_min && p.definition->range_min->is_zero();
  const bool simple = min_is_zero && !p.has_max && !p.high_side && !p.has_calibration;
  for (size_t period = 0; period < period_count_; ++period) {
    hot_[plan * period_count_ + period].simple = simple ? 1 : 0;
  }
  if ((keys_.size() + 1) * 2 > table_.size()) {  // keep the table at most half full
    std::vector<uint32_t> old = std::move(table_);
    table_.assign(old.size() * 2, 0);
    for (uint32_t entry : old) {
      if (entry == 0) continue;
      const Key& k = keys_[entry - 1];
      size_t i = HashKey(k.point, k.parameter, k.unit) & (table_.size() - 1);
      while (table_[i] != 0) i = (i + 1) & (table_.size() - 1);
      table_[i] = entry;
    }
  }
  size_t i = HashKey(point, parameter, unit) & (table_.size() - 1);
  while (table_[i] != 0) i = (i + 1) & (table_.size() - 1);
  table_[i] = static_cast<uint32_t>(plan + 1);
  return plan;
}

inline int LongFastPath::AddReading(size_t plan, int64_t mantissa, int scale, int32_t minute,
                                    uint64_t offset) {
  const size_t period = static_cast<size_t>(date_period_);
  const size_t index = plan * period_count_ + period;
  LongHot& hot = hot_[index];
  if (c_.interval_minutes > 0) {
    const auto slot =
        slot_of_minute_.empty()
            ? static_cast<uint64_t>((date_minutes_in_period_ + minute) / c_.interval_minutes)
            : date_first_slot_ + slot_of_minute_[static_cast<size_t>(minute)];
    uint64_t* slots = hot.slots != nullptr ? hot.slots : AllocateSlots(index, period);
    const uint64_t bit = uint64_t{1} << (slot % 64);
    uint64_t& word = slots[slot / 64];
    if ((word & bit) != 0) [[unlikely]] {
      MarkDuplicate(index, slot);
    }
    word |= bit;
  }
  if (hot.simple == 0) [[unlikely]] {
    return AddExact(plan, index, mantissa, scale, offset);
  }
  ++hot.count;
  int64_t sum;
  if (scale == hot.scale && !__builtin_add_overflow(hot.sum, mantissa, &sum)) [[likely]] {
    hot.sum = sum;
    return 1;
  }
  return FlushHot(hot, index, mantissa, scale, offset);
}

uint64_t* LongFastPath::AllocateSlots(size_t index, size_t period) {
  Accum& a = r_.accums[index];
  if (a.slots.empty()) a.slots.assign((c_.periods[period].slot_count + 63) / 64, 0);
  hot_[index].slots = a.slots.data();
  return hot_[index].slots;
}

void LongFastPath::MarkDuplicate(size_t index, uint64_t slot) {
  Accum& a = r_.accums[index];
  MarkSlot(a.slots, a.dup_slots, slot);  // records the interval as read twice
}

// The 64-bit sum changes scale or would overflow: it moves into the exact sum.
int LongFastPath::FlushHot(LongHot& hot, size_t index, int64_t mantissa, int scale,
                           uint64_t offset) {
  if (hot.scale >= 0 && !r_.accums[index].sum.AddScaled(hot.sum, hot.scale)) {
    r_.error = WorkerError{offset, 1, "sum exceeds 128 bits"};
    return -1;
  }
  hot.sum = mantissa;
  hot.scale = scale;
  return 1;
}

// A series with range, calibration or project-side treatment: the exact per-reading path.
int LongFastPath::AddExact(size_t plan, size_t index, int64_t mantissa, int scale,
                           uint64_t offset) {
  Accum& a = r_.accums[index];
  if (c_.interval_minutes > 0) ++a.slotted_count;
  if (!AddReadingExact(r_.plans[plan], a, Int128(mantissa), scale, date_day_, offset)) {
    r_.error = WorkerError{offset, 1, "sum exceeds 128 bits"};
    return -1;
  }
  return 1;
}

bool LongFastPath::Chunk(std::string_view chunk, uint64_t offset) {
  if (canonical_) return TemplateChunk(chunk, offset);
  const char* const base = chunk.data();
  const char* const end = base + chunk.size();
  const char* line = base;
  const char* commas[kFieldsMax];
  size_t comma_count = 0;
  const char* last_quote = nullptr;
  for (const char* block = base; block < end; block += 64) {
    uint64_t comma = 0, newline = 0, quote = 0;
    if (end - block >= 64) {
      DelimiterMasks(block, &comma, &newline, &quote);
    } else {
      char padded[64] = {};
      std::memcpy(padded, block, static_cast<size_t>(end - block));
      DelimiterMasks(padded, &comma, &newline, &quote);
    }
    // A line that holds a quote anywhere takes the general parser (quoted fields).
    if (quote != 0) last_quote = block + 63 - __builtin_clzll(quote);
    for (uint64_t bits = comma | newline; bits != 0; bits &= bits - 1) {
      const int bit = __builtin_ctzll(bits);
      const char* at = block + bit;
      if ((newline >> bit & 1) == 0) {
        if (comma_count < kFieldsMax) commas[comma_count] = at;
        ++comma_count;
        continue;
      }
      const char* line_end = at > line && at[-1] == '\r' ? at - 1 : at;
      const bool quoted = last_quote != nullptr && last_quote >= line;
      if (!Line(line, line_end, commas, comma_count, quoted,
                offset + static_cast<uint64_t>(line - base))) {
        return false;
      }
      line = at + 1;
      comma_count = 0;
    }
  }
  return true;
}

// A canonical line whose series is the predicted one: "POINT,PARAMETER,", a timestamp of 16
// bytes, the value, the unit and the line's end, each checked in place. False (nothing
// changed but caches) when the line is anything else. REQUIRES: 128 bytes readable at `p`.
inline bool LongFastPath::TemplateLine(const char* p, uint64_t offset, const char** next,
                                       int* added) {
  if (last_plan_ == SIZE_MAX) return false;
  const uint32_t plan = entries_[last_plan_].next;
  if (plan == UINT32_MAX) return false;
  const KeyEntry& e = entries_[plan];
  if (!e.names_inline) return false;
  const size_t prefix = size_t{e.point_size} + e.parameter_size + 2;
  if (!EqualBytes(p, e.names, prefix)) return false;
  const char* stamp = p + prefix;
  if (stamp[16] != ',' || (stamp[10] != 'T' && stamp[10] != ' ') || stamp[13] != ':') {
    return false;
  }
  if (!has_date_ || !EqualBytes(stamp, date_text_, 10)) {
    if (!CacheDate(stamp)) return false;
  }
  int32_t hours = 0, minutes = 0;
  if (date_period_ < 0 || !Digit2(stamp + 11, &hours) || !Digit2(stamp + 14, &minutes) ||
      hours > 23 || minutes > 59) {
    return false;
  }
  const char* value = stamp + 17;
  // The value's end is where its digits stop (the line's '\n' stops them at the latest).
  const char* value_end = value;
  while (static_cast<unsigned>(*value_end - '0') <= 9) ++value_end;
  if (*value_end == '.') {
    ++value_end;
    while (static_cast<unsigned>(*value_end - '0') <= 9) ++value_end;
  }
  int64_t mantissa = 0;
  int scale = 0;
  if (*value_end != ',' || !ScanPlainDecimal(value, value_end, &mantissa, &scale)) return false;
  const char* unit = value_end + 1;
  if (!EqualBytes(unit, e.names + prefix, e.unit_size)) return false;
  const char* after = unit + e.unit_size;
  if (*after == '\r') ++after;
  if (*after != '\n') return false;
  *next = after + 1;
  last_plan_ = plan;
  ++r_.rows;
  *added = AddReading(plan, mantissa, scale, hours * 60 + minutes, offset);
  return true;
}

// Canonical files: each line is tried as the predicted series' template first; any other line
// is split by a scan of its own and takes the checked per-line path.
bool LongFastPath::TemplateChunk(std::string_view chunk, uint64_t offset) {
  const char* const base = chunk.data();
  const char* const end = base + chunk.size();
  const char* p = base;
  while (p < end) {
    const uint64_t line_offset = offset + static_cast<uint64_t>(p - base);
    const char* next = nullptr;
    int added = 0;
    if (end - p >= 128 && TemplateLine(p, line_offset, &next, &added)) {
      if (added < 0) return false;
      p = next;
      continue;
    }
    const char* newline =
        static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
    const char* line_end = newline > p && newline[-1] == '\r' ? newline - 1 : newline;
    const char* commas[kFieldsMax];
    size_t comma_count = 0;
    for (const char* q = p; q < line_end; ++q) {
      if (*q != ',') continue;
      if (comma_count < kFieldsMax) commas[comma_count] = q;
      ++comma_count;
    }
    const bool quoted = std::memchr(p, '"', static_cast<size_t>(line_end - p)) != nullptr;
    if (!Line(p, line_end, commas, comma_count, quoted, line_offset)) return false;
    p = newline + 1;
  }
  return true;
}

bool LongFastPath::Flush() {
  bool ok = true;
  for (size_t i = 0; i < hot_.size(); ++i) {
    LongHot& hot = hot_[i];
    Accum& a = r_.accums[i];
    if (hot.scale >= 0 && !a.sum.AddScaled(hot.sum, hot.scale)) ok = false;
    a.count += hot.count;
    if (c_.interval_minutes > 0) a.slotted_count += hot.count;
    hot.sum = 0;
    hot.scale = -1;
    hot.count = 0;
  }
  return ok;
}

}  // namespace jcm::mrv::internal
