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

#include "mrv/compressed_input.h"
#include "mrv/csv_scan.h"
#include "mrv/file_mapping.h"
#include "mrv/ingest_internal.h"
#include "mrv/keyed_text.h"

namespace jcm::mrv {

namespace {

using internal::Accum;
using internal::IngestContext;
using internal::SeriesPlan;
using internal::WorkerResult;

// Global per-series state after merging all workers and files.
struct GlobalSeries {
  SeriesPlan plan;
  std::vector<Accum> per_period;
  std::string first_file;
  std::vector<SourceLine> first_issue;  // per period: the first reading a treatment changed
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
    JCM_RETURN_IF_ERROR(SameAsFirstPass(path, st));
    if (options_.before_read_for_test) options_.before_read_for_test(path);
    IngestContext c = BaseContext();
    c.file_name = path;
    c.fd = fd;
    c.file_bytes = size;
    // A gzip or Zstandard file is one stream: its header and lines come from one reader.
    c.compression = DetectCompression(fd);
    std::unique_ptr<Decompressor> stream;
    if (c.compression != Compression::kNone) {
      JCM_ASSIGN_OR_RETURN(stream, Decompressor::Open(fd, c.compression));
    }
    RangeLineReader header_reader =
        stream != nullptr
            ? RangeLineReader(stream.get(), kIngestBlockBytes)
            : RangeLineReader(fd, 0, 1,
                              static_cast<size_t>(std::min<uint64_t>(kIngestBlockBytes, size + 2)));
    std::string_view header;
    uint64_t header_offset = 0;
    if (!header_reader.Next(&header, &header_offset)) {
      if (header_reader.status().code() == core::StatusCode::kDataLoss) {  // a truncated stream
        return core::DataLoss(path + ": " + header_reader.status().message());
      }
      return PositionError(path, 1, 1,
                           header_reader.status().ok() ? "empty file, expected a header"
                                                       : header_reader.status().message());
    }
    // Excel's "CSV UTF-8" starts with a byte order mark: not part of the first column's name.
    if (header.starts_with(kUtf8Bom)) header.remove_prefix(kUtf8Bom.size());
    JCM_RETURN_IF_ERROR(internal::ParseHeader(header, &c));
    const uint64_t data_begin = std::min<uint64_t>(header_reader.bytes_consumed(), size);
    const uint64_t data_bytes = size - data_begin;
    const int threads = static_cast<int>(std::clamp<uint64_t>(
        std::min<uint64_t>(static_cast<uint64_t>(std::max(1, options_.threads)),
                           data_bytes / std::max<uint64_t>(1, options_.bytes_per_thread_min)),
        1, kIngestThreadsMax));
    // Workers read the file in place through one read-only mapping (no copy); pread is the
    // fallback where mmap is refused.
    const FileMapping mapping(fd, stream != nullptr ? 0 : size);
    c.mapping = mapping.data();
    if (collect_pass_) SetUpCollectPass(&c);
    std::vector<WorkerResult> results = RunWorkers(c, stream != nullptr ? &header_reader : nullptr,
                                                   data_begin, data_bytes, threads);
    JCM_RETURN_IF_ERROR(CheckUnchangedWhileRead(path, fd, st, mapping));
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
    LocateIssues(c, results);
    if (overflow_) return OverflowError(c, data_begin);
    return core::OkStatus();
  }

  // The second pass must read what the first read.
  core::Status SameAsFirstPass(const std::string& path, const struct stat& st) {
    const auto [first_read, first_time] = read_as_.try_emplace(path, st.st_size, st.st_mtim);
    if (!first_time && (first_read->second.first != st.st_size ||
                        first_read->second.second.tv_sec != st.st_mtim.tv_sec ||
                        first_read->second.second.tv_nsec != st.st_mtim.tv_nsec)) {
      return FileChangedError(path, static_cast<uint64_t>(first_read->second.first),
                              static_cast<uint64_t>(st.st_size));
    }
    return core::OkStatus();
  }

  void SetUpCollectPass(IngestContext* c) const {
    c->collect = &duplicate_slots_;
    const Rational discount =
        *project_.uncalibrated_discount_percent.DividedBy(Rational::FromInt(100));
    c->weight_low = Rational::FromInt(1) - discount;
    c->weight_high = Rational::FromInt(1) + discount;
  }

