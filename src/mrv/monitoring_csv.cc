#include "mrv/monitoring_csv.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cctype>
#include <limits>
#include <thread>
#include <tuple>

#include "mrv/csv_scan.h"
#include "mrv/ingest_internal.h"
#include "mrv/keyed_text.h"

namespace jcm::mrv {

std::string_view SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kInfo:
      return "info";
    case Severity::kWarning:
      return "warning";
    case Severity::kError:
      return "error";
  }
  return "unknown";
}

const SeriesTotal* MonitoringData::Find(size_t period_index, std::string_view point,
                                        std::string_view parameter) const {
  auto found = series.find(SeriesKey{period_index, std::string(point), std::string(parameter)});
  return found == series.end() ? nullptr : &found->second;
}

namespace {

using internal::Accum;
using internal::IngestContext;
using internal::SeriesPlan;
using internal::WorkerResult;

std::string Lower(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c != ' ') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// A read-only mapping of a whole file for the workers, released when the ingest of the file
// ends; data() is null where mmap is refused (the workers then read with pread).
class FileMapping {
 public:
  FileMapping(int fd, uint64_t size)
      : size_(size),
        address_(size == 0 ? MAP_FAILED : mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0)) {}
  FileMapping(const FileMapping&) = delete;
  FileMapping& operator=(const FileMapping&) = delete;
  ~FileMapping() {
    if (address_ != MAP_FAILED) munmap(address_, size_);
  }
  const char* data() const {
    return address_ == MAP_FAILED ? nullptr : static_cast<const char*>(address_);
  }

 private:
  uint64_t size_;
  void* address_;
};

// Global per-series state after merging all workers and files.
struct GlobalSeries {
  SeriesPlan plan;
  std::vector<Accum> per_period;
  std::string first_file;
};

class Ingest {
 public:
  Ingest(const Methodology& methodology, const ProjectParams& project,
         const std::vector<core::Period>& periods, const IngestOptions& options)
      : methodology_(methodology), project_(project), periods_(periods), options_(options) {}

  core::Result<MonitoringData> Run(std::span<const std::string> paths) {
    data_.periods = periods_;
    for (const std::string& path : paths) JCM_RETURN_IF_ERROR(IngestFile(path));
    Finish();
    if (!duplicate_slots_.empty()) {
      // Rare: a second pass collects the readings of the duplicated intervals only.
      collect_pass_ = true;
      for (const std::string& path : paths) JCM_RETURN_IF_ERROR(IngestFile(path));
      ResolveDuplicates();
    }
    return std::move(data_);
  }

 private:
  IngestContext BaseContext() const {
    IngestContext c;
    c.methodology = &methodology_;
    c.project = &project_;
    c.interval_minutes = project_.interval_minutes;
    for (const core::Period& p : periods_) {
      const uint64_t slots =
          project_.interval_minutes > 0
              ? static_cast<uint64_t>(p.length_days() * 1440 / project_.interval_minutes)
              : 0;
      c.periods.push_back({p.start.days_since_epoch(), p.end.days_since_epoch(), slots});
    }
    for (const core::Period& p : project_.reported) {
      c.excluded.push_back({p.start.days_since_epoch(), p.end.days_since_epoch(), 0});
    }
    return c;
  }

