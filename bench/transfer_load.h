// Internal to `jcm bench ledger`: drives real transfers through store::Store::Submit — every
// numbered check, block split and journal append, acknowledged only once durable.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "bench_stats.h"
#include "core/status.h"
#include "store/store.h"

namespace jcm::bench {

// Opens `holders` entity holding accounts in registry MN through the ledger and issues each
// `units_each` units (one issuance). Returns their account numbers. REQUIRES: an initialised MN.
// 1 <= holders <= ledger::kIssuanceTargetsMax.
core::Result<std::vector<std::string>> SeedHolders(store::Store& store, int64_t holders,
                                                   int64_t units_each);

// The i-th transfer of a run: source and destination account numbers.
using TransferPlan = std::function<std::pair<std::string, std::string>(int64_t i)>;

// Submits transfers 0..transfers-1 of `plan`, `quantity` units each, from `submitters` threads
// (thread t submits i = t, t + submitters, …), and returns transfers/s over the whole run and
// the latency of each Submit. Any rejection or operating error fails the run: the plan must
// only ask for transfers that the ledger accepts.
// REQUIRES: transfers >= 1, submitters >= 1, plan thread-safe.
core::Result<RunFigures> MeasureTransfers(store::Store& store, const TransferPlan& plan,
                                          int64_t transfers, int64_t submitters, int64_t quantity);

// The cost of one transfer in each of two registries, measured alternately (one transfer in the
// first, one in the second, …) by a single submitter so that disk and machine noise falls on both
// alike. Wall time includes the fsync; CPU time is the submitting thread's, which leads every
// write batch when it submits alone: the ledger's checks, SQLite's work and the syscalls.
struct CostSubject {
  store::Store* store = nullptr;
  TransferPlan plan;
};
struct CostFigures {
  RunFigures wall;  // per_s, p50_us, p99_us of each Submit
  double cpu_p50_us = 0;
};
// REQUIRES: transfers >= 1. Any rejection or operating error fails the run.
core::Result<std::pair<CostFigures, CostFigures>> MeasureCostsAlternately(const CostSubject& first,
                                                                          const CostSubject& second,
                                                                          int64_t transfers,
                                                                          int64_t quantity);

}  // namespace jcm::bench