  // The workers over the file's data: one over `stream` (a decompressed file, after its
  // header), else `threads` over byte ranges of the file.
  std::vector<WorkerResult> RunWorkers(const IngestContext& c, RangeLineReader* stream,
                                       uint64_t data_begin, uint64_t data_bytes, int threads) {
    std::vector<WorkerResult> results(stream != nullptr ? 1 : static_cast<size_t>(threads));
    std::vector<std::thread> workers;
    if (stream != nullptr) {
      internal::RunIngestWorkerOn(c, *stream, stream->bytes_consumed(), options_.bytes_done,
                                  &results[0]);
    }
    for (int t = 0; t < threads && stream == nullptr; ++t) {
      const uint64_t begin =
          data_begin + data_bytes * static_cast<uint64_t>(t) / static_cast<uint64_t>(threads);
      const uint64_t end =
          data_begin + data_bytes * static_cast<uint64_t>(t + 1) / static_cast<uint64_t>(threads);
      workers.emplace_back(internal::RunIngestWorker, std::cref(c), begin, end, options_.bytes_done,
                           &results[static_cast<size_t>(t)]);
    }
    for (std::thread& worker : workers) worker.join();
    return results;
  }

  // A series sum passed 128 bits when the workers' sums, or this file's and the earlier
  // files', were merged. One worker over the whole file finds the reading where it happens
  // within this file; if it does not, the earlier files' readings of the series share the
  // blame and the message names the series.
  core::Status OverflowError(const IngestContext& c, uint64_t data_begin) {
    std::vector<WorkerResult> single(c.compression == Compression::kNone ? 1 : 0);
    if (!single.empty())
      internal::RunIngestWorker(c, data_begin, c.file_bytes, nullptr, &single[0]);
    JCM_RETURN_IF_ERROR(FirstError(c, single));
    return core::InvalidArgument(c.file_name + ": the sum of " + overflow_series_ +
                                 " over this and the earlier --data files exceeds 128 bits "
                                 "(about 1.7e38 at the sum's decimal scale)");
  }

  core::Status FirstError(const IngestContext& c, const std::vector<WorkerResult>& results) {
    const internal::WorkerError* first = nullptr;
    for (const WorkerResult& r : results) {
      if (r.io_status.code() == core::StatusCode::kDataLoss) {  // a truncated stream
        return core::DataLoss(c.file_name + ": " + r.io_status.message());
      }
      if (!r.io_status.ok()) return core::Unavailable(c.file_name + ": " + r.io_status.message());
      if (r.error && (first == nullptr || r.error->offset < first->offset)) first = &*r.error;
    }
    if (first == nullptr) return core::OkStatus();
    return PositionError(c.file_name, static_cast<int>(LinesAt(c, {first->offset})[0]),
                         static_cast<int>(first->column), first->message);
  }

  GlobalSeries& Series(const SeriesPlan& plan, const std::string& file) {
    auto [it, inserted] =
        series_.try_emplace(internal::SeriesUnitKey{plan.point, plan.parameter, plan.unit_text});
    if (inserted) {
      it->second.plan = plan;
      it->second.per_period.resize(periods_.size());
      it->second.first_file = file;
      it->second.first_issue.resize(periods_.size());
    }
    return it->second;
  }

