#include "programme/programme_check.h"

namespace jcm::programme {

// A switch (not a table) so that -Wswitch fails the build when a check has no name.
std::string_view ProgrammeCheckName(ProgrammeCheck check) {
  switch (check) {
    // clang-format off
    case ProgrammeCheck::kSubsidyRateAboveCap: return "subsidy_rate_above_cap";
    case ProgrammeCheck::kSubsidyAboveCost: return "subsidy_above_cost";
    case ProgrammeCheck::kConsortiumIncomplete: return "consortium_incomplete";
    case ProgrammeCheck::kFundingProjectUnknown: return "funding_project_unknown";
    case ProgrammeCheck::kFundingExists: return "funding_exists";
    case ProgrammeCheck::kContributionChannelInvalid: return "contribution_channel_invalid";
    case ProgrammeCheck::kContributionExists: return "contribution_exists";
      // clang-format on
  }
  return "unknown_programme_check";
}

}  // namespace jcm::programme
