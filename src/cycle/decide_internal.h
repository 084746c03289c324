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

// What every DecidePayload needs besides its payload. The references outlive the call.
struct Ctx {
  const State& state;
  const Actor& actor;
  core::Date today;  // the caller's date; no command may be dated after it
};

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
// FindProject, then rewrites `id` to the project's id (commands may name it by reference).
Verdict ResolveProject(const State& state, std::string& id, const Project** out);
// Not after today and not before the project's previous dated step.
Verdict RequireProjectDates(const Ctx& ctx, core::Date date, const Project& project);

bool IsSha256Hex(std::string_view text);
// "<CC>_<TAG><nnn>" with CC = partner, e.g. MN_PIN001 for ("MN", "PIN").
bool IsCodeOf(std::string_view code, std::string_view partner, std::string_view tag);
// Check 156: every text field of the actor and payload fits (decide.cc, TextChecker).
Verdict RequireText(Actor actor, Payload payload);
// A project reference "<CC><nnn>" of `partner`, nnn 001..999 (check 130 otherwise).
bool IsProjectReferenceOf(std::string_view reference, std::string_view partner);
Verdict RequireProjectReference(std::string_view reference, std::string_view partner);
// A JCM sectoral scope, 1..kSectoralScopeMax (check 130 otherwise).
Verdict RequireSectoralScope(int64_t scope);
// Compares "1.0" < "2.0" < "10.0" numerically by dot-separated parts.
bool VersionLess(std::string_view a, std::string_view b);

// The most recent dated step of a project (for "date before previous step").
std::optional<core::Date> LastProjectDate(const Project& project);

// One DecidePayload per payload kind. Decide (decide.cc) calls them from a single std::visit,
// so a payload kind added to `Payload` without its overload fails the build instead of being
// found missing at run time. Each returns the first failing check, or nullopt after filling the
// payload's derived fields (command.h).

// Parties, Joint Committees, rules, organisations, TPEs, methodologies (decide_registry.cc).
Verdict DecidePayload(const Ctx& ctx, RegisterParty& c);
Verdict DecidePayload(const Ctx& ctx, EstablishJointCommittee& c);
Verdict DecidePayload(const Ctx& ctx, RecordJcDecision& c);
Verdict DecidePayload(const Ctx& ctx, AdoptForm& c);
Verdict DecidePayload(const Ctx& ctx, RegisterOrganisation& c);
Verdict DecidePayload(const Ctx& ctx, DesignateTpe& c);
Verdict DecidePayload(const Ctx& ctx, ProposeMethodology& c);
Verdict DecidePayload(const Ctx& ctx, CheckMethodologyCompleteness& c);
Verdict DecidePayload(const Ctx& ctx, ExtendMethodologyConsideration& c);
Verdict DecidePayload(const Ctx& ctx, DecideMethodology& c);
Verdict DecidePayload(const Ctx& ctx, ReviseMethodology& c);
Verdict DecidePayload(const Ctx& ctx, RecordMethodology& c);

// Projects, from the PIN to withdrawal (decide_project.cc).
Verdict DecidePayload(const Ctx& ctx, SubmitPin& c);
Verdict DecidePayload(const Ctx& ctx, DecidePin& c);
Verdict DecidePayload(const Ctx& ctx, SubmitPdd& c);
Verdict DecidePayload(const Ctx& ctx, SubmitValidation& c);
Verdict DecidePayload(const Ctx& ctx, RequestRegistration& c);
Verdict DecidePayload(const Ctx& ctx, DecideRegistration& c);
Verdict DecidePayload(const Ctx& ctx, WithdrawRegistrationRequest& c);
Verdict DecidePayload(const Ctx& ctx, ApprovePostRegistrationChange& c);
Verdict DecidePayload(const Ctx& ctx, RenewCreditingPeriod& c);
Verdict DecidePayload(const Ctx& ctx, WithdrawProject& c);
Verdict DecidePayload(const Ctx& ctx, RecordProject& c);

// Monitoring, verification, issuance and its execution (decide_issuance.cc).
Verdict DecidePayload(const Ctx& ctx, AddMonitoringPeriod& c);
Verdict DecidePayload(const Ctx& ctx, SubmitMonitoringReport& c);
Verdict DecidePayload(const Ctx& ctx, SubmitVerification& c);
Verdict DecidePayload(const Ctx& ctx, RequestIssuance& c);
Verdict DecidePayload(const Ctx& ctx, WithdrawIssuanceRequest& c);
Verdict DecidePayload(const Ctx& ctx, DecideIssuance& c);
Verdict DecidePayload(const Ctx& ctx, RecordIssuanceDecision& c);
Verdict DecidePayload(const Ctx& ctx, ExecuteIssuance& c);

}  // namespace jcm::cycle::internal
