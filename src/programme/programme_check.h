// ProgrammeCheck: the numbered rules of programme management — funding records, contributions
// to ADB and UNIDO (docs/checks.md, "Programme", docs/programme.md).
//
// Persisted and public: a rejection's number is returned by the CLI and the API. DO NOT
// RENUMBER OR REUSE A VALUE; append new checks. 700–729, beside the ledger's (1–99), the
// cycle's (100–199), the service's (200–299), identity's (300–399) and approval's (400–439).
// Checks run in ascending number order.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace jcm::programme {

enum class ProgrammeCheck : uint16_t {
  kSubsidyRateAboveCap = 700,         // subsidy ÷ cost above the channel's cap (½, ⅔ hydrogen)
  kSubsidyAboveCost = 701,            // a subsidy larger than the project's total cost
  kConsortiumIncomplete = 702,        // a subsidised project without Japanese and partner members
  kFundingProjectUnknown = 703,       // no project with this id or reference in the cycle
  kFundingExists = 704,               // the project already has a funding record
  kContributionChannelInvalid = 705,  // contributions are to ADB JFJCM or UNIDO only
  kContributionExists = 706,          // a contribution for this channel and fiscal year exists
};

// Stable snake_case name ("subsidy_rate_above_cap").
std::string_view ProgrammeCheckName(ProgrammeCheck check);

struct Rejection {
  ProgrammeCheck check = ProgrammeCheck::kSubsidyRateAboveCap;
  std::string message;

  uint16_t number() const { return static_cast<uint16_t>(check); }
  std::string_view name() const { return ProgrammeCheckName(check); }
};

}  // namespace jcm::programme
