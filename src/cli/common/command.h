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
// What a command does with its date: kJournaled commands decide events the journal dates by the
// clock, so their --today may not be after the clock's UTC date (an event decided on a later day
// would fail its replay, check 150); kReadOnly ones (`jcm due`) may look ahead.
enum class DateUse { kJournaled, kReadOnly };
// --today, or the clock's UTC date. InvalidArgument when a kJournaled --today is after the
// clock's UTC date.
core::Result<core::Date> Today(CommandRun& run, DateUse use = DateUse::kJournaled);

}  // namespace jcm::cli
