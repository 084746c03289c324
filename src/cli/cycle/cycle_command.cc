#include "cli/cycle/cycle_command.h"

#include <array>
#include <ostream>

#include "cli/cycle/cycle_session.h"

namespace jcm::cli {
namespace cycle_cli {

int RunStepVerb(std::string_view noun, std::span<const std::string_view> args, Environment& env) {
  const std::array<std::span<const VerbSpec>, 3> tables = {SetupVerbs(), ProjectVerbs(),
                                                           IssuanceVerbs()};
  const std::string_view sub = args.empty() ? "" : args[0];
  std::string known;
  for (std::span<const VerbSpec> table : tables) {
    for (const VerbSpec& verb : table) {
      if (verb.noun != noun) continue;
      if (verb.sub == sub) {
        return WithSession(args.subspan(1), verb.flags, verb.switches, env, verb.body);
      }
      known += (known.empty() ? "" : "|") + std::string(verb.sub);
    }
  }
  if (known.empty()) return kCycleCommandUnknown;
  return ReportStatus(core::InvalidArgument("usage: jcm " + std::string(noun) + " " + known +
                                            " (docs/cli.md, \"Project cycle\")"),
                      false, env.out, env.err);
}

}  // namespace cycle_cli

int RunCycleCommand(std::string_view verb, std::span<const std::string_view> args,
                    Environment& env) {
  if (verb == "import") return cycle_cli::RunImport(args, env);
  if (verb == "project" && !args.empty() && (args[0] == "list" || args[0] == "show")) {
    return cycle_cli::RunProject(args, env);
  }
  if (verb == "registry") return cycle_cli::RunRegistry(args, env);
  if (verb == "due") return cycle_cli::RunDue(args, env);
  if (verb == "cycle") return cycle_cli::RunVerify(args, env);
  return cycle_cli::RunStepVerb(verb, args, env);
}

}  // namespace jcm::cli
