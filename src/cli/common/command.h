// CommandSpec: one `jcm` command in the command table. Every command module contributes its
// table (cli/commands.h); the composition root (src/app) adds its own (e.g. `bench ledger`,
// which measures a concrete store) and RunCli (cli/cli.h) dispatches through the whole table,
// prints `jcm help` from it, and maps every body's Status through the one Printer.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cli/common/args.h"
#include "cli/common/environment.h"
#include "cli/common/printer.h"
#include "core/date.h"
#include "core/status.h"
#include "store/store.h"

namespace jcm::cli {

// What a command body works with. The body prints its result (or rejection) through `print`
// as its last act and returns OkStatus; an error Status it returns is printed for it.
struct CommandRun {
  const Args& args;
  Environment& env;
  Printer& print;
};

using CommandBody = core::Status (*)(CommandRun& run);

struct CommandSpec {
  std::string_view name;      // one or two words: "transfer", "account open", "bench ledger"
  std::string_view group;     // its heading in `jcm help`: "registry", "MRV", …
  std::string_view summary;   // its line in `jcm help`; empty: covered by its noun's first entry
  std::string_view synopsis;  // `jcm help NOUN` and `jcm NOUN --help` print every synopsis
  // What the command takes; anything else is a usage error (args.h). value_flags: "name" for
  // "--name VALUE" given at most once, "name..." repeatable, "<NAME>" a positional argument.
  std::vector<std::string_view> value_flags;
  std::vector<std::string_view> switches;  // "--name"; every command also takes --json
  CommandBody body;
};

// The store named by --db (InvalidArgument when absent), opened in `mode`: a command that only
// reads opens it kReadOnly, jcm init kCreate, every other command kReadWrite.
core::Result<std::unique_ptr<store::Store>> OpenStore(
    CommandRun& run, store::OpenMode mode = store::OpenMode::kReadWrite);
// --today, or the clock's UTC date. InvalidArgument when --today is after the clock's UTC date:
// the journal dates every event by the clock, and an event dated later would fail its replay.
core::Result<core::Date> Today(CommandRun& run);

}  // namespace jcm::cli
