#include "transfer_load.h"

#include <time.h>

#include <atomic>
#include <mutex>
#include <thread>

namespace jcm::bench {
namespace {

ledger::TransactionRequest Transfer(std::pair<std::string, std::string> ends, int64_t quantity) {
  ledger::TransactionRequest request;
  request.type = ledger::TransactionType::kInternalTransfer;
  request.from = std::move(ends.first);
  request.to = std::move(ends.second);
  request.quantity = quantity;
  return request;
}

// The first failure of a run, shared by its submitter threads.
class FirstFailure {
 public:
  void Record(core::Status status) {
    std::lock_guard lock(mu_);
    if (status_.ok()) status_ = std::move(status);
    failed_ = true;
  }
  bool failed() const { return failed_; }
  core::Status status() {
    std::lock_guard lock(mu_);
    return status_;
  }

 private:
  std::mutex mu_;
  core::Status status_;
  std::atomic<bool> failed_{false};
};

double ThreadCpuMicros() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) * 1e6 + static_cast<double>(now.tv_nsec) / 1e3;
}

// One accepted transfer; its wall and CPU microseconds are appended to the samples.
core::Status TimedTransfer(const CostSubject& subject, int64_t i, int64_t quantity,
                           std::vector<double>& wall_us, std::vector<double>& cpu_us) {
  const ledger::TransactionRequest request = Transfer(subject.plan(i), quantity);
  const double cpu_start = ThreadCpuMicros();
  const auto begin = BenchClock::now();
  JCM_ASSIGN_OR_RETURN(store::Outcome outcome, subject.store->Submit(request));
  wall_us.push_back(MicrosSince(begin));
  cpu_us.push_back(ThreadCpuMicros() - cpu_start);
  if (outcome.rejection) {
    return core::Internal("bench transfer " + std::to_string(i) +
                          " rejected: " + outcome.rejection->message);
  }
  return core::OkStatus();
}

CostFigures SummariseCost(std::vector<double> wall_us, std::vector<double> cpu_us,
                          double elapsed_s) {
  CostFigures figures;
  figures.cpu_p50_us = Summarise(std::move(cpu_us), elapsed_s).p50_us;
  figures.wall = Summarise(std::move(wall_us), elapsed_s);
  return figures;
}

}  // namespace

core::Result<std::pair<CostFigures, CostFigures>> MeasureCostsAlternately(const CostSubject& first,
                                                                          const CostSubject& second,
                                                                          int64_t transfers,
                                                                          int64_t quantity) {
  std::vector<double> wall_us[2], cpu_us[2];
  const auto started = BenchClock::now();
  for (int64_t i = 0; i < transfers; ++i) {
    JCM_RETURN_IF_ERROR(TimedTransfer(first, i, quantity, wall_us[0], cpu_us[0]));
    JCM_RETURN_IF_ERROR(TimedTransfer(second, i, quantity, wall_us[1], cpu_us[1]));
  }
  const double elapsed_s = MicrosSince(started) / 1e6 / 2;
  return std::pair(SummariseCost(std::move(wall_us[0]), std::move(cpu_us[0]), elapsed_s),
                   SummariseCost(std::move(wall_us[1]), std::move(cpu_us[1]), elapsed_s));
}

core::Result<std::vector<std::string>> SeedHolders(store::Store& store, int64_t holders,
                                                   int64_t units_each) {
  std::vector<std::string> numbers;
  ledger::TransactionRequest issue;
  issue.type = ledger::TransactionType::kIssuance;
  issue.registry = "MN";
  issue.project = "MN003";
  issue.period = "2017-08-26..2018-05-31";
  issue.authorization = ledger::Authorization::kNdc;
  // The benchmark measures transfers, not the project cycle: its units are an import.
  issue.import_source = "bench/transfer_load.cc";
  issue.import_line = 1;
  for (int64_t i = 0; i < holders; ++i) {
    ledger::OpenAccount open{"MN", ledger::AccountType::kEntityHolding,
                             ledger::Holder{"Bench holder " + std::to_string(i), "", "", "", ""},
                             ""};
    JCM_ASSIGN_OR_RETURN(store::Outcome opened, store.Submit(open));
    if (opened.rejection) return core::Internal("bench account: " + opened.rejection->message);
    numbers.emplace_back(opened.entry.body.Find("account").value_or(""));
    issue.targets.push_back({numbers.back(), units_each});
  }
  JCM_ASSIGN_OR_RETURN(store::Outcome issued, store.Submit(issue));
  if (issued.rejection) return core::Internal("bench issuance: " + issued.rejection->message);
  return numbers;
}

core::Result<RunFigures> MeasureTransfers(store::Store& store, const TransferPlan& plan,
                                          int64_t transfers, int64_t submitters, int64_t quantity) {
  std::vector<std::vector<double>> latencies_us(static_cast<size_t>(submitters));
  FirstFailure failure;
  auto submit_share = [&](int64_t thread) {
    auto& mine = latencies_us[static_cast<size_t>(thread)];
    for (int64_t i = thread; i < transfers && !failure.failed(); i += submitters) {
      const ledger::TransactionRequest request = Transfer(plan(i), quantity);
      const auto begin = BenchClock::now();
      auto outcome = store.Submit(request);
      mine.push_back(MicrosSince(begin));
      if (!outcome.ok()) {
        failure.Record(outcome.status());
      } else if (outcome->rejection) {
        failure.Record(core::Internal("bench transfer " + std::to_string(i) +
                                      " rejected: " + outcome->rejection->message));
      }
    }
  };
  const auto started = BenchClock::now();
  std::vector<std::thread> threads;
  for (int64_t t = 0; t < submitters; ++t) threads.emplace_back(submit_share, t);
  for (std::thread& thread : threads) thread.join();
  const double elapsed_s = MicrosSince(started) / 1e6;
  if (failure.failed()) return failure.status();
  std::vector<double> all;
  for (const auto& mine : latencies_us) all.insert(all.end(), mine.begin(), mine.end());
  return Summarise(std::move(all), elapsed_s);
}

}  // namespace jcm::bench
