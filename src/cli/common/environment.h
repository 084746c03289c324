// Environment: what the composition root (src/app) gives every command: how to open a store,
// the clock, and the output streams. Commands never name a concrete store or the system clock,
// so tests run them against any store and a fixed time.
#pragma once

#include <functional>
#include <iosfwd>
#include <memory>
#include <string>

#include "core/status.h"
#include "store/store.h"

namespace jcm::cli {

struct Environment {
  // Opens the registry at `path` in `mode` (store.h OpenMode: only jcm init creates one).
  std::function<core::Result<std::unique_ptr<store::Store>>(const std::string& path,
                                                            store::OpenMode mode)>
      open_store;
  store::Clock& clock;
  std::ostream& out;
  std::ostream& err;
};

}  // namespace jcm::cli
