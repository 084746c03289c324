// Internal to the CLI: the JSON and text shapes of results (docs/cli.md). The JSON field names
// listed in docs/cli.md are a contract: add fields freely, never rename these.
#pragma once

#include <boost/json.hpp>
#include <iosfwd>

#include "cli/cli.h"
#include "cli/common/json_print.h"
#include "ledger/audit.h"
#include "ledger/check_code.h"
#include "ledger/types.h"
#include "store/store.h"

namespace jcm::cli {

boost::json::object BlockJson(const ledger::UnitBlock& block);
boost::json::object AccountJson(const ledger::Account& account);

// Prints a committed transaction (the blocks that reached the destination) or a rejection, and
// returns the exit status.
int ReportOutcome(const store::Outcome& outcome, bool json, Environment& env);
// Prints an operating error; returns kExitError (kExitUsage for InvalidArgument).
int ReportError(const core::Status& status, bool json, Environment& env);

}  // namespace jcm::cli