  core::Status ParseHeader(std::string_view header, IngestContext* c) {
    std::vector<std::string_view> fields;
    std::vector<std::string> storage;
    size_t error_column = 0;
    if (!SplitCsvLine(header, &fields, &storage, &error_column)) {
      return PositionError(c->file_name, 1, static_cast<int>(error_column), "malformed header");
    }
    c->column_count = fields.size();
    const std::string first = Lower(fields[0]);
    if ((first == "timestamp" || first == "time" || first == "datetime") && fields.size() >= 2) {
      return ParseWideHeader(fields, header, c);
    }
    for (size_t i = 0; i < fields.size(); ++i) {
      const std::string name = Lower(fields[i]);
      int* slot = name == "point"       ? &c->col_point
                  : name == "parameter" ? &c->col_parameter
                  : name == "timestamp" ? &c->col_timestamp
                  : name == "period"    ? &c->col_period
                  : name == "value"     ? &c->col_value
                  : name == "unit"      ? &c->col_unit
                                        : nullptr;
      if (slot == nullptr) continue;
      if (*slot >= 0) {
        // Two "value" columns: which one is the reading is a guess, never made silently.
        // A quoted field lives in `storage`, outside the header text: column 1 then.
        const bool in_header =
            fields[i].data() >= header.data() && fields[i].data() < header.data() + header.size();
        const int column = in_header ? static_cast<int>(fields[i].data() - header.data()) + 1 : 1;
        return PositionError(
            c->file_name, 1, column,
            "duplicate column \"" + name + "\" (first is field " + std::to_string(*slot + 1) + ")");
      }
      *slot = static_cast<int>(i);
    }
    if (c->col_point < 0 || c->col_parameter < 0 || c->col_value < 0 || c->col_unit < 0 ||
        (c->col_timestamp < 0) == (c->col_period < 0)) {
      return PositionError(
          c->file_name, 1, 1,
          "header must be 'point,parameter,timestamp|period,value,unit' (long form) "
          "or 'timestamp,POINT:PARAMETER[UNIT],…' (wide form)");
    }
    return core::OkStatus();
  }

  core::Status ParseWideHeader(const std::vector<std::string_view>& fields, std::string_view header,
                               IngestContext* c) {
    c->wide = true;
    if (fields.size() - 1 > kWideColumnsMax)
      return PositionError(c->file_name, 1, 1, "too many columns");
    std::map<std::string, size_t> seen;
    for (size_t i = 1; i < fields.size(); ++i) {
      const std::string_view f = fields[i];
      const int column = static_cast<int>(f.data() - header.data()) + 1;
      const size_t colon = f.find(':'), open = f.find('[');
      if (colon == std::string_view::npos || open == std::string_view::npos || open < colon ||
          f.back() != ']') {
        return PositionError(
            c->file_name, 1, column,
            "wide column must be POINT:PARAMETER[UNIT], got \"" + std::string(f) + "\"");
      }
      auto plan =
          internal::MakeSeriesPlan(*c, f.substr(0, colon), f.substr(colon + 1, open - colon - 1),
                                   f.substr(open + 1, f.size() - open - 2));
      if (!plan.ok()) return PositionError(c->file_name, 1, column, plan.status().message());
      if (!seen.emplace(std::string(f), i).second) {
        return PositionError(c->file_name, 1, column, "duplicate column " + std::string(f));
      }
      const SeriesPlan& added = c->wide_plans.emplace_back(std::move(plan).value());
      const bool min_is_zero =
          added.definition->range_min && added.definition->range_min->is_zero();
      c->wide_fast.push_back(
          {min_is_zero && !added.has_max && !added.high_side && !added.has_calibration});
    }
    return core::OkStatus();
  }

  core::Status IngestFile(const std::string& path) {
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return core::NotFound(path + ": cannot open monitoring file");
    core::Status status = IngestOpenFile(path, fd);
    close(fd);
    return status;
  }

