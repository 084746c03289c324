// `jcm bench log`: a registry whose journal gets N synthetic entries by raw SQL (their hashes are
// distinct hex values: the log hashes only an entry's hash), then the store's migration 11 builds
// the tree through the same LogTree::Append the write path uses (µs per append, rows per append),
// at 10^3 entries and at N; then random inclusion and consistency proofs through the service
// over that SQLite store (µs per proof). Beside it, the append algorithm alone
// (core::merkle::AppendLeaf, over perfect subtrees kept in memory): the time of each of 10^4
// appends to a tree of 10^3 and of N leaves, and the most subtree hashes one append reads.
#include "log_bench.h"

#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>
#include <ostream>
#include <random>
#include <utility>

#include "bench_stats.h"
#include "core/merkle.h"
#include "raw_sql.h"
#include "service/log_service.h"
#include "store/sqlite/sqlite_store.h"

namespace jcm::bench {
namespace {

// The perfect subtrees of a tree held in memory (level j: the hashes of [i·2^j, (i+1)·2^j)),
// counting the reads AppendLeaf makes.
class MemoryTree final : public core::merkle::SubtreeSource {
 public:
  core::Result<core::merkle::Hash> PerfectSubtree(int level, int64_t index) override {
    ++reads_;
    return levels_.at(static_cast<size_t>(level)).at(static_cast<size_t>(index));
  }
  core::Status Append(const core::merkle::Hash& leaf) {
    JCM_ASSIGN_OR_RETURN(auto nodes, core::merkle::AppendLeaf(*this, size_, leaf));
    for (const core::merkle::PerfectNode& node : nodes) {
      if (levels_.size() <= static_cast<size_t>(node.level)) levels_.emplace_back();
      levels_[static_cast<size_t>(node.level)].push_back(node.hash);
    }
    ++size_;
    return core::OkStatus();
  }
  int64_t size() const { return size_; }
  int64_t TakeReads() { return std::exchange(reads_, 0); }

 private:
  std::vector<std::vector<core::merkle::Hash>> levels_;
  int64_t size_ = 0;
  int64_t reads_ = 0;
};

core::merkle::Hash SyntheticLeaf(int64_t i) {
  return core::merkle::LeafHash(std::string_view(reinterpret_cast<const char*>(&i), sizeof i));
}

struct AppendFigures {
  RunFigures time;        // µs per append, each of kTimedAppends appends timed alone
  int64_t reads_max = 0;  // the most subtree hashes one append read
};

constexpr int64_t kTimedAppends = 10'000;

// Grows a tree to `size` leaves, then times each of kTimedAppends more appends.
core::Result<AppendFigures> MeasureAppends(int64_t size) {
  MemoryTree tree;
  for (int64_t i = 0; i < size; ++i) JCM_RETURN_IF_ERROR(tree.Append(SyntheticLeaf(i)));
  tree.TakeReads();
  AppendFigures figures;
  std::vector<double> us;
  const auto started = BenchClock::now();
  for (int64_t i = 0; i < kTimedAppends; ++i) {
    const core::merkle::Hash leaf = SyntheticLeaf(tree.size());
    const auto start = BenchClock::now();
    JCM_RETURN_IF_ERROR(tree.Append(leaf));
    us.push_back(MicrosSince(start));
    figures.reads_max = std::max(figures.reads_max, tree.TakeReads());
  }
  figures.time = Summarise(us, MicrosSince(started) / 1e6);
  return figures;
}

struct LogFigures {
  int64_t entries = 0;
  double append_us = 0;                      // per entry, building the tree of the whole journal
  double append_us_at_1e3 = 0;               // the same for a journal of 10^3 entries
  double rows_per_append = 0;                // log_nodes rows per entry
  AppendFigures memory_at_1e3, memory_at_n;  // AppendLeaf alone
  RunFigures inclusion;    // µs per inclusion proof of a random entry in the whole tree
  RunFigures consistency;  // µs per consistency proof between random sizes
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
      "DROP INDEX blocks_by_itmo; ALTER TABLE blocks DROP COLUMN cooperative_approach; ALTER TABLE "
      "blocks DROP COLUMN itmo_registry; ALTER TABLE blocks DROP COLUMN itmo_first; ALTER TABLE "
      "blocks DROP COLUMN first_transferring_party; ALTER TABLE blocks DROP COLUMN vintage; "
      "DROP TABLE log_nodes; DROP TABLE log_heads; DROP INDEX live_blocks_by_article6; "
      "ALTER TABLE blocks DROP COLUMN article6_authorisation; PRAGMA user_version = 10;";
  core::Status status = SqlExec(db, fill.c_str());
  sqlite3_close(db);
  return status;
}

// µs per entry for migration 11 to build the tree of a journal of `entries` entries.
core::Result<double> BuildTreeUs(const std::string& path, int64_t entries, store::Clock& clock) {
  RemoveDatabase(path);
  JCM_RETURN_IF_ERROR(MakeJournal(path, entries, clock));
  const auto started = BenchClock::now();
  JCM_ASSIGN_OR_RETURN(auto store, store::OpenSqliteStore(path, clock));  // migration 11
  return MicrosSince(started) / static_cast<double>(entries);
}

core::Result<LogFigures> Measure(const std::string& path, int64_t entries, int64_t proofs,
                                 store::Clock& clock) {
  LogFigures figures;
  figures.entries = entries;
  JCM_ASSIGN_OR_RETURN(figures.memory_at_1e3, MeasureAppends(1'000));
  JCM_ASSIGN_OR_RETURN(figures.memory_at_n, MeasureAppends(entries));
  JCM_ASSIGN_OR_RETURN(figures.append_us_at_1e3, BuildTreeUs(path, 1'000, clock));
  JCM_ASSIGN_OR_RETURN(figures.append_us, BuildTreeUs(path, entries, clock));
  JCM_ASSIGN_OR_RETURN(auto store, store::OpenSqliteStore(path, clock));
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
  const AppendFigures& small = figures->memory_at_1e3;
  const AppendFigures& large = figures->memory_at_n;
  run.print.Json(boost::json::object{{"entries", figures->entries},
                                     {"append_us", figures->append_us},
                                     {"append_us_at_1e3", figures->append_us_at_1e3},
                                     {"rows_per_append", figures->rows_per_append},
                                     {"memory_append_us_p50_at_1e3", small.time.p50_us},
                                     {"memory_append_us_p99_at_1e3", small.time.p99_us},
                                     {"memory_append_reads_max_at_1e3", small.reads_max},
                                     {"memory_append_us_p50", large.time.p50_us},
                                     {"memory_append_us_p99", large.time.p99_us},
                                     {"memory_append_reads_max", large.reads_max},
                                     {"inclusion_proof_us_p50", figures->inclusion.p50_us},
                                     {"inclusion_proof_us_p99", figures->inclusion.p99_us},
                                     {"consistency_proof_us_p50", figures->consistency.p50_us},
                                     {"consistency_proof_us_p99", figures->consistency.p99_us}});
  if (!run.print.json()) {
    run.print.out() << "log of " << figures->entries << " entries: append " << figures->append_us
                    << " us (10^3 entries: " << figures->append_us_at_1e3 << " us; "
                    << figures->rows_per_append << " rows/entry); in memory p50 "
                    << large.time.p50_us << " us, p99 " << large.time.p99_us << " us, at most "
                    << large.reads_max << " reads (10^3: p50 " << small.time.p50_us << " us, "
                    << small.reads_max << " reads); inclusion proof p50 "
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
