// `jcm bench api`: the HTTP API's public GET throughput against nginx serving the same bytes as
// a static file in the same run, with wrk as the load generator for both (docs/api.md,
// "Benchmark", lists the figures and targets). It runs `jcm serve` as a child of this binary,
// so the composition root (src/app) adds it to the command table.
#pragma once

#include "cli/common/command.h"

namespace jcm::bench {

// The command-table entry; its body prints the figures (JSON with --json) or an error Status.
cli::CommandSpec ApiBenchCommand();

}  // namespace jcm::bench
