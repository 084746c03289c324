#include "cli/cli.h"

#include <algorithm>
#include <ostream>

#include "cli/commands.h"
#include "core/text.h"

namespace jcm::cli {
namespace {

constexpr std::string_view kUsageHeader =
    "usage: jcm COMMAND [options]      jcm help COMMAND, or COMMAND --help, for one command\n";
constexpr std::string_view kUsageFooter =
    "\nEvery command takes --json: exactly one JSON document on stdout, whatever the outcome.\n"
    "Mutating commands take --key K (an idempotency key: a retry with the same key returns the\n"
    "first result and applies nothing; the same key with other content is rejected by check 1).\n"
    "Exit status: 0 ok, 1 operating error, 2 usage error, 3 rejected by a numbered check,\n"
    "4 audit found violations. Full reference: docs/cli.md; the checks: docs/checks.md.\n";

std::string_view Noun(std::string_view name) { return name.substr(0, name.find(' ')); }

// " --db V --to V… … --json": what `spec` takes, for `jcm help NOUN`.
std::string OptionList(const CommandSpec& spec) {
  std::string text;
  for (std::string_view declaration : spec.value_flags) {
    if (IsPositional(declaration)) {
      text += " " + std::string(declaration.substr(1, declaration.size() - 2));
    } else {
      text += " --" + std::string(DeclaredName(declaration)) +
              (IsRepeatable(declaration) ? " V…" : " V");
    }
  }
  for (std::string_view name : spec.switches) text += " --" + std::string(name);
  return text + " --json";
}

// The words of `name` match the start of argv.
bool Matches(std::string_view name, std::span<const std::string_view> args, size_t* words) {
  size_t count = 0;
  while (!name.empty()) {
    const size_t space = name.find(' ');
    const std::string_view word = name.substr(0, space);
    if (count >= args.size() || args[count] != word) return false;
    ++count;
    name = space == std::string_view::npos ? std::string_view() : name.substr(space + 1);
  }
  *words = count;
  return true;
}

// The entry naming the most words of argv, or nullptr.
const CommandSpec* Find(std::span<const CommandSpec> commands,
                        std::span<const std::string_view> args, size_t* words) {
  const CommandSpec* best = nullptr;
  for (const CommandSpec& spec : commands) {
    size_t matched = 0;
    if (Matches(spec.name, args, &matched) && (best == nullptr || matched > *words)) {
      best = &spec;
      *words = matched;
    }
  }
  return best;
}

// InvalidArgument for argv that names no command: the verbs of a known noun, or the usage.
core::Status Unknown(std::span<const CommandSpec> commands, std::string_view noun) {
  // The message is printed into JSON: a name that is not UTF-8 is not quoted.
  if (!core::IsValidUtf8(noun)) return core::InvalidArgument("unknown command (not UTF-8)");
  std::string verbs;
  for (const CommandSpec& spec : commands) {
    if (Noun(spec.name) != noun || spec.name.size() == noun.size()) continue;
    verbs += (verbs.empty() ? "" : "|") + std::string(spec.name.substr(noun.size() + 1));
  }
  if (verbs.empty()) return core::InvalidArgument("unknown command '" + std::string(noun) + "'");
  return core::InvalidArgument("usage: jcm " + std::string(noun) + " " + verbs + " (jcm help " +
                               std::string(noun) + ")");
}

int PrintHelp(std::span<const CommandSpec> commands, std::string_view noun, Environment& env) {
  const std::string text = noun.empty() ? UsageText(commands) : CommandHelp(commands, noun);
  if (text.empty()) {
    env.err << "jcm: unknown command '" << noun << "'\n" << UsageText(commands);
    return kExitUsage;
  }
  env.out << text;
  return kExitOk;
}

int RunCommand(const CommandSpec& spec, std::span<const std::string_view> args, Environment& env) {
  Printer print(env, WantsJson(args));
  std::vector<std::string_view> switches = spec.switches;
  switches.push_back("json");
  auto parsed = Args::Parse(args, spec.value_flags, switches);
  if (!parsed.ok()) {
    const int code = print.Error(parsed.status());
    if (!print.json()) env.err << "usage: " << spec.synopsis;
    return code;
  }
  CommandRun run{*parsed, env, print};
  const core::Status status = spec.body(run);
  if (!status.ok()) return print.Error(status);
  return print.exit_code();
}

}  // namespace

std::vector<CommandSpec> BuiltinCommands() {
  std::vector<CommandSpec> all;
  for (auto table :
       {LedgerCommands(), AuditCommands(), DocumentCommands(), MrvCommands(), CycleCommands(),
        BenchMrvCommands(), ServeCommands(), UserCommands(), ApprovalCommands(), LogCommands(),
        Article6Commands(), Article6CaCommands(), Article6AefCommands(), ExchangeCommands(),
        ExchangeTransferCommands(), VerifyPublicCommands(), MigrateCommands(), ProgrammeCommands(),
        ReportCommands()}) {
    all.insert(all.end(), table.begin(), table.end());
  }
  return all;
}

std::string UsageText(std::span<const CommandSpec> commands) {
  std::vector<std::string_view> groups;
  for (const CommandSpec& spec : commands) {
    if (std::find(groups.begin(), groups.end(), spec.group) == groups.end()) {
      groups.push_back(spec.group);
    }
  }
  std::string text(kUsageHeader);
  std::vector<std::string_view> listed;  // nouns: each gets one line
  for (std::string_view group : groups) {
    text += "\n" + std::string(group) + "\n";
    for (const CommandSpec& spec : commands) {
      if (spec.group != group || spec.summary.empty()) continue;
      if (std::find(listed.begin(), listed.end(), Noun(spec.name)) != listed.end()) continue;
      listed.push_back(Noun(spec.name));
      std::string noun(Noun(spec.name));
      noun.resize(std::max<size_t>(noun.size() + 1, 13), ' ');
      text += "  " + noun + std::string(spec.summary) + "\n";
    }
  }
  return text + std::string(kUsageFooter);
}

std::string CommandHelp(std::span<const CommandSpec> commands, std::string_view noun) {
  std::string synopses;
  std::string options;
  for (const CommandSpec& spec : commands) {
    if (Noun(spec.name) != noun) continue;
    synopses += spec.synopsis;
    options += "  jcm " + std::string(spec.name) + OptionList(spec) + "\n";
  }
  if (synopses.empty()) return "";
  return synopses +
         "Options each command takes (V… repeatable; any other argument is a usage error):\n" +
         options;
}

int RunCli(std::span<const std::string_view> args, Environment& env,
           std::span<const CommandSpec> commands) {
  if (args.empty()) {
    env.err << UsageText(commands);
    return kExitUsage;
  }
  if (args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
    return PrintHelp(commands, args.size() > 1 ? args[1] : std::string_view(), env);
  }
  if (std::find_if(args.begin(), args.end(),
                   [](std::string_view a) { return a == "--help" || a == "-h"; }) != args.end()) {
    return PrintHelp(commands, args[0], env);
  }
  size_t words = 0;
  const CommandSpec* spec = Find(commands, args, &words);
  if (spec == nullptr) {
    Printer print(env, WantsJson(args));
    const int code = print.Error(Unknown(commands, args[0]));
    if (!print.json() && CommandHelp(commands, args[0]).empty()) env.err << UsageText(commands);
    return code;
  }
  return RunCommand(*spec, args.subspan(words), env);
}

}  // namespace jcm::cli
