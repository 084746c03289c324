// Helpers shared by the Decide functions (decide_*.cc). Internal to jcm_cycle.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "core/date.h"
#include "cycle/command.h"
#include "cycle/cycle_check.h"
#include "cycle/state.h"

namespace jcm::cycle::internal {

using Verdict = std::optional<Rejection>;  // nullopt: accepted

inline Rejection Reject(CycleCheck check, std::string message) {
  return Rejection{check, std::move(message)};
}

// Returns early from a Decide function with the first failing check.
#define JCM_CYCLE_TRY(expr)                      \
  do {                                           \
    ::jcm::cycle::internal::Verdict v_ = (expr); \
    if (v_.has_value()) return v_;               \
  } while (false)

Verdict RequireRole(const Actor& actor, std::initializer_list<Role> roles);
// JC and secretariat actors speak for one pair: their org is the partner's code.
Verdict RequirePairBody(const Actor& actor, std::string_view partner);
Verdict RequireParticipant(const Actor& actor, const Project& project);
Verdict RequireParty(const State& state, std::string_view partner);
Verdict RequireJointCommittee(const State& state, std::string_view partner);
Verdict RequireDocument(const Document& document, std::string_view what);
Verdict RequireNotEmpty(std::string_view value, std::string_view what);
Verdict RequireNotFuture(core::Date date, core::Date today);
Verdict RequireNotBefore(core::Date date, std::optional<core::Date> previous,
                         std::string_view previous_what);
Verdict RequireProjectState(const Project& project, std::initializer_list<ProjectStatus> states);
// Looks the project up by id or reference.
Verdict FindProject(const State& state, std::string_view id, const Project** out);

bool IsSha256Hex(std::string_view text);
// "<CC>_<TAG><nnn>" with CC = partner, e.g. MN_PIN001 for ("MN", "PIN").
bool IsCodeOf(std::string_view code, std::string_view partner, std::string_view tag);
// Compares "1.0" < "2.0" < "10.0" numerically by dot-separated parts.
bool VersionLess(std::string_view a, std::string_view b);

// The most recent dated step of a project (for "date before previous step").
std::optional<core::Date> LastProjectDate(const Project& project);

Verdict DecideRegistryPayload(const State& state, const Actor& actor, Payload& payload,
                              core::Date today, bool* handled);
Verdict DecideProjectPayload(const State& state, const Actor& actor, Payload& payload,
                             core::Date today, bool* handled);
Verdict DecideIssuancePayload(const State& state, const Actor& actor, Payload& payload,
                              core::Date today, bool* handled);

}  // namespace jcm::cycle::internal
