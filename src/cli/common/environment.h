// Environment: what the composition root (src/app) gives every command: how to open a store,
// the clock, and the output streams. Commands never name a concrete store or the system clock,
// so tests run them against any store and a fixed time.
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

struct Environment {
  std::function<core::Result<std::unique_ptr<store::Store>>(const std::string& path)> open_store;
  // `jcm bench ledger` (bench/ledger_bench.cc): argv after "bench ledger" → exit status. It
  // measures the concrete store, so the composition root provides it.
  std::function<int(std::span<const std::string_view> args, std::ostream& out, std::ostream& err)>
      bench_ledger;
  store::Clock& clock;
  std::ostream& out;
  std::ostream& err;
};

}  // namespace jcm::cli
