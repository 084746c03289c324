#include "pgbench_baseline.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>

namespace jcm::bench {
namespace {

// pgbench of $JCM_POSTGRES_BIN, else of Debian's PostgreSQL 15 (/usr/lib/postgresql/15/bin).
std::string Pgbench() {
  const char* bin = std::getenv("JCM_POSTGRES_BIN");
  return std::string(bin != nullptr ? bin : "/usr/lib/postgresql/15/bin") + "/pgbench";
}

// A URI as one shell word: single-quoted, any single quote closed and escaped.
std::string ShellQuoted(const std::string& text) {
  std::string out = "'";
  for (const char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Runs `command` in a shell and returns its stdout and stderr, or unavailable when it fails.
core::Result<std::string> Output(const std::string& command) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return core::Unavailable("cannot run " + command);
  std::string out;
  std::array<char, 4096> buffer{};
  size_t n = 0;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) out.append(buffer.data(), n);
  if (pclose(pipe) != 0) {
    return core::Unavailable("pgbench failed (is postgresql-15 installed?): " + out.substr(0, 500));
  }
  return out;
}

// The number after `label` in pgbench's report ("tps = 123.4 (without …)"), or -1.
double NumberAfter(const std::string& report, const std::string& label) {
  const size_t at = report.find(label);
  if (at == std::string::npos) return -1;
  return std::strtod(report.c_str() + at + label.size(), nullptr);
}

}  // namespace

core::Status InitPgbench(const std::string& uri, int64_t scale) {
  return Output(Pgbench() + " -i -q -s " + std::to_string(scale) + " " + ShellQuoted(uri)).status();
}

core::Result<PgbenchFigures> RunPgbench(const std::string& uri, int64_t clients, int64_t seconds) {
  const std::string threads = std::to_string(std::min<int64_t>(clients, 4));
  JCM_ASSIGN_OR_RETURN(const std::string report,
                       Output(Pgbench() + " -n -M prepared -c " + std::to_string(clients) + " -j " +
                              threads + " -T " + std::to_string(seconds) + " " + ShellQuoted(uri)));
  PgbenchFigures figures;
  figures.tps = NumberAfter(report, "tps = ");
  figures.latency_average_ms = NumberAfter(report, "latency average = ");
  figures.transactions =
      static_cast<int64_t>(NumberAfter(report, "number of transactions actually processed: "));
  if (figures.tps <= 0) return core::Internal("no tps in pgbench's report: " + report);
  return figures;
}

}  // namespace jcm::bench
