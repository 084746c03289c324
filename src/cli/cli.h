// The `jcm` command line: argv → a command of the table → the service → the printer. Thin by
// design: the use cases live in src/service, the JSON shapes in src/service/json, the exit
// statuses and the --json contract in cli/common/printer.h (docs/cli.md).
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "cli/common/command.h"
#include "cli/common/environment.h"

namespace jcm::cli {

// Every command of the cli modules: registry, audit, documents, MRV, project cycle, bench mrv.
std::vector<CommandSpec> BuiltinCommands();

// Runs argv (without the program name) through `commands`; returns the exit status.
int RunCli(std::span<const std::string_view> args, Environment& env,
           std::span<const CommandSpec> commands);

// `jcm help`: the command list, grouped; and one noun's synopses (empty when unknown).
std::string UsageText(std::span<const CommandSpec> commands);
std::string CommandHelp(std::span<const CommandSpec> commands, std::string_view noun);

}  // namespace jcm::cli
