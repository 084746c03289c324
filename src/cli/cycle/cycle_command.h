// The project-cycle commands of `jcm` (docs/cli.md, "Project cycle"): import, project, registry,
// due, party, org, tpe, jc, methodology, pin, pdd, validation, registration, monitoring,
// verification, issuance.
//
// Each run rebuilds the cycle State by replaying the journal's "cycle.*" events, runs
// cycle::Decide, and appends the accepted Event to the same hash-chained journal as the ledger's
// transactions. Executing an issuance decision on a side also submits the ledger issuance that
// references the decision; the ledger's checks stay authoritative for the units.
#pragma once

#include <iosfwd>
#include <span>
#include <string_view>

#include "cli/common/environment.h"

namespace jcm::cli {

// Returned when `verb` is not a project-cycle command (the dispatcher tries others).
inline constexpr int kCycleCommandUnknown = -1;

// args excludes the verb. Exit statuses as in cli.h: 0 ok, 1 error, 2 usage, 3 rejected.
int RunCycleCommand(std::string_view verb, std::span<const std::string_view> args,
                    Environment& env);

}  // namespace jcm::cli