  core::Status IngestOpenFile(const std::string& path, int fd) {
    struct stat st {};
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      return core::InvalidArgument(path + ": not a regular file");
    }
    const uint64_t size = static_cast<uint64_t>(st.st_size);
    IngestContext c = BaseContext();
    c.file_name = path;
    c.fd = fd;
    c.file_bytes = size;
    RangeLineReader header_reader(
        fd, 0, 1, static_cast<size_t>(std::min<uint64_t>(kIngestBlockBytes, size + 2)));
    std::string_view header;
    uint64_t header_offset = 0;
    if (!header_reader.Next(&header, &header_offset)) {
      return PositionError(path, 1, 1,
                           header_reader.status().ok() ? "empty file, expected a header"
                                                       : header_reader.status().message());
    }
    // Excel's "CSV UTF-8" starts with a byte order mark: not part of the first column's name.
    if (header.starts_with(kUtf8Bom)) header.remove_prefix(kUtf8Bom.size());
    JCM_RETURN_IF_ERROR(ParseHeader(header, &c));
    const uint64_t data_begin = std::min<uint64_t>(header_reader.bytes_consumed(), size);
    const uint64_t data_bytes = size - data_begin;
    const int threads = static_cast<int>(std::clamp<uint64_t>(
        std::min<uint64_t>(static_cast<uint64_t>(std::max(1, options_.threads)),
                           data_bytes / std::max<uint64_t>(1, options_.bytes_per_thread_min)),
        1, kIngestThreadsMax));
    // Workers read the file in place through one read-only mapping (no copy); pread is the
    // fallback where mmap is refused.
    const FileMapping mapping(fd, size);
    c.mapping = mapping.data();
    if (collect_pass_) {
      c.collect = &duplicate_slots_;
      const Rational discount =
          *project_.uncalibrated_discount_percent.DividedBy(Rational::FromInt(100));
      c.weight_low = Rational::FromInt(1) - discount;
      c.weight_high = Rational::FromInt(1) + discount;
    }
    std::vector<WorkerResult> results(static_cast<size_t>(threads));
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
      const uint64_t begin =
          data_begin + data_bytes * static_cast<uint64_t>(t) / static_cast<uint64_t>(threads);
      const uint64_t end =
          data_begin + data_bytes * static_cast<uint64_t>(t + 1) / static_cast<uint64_t>(threads);
      workers.emplace_back(internal::RunIngestWorker, std::cref(c), begin, end, options_.bytes_done,
                           &results[static_cast<size_t>(t)]);
    }
    for (std::thread& worker : workers) worker.join();
    JCM_RETURN_IF_ERROR(FirstError(c, results));
    if (collect_pass_) {
      for (WorkerResult& r : results) {
        for (internal::CollectedReading& reading : r.collected)
          collected_.push_back(std::move(reading));
      }
      return core::OkStatus();
    }
    InputFile file{path, size, 0, ""};
    for (const WorkerResult& r : results) {
      file.rows += r.rows;
      rows_outside_ += r.rows_outside;
    }
    data_.files.push_back(file);
    Merge(c, results);
    if (overflow_) return OverflowError(c, data_begin);
    return core::OkStatus();
  }

  // A series sum passed 128 bits when the workers' sums, or this file's and the earlier
  // files', were merged. One worker over the whole file finds the reading where it happens
  // within this file; if it does not, the earlier files' readings of the series share the
  // blame and the message names the series.
  core::Status OverflowError(const IngestContext& c, uint64_t data_begin) {
    std::vector<WorkerResult> single(1);
    internal::RunIngestWorker(c, data_begin, c.file_bytes, nullptr, &single[0]);
    JCM_RETURN_IF_ERROR(FirstError(c, single));
    return core::InvalidArgument(c.file_name + ": the sum of " + overflow_series_ +
                                 " over this and the earlier --data files exceeds 128 bits "
                                 "(about 1.7e38 at the sum's decimal scale)");
  }

  core::Status FirstError(const IngestContext& c, const std::vector<WorkerResult>& results) {
    const internal::WorkerError* first = nullptr;
    for (const WorkerResult& r : results) {
      if (!r.io_status.ok()) return core::Unavailable(c.file_name + ": " + r.io_status.message());
      if (r.error && (first == nullptr || r.error->offset < first->offset)) first = &*r.error;
    }
    if (first == nullptr) return core::OkStatus();
    return PositionError(c.file_name, static_cast<int>(LineNumberAt(c.fd, first->offset)),
                         static_cast<int>(first->column), first->message);
  }

  GlobalSeries& Series(const SeriesPlan& plan, const std::string& file) {
    auto [it, inserted] =
        series_.try_emplace(internal::SeriesUnitKey{plan.point, plan.parameter, plan.unit_text});
    if (inserted) {
      it->second.plan = plan;
      it->second.per_period.resize(periods_.size());
      it->second.first_file = file;
    }
    return it->second;
  }

  // slots |= from; an interval set on both sides (or already duplicated) is a duplicate.
  static void MergeSlots(const std::vector<uint64_t>& from, const std::vector<uint64_t>& from_dups,
                         std::vector<uint64_t>* slots, std::vector<uint64_t>* dups) {
    for (size_t w = 0; w < from.size(); ++w) {
      const uint64_t twice = ((*slots)[w] & from[w]) | (w < from_dups.size() ? from_dups[w] : 0);
      if (twice != 0) {
        if (dups->empty()) dups->assign(slots->size(), 0);
        (*dups)[w] |= twice;
      }
      (*slots)[w] |= from[w];
    }
  }

  static void MergeAccum(const Accum& from, Accum* to, bool* overflow) {
    if (!to->sum.Merge(from.sum) || !to->uncalibrated.Merge(from.uncalibrated)) *overflow = true;
    if (from.has_high_water &&
        (!to->has_high_water || from.high_water.ToRational() > to->high_water.ToRational())) {
      to->high_water = from.high_water;
      to->has_high_water = true;
    }
    to->count += from.count;
    to->uncalibrated_count += from.uncalibrated_count;
    to->replaced_by_min += from.replaced_by_min;
    to->dropped += from.dropped;
    to->empty_count += from.empty_count;
    to->overlap_count += from.overlap_count;
    to->slotted_count += from.slotted_count;
    to->first_issue_offset = std::min(to->first_issue_offset, from.first_issue_offset);
    if (!from.slots.empty()) {
      if (to->slots.empty()) to->slots.assign(from.slots.size(), 0);
      MergeSlots(from.slots, from.dup_slots, &to->slots, &to->dup_slots);
    }
  }

  void Merge(const IngestContext& c, const std::vector<WorkerResult>& results) {
    const size_t period_count = periods_.size();
    for (const WorkerResult& r : results) {
      const std::vector<SeriesPlan>& plans = c.wide ? c.wide_plans : r.plans;
      for (size_t plan = 0; plan < plans.size(); ++plan) {
        GlobalSeries& g = Series(plans[plan], c.file_name);
        for (size_t p = 0; p < period_count; ++p) {
          MergeAccum(r.accums[plan * period_count + p], &g.per_period[p], &overflow_);
        }
        if (overflow_ && overflow_series_.empty()) {
          overflow_series_ = plans[plan].parameter + " at " + plans[plan].point;
        }
      }
    }
    if (!c.wide || c.interval_minutes == 0) return;
    // Wide form: the row timestamps are the slots of every column of the file.
    for (size_t p = 0; p < period_count; ++p) {
      std::vector<uint64_t> rows((c.periods[p].slot_count + 63) / 64, 0), row_dups;
      for (const WorkerResult& r : results)
        MergeSlots(r.row_slots[p], r.row_dups[p], &rows, &row_dups);
      for (size_t plan = 0; plan < c.wide_plans.size(); ++plan) {
        Accum& a = Series(c.wide_plans[plan], c.file_name).per_period[p];
        if (a.slots.empty()) a.slots.assign(rows.size(), 0);
        MergeSlots(rows, row_dups, &a.slots, &a.dup_slots);
        for (const WorkerResult& r : results) {
          const Accum& from = r.accums[plan * period_count + p];
          a.slotted_count += from.count + from.empty_count;
        }
      }
    }
  }

  void Finish();
  void ResolveDuplicates();
  void FinishSeries(const std::vector<const GlobalSeries*>& group, size_t p);
  void AddTreatmentFindings(size_t p, const SeriesPlan& plan, int64_t out_of_range,
                            int64_t uncalibrated, int64_t count);
  void AddFinding(Severity severity, std::string code, size_t p, const SeriesPlan& plan,
                  int64_t count, std::string message) {
    data_.findings.push_back(Finding{severity, std::move(code), periods_[p].ToString(), plan.point,
                                     plan.parameter, count, "", std::move(message)});
  }

  const Methodology& methodology_;
  const ProjectParams& project_;
  const std::vector<core::Period>& periods_;
  const IngestOptions& options_;
  MonitoringData data_;
  std::map<internal::SeriesUnitKey, GlobalSeries> series_;
  uint64_t rows_outside_ = 0;
  bool overflow_ = false;
  std::string overflow_series_;  // "EG at PV01": the first series whose merged sum overflowed
  internal::DuplicateSlots duplicate_slots_;
  bool collect_pass_ = false;
  std::vector<internal::CollectedReading> collected_;
};

