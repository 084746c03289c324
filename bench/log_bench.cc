// `jcm bench log`: a registry whose journal gets N synthetic entries by raw SQL (their hashes are
// distinct hex values: the log hashes only an entry's hash), then the store's migration 11 builds
// the tree through the same LogTree::Append the write path uses (appends/s, rows per append),
// then random inclusion and consistency proofs through the service (µs per proof).
#include "log_bench.h"

#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>
#include <ostream>
#include <random>

#include "bench_stats.h"
#include "raw_sql.h"
#include "service/log_service.h"
#include "store/sqlite/sqlite_store.h"

namespace jcm::bench {
namespace {

struct LogFigures {
  int64_t entries = 0;
  double append_us = 0;        // per entry, building the tree of the whole journal
  double rows_per_append = 0;  // log_nodes rows per entry
  RunFigures inclusion;        // µs per inclusion proof of a random entry in the whole tree
  RunFigures consistency;      // µs per consistency proof between random sizes
};

// A registry with `entries` journal entries, its tree dropped so that opening it rebuilds it.
core::Status MakeJournal(const std::string& path, int64_t entries, store::Clock& clock) {
  {
    JCM_ASSIGN_OR_RETURN(auto created,
                         store::OpenSqliteStore(path, clock, {.mode = store::OpenMode::kCreate}));
  }
  sqlite3* db = nullptr;
  JCM_RETURN_IF_ERROR(SqlStatus(db, sqlite3_open(path.c_str(), &db), "open"));
  const std::string fill =
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " +
      std::to_string(entries) +
      ") INSERT INTO journal SELECT i, '2026-11-30T00:00:00Z', 'bench.entry', '', "
      "printf('%064x', i - 1), printf('%064x', i) FROM n; "
      "DROP TABLE log_nodes; DROP TABLE log_heads; PRAGMA user_version = 10;";
  core::Status status = SqlExec(db, fill.c_str());
  sqlite3_close(db);
  return status;
}

core::Result<LogFigures> Measure(const std::string& path, int64_t entries, int64_t proofs,
                                 store::Clock& clock) {
  LogFigures figures;
  figures.entries = entries;
  JCM_RETURN_IF_ERROR(MakeJournal(path, entries, clock));
  const auto started = BenchClock::now();
  JCM_ASSIGN_OR_RETURN(auto store, store::OpenSqliteStore(path, clock));  // migration 11
  figures.append_us = MicrosSince(started) / static_cast<double>(entries);
  JCM_ASSIGN_OR_RETURN(int64_t size, store->LogTreeSize());
  if (size != entries) return core::Internal("the tree does not cover the journal");
  int64_t nodes = 0;
  for (int level = 0; (int64_t{1} << level) <= size; ++level) nodes += size >> level;
  figures.rows_per_append = static_cast<double>(nodes) / static_cast<double>(entries);
  std::mt19937_64 random(16);
  std::uniform_int_distribution<int64_t> seq(1, size);
  std::vector<double> inclusion_us, consistency_us;
  const auto proofs_started = BenchClock::now();
  for (int64_t i = 0; i < proofs; ++i) {
    const auto start = BenchClock::now();
    JCM_ASSIGN_OR_RETURN(auto proof, service::ProveInclusion(*store, seq(random), std::nullopt));
    inclusion_us.push_back(MicrosSince(start));
  }
  figures.inclusion = Summarise(inclusion_us, MicrosSince(proofs_started) / 1e6);
  const auto consistency_started = BenchClock::now();
  for (int64_t i = 0; i < proofs; ++i) {
    const int64_t from = seq(random);
    const auto start = BenchClock::now();
    JCM_ASSIGN_OR_RETURN(auto proof, service::ProveConsistency(*store, from, size));
    consistency_us.push_back(MicrosSince(start));
  }
  figures.consistency = Summarise(consistency_us, MicrosSince(consistency_started) / 1e6);
  return figures;
}

core::Status RunLogBench(cli::CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(int64_t entries, run.args.RequireInt("entries", 1'000'000));
  JCM_ASSIGN_OR_RETURN(int64_t proofs, run.args.RequireInt("proofs", 10'000));
  if (entries < 1 || proofs < 1) return core::InvalidArgument("--entries and --proofs >= 1");
  const std::string dir =
      run.args.Get("dir").value_or(std::filesystem::temp_directory_path().string());
  const std::string path = dir + "/jcm-bench-log-" + std::to_string(::getpid()) + ".db";
  RemoveDatabase(path);
  core::Result<LogFigures> figures = Measure(path, entries, proofs, run.env.clock);
  RemoveDatabase(path);
  if (!figures.ok()) return figures.status();
  run.print.Json(boost::json::object{{"entries", figures->entries},
                                     {"append_us", figures->append_us},
                                     {"rows_per_append", figures->rows_per_append},
                                     {"inclusion_proof_us_p50", figures->inclusion.p50_us},
                                     {"inclusion_proof_us_p99", figures->inclusion.p99_us},
                                     {"consistency_proof_us_p50", figures->consistency.p50_us},
                                     {"consistency_proof_us_p99", figures->consistency.p99_us}});
  if (!run.print.json()) {
    run.print.out() << "log of " << figures->entries << " entries: append " << figures->append_us
                    << " us (" << figures->rows_per_append << " rows/entry); inclusion proof p50 "
                    << figures->inclusion.p50_us << " us, p99 " << figures->inclusion.p99_us
                    << " us; consistency proof p50 " << figures->consistency.p50_us << " us, p99 "
                    << figures->consistency.p99_us << " us\n";
  }
  return core::OkStatus();
}

}  // namespace

cli::CommandSpec LogBenchCommand() {
  return {"bench log",
          "benchmarks",
          "",
          "jcm bench log [--entries N] [--proofs N] [--dir DIR] [--json]\n"
          "  The transparency log over a journal of N (default 10^6) synthetic entries: the\n"
          "  time per append (building the tree) and per inclusion / consistency proof.\n",
          {"entries", "proofs", "dir"},
          {},
          RunLogBench};
}

}  // namespace jcm::bench
