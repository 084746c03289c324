// jcm bench ledger: committed transfers per second through the real SQLite store, with group
// commit against the baseline of one write batch (one fsync) per transaction, measured in the
// same run on the same machine (performance-reliability.md §6.1).
#include "bench/ledger_bench.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <ostream>
#include <random>
#include <thread>

#include "cli/args.h"
#include "cli/output.h"
#include "store/sqlite/sqlite_store.h"

namespace jcm::bench {
namespace {

using cli::Args;
using cli::PrintJson;

class BenchClock : public store::Clock {
 public:
  std::string NowUtc() override { return "2026-01-01T00:00:00Z"; }
};

using Clock = std::chrono::steady_clock;

struct RunFigures {
  double tx_per_s = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  int64_t accepted = 0;
  int64_t rejected = 0;
  double audit_ms = 0;
  size_t journal_entries = 0;
};

core::Result<std::vector<std::string>> Setup(store::Store& store, int64_t accounts) {
  JCM_RETURN_IF_ERROR(store.Submit(ledger::InitRegistry{"MN"}).status());
  std::vector<std::string> numbers;
  ledger::TransactionRequest issue;
  issue.type = ledger::TransactionType::kIssuance;
  issue.registry = "MN";
  issue.project = "MN003";
  issue.period = "2017-08-26..2018-05-31";
  issue.authorization = ledger::Authorization::kNdc;
  for (int64_t i = 0; i < accounts; ++i) {
    JCM_ASSIGN_OR_RETURN(
        store::Outcome opened,
        store.Submit(ledger::OpenAccount{"MN",
                                         ledger::AccountType::kEntityHolding,
                                         {"Bench holder " + std::to_string(i), "", "", "", ""},
                                         ""}));
    numbers.emplace_back(opened.entry.body.Find("account").value_or(""));
    issue.targets.push_back({numbers.back(), 1'000'000});
  }
  JCM_RETURN_IF_ERROR(store.Submit(issue).status());
  return numbers;
}

core::Result<RunFigures> RunOnce(const std::string& path, int64_t batch_max, int64_t transactions,
                                 int64_t threads, int64_t accounts) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  static BenchClock clock;
  store::SqliteOptions options;
  options.batch_commands_max = batch_max;
  JCM_ASSIGN_OR_RETURN(auto store, store::OpenSqliteStore(path, clock, options));
  JCM_ASSIGN_OR_RETURN(std::vector<std::string> numbers, Setup(*store, accounts));
  std::vector<std::vector<double>> latencies(static_cast<size_t>(threads));
  std::atomic<int64_t> accepted{0}, rejected{0}, failed{0};
  const auto started = Clock::now();
  std::vector<std::thread> workers;
  for (int64_t t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      std::mt19937_64 random(static_cast<uint64_t>(t) + 1);
      auto& mine = latencies[static_cast<size_t>(t)];
      for (int64_t i = t; i < transactions; i += threads) {
        ledger::TransactionRequest r;
        r.type = ledger::TransactionType::kInternalTransfer;
        r.from = numbers[random() % numbers.size()];
        r.to = numbers[random() % numbers.size()];
        r.quantity = static_cast<int64_t>(random() % 10) + 1;
        const auto begin = Clock::now();
        auto out = store->Submit(r);
        mine.push_back(std::chrono::duration<double, std::milli>(Clock::now() - begin).count());
        if (!out.ok()) {
          ++failed;
        } else if (out->rejection) {
          ++rejected;  // e.g. same_account when both ends drew the same holder
        } else {
          ++accepted;
        }
      }
    });
  }
  for (auto& w : workers) w.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  if (failed > 0) return core::Internal(std::to_string(failed.load()) + " submissions failed");
  std::vector<double> all;
  for (const auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  RunFigures figures;
  figures.tx_per_s = static_cast<double>(transactions) / seconds;
  figures.p50_ms = all[all.size() / 2];
  figures.p99_ms = all[all.size() * 99 / 100];
  figures.accepted = accepted;
  figures.rejected = rejected;
  const auto audit_start = Clock::now();
  JCM_ASSIGN_OR_RETURN(auto journal, store->ReadJournal(1));
  JCM_ASSIGN_OR_RETURN(auto state, store->ReadState());
  const auto violations = ledger::Audit(journal, state);
  figures.audit_ms = std::chrono::duration<double, std::milli>(Clock::now() - audit_start).count();
  figures.journal_entries = journal.size();
  if (!violations.empty())
    return core::Internal("audit failed after the bench: " + violations[0].message);
  return figures;
}

