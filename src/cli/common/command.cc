#include "cli/common/command.h"

namespace jcm::cli {

core::Result<std::unique_ptr<store::Store>> OpenStore(CommandRun& run, store::OpenMode mode) {
  JCM_ASSIGN_OR_RETURN(std::string path, run.args.Require("db"));
  return run.env.open_store(path, mode);
}

core::Result<core::Date> Today(CommandRun& run) {
  if (auto today = run.args.Get("today")) return core::Date::Parse(*today);
  return core::Date::Parse(run.env.clock.NowUtc().substr(0, 10));
}

}  // namespace jcm::cli
