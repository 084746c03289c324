// jcm bench ledger: the ledger's durable write path against a raw baseline measured in the same
// run on the same disk (docs/cli.md, "jcm bench ledger", lists the figures and targets):
//   (a) baseline_commits_per_s — two UPDATEs + one INSERT committed alone (sqlite_baseline.h);
//       with --db postgresql://…, pgbench's TPC-B at 1 and 32 clients on that server instead
//       (pgbench_baseline.h);
//   (b) transfers_per_s_1 / _32 — real transfers through store::Submit, 1 and 32 submitters;
//   (c) transfer_us_at_1e3_blocks / _1e6_blocks — median cost of one transfer in a registry of
//       10^3 and of 10^6 blocks, same live blocks per account (registry_fixture.h).
#include "ledger_bench.h"

#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>
#include <optional>
#include <ostream>

#include "bench_database.h"
#include "pgbench_baseline.h"
#include "registry_fixture.h"
#include "sqlite_baseline.h"
#include "store/postgres/postgres_store.h"
#include "transfer_load.h"

namespace jcm::bench {
namespace {

class FixedBenchClock : public store::Clock {
 public:
  std::string NowUtc() override { return "2026-01-01T00:00:00Z"; }
};

// How much each part measures. --quick shrinks everything for a smoke test.
struct Sizes {
  int64_t transactions = 2'000;      // (b) with 32 submitters; (a) and (b, 1) run a quarter
  int64_t cost_transfers = 300;      // (c) per registry size
  int64_t small_blocks = 1'000;      // (c)
  int64_t large_blocks = 1'000'000;  // (c)
  bool quick = false;
};
constexpr int64_t kHolders = 64;                 // (b)
constexpr int64_t kUnitsPerHolder = 10'000'000;  // (b): never runs out; the issuance ≤ 10^9
constexpr int64_t kManySubmitters = 32;
constexpr int64_t kLiveBlocksPerAccount = 10;  // (c), in both registries
constexpr int64_t kCostAccounts = 100;         // (c): accounts the transfers touch
constexpr int64_t kTransferQuantity = 10;

struct Figures {
  RunFigures baseline, one, many;
  CostFigures cost_small, cost_large;
  size_t audited_entries = 0;
  double audit_ms = 0;
  std::optional<PgbenchFigures> pgbench_1, pgbench_32;  // with --db postgresql://… only
  // With --db postgresql://…: the WAL the server wrote per transfer of (b) at 32 submitters and
  // per pgbench transaction at 32 clients (pg_current_wal_lsn() before and after each run).
  double wal_bytes_per_transfer_32 = 0, pgbench_wal_bytes_per_tx_32 = 0;
};

// The WAL insert position of the server of `place` in bytes; 0 for an SQLite file.
core::Result<int64_t> WalPosition(const std::string& place) {
  if (!store::IsPostgresUri(place)) return int64_t{0};
  return store::PostgresWalPosition(place);
}

double PerOperation(int64_t bytes, int64_t operations) {
  return static_cast<double>(bytes) / static_cast<double>(std::max<int64_t>(operations, 1));
}

// (b): one registry, seeded through the ledger; 1 then 32 submitters; then a full audit.
core::Status MeasureThroughput(const std::string& path, const Sizes& sizes, Figures& figures) {
  FixedBenchClock clock;
  JCM_RETURN_IF_ERROR(ResetBenchPlace(path));
  JCM_ASSIGN_OR_RETURN(auto store, OpenBenchStore(path, clock));
  JCM_RETURN_IF_ERROR(store->Submit(ledger::InitRegistry{"MN"}).status());
  JCM_ASSIGN_OR_RETURN(auto holders, SeedHolders(*store, kHolders, kUnitsPerHolder));
  // Transfer i: holder i mod n to another holder, the offset cycling through 1..n-1.
  const TransferPlan plan = [&holders](int64_t i) {
    const auto n = static_cast<int64_t>(holders.size());
    const int64_t to = (i + 1 + (i / n) % (n - 1)) % n;
    return std::pair(holders[static_cast<size_t>(i % n)], holders[static_cast<size_t>(to)]);
  };
  JCM_ASSIGN_OR_RETURN(
      figures.one, MeasureTransfers(*store, plan, std::max<int64_t>(sizes.transactions / 4, 1), 1,
                                    kTransferQuantity));
  JCM_ASSIGN_OR_RETURN(const int64_t wal_before, WalPosition(path));
  JCM_ASSIGN_OR_RETURN(figures.many, MeasureTransfers(*store, plan, sizes.transactions,
                                                      kManySubmitters, kTransferQuantity));
  JCM_ASSIGN_OR_RETURN(const int64_t wal_after, WalPosition(path));
  figures.wal_bytes_per_transfer_32 = PerOperation(wal_after - wal_before, figures.many.operations);
  const auto audit_started = BenchClock::now();
  JCM_ASSIGN_OR_RETURN(auto journal, store->ReadJournal(1));
  JCM_ASSIGN_OR_RETURN(auto state, store->ReadState());
  const auto violations = ledger::Audit(journal, state);
  figures.audit_ms = MicrosSince(audit_started) / 1e3;
  figures.audited_entries = journal.size();
  if (!violations.empty()) {
    return core::Internal("audit failed after the bench: " + violations[0].message);
  }
  return core::OkStatus();
}

// (c): a fixture registry of `blocks` blocks and the transfers measured in it.
struct CostRegistry {
  std::vector<std::string> holders;
  std::unique_ptr<store::Store> store;
  TransferPlan plan;
};

// `fixture` is the SQLite file the fixture is built in; `path` where it is measured: the same
// file, or a PostgreSQL schema it is copied into.
core::Status OpenCostRegistry(const std::string& fixture, const std::string& path, int64_t blocks,
                              store::Clock& clock, CostRegistry& registry) {
  const FixtureShape shape{blocks, kLiveBlocksPerAccount, 1'000};
  JCM_ASSIGN_OR_RETURN(registry.holders, BuildRegistryFixture(fixture, shape, clock));
  if (path != fixture) {
    JCM_RETURN_IF_ERROR(CopyFixture(fixture, path, clock));
    RemoveDatabase(fixture);
  }
  JCM_ASSIGN_OR_RETURN(registry.store, OpenBenchStore(path, clock));
  // Transfer i: between two of kCostAccounts accounts spread evenly over the registry (stride 1
  // for 10^3 blocks), each to the next.
  const std::vector<std::string>& holders = registry.holders;
  const auto stride = static_cast<int64_t>(holders.size()) / kCostAccounts;
  registry.plan = [&holders, stride](int64_t i) {
    const auto at = [&](int64_t k) {
      return holders[static_cast<size_t>(k % kCostAccounts * stride)];
    };
    return std::pair(at(i), at(i + 1));
  };
  return core::OkStatus();
}

// (c): median cost of one transfer in the small and the large registry, measured alternately.
struct ScratchPaths {
  std::string baseline, ledger, small, large;
  std::string small_fixture, large_fixture;  // SQLite files; the same as small/large on SQLite
  std::string postgres;  // --db: the server's URI (pgbench's schema), empty on SQLite
};

core::Status MeasureTransferCosts(const ScratchPaths& paths, const Sizes& sizes, Figures& figures) {
  FixedBenchClock clock;
  CostRegistry small, large;
  JCM_RETURN_IF_ERROR(
      OpenCostRegistry(paths.small_fixture, paths.small, sizes.small_blocks, clock, small));
  JCM_RETURN_IF_ERROR(
      OpenCostRegistry(paths.large_fixture, paths.large, sizes.large_blocks, clock, large));
  JCM_ASSIGN_OR_RETURN(
      auto costs,
      MeasureCostsAlternately({small.store.get(), small.plan}, {large.store.get(), large.plan},
                              sizes.cost_transfers, kTransferQuantity));
  figures.cost_small = costs.first;
  figures.cost_large = costs.second;
  return core::OkStatus();
}

// pgbench's TPC-B at 1 and 32 clients in its own schema of the server (scale 32: at least one
// branch row per client, as pgbench's documentation asks), 10 s each (3 s with --quick).
core::Status MeasurePgbench(const std::string& uri, const Sizes& sizes, Figures& figures) {
  const std::string place = SchemaUri(uri, "jcm_bench_pgbench");
  JCM_RETURN_IF_ERROR(ResetBenchPlace(place));
  JCM_RETURN_IF_ERROR(InitPgbench(place, sizes.quick ? 1 : kManySubmitters));
  const int64_t seconds = sizes.quick ? 3 : 10;
  JCM_ASSIGN_OR_RETURN(figures.pgbench_1, RunPgbench(place, 1, seconds));
  JCM_ASSIGN_OR_RETURN(const int64_t wal_before, WalPosition(place));
  JCM_ASSIGN_OR_RETURN(figures.pgbench_32, RunPgbench(place, kManySubmitters, seconds));
  JCM_ASSIGN_OR_RETURN(const int64_t wal_after, WalPosition(place));
  figures.pgbench_wal_bytes_per_tx_32 =
      PerOperation(wal_after - wal_before, figures.pgbench_32->transactions);
  RemoveBenchPlace(place);
  figures.baseline.per_s = figures.pgbench_1->tps;
  figures.baseline.operations = figures.pgbench_1->transactions;
  return core::OkStatus();
}

core::Status MeasureAll(const ScratchPaths& paths, const Sizes& sizes, Figures& figures) {
  if (!paths.postgres.empty()) {
    JCM_RETURN_IF_ERROR(MeasurePgbench(paths.postgres, sizes, figures));
  } else {
    JCM_ASSIGN_OR_RETURN(
        figures.baseline,
        MeasureSqliteBaseline(paths.baseline, std::max<int64_t>(sizes.transactions / 4, 1)));
  }
  JCM_RETURN_IF_ERROR(MeasureThroughput(paths.ledger, sizes, figures));
  return MeasureTransferCosts(paths, sizes, figures);
}

// A ratio of two measured figures against the target for it.
struct Target {
  const char* name;
  double ratio;
  const char* comparison;  // ">=" or "<="
  double bound;
  bool met() const { return comparison[0] == '>' ? ratio >= bound : ratio <= bound; }
};

std::vector<Target> Targets(const Figures& f) {
  if (f.pgbench_32) {
    return {
        {"transfers_per_s_32 / pgbench_tps_32", f.many.per_s / f.pgbench_32->tps, ">=", 2.0},
        {"transfers_per_s_1 / pgbench_tps_1", f.one.per_s / f.pgbench_1->tps, ">=", 0.5},
        {"transfer_us_at_1e6_blocks / transfer_us_at_1e3_blocks",
         f.cost_large.wall.p50_us / f.cost_small.wall.p50_us, "<=", 1.5},
    };
  }
  return {
      {"transfers_per_s_32 / baseline_commits_per_s", f.many.per_s / f.baseline.per_s, ">=", 2.0},
      {"transfers_per_s_1 / baseline_commits_per_s", f.one.per_s / f.baseline.per_s, ">=", 0.5},
      {"transfer_us_at_1e6_blocks / transfer_us_at_1e3_blocks",
       f.cost_large.wall.p50_us / f.cost_small.wall.p50_us, "<=", 1.5},
  };
}

boost::json::object LatencyJson(const RunFigures& r) {
  return {{"operations", r.operations}, {"p50_ms", r.p50_us / 1e3}, {"p99_ms", r.p99_us / 1e3}};
}

constexpr const char* kFixtureNote =
    "the registries of the transfer-cost runs are built directly with SQL in one write batch "
    "(accounts and blocks rows, registry counters consistent), not through the ledger; each "
    "account holds the same number of live blocks in both";

// On PostgreSQL the baseline is pgbench's: its figures replace the SQLite baseline's.
void AddPgbench(const Figures& f, boost::json::object& report) {
  report["store"] = "postgresql synchronous_commit=on";
  report["pgbench_tps_1"] = f.pgbench_1->tps;
  report["pgbench_tps_32"] = f.pgbench_32->tps;
  report["baseline"] = {{"tool", "pgbench TPC-B (built-in script), -M prepared, scale 32"},
                        {"operations", f.pgbench_1->transactions},
                        {"latency_average_ms", f.pgbench_1->latency_average_ms}};
  report["pgbench_32"] = {{"operations", f.pgbench_32->transactions},
                          {"latency_average_ms", f.pgbench_32->latency_average_ms}};
  report["wal_bytes_per_transfer_32"] = f.wal_bytes_per_transfer_32;
  report["pgbench_wal_bytes_per_tx_32"] = f.pgbench_wal_bytes_per_tx_32;
  report["transfer_cost"].as_object()["fixture"] = std::string(kFixtureNote) +
                                                   "; built in SQLite, then copied into "
                                                   "PostgreSQL with Store::Restore";
}

boost::json::object JsonReport(const Figures& f, const Sizes& sizes) {
  boost::json::array targets;
  bool all_met = true;
  for (const Target& t : Targets(f)) {
    targets.push_back({{"ratio_name", t.name},
                       {"ratio", t.ratio},
                       {"target", std::string(t.comparison) + " " + std::to_string(t.bound)},
                       {"met", t.met()}});
    all_met = all_met && t.met();
  }
  boost::json::object report{
      {"benchmark", "ledger"},
      {"store", "sqlite wal synchronous=full"},
      {"quick", sizes.quick},
      {"baseline_commits_per_s", f.baseline.per_s},
      {"baseline", LatencyJson(f.baseline)},
      {"transfers_per_s_1", f.one.per_s},
      {"transfers_1", LatencyJson(f.one)},
      {"transfers_per_s_32", f.many.per_s},
      {"transfers_32", LatencyJson(f.many)},
      {"transfer_us_at_1e3_blocks", f.cost_small.wall.p50_us},
      {"transfer_us_at_1e6_blocks", f.cost_large.wall.p50_us},
      {"transfer_cost",
       {{"small_registry_blocks", sizes.small_blocks},
        {"large_registry_blocks", sizes.large_blocks},
        {"live_blocks_per_account", kLiveBlocksPerAccount},
        {"transfers_each", sizes.cost_transfers},
        {"small_p99_us", f.cost_small.wall.p99_us},
        {"large_p99_us", f.cost_large.wall.p99_us},
        {"small_cpu_p50_us", f.cost_small.cpu_p50_us},
        {"large_cpu_p50_us", f.cost_large.cpu_p50_us},
        {"fixture", kFixtureNote}}},
      {"audit", {{"entries", f.audited_entries}, {"elapsed_ms", f.audit_ms}, {"ok", true}}},
      {"targets", std::move(targets)},
      {"targets_met", all_met}};
  if (f.pgbench_1) AddPgbench(f, report);
  return report;
}

void PrintTextLine(std::ostream& out, const char* label, const RunFigures& r, const char* unit) {
  out << "  " << label << r.per_s << " " << unit << "/s  (p50 " << r.p50_us / 1e3 << " ms, p99 "
      << r.p99_us / 1e3 << " ms, " << r.operations << " ops)\n";
}

void PrintTextReport(const Figures& f, const Sizes& sizes, std::ostream& out) {
  out << "ledger bench: "
      << (f.pgbench_1 ? "PostgreSQL synchronous_commit=on" : "SQLite WAL synchronous=FULL")
      << (sizes.quick ? " (quick sizes)" : "") << "\n";
  if (f.pgbench_1) {
    out << "  (a) pgbench TPC-B: " << f.pgbench_1->tps << " tps at 1 client, " << f.pgbench_32->tps
        << " tps at 32 clients (" << f.pgbench_wal_bytes_per_tx_32
        << " WAL bytes per transaction; the ledger's transfers at 32 submitters: "
        << f.wal_bytes_per_transfer_32 << " per transfer)\n";
  } else {
    PrintTextLine(out, "(a) baseline, 2 updates + 1 insert per commit: ", f.baseline, "commits");
  }
  PrintTextLine(out, "(b) ledger transfers, 1 submitter:             ", f.one, "transfers");
  PrintTextLine(out, "(b) ledger transfers, 32 submitters:           ", f.many, "transfers");
  out << "  (c) one transfer, median: " << f.cost_small.wall.p50_us << " us at "
      << sizes.small_blocks << " blocks, " << f.cost_large.wall.p50_us << " us at "
      << sizes.large_blocks << " blocks (" << kLiveBlocksPerAccount
      << " live blocks per account; CPU " << f.cost_small.cpu_p50_us << " us vs "
      << f.cost_large.cpu_p50_us << " us)\n"
      << "      note: " << kFixtureNote << "\n"
      << "  audit verify of " << f.audited_entries << " entries: ok, " << f.audit_ms << " ms\n";
  for (const Target& t : Targets(f)) {
    out << "  " << t.name << " = " << t.ratio << "  (target " << t.comparison << " " << t.bound
        << "): " << (t.met() ? "met" : "MISSED") << "\n";
  }
}

core::Result<Sizes> ParseSizes(const cli::Args& args) {
  Sizes sizes;
  sizes.quick = args.Has("quick");
  if (sizes.quick) sizes = {200, 40, 1'000, 20'000, true};
  JCM_ASSIGN_OR_RETURN(sizes.transactions, args.RequireInt("transactions", sizes.transactions));
  if (sizes.transactions < 4 || sizes.transactions > 10'000'000) {
    return core::InvalidArgument("--transactions must be between 4 and 10,000,000");
  }
  return sizes;
}

// SQLite files under `prefix`, or with --db postgresql://… schemas of that database (the
// fixtures are still built as SQLite files under `prefix`, then copied).
core::Result<ScratchPaths> PathsOf(const cli::Args& args, const std::string& prefix) {
  ScratchPaths paths{prefix + "-baseline.db",
                     prefix + "-ledger.db",
                     prefix + "-1e3.db",
                     prefix + "-1e6.db",
                     prefix + "-1e3.db",
                     prefix + "-1e6.db",
                     ""};
  const std::optional<std::string> db = args.Get("db");
  if (!db) return paths;
  if (!store::IsPostgresUri(*db)) {
    return core::InvalidArgument("--db wants a postgresql:// URI (without it: SQLite files)");
  }
  paths.postgres = *db;
  paths.ledger = SchemaUri(*db, "jcm_bench_ledger");
  paths.small = SchemaUri(*db, "jcm_bench_small");
  paths.large = SchemaUri(*db, "jcm_bench_large");
  return paths;
}

}  // namespace

core::Status RunLedgerBench(cli::CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(Sizes sizes, ParseSizes(run.args));
  // Without --dir, a private directory under the temp dir, removed afterwards.
  const std::optional<std::string> given_dir = run.args.Get("dir");
  const std::string dir = given_dir.value_or(
      (std::filesystem::temp_directory_path() / ("jcm-bench-ledger-" + std::to_string(::getpid())))
          .string());
  std::error_code dir_error;
  std::filesystem::create_directories(dir, dir_error);
  if (dir_error) return core::NotFound("--dir " + dir + ": " + dir_error.message());
  const std::string prefix = dir + "/jcm-bench-" + std::to_string(::getpid());
  JCM_ASSIGN_OR_RETURN(const ScratchPaths paths, PathsOf(run.args, prefix));
  Figures figures;
  const core::Status status = MeasureAll(paths, sizes, figures);
  for (const std::string* path : {&paths.baseline, &paths.ledger, &paths.small, &paths.large,
                                  &paths.small_fixture, &paths.large_fixture}) {
    RemoveBenchPlace(*path);
  }
  if (!given_dir) std::filesystem::remove_all(dir, dir_error);
  JCM_RETURN_IF_ERROR(status);
  if (run.print.json()) {
    run.print.Json(JsonReport(figures, sizes));
  } else {
    PrintTextReport(figures, sizes, run.print.out());
  }
  return core::OkStatus();
}

cli::CommandSpec LedgerBenchCommand() {
  return {"bench ledger",
          "benchmarks",
          "ledger | mrv: throughput against baselines of the same run",
          "jcm bench ledger [--db postgresql://…] [--transactions N] [--dir DIR] [--quick] "
          "[--json]\n"
          "  Durable transfers/s through the SQLite store against a raw SQLite baseline measured\n"
          "  in the same run on the same disk (docs/cli.md). With --db, through the PostgreSQL\n"
          "  store against pgbench on that server; it drops and uses schemas jcm_bench_*.\n",
          {"db", "transactions", "dir"},
          {"quick"},
          RunLedgerBench};
}

}  // namespace jcm::bench
