#include "cli/cycle/cycle_command.h"

#include "cli/cycle/cycle_session.h"

namespace jcm::cli {

int RunCycleCommand(std::string_view verb, std::span<const std::string_view> args,
                    std::ostream& out, std::ostream& err) {
  using namespace cycle_cli;
  if (verb == "import") return RunImport(args, out, err);
  if (verb == "project") return RunProject(args, out, err);
  if (verb == "registry") return RunRegistry(args, out, err);
  if (verb == "due") return RunDue(args, out, err);
  if (verb == "party" || verb == "org" || verb == "tpe" || verb == "jc") {
    return RunSetup(verb, args, out, err);
  }
  if (verb == "cycle") return RunVerify(args, out, err);
  if (verb == "methodology") return RunMethodology(args, out, err);
  if (verb == "pin" || verb == "pdd" || verb == "validation" || verb == "registration") {
    return RunProjectStep(verb, args, out, err);
  }
  if (verb == "monitoring" || verb == "verification" || verb == "issuance") {
    return RunIssuanceStep(verb, args, out, err);
  }
  return kCycleCommandUnknown;
}

}  // namespace jcm::cli