// Keeps, for every interval read more than once, the lowest contribution (reference side) or
// the highest (project side): the total loses the others. Deterministic whatever the order.
void Ingest::ResolveDuplicates() {
  using internal::PointParameter;
  std::map<std::tuple<PointParameter, size_t, uint64_t>, std::vector<const Rational*>> intervals;
  for (const internal::CollectedReading& r : collected_) {
    intervals[{r.key, r.period, r.slot}].push_back(&r.contribution);
  }
  std::map<std::pair<PointParameter, size_t>, int64_t> dropped;
  for (const auto& [where, values] : intervals) {
    if (values.size() < 2) continue;
    const auto& [key, period, slot] = where;
    const auto& [point, parameter] = key;
    const bool low_side = methodology_.FindParameter(parameter)->conservative == Conservative::kLow;
    Rational sum, kept = *values[0];
    for (const Rational* value : values) {
      sum = sum + *value;
      if (low_side ? *value < kept : *value > kept) kept = *value;
    }
    SeriesTotal& total = data_.series[SeriesKey{period, point, parameter}];
    total.total = total.total - sum + kept;
    total.reading_count -= static_cast<int64_t>(values.size()) - 1;
    dropped[{key, period}] += static_cast<int64_t>(values.size()) - 1;
  }
  for (const auto& [where, count] : dropped) {
    const auto& [point, parameter] = where.first;
    const bool low_side = methodology_.FindParameter(parameter)->conservative == Conservative::kLow;
    data_.findings.push_back(
        Finding{Severity::kWarning, "duplicate", periods_[where.second].ToString(), point,
                parameter, count, "",
                "readings sharing an interval with another reading of the same meter; of each such "
                "interval only the " +
                    std::string(low_side ? "lowest (reference side)" : "highest (project side)") +
                    " reading was kept"});
  }
}

