// The `jcm` command line: argv → the same use cases the API will serve; thin by design.
//
// Exit statuses (docs/cli.md): 0 success; 1 operating error (unreadable database, I/O);
// 2 usage error (unknown command or option, malformed value); 3 business rejection (a numbered
// check failed; nothing changed); 4 audit found violations.
#pragma once

#include <functional>
#include <iosfwd>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "core/status.h"
#include "store/store.h"

namespace jcm::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitRejected = 3;
inline constexpr int kExitAuditFailed = 4;

// What the composition root (src/app) provides: how to open a store, and the streams.
struct Environment {
  std::function<core::Result<std::unique_ptr<store::Store>>(const std::string& path)> open_store;
  // `jcm bench ledger` (bench/ledger_bench.cc): argv after "bench ledger" → exit status. It
  // measures the concrete store, so the composition root provides it.
  std::function<int(std::span<const std::string_view> args, std::ostream& out, std::ostream& err)>
      bench_ledger;
  std::ostream& out;
  std::ostream& err;
};

// args excludes the program name.
int RunCli(std::span<const std::string_view> args, Environment& env);

}  // namespace jcm::cli
