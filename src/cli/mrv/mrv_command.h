// `jcm mrv …` and `jcm bench mrv`: the command-line face of the MRV engine (src/mrv).
//
//   jcm mrv methodologies [--json] [--methodologies DIR]
//   jcm mrv show ID[@VERSION] [--json] [--methodologies DIR]
//   jcm mrv calc --methodology ID[@VERSION] --params FILE --data FILE [--data FILE …]
//                [--period START..END] [--report-xlsx OUT.xlsx] [--report-csv OUT.csv]
//                [--threads N] [--json] [--methodologies DIR]
//   jcm bench mrv [--bytes N | --points N] [--keep] [--dir DIR]
//
// Methodology directory search order: --methodologies DIR, $JCM_METHODOLOGIES,
// $JCM_SOURCE_DIR/methodologies, <directory of the executable>/../../methodologies, the same
// two levels further up (build/<dir>/src/app/jcm), ./methodologies (docs/mrv.md).
// Exit codes: 0 ok, 2 usage error, 1 operating error (message with FILE:LINE:COLUMN on err).
#pragma once

#include <ostream>
#include <span>
#include <string_view>

namespace jcm::cli {

// argv after "jcm mrv" (e.g. {"calc","--methodology",…}); returns the process exit code.
int RunMrvCommand(std::span<const std::string_view> args, std::ostream& out, std::ostream& err);
// argv after "jcm bench mrv".
int RunBenchMrv(std::span<const std::string_view> args, std::ostream& out, std::ostream& err);

}  // namespace jcm::cli