// The findings of the per-reading treatments of one series in one period.
void Ingest::AddTreatmentFindings(size_t p, const SeriesPlan& plan, int64_t out_of_range,
                                  int64_t uncalibrated, int64_t count) {
  const ParameterDef& def = *plan.definition;
  const bool low_side = def.conservative == Conservative::kLow;
  if (out_of_range > 0) {
    AddFinding(
        Severity::kWarning, "out_of_range", p, plan, out_of_range,
        "readings outside the valid range " +
            (def.range_min ? def.range_min->ToDecimalString() : "") + ".." +
            (def.range_max ? def.range_max->ToDecimalString() : "") + " " + def.unit.ToString() +
            (def.range_min ? " were replaced by the range minimum" : " were excluded") +
            " (conservative for a " + (low_side ? "reference" : "project") + "-side parameter)");
  }
  if (uncalibrated > 0) {
    AddFinding(Severity::kWarning, "uncalibrated", p, plan, uncalibrated,
               "readings outside the meter's calibration validity were " +
                   std::string(low_side ? "reduced" : "increased") + " by " +
                   project_.uncalibrated_discount_percent.ToDecimalString() + " %");
  }
  if (!plan.calibration_declared && count > 0) {
    AddFinding(Severity::kWarning, "calibration_not_declared", p, plan, count,
               "the parameter file gives no calibration for meter " + plan.point +
                   ": its readings were credited without a calibration check (add calibration "
                   "= START..END to [point " +
                   plan.point + "])");
  }
}

