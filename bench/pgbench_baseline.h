// Internal to `jcm bench ledger --db postgresql://…`: the PostgreSQL baseline of the same run,
// Debian's `pgbench` (package postgresql-15) running its built-in TPC-B-like script (five
// statements: three UPDATEs, a SELECT, an INSERT, committed together) against the same server.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"

namespace jcm::bench {

struct PgbenchFigures {
  double tps = 0;                 // transactions per second (pgbench's "tps", without initial
                                  // connection time)
  double latency_average_ms = 0;  // pgbench's "latency average"
  int64_t transactions = 0;       // "number of transactions actually processed"
};

// `pgbench -i -s scale -q` on the database `uri` names: drops and creates its pgbench_* tables
// in the connection's schema (only those). `scale` >= the largest client count, as pgbench's
// documentation asks, so that clients do not all queue on one branch row.
core::Status InitPgbench(const std::string& uri, int64_t scale);

// `pgbench -n -M prepared -c clients -j min(clients, 4) -T seconds` on `uri`.
core::Result<PgbenchFigures> RunPgbench(const std::string& uri, int64_t clients, int64_t seconds);

}  // namespace jcm::bench
