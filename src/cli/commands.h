// Internal to the CLI: the command tables of each module (BuiltinCommands joins them).
#pragma once

#include <span>

#include "cli/common/command.h"

namespace jcm::cli {

std::span<const CommandSpec> LedgerCommands();    // ledger_commands.cc
std::span<const CommandSpec> AuditCommands();     // audit_command.cc
std::span<const CommandSpec> MigrateCommands();   // migrate_command.cc
std::span<const CommandSpec> DocumentCommands();  // document_command.cc
std::span<const CommandSpec> CycleCommands();     // cycle/cycle_commands.cc
std::span<const CommandSpec> MrvCommands();       // mrv/mrv_commands.cc
std::span<const CommandSpec> BenchMrvCommands();  // mrv/mrv_commands.cc
std::span<const CommandSpec> ServeCommands();     // serve_command.cc
std::span<const CommandSpec> UserCommands();      // user_commands.cc

}  // namespace jcm::cli
