// `jcm bench ledger`: durable transfers per second through the SQLite store, against baselines
// measured in the same run. Options and JSON fields: docs/cli.md. It measures a concrete store,
// so the composition root (src/app) adds it to the command table.
#pragma once

#include "cli/common/command.h"

namespace jcm::bench {

// The command-table entry; its body prints the figures (JSON with --json) or an error Status.
cli::CommandSpec LedgerBenchCommand();

}  // namespace jcm::bench