  void Merge(const IngestContext& c, const std::vector<WorkerResult>& results) {
    const size_t period_count = periods_.size();
    for (const WorkerResult& r : results) {
      const std::vector<SeriesPlan>& plans = c.wide ? c.wide_plans : r.plans;
      for (size_t plan = 0; plan < plans.size(); ++plan) {
        GlobalSeries& g = Series(plans[plan], c.file_name);
        for (size_t p = 0; p < period_count; ++p) {
          internal::MergeAccum(r.accums[plan * period_count + p], &g.per_period[p], &overflow_);
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
        internal::MergeSlots(r.row_slots[p], r.row_dups[p], &rows, &row_dups);
      for (size_t plan = 0; plan < c.wide_plans.size(); ++plan) {
        Accum& a = Series(c.wide_plans[plan], c.file_name).per_period[p];
        if (a.slots.empty()) a.slots.assign(rows.size(), 0);
        internal::MergeSlots(rows, row_dups, &a.slots, &a.dup_slots);
        for (const WorkerResult& r : results) {
          const Accum& from = r.accums[plan * period_count + p];
          a.slotted_count += from.count + from.empty_count;
        }
      }
    }
  }

  // The first reading of each series and period that a treatment changed (out of range,
  // uncalibrated), as FILE:LINE: the smallest byte offset the workers recorded in this file,
  // all converted to lines in one pass. An earlier file's location is kept.
  void LocateIssues(const IngestContext& c, const std::vector<WorkerResult>& results) {
    std::map<std::pair<GlobalSeries*, size_t>, uint64_t> first;
    const size_t period_count = periods_.size();
    for (const WorkerResult& r : results) {
      const std::vector<SeriesPlan>& plans = c.wide ? c.wide_plans : r.plans;
      for (size_t plan = 0; plan < plans.size(); ++plan) {
        for (size_t p = 0; p < period_count; ++p) {
          const uint64_t offset = r.accums[plan * period_count + p].first_issue_offset;
          GlobalSeries& g = Series(plans[plan], c.file_name);
          if (offset == UINT64_MAX || g.first_issue[p].line > 0) continue;
          auto [it, inserted] = first.try_emplace({&g, p}, offset);
          it->second = std::min(it->second, offset);
        }
      }
    }
    std::vector<uint64_t> offsets;
    for (const auto& [where, offset] : first) offsets.push_back(offset);
    std::sort(offsets.begin(), offsets.end());
    const std::vector<uint64_t> lines = LinesAt(c, offsets);
    for (const auto& [where, offset] : first) {
      const auto index = std::lower_bound(offsets.begin(), offsets.end(), offset) - offsets.begin();
      where.first->first_issue[where.second] =
          SourceLine{c.file_name, static_cast<int64_t>(lines[static_cast<size_t>(index)])};
    }
  }

  // Line numbers of (ascending) byte offsets of the file, or of its decompressed stream.
  static std::vector<uint64_t> LinesAt(const IngestContext& c,
                                       const std::vector<uint64_t>& offsets) {
    return c.compression == Compression::kNone
               ? LineNumbersAt(c.fd, offsets)
               : DecompressedLineNumbersAt(c.fd, c.compression, offsets);
  }

  static SourceLine FirstIssue(const std::vector<const GlobalSeries*>& group, size_t p) {
    for (const GlobalSeries* g : group) {
      if (g->first_issue[p].line > 0) return g->first_issue[p];
    }
    return {};
  }

  void Finish();
  void ResolveDuplicates();
  void FinishSeries(const std::vector<const GlobalSeries*>& group, size_t p);
  void AddTreatmentFindings(size_t p, const SeriesPlan& plan, int64_t out_of_range,
                            int64_t uncalibrated, int64_t count, const SourceLine& location);
  void AddFinding(Severity severity, std::string code, size_t p, const SeriesPlan& plan,
                  int64_t count, std::string message, SourceLine location = {}) {
    data_.findings.push_back(Finding{severity, std::move(code), periods_[p].ToString(), plan.point,
                                     plan.parameter, count, std::move(message),
                                     std::move(location)});
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
  std::map<std::string, std::pair<off_t, timespec>>
      read_as_;  // path -> size, mtime when first read
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
        Finding{Severity::kWarning,
                "duplicate",
                periods_[where.second].ToString(),
                point,
                parameter,
                count,
                {},
                "readings sharing an interval with another reading of the same meter; of each such "
                "interval only the " +
                    std::string(low_side ? "lowest (reference side)" : "highest (project side)") +
                    " reading was kept"});
  }
}

// The findings of the per-reading treatments of one series in one period.
void Ingest::AddTreatmentFindings(size_t p, const SeriesPlan& plan, int64_t out_of_range,
                                  int64_t uncalibrated, int64_t count, const SourceLine& location) {
  const ParameterDef& def = *plan.definition;
  const bool low_side = def.conservative == Conservative::kLow;
  if (out_of_range > 0) {
    AddFinding(
        Severity::kWarning, "out_of_range", p, plan, out_of_range,
        "readings outside the valid range " +
            (def.range_min ? def.range_min->ToDecimalString() : "") + ".." +
            (def.range_max ? def.range_max->ToDecimalString() : "") + " " + def.unit.ToString() +
            (def.range_min ? " were replaced by the range minimum" : " were excluded") +
            " (conservative for a " + (low_side ? "reference" : "project") + "-side parameter)",
        location);
  }
  if (uncalibrated > 0) {
    AddFinding(Severity::kWarning, "uncalibrated", p, plan, uncalibrated,
               "readings outside the meter's calibration validity were " +
                   std::string(low_side ? "reduced" : "increased") + " by " +
                   project_.uncalibrated_discount_percent.ToDecimalString() + " %",
               location);
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
    internal::MergeSlots(a.slots, a.dup_slots, &slots, &dups);
  }
  AddTreatmentFindings(p, plan, out_of_range, uncalibrated, count, FirstIssue(group, p));
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
    data_.findings.push_back(Finding{Severity::kInfo,
                                     "interval_not_declared",
                                     "",
                                     "",
                                     "",
                                     0,
                                     {},
                                     "interval_minutes is not declared in the project file: gaps "
                                     "and duplicate timestamps were not checked"});
  }
  if (rows_outside_ > 0) {
    data_.findings.push_back(Finding{Severity::kInfo,
                                     "outside_periods",
                                     "",
                                     "",
                                     "",
                                     static_cast<int64_t>(rows_outside_),
                                     {},
                                     "rows dated outside the monitoring periods were not used"});
  }
  for (size_t p = 0; p < periods_.size(); ++p) {
    for (const core::Period& earlier : project_.reported) {
      if (periods_[p].Overlaps(earlier)) {
        data_.findings.push_back(Finding{Severity::kWarning,
                                         "period_overlaps_earlier_report",
                                         periods_[p].ToString(),
                                         "",
                                         "",
                                         0,
                                         {},
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