// One (point, parameter) in one period: the sums of all its units, and its findings.
void Ingest::FinishSeries(const std::vector<const GlobalSeries*>& group, size_t p) {
  const SeriesPlan& plan = group.front()->plan;
  const ParameterDef& def = *plan.definition;
  const bool low_side = def.conservative == Conservative::kLow;
  const Rational discount =
      *project_.uncalibrated_discount_percent.DividedBy(Rational::FromInt(100));
  const Rational weight =
      low_side ? Rational::FromInt(1) - discount : Rational::FromInt(1) + discount;
  Rational total, high_water;
  bool has_high_water = false;
  int64_t count = 0, out_of_range = 0, uncalibrated = 0, overlap = 0, slotted = 0, empty = 0;
  std::vector<uint64_t> slots, dups;
  for (const GlobalSeries* g : group) {
    const Accum& a = g->per_period[p];
    const Rational& factor = g->plan.factor;
    total = total + a.sum.ToRational() * factor + a.uncalibrated.ToRational() * factor * weight;
    if (a.replaced_by_min > 0)
      total = total + *def.range_min * Rational::FromInt(a.replaced_by_min);
    if (a.has_high_water && (!has_high_water || a.high_water.ToRational() * factor > high_water)) {
      high_water = a.high_water.ToRational() * factor;
      has_high_water = true;
    }
    count += a.count;
    out_of_range += a.replaced_by_min + a.dropped;
    uncalibrated += a.uncalibrated_count;
    overlap += g->per_period[0].overlap_count;
    slotted += a.slotted_count;
    empty += a.empty_count;
    if (slots.empty()) slots.assign(a.slots.size(), 0);
    MergeSlots(a.slots, a.dup_slots, &slots, &dups);
  }
  AddTreatmentFindings(p, plan, out_of_range, uncalibrated, count);
  if (overlap > 0 && p == 0) {
    AddFinding(Severity::kWarning, "overlap_earlier_report", p, plan, overlap,
               "readings dated inside an earlier monitoring report were excluded");
  }
  // Gaps and duplicates concern interval (timestamped) readings only, not period readings
  // such as monthly invoices.
  if (project_.interval_minutes > 0 && slotted > 0) {
    int64_t distinct = 0;
    for (uint64_t word : slots) distinct += std::popcount(word);
    const int64_t duplicates = slotted - distinct;
    const int64_t expected = periods_[p].length_days() * 1440 / project_.interval_minutes;
    const int64_t missing = expected - distinct + empty;
    if (duplicates > 0) {
      // Resolved by the second pass (ResolveDuplicates), which reports them.
      std::vector<std::vector<uint64_t>>& per_period =
          duplicate_slots_[internal::PointParameter{plan.point, plan.parameter}];
      per_period.resize(periods_.size());
      per_period[p] = dups;
    }
    if (missing > 0) {
      std::string treatment =
          "no value was fabricated (conservative for a reference-side parameter)";
      if (!low_side && has_high_water) {
        total = total + high_water * Rational::FromInt(missing);
        treatment = "each missing interval was filled with the highest reading of the period, " +
                    high_water.ToDecimalString() + " " + def.unit.ToString();
      }
      AddFinding(Severity::kWarning, "gap", p, plan, missing,
                 "intervals of " + std::to_string(project_.interval_minutes) +
                     " min without a reading; " + treatment);
    }
  }
  if (count == 0) return;
  SeriesTotal& out = data_.series[SeriesKey{p, plan.point, plan.parameter}];
  out.total = total;
  out.reading_count = count;
}

void Ingest::Finish() {
  // series_ is ordered by (point, parameter, unit), so the units of one series are adjacent.
  std::vector<const GlobalSeries*> group;
  auto flush = [&]() {
    for (size_t p = 0; p < periods_.size() && !group.empty(); ++p) FinishSeries(group, p);
    group.clear();
  };
  for (const auto& [key, g] : series_) {
    if (!group.empty() && (group.front()->plan.point != g.plan.point ||
                           group.front()->plan.parameter != g.plan.parameter)) {
      flush();
    }
    group.push_back(&g);
  }
  flush();
  if (project_.interval_minutes == 0) {
    data_.findings.push_back(Finding{Severity::kInfo, "interval_not_declared", "", "", "", 0, "",
                                     "interval_minutes is not declared in the project file: gaps "
                                     "and duplicate timestamps were not checked"});
  }
  if (rows_outside_ > 0) {
    data_.findings.push_back(Finding{Severity::kInfo, "outside_periods", "", "", "",
                                     static_cast<int64_t>(rows_outside_), "",
                                     "rows dated outside the monitoring periods were not used"});
  }
  for (size_t p = 0; p < periods_.size(); ++p) {
    for (const core::Period& earlier : project_.reported) {
      if (periods_[p].Overlaps(earlier)) {
        data_.findings.push_back(Finding{Severity::kWarning, "period_overlaps_earlier_report",
                                         periods_[p].ToString(), "", "", 0, "",
                                         "monitoring period overlaps the earlier report " +
                                             earlier.ToString() +
                                             "; readings on those days were excluded"});
      }
    }
  }
}

}  // namespace

core::Result<MonitoringData> IngestMonitoringCsv(std::span<const std::string> paths,
                                                 const Methodology& methodology,
                                                 const ProjectParams& project,
                                                 const std::vector<core::Period>& periods,
                                                 const IngestOptions& options) {
  JCM_CHECK(!periods.empty(), "ingest needs at least one period");
  return Ingest(methodology, project, periods, options).Run(paths);
}

}  // namespace jcm::mrv
