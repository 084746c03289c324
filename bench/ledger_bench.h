// `jcm bench ledger`: durable transfers per second through the SQLite store, against baselines
// measured in the same run. Options and JSON fields: docs/cli.md.
#pragma once

#include <iosfwd>
#include <span>
#include <string_view>

namespace jcm::bench {

// argv after "jcm bench ledger"; returns the exit status.
int RunLedgerBench(std::span<const std::string_view> argv, std::ostream& out, std::ostream& err);

}  // namespace jcm::bench
