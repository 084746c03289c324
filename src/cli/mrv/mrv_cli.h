// Internal to src/cli/mrv: the MRV commands' shared text renderings.
#pragma once

#include <ostream>

#include "cli/common/command.h"
#include "mrv/calculator.h"
#include "mrv/methodology.h"

namespace jcm::cli::mrv_cli {

void PrintMethodology(const mrv::Methodology& m, std::ostream& out);
void PrintReport(const mrv::CalcReport& report, std::ostream& out);

// `jcm mrv recompute` (recompute_command.cc).
core::Status Recompute(CommandRun& run);

// `jcm bench mrv` (bench_mrv.cc).
core::Status BenchMrv(CommandRun& run);

}  // namespace jcm::cli::mrv_cli
