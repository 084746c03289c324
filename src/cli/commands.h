// Internal to the CLI: the command tables of each module (BuiltinCommands joins them).
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "approval/state.h"
#include "cli/common/command.h"
#include "service/report_table.h"

namespace jcm::cli {

std::span<const CommandSpec> LedgerCommands();            // ledger_commands.cc
std::span<const CommandSpec> AuditCommands();             // audit_command.cc
std::span<const CommandSpec> MigrateCommands();           // migrate_command.cc
std::span<const CommandSpec> DocumentCommands();          // document_command.cc
std::span<const CommandSpec> CycleCommands();             // cycle/cycle_commands.cc
std::span<const CommandSpec> MrvCommands();               // mrv/mrv_commands.cc
std::span<const CommandSpec> BenchMrvCommands();          // mrv/mrv_commands.cc
std::span<const CommandSpec> ServeCommands();             // serve_command.cc
std::span<const CommandSpec> UserCommands();              // user_commands.cc
std::span<const CommandSpec> ApprovalCommands();          // approval_commands.cc
std::span<const CommandSpec> LogCommands();               // log_commands.cc
std::span<const CommandSpec> VerifyPublicCommands();      // verify_public.cc
std::span<const CommandSpec> ProgrammeCommands();         // programme_commands.cc
std::span<const CommandSpec> Article6Commands();          // article6_commands.cc
std::span<const CommandSpec> Article6CaCommands();        // article6_ca_commands.cc
std::span<const CommandSpec> Article6AefCommands();       // article6_aef_command.cc
std::span<const CommandSpec> ExchangeCommands();          // exchange_commands.cc
std::span<const CommandSpec> ExchangeTransferCommands();  // exchange_transfer_commands.cc
std::span<const CommandSpec> ReportCommands();            // report_commands.cc

// The delays and lifetime of four-eyes approval from --trusted-delay, --transfer-delay and
// --proposal-lifetime (seconds; defaults approval::Policy's), for `jcm tx`, `jcm trusted` and
// `jcm serve`. InvalidArgument when negative (a lifetime below 1 s).
core::Result<approval::Policy> ApprovalPolicyOf(const Args& args);

// `tables` written where --csv FILE ('-': standard output) and --xlsx FILE say, then the JSON
// document (service/tables/tables.h) with --json, else the tables as text unless the CSV went
// to standard output (report_commands.cc; `jcm report …`).
// `bytes` written to `path` (created or truncated); Unavailable when it cannot be.
core::Status WriteFile(const std::string& path, const std::string& bytes);

core::Status EmitTables(CommandRun& run, std::string_view report,
                        const std::vector<service::Table>& tables);
}  // namespace jcm::cli
