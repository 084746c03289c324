#include "cli/cli.h"

#include <ostream>

#include "cli/commands.h"
#include "cli/help.h"
#include "cli/output.h"
#if JCM_HAVE_MRV
#include "cli/mrv/mrv_command.h"
#endif
#if JCM_HAVE_CYCLE
#include "cli/cycle/cycle_command.h"
#endif

namespace jcm::cli {
namespace {

bool AsksForHelp(std::span<const std::string_view> args) {
  for (std::string_view arg : args) {
    if (arg == "--help" || arg == "-h") return true;
  }
  return false;
}

// `jcm help [COMMAND]` and `jcm COMMAND … --help`.
int PrintHelp(std::string_view command, Environment& env) {
  const std::string_view text = CommandHelp(command);
  if (!command.empty() && text.empty()) {
    env.err << "jcm: unknown command '" << command << "'\n" << UsageText();
    return kExitUsage;
  }
  env.out << (text.empty() ? UsageText() : text);
  return kExitOk;
}

}  // namespace

int RunCli(std::span<const std::string_view> args, Environment& env) {
  if (args.empty()) {
    env.err << UsageText();
    return kExitUsage;
  }
  if (args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
    return PrintHelp(args.size() > 1 ? args[1] : std::string_view(), env);
  }
  if (AsksForHelp(args)) return PrintHelp(args[0], env);
  const std::string_view command = args[0];
  const auto rest = args.subspan(1);
  if (command == "init") return RunInit(rest, env);
  if (command == "account") return RunAccount(rest, env);
  if (command == "issue") return RunIssue(rest, env);
  if (command == "transfer" || command == "retire" || command == "cancel") {
    return RunMovement(command, rest, env);
  }
  if (command == "holdings") return RunHoldings(rest, env);
  if (command == "audit") return RunAudit(rest, env);
  if (command == "document") return RunDocument(rest, env);
  if (command == "bench" && !rest.empty() && rest[0] == "ledger") {
    return env.bench_ledger(rest.subspan(1), env.out, env.err);
  }
#if JCM_HAVE_MRV
  if (command == "mrv") return RunMrvCommand(rest, env.out, env.err);
  if (command == "bench" && !rest.empty() && rest[0] == "mrv") {
    return RunBenchMrv(rest.subspan(1), env.out, env.err);
  }
#endif
#if JCM_HAVE_CYCLE
  {
    const int handled = RunCycleCommand(command, rest, env);
    if (handled != kCycleCommandUnknown) return handled;
  }
#endif
  env.err << "jcm: unknown command '" << command << "'\n" << UsageText();
  return kExitUsage;
}

}  // namespace jcm::cli
