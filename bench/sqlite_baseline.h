// The raw SQLite baseline of `jcm bench ledger` (docs/cli.md, figure (a); shaped
// like a transfer): a transaction of two UPDATEs (debit, credit) and one 200-byte INSERT,
// committed alone, in WAL mode with synchronous=FULL: one fsync per commit, nothing else. It is
// the floor the ledger's durable write path is compared against, measured on the same disk in
// the same run.
#pragma once

#include <string>

#include "bench_stats.h"
#include "core/status.h"

namespace jcm::bench {

// Creates a scratch database at `path` (removed before and after), commits `commits`
// transactions one after another and returns commits/s and per-commit latency.
// REQUIRES: commits >= 1.
core::Result<RunFigures> MeasureSqliteBaseline(const std::string& path, int64_t commits);

}  // namespace jcm::bench
