#include "cli/common/command.h"

namespace jcm::cli {

core::Result<std::unique_ptr<store::Store>> OpenStore(CommandRun& run, store::OpenMode mode) {
  JCM_ASSIGN_OR_RETURN(std::string path, run.args.Require("db"));
  return run.env.open_store(path, mode);
}

core::Result<core::Date> Today(CommandRun& run, DateUse use) {
  JCM_ASSIGN_OR_RETURN(const core::Date clock_today,
                       core::Date::Parse(run.env.clock.NowUtc().substr(0, 10)));
  const std::optional<std::string> given = run.args.Get("today");
  if (!given) return clock_today;
  JCM_ASSIGN_OR_RETURN(const core::Date today, core::Date::Parse(*given));
  // The journal stamps each event with the clock's time and `cycle verify` re-decides it with
  // that date as today, so an event decided on a later day would fail check 150 on every audit.
  if (use == DateUse::kJournaled && today > clock_today) {
    return core::InvalidArgument("--today " + today.ToString() + " is after the clock's date " +
                                 clock_today.ToString() +
                                 " (UTC): a command may be dated today or earlier, never later");
  }
  return today;
}

}  // namespace jcm::cli
