// `jcm bench mrv`: generates a synthetic meter export (a year of 15-minute readings for many
// points) in the wide layout (one column per meter) or the long one (one line per reading,
// `point,parameter,timestamp,value,unit`, the same readings in timestamp-major order), then
// measures ingest-and-calculate throughput with 1 and 2 threads against a baseline measured in the
// same run on the same warm file (one pass of read() and memchr counting newlines: no parser can
// beat reading the bytes), and reports peak RSS.
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>

#include "cli/mrv/mrv_cli.h"
#include "mrv/calculator.h"
#include "mrv/monitoring_csv.h"

namespace jcm::cli::mrv_cli {
namespace {

constexpr int64_t kRowsPerYear = 365 * 96;  // 15-minute readings
constexpr uint64_t kDefaultBytes = 1'100'000'000;
constexpr int64_t kDefaultLongPoints = 1000;  // the issue's target: 1,000 points, ~1.3 GB
constexpr int64_t kWideBytesPerReading = 7;   // ",dd.ddd"
constexpr int64_t kLongBytesPerReading = 38;  // "P00000,EG,2023-01-01T00:00,dd.ddd,kWh\n"

// The benchmark's methodology: MN_AM003-shaped PV, so the measured path is the real one.
constexpr std::string_view kBenchMethodology = R"(
[methodology]
id = BENCH_PV
version = 1.0
title = Benchmark solar PV (MN_AM003 shape)
technology = solar_pv
[parameter EG]
unit = MWh
kind = monitored
range = 0 ..
conservative = low
missing = zero
[parameter EF_RE]
unit = tCO2/MWh
kind = default
default = 0.797
[equation RE]
unit = tCO2e
expr = EG * EF_RE
[equation PE]
unit = tCO2e
expr = 0 [tCO2e]
[equation ER]
unit = tCO2e
expr = RE - PE
)";

// The timestamp of row `r` (15-minute steps from 2023-01-01T00:00), "YYYY-MM-DDTHH:MM".
void RowStamp(int64_t r, char (&stamp)[64]) {
  const int64_t minutes = r * 15;
  const int64_t day = 19358 + minutes / 1440;  // 2023-01-01
  // Civil date from days (2023 is not a leap year; rows may run into 2024).
  const int64_t z = day + 719468, era = z / 146097, doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  std::snprintf(stamp, sizeof stamp, "%04lld-%02lld-%02lldT%02lld:%02lld",
                static_cast<long long>(y), static_cast<long long>(m), static_cast<long long>(d),
                static_cast<long long>(minutes % 1440 / 60), static_cast<long long>(minutes % 60));
}

// Appends one row of readings (one reading per point, "d.ddd" kWh varying deterministically
// by row and point): as one wide line, or as one long line per reading. Both layouts draw the
// same sequence from `state`, so they hold the same readings.
void AppendRow(bool long_layout, int64_t points, const char* stamp, uint64_t* state,
               std::string* buffer) {
  if (!long_layout) *buffer += stamp;
  for (int64_t p = 0; p < points; ++p) {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    const unsigned value = static_cast<unsigned>(*state % 100000);  // 0.000 .. 99.999 kWh
    char field[96];
    const int n = long_layout
                      ? std::snprintf(field, sizeof field, "P%05lld,EG,%s,%u.%03u,kWh\n",
                                      static_cast<long long>(p), stamp, value / 1000, value % 1000)
                      : std::snprintf(field, sizeof field, ",%u.%03u", value / 1000, value % 1000);
    buffer->append(field, static_cast<size_t>(n));
  }
  if (!long_layout) *buffer += '\n';
}

core::Status GenerateFile(const std::string& path, bool long_layout, int64_t points, int64_t rows) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) return core::Unavailable(path + ": cannot create");
  std::string buffer = long_layout ? "point,parameter,timestamp,value,unit" : "timestamp";
  char name[64];
  for (int64_t p = 0; p < points && !long_layout; ++p) {
    std::snprintf(name, sizeof name, ",P%05lld:EG[kWh]", static_cast<long long>(p));
    buffer += name;
  }
  buffer += '\n';
  uint64_t state = 0x9E3779B97F4A7C15ull;
  for (int64_t r = 0; r < rows; ++r) {
    char stamp[64];
    RowStamp(r, stamp);
    AppendRow(long_layout, points, stamp, &state, &buffer);
    if (buffer.size() > (8u << 20) || r + 1 == rows) {
      if (std::fwrite(buffer.data(), 1, buffer.size(), file) != buffer.size()) {
        std::fclose(file);
        return core::Unavailable(path + ": write error");
      }
      buffer.clear();
    }
  }
  if (std::fclose(file) != 0) return core::Unavailable(path + ": write error");
  return core::OkStatus();
}