boost::json::object FiguresJson(const RunFigures& f) {
  return {{"tx_per_s", f.tx_per_s},
          {"p50_ms", f.p50_ms},
          {"p99_ms", f.p99_ms},
          {"accepted", f.accepted},
          {"rejected", f.rejected},
          {"audit_ms", f.audit_ms},
          {"journal_entries", f.journal_entries}};
}

}  // namespace

int RunLedgerBench(std::span<const std::string_view> argv, std::ostream& out, std::ostream& err) {
  auto report_error = [&](const core::Status& status) {
    err << "jcm bench ledger: " << status.ToString() << "\n";
    return status.code() == core::StatusCode::kInvalidArgument ? 2 : 1;
  };
  auto args = Args::Parse(argv, {"transactions", "threads", "accounts", "dir"});
  if (!args.ok()) return report_error(args.status());
  const bool as_json = args->Has("json");
  auto transactions = args->RequireInt("transactions", 4000);
  auto threads = args->RequireInt("threads", 16);
  auto accounts = args->RequireInt("accounts", 64);
  if (!transactions.ok() || !threads.ok() || !accounts.ok() || *transactions < 1 || *threads < 1 ||
      *threads > 256 || *accounts < 2 || *accounts > ledger::kIssuanceTargetsMax) {
    return report_error(
        core::InvalidArgument("--transactions ≥ 1, 1 ≤ --threads ≤ 256, "
                              "2 ≤ --accounts ≤ 100"));
  }
  const std::string dir =
      args->Get("dir").value_or(std::filesystem::temp_directory_path().string());
  const std::string path = dir + "/jcm-bench-ledger-" + std::to_string(::getpid()) + ".db";
  // The baseline runs a quarter of the transactions: one fsync each is slow by design.
  auto baseline = RunOnce(path, 1, std::max<int64_t>(*transactions / 4, 1), *threads, *accounts);
  if (!baseline.ok()) return report_error(baseline.status());
  auto grouped = RunOnce(path, 256, *transactions, *threads, *accounts);
  if (!grouped.ok()) return report_error(grouped.status());
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  const double ratio = grouped->tx_per_s / baseline->tx_per_s;
  if (as_json) {
    PrintJson(boost::json::object{{"benchmark", "ledger"},
                                  {"store", "sqlite wal synchronous=full"},
                                  {"transactions", *transactions},
                                  {"threads", *threads},
                                  {"group_commit", FiguresJson(*grouped)},
                                  {"baseline_one_fsync_per_transaction", FiguresJson(*baseline)},
                                  {"speedup", ratio}},
              out);
  } else {
    out << "ledger bench: " << *transactions << " transfers, " << *threads
        << " submitters, SQLite WAL synchronous=FULL\n"
        << "  group commit:            " << grouped->tx_per_s << " tx/s, p50 " << grouped->p50_ms
        << " ms, p99 " << grouped->p99_ms << " ms\n"
        << "  baseline (1 fsync each): " << baseline->tx_per_s << " tx/s, p50 " << baseline->p50_ms
        << " ms, p99 " << baseline->p99_ms << " ms\n"
        << "  speedup: " << ratio << "x; audit verify of " << grouped->journal_entries
        << " entries: " << grouped->audit_ms << " ms\n";
  }
  return 0;
}

}  // namespace jcm::bench
