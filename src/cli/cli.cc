#include "cli/cli.h"

#include <ostream>

#include "cli/commands.h"
#include "cli/output.h"
#if JCM_HAVE_MRV
#include "cli/mrv/mrv_command.h"
#endif
#if JCM_HAVE_CYCLE
#include "cli/cycle/cycle_command.h"
#endif

namespace jcm::cli {
namespace {

constexpr const char* kUsage = R"(usage: jcm COMMAND [options]   (docs/cli.md has every option)

registry
  init      --db FILE [--registries JP,MN,…]          create the registries and their accounts
  account   open|list|suspend|reopen|close --db FILE …  entity holding accounts
  issue     --db FILE --registry CC --project REF --period START..END --to ACCOUNT:QTY …
  transfer  --db FILE --from ACCOUNT --to ACCOUNT --quantity N [--serials FIRST..LAST]
  retire    --db FILE --from ACCOUNT --quantity N [--serials …] [--beneficiary TEXT]
  cancel    --db FILE --from ACCOUNT --quantity N [--serials …] --reason TEXT
  holdings  --db FILE --account ACCOUNT
  audit     verify --db FILE                          recompute the journal chain and invariants
MRV
  mrv       methodologies | show ID[@VERSION] | calc …
project cycle
  import, project, registry, due, … (see docs/cli.md)
benchmarks
  bench     ledger | mrv

Every command takes --json for machine-readable output; mutating commands take --key K
(an idempotency key: a retry with the same key returns the first result).
)";

}  // namespace

int RunCli(std::span<const std::string_view> args, Environment& env) {
  if (args.empty() || args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
    (args.empty() ? env.err : env.out) << kUsage;
    return args.empty() ? kExitUsage : kExitOk;
  }
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
    const int handled = RunCycleCommand(command, rest, env.out, env.err);
    if (handled != kCycleCommandUnknown) return handled;
  }
#endif
  env.err << "jcm: unknown command '" << command << "'\n" << kUsage;
  return kExitUsage;
}

}  // namespace jcm::cli
