// Internal to the benchmarks: latency samples and their summary, scratch database files.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace jcm::bench {

using BenchClock = std::chrono::steady_clock;

inline double MicrosSince(BenchClock::time_point start) {
  return std::chrono::duration<double, std::micro>(BenchClock::now() - start).count();
}

// Throughput and latency of one measured run.
struct RunFigures {
  int64_t operations = 0;
  double per_s = 0;
  double p50_us = 0;
  double p99_us = 0;
  double cpu_us_per_op = 0;  // CPU (user + system) of the process doing the work; 0: not measured
};

// REQUIRES: latencies_us is not empty.
inline RunFigures Summarise(std::vector<double> latencies_us, double elapsed_s) {
  std::sort(latencies_us.begin(), latencies_us.end());
  const size_t n = latencies_us.size();
  RunFigures figures;
  figures.operations = static_cast<int64_t>(n);
  figures.per_s = static_cast<double>(n) / elapsed_s;
  figures.p50_us = latencies_us[n / 2];
  figures.p99_us = latencies_us[std::min(n - 1, n * 99 / 100)];
  return figures;
}

// Removes a SQLite database and its WAL companions (missing files are fine).
inline void RemoveDatabase(const std::string& path) {
  std::error_code ignored;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::filesystem::remove(path + suffix, ignored);
  }
}

}  // namespace jcm::bench
