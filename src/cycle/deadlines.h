// The time limits of the project cycle (docs/cycle.md, "Deadlines"), in calendar days.
// Windows are inclusive: a 15-day window opened on day D closes at the end of day D+14.
#pragma once

#include <cstdint>

namespace jcm::cycle {

// The secretariat completes a proposed methodology's completeness check within 7 days.
inline constexpr int64_t kMethodologyCompletenessDays = 7;
// A complete proposed methodology is open for public input for 15 days.
inline constexpr int64_t kMethodologyPublicInputDays = 15;
// The JC considers it within 60 days after public input closes, extendable once to 90.
inline constexpr int64_t kJcConsiderationDays = 60;
inline constexpr int64_t kJcConsiderationExtendedDays = 90;
// A PDD is open for public input before validation concludes. The PCP's number of days was not
// found in the JCM rules read for this design ([GAP] in docs/cycle.md); 30 days is this
// implementation's assumption, kept as one named constant.
inline constexpr int64_t kPddPublicInputDays = 30;

}  // namespace jcm::cycle