// The project: every meter declared (as `jcm mrv calc` requires), calibrated for the year.
std::string BenchParams(int64_t points) {
  std::string text =
      "[project]\nid = BENCH\nperiods = 2023-01-01..2023-12-31\ninterval_minutes = 15\n";
  char section[96];
  for (int64_t p = 0; p < points; ++p) {
    std::snprintf(section, sizeof section,
                  "[point P%05lld]\ncalibration = 2023-01-01..2023-12-31\n",
                  static_cast<long long>(p));
    text += section;
  }
  return text;
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// The baseline: one pass of read in 8 MiB blocks and memchr('\n') over the warm file.
double NewlineBaselineSeconds(const std::string& path, uint64_t* newlines) {
  const int fd = open(path.c_str(), O_RDONLY);
  std::vector<char> buffer(8u << 20);
  const auto start = std::chrono::steady_clock::now();
  uint64_t count = 0;
  while (true) {
    const ssize_t n = read(fd, buffer.data(), buffer.size());
    if (n <= 0) break;
    const char* p = buffer.data();
    const char* end = p + n;
    while ((p = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)))) !=
           nullptr) {
      ++count;
      ++p;
    }
  }
  const double seconds = Seconds(start);
  close(fd);
  *newlines = count;
  return seconds;
}

double ProcessCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

struct Run {
  double seconds = 0;
  double cpu_seconds = 0;
  std::string er;
};

core::Result<Run> IngestAndCalculate(const std::string& path, const mrv::Methodology& m,
                                     const mrv::ProjectParams& project, int threads) {
  mrv::IngestOptions options;
  options.threads = threads;
  const std::vector<std::string> paths{path};
  const auto start = std::chrono::steady_clock::now();
  const double cpu_start = ProcessCpuSeconds();
  JCM_ASSIGN_OR_RETURN(mrv::MonitoringData data,
                       mrv::IngestMonitoringCsv(paths, m, project, project.periods, options));
  JCM_ASSIGN_OR_RETURN(mrv::CalcReport report, mrv::Calculate(m, project, data));
  Run run;
  run.seconds = Seconds(start);
  run.cpu_seconds = ProcessCpuSeconds() - cpu_start;
  for (const mrv::PeriodResult& p : report.periods) run.er += p.er_tco2e.ToFractionString() + ";";
  return run;
}

double PeakRssMib() {
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

boost::json::object ReportJson(bool long_layout, const std::string& path, bool keep,
                               uint64_t file_bytes, uint64_t newlines, int64_t points,
                               double baseline, const Run (&best)[2], int repeat) {
  const double gb = static_cast<double>(file_bytes) / 1e9;
  boost::json::object o;
  o["layout"] = long_layout ? "long" : "wide";
  o["file"] = path;
  o["kept"] = keep;
  o["file_bytes"] = file_bytes;
  o["rows"] = newlines;
  o["points"] = points;
  o["gb_per_s_1_thread"] = gb / best[0].seconds;
  o["gb_per_s_2_threads"] = gb / best[1].seconds;
  // CPU time per GB: what one core does, independent of other load on a shared machine.
  o["gb_per_cpu_s_1_thread"] = gb / best[0].cpu_seconds;
  o["gb_per_cpu_s_2_threads"] = gb / best[1].cpu_seconds;
  o["speedup_2_threads"] = best[0].seconds / best[1].seconds;
  // CPU-seconds per wall-second of the 2-thread run: how many cores the run actually got
  // (about 2 on an idle machine, near 1 when other processes hold a core).
  o["cores_used_2_threads"] = best[1].cpu_seconds / best[1].seconds;
  o["baseline_newline_gb_per_s"] = gb / baseline;
  o["ratio_1_thread_to_baseline"] = baseline / best[0].seconds;
  o["peak_rss_mib"] = PeakRssMib();
  o["identical_results_1_vs_2_threads"] = best[0].er == best[1].er;
  // The exact ER of the 1-thread run: the same readings give the same value in either layout.
  o["emission_reductions_exact"] = best[0].er;
  o["repeat"] = repeat;
  return o;
}

}  // namespace

