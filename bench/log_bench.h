// `jcm bench log`: the transparency log at scale (docs/formats/transparency-log.md): appends and
// proofs over a journal of 10^6 entries (by default) in the SQLite store.
#pragma once

#include "cli/common/command.h"

namespace jcm::bench {

cli::CommandSpec LogBenchCommand();

}  // namespace jcm::bench