core::Status BenchMrv(CommandRun& run) {
  const Args& args = run.args;
  if (!args.positional().empty()) return core::InvalidArgument("bench mrv takes no arguments");
  const std::string layout = args.Get("layout").value_or("wide");
  if (layout != "wide" && layout != "long") {
    return core::InvalidArgument("--layout takes long or wide, got \"" + layout + "\"");
  }
  const bool long_layout = layout == "long";
  const int64_t bytes_per_row_and_point = long_layout ? kLongBytesPerReading : kWideBytesPerReading;
  JCM_ASSIGN_OR_RETURN(int64_t points, args.RequireInt("points", 0));
  if (args.Has("bytes")) {
    JCM_ASSIGN_OR_RETURN(int64_t bytes, args.RequireInt("bytes"));
    points = bytes / (kRowsPerYear * bytes_per_row_and_point) + 1;
  }
  if (points <= 0) {
    points = long_layout ? kDefaultLongPoints
                         : static_cast<int64_t>(kDefaultBytes / (kRowsPerYear * 7)) + 1;
  }
  JCM_ASSIGN_OR_RETURN(int64_t repeat_flag, args.RequireInt("repeat", 2));
  const int repeat = static_cast<int>(std::clamp<int64_t>(repeat_flag, 1, 100));
  const std::string dir = args.Get("dir").value_or(std::filesystem::temp_directory_path().string());
  const std::string path =
      dir + "/jcm-bench-mrv-" + std::to_string(getpid()) + "-" + layout + ".csv";
  JCM_RETURN_IF_ERROR(GenerateFile(path, long_layout, points, kRowsPerYear));
  auto m = mrv::ParseMethodology(kBenchMethodology, "bench");
  auto project = mrv::ParseProjectParams(BenchParams(points), "bench");
  JCM_CHECK(m.ok() && project.ok(), "the embedded benchmark definitions load");
  const uint64_t file_bytes = std::filesystem::file_size(path);
  uint64_t newlines = 0;
  NewlineBaselineSeconds(path, &newlines);  // warms the page cache
  double baseline = 1e9;
  for (int i = 0; i < repeat; ++i) {
    baseline = std::min(baseline, NewlineBaselineSeconds(path, &newlines));
  }
  Run best[2];
  for (int threads = 1; threads <= 2; ++threads) {
    best[threads - 1].seconds = 1e9;
    for (int i = 0; i < repeat; ++i) {
      JCM_ASSIGN_OR_RETURN(Run timed, IngestAndCalculate(path, *m, *project, threads));
      if (timed.seconds < best[threads - 1].seconds) best[threads - 1] = timed;
    }
  }
  const bool keep = args.Has("keep");
  if (!keep) std::filesystem::remove(path);
  const boost::json::object report =
      ReportJson(long_layout, path, keep, file_bytes, newlines, points, baseline, best, repeat);
  // Always JSON: the figures are for machines.
  if (run.print.json()) {
    run.print.Json(report);
  } else {
    run.print.out() << boost::json::serialize(report) << "\n";
  }
  return core::OkStatus();
}

}  // namespace jcm::cli::mrv_cli
