// Decide for projects: PIN, PDD, validation, registration and what follows registration.
#include <algorithm>

#include "core/record.h"
#include "cycle/deadlines.h"
#include "cycle/decide_internal.h"

namespace jcm::cycle::internal {
namespace {

Verdict RequireApprovedMethodology(const State& s, std::string_view code,
                                   std::string_view version) {
  const Methodology* m = s.FindMethodology(code);
  if (m == nullptr) {
    return Reject(CycleCheck::kUnknownMethodology, "no methodology '" + std::string(code) + "'");
  }
  bool has_version = std::any_of(m->versions.begin(), m->versions.end(),
                                 [&](const MethodologyVersion& v) { return v.version == version; });
  if (m->status == MethodologyStatus::kApproved && has_version) return std::nullopt;
  return Reject(CycleCheck::kMethodologyNotApproved,
                std::string(code) + " Ver" + std::string(version) + " is not approved");
}

Verdict RequireAllocation(const Project& p, const std::vector<Share>& allocation) {
  int64_t total_bp = 0;
  int64_t government_of_japan_bp = 0;
  for (const Share& share : allocation) {
    if (share.side != "JP" && share.side != p.partner) {
      return Reject(CycleCheck::kAllocationUnknownSide,
                    "share for side '" + share.side + "': only JP and " + p.partner);
    }
    if (share.share_bp < 0) {
      return Reject(CycleCheck::kNegativeAmount, "share of '" + share.holder + "' is negative");
    }
    JCM_CYCLE_TRY(RequireNotEmpty(share.holder, "a share's holder"));
    total_bp += share.share_bp;
    if (share.side == "JP" && share.holder == kGovernmentHolder) {
      government_of_japan_bp += share.share_bp;
    }
  }
  if (total_bp != kHundredPercentBp) {
    return Reject(CycleCheck::kAllocationNotHundredPercent,
                  "allocation sums to " + std::to_string(total_bp) + " bp, not 10000 (100 %)");
  }
  if (IsSubsidised(p.funding) && government_of_japan_bp * 2 < kHundredPercentBp) {
    return Reject(CycleCheck::kSubsidisedGojBelowHalf,
                  "a " + std::string(ToString(p.funding)) +
                      " project gives the Government of Japan at least 50 %; got " +
                      std::to_string(government_of_japan_bp) + " bp");
  }
  return std::nullopt;
}

// The project's own Joint Committee.
Verdict RequireJointCommitteeOf(const Actor& actor, const Project& p) {
  JCM_CYCLE_TRY(RequireRole(actor, {Role::kJointCommittee}));
  return RequirePairBody(actor, p.partner);
}

}  // namespace

Verdict DecidePayload(const Ctx& ctx, SubmitPin& c) {
  JCM_CYCLE_TRY(RequireRole(ctx.actor, {Role::kParticipant}));
  bool listed = std::count(c.host_participants.begin(), c.host_participants.end(), ctx.actor.org) +
                    std::count(c.japanese_participants.begin(), c.japanese_participants.end(),
                               ctx.actor.org) >
                0;
  if (!listed) {
    return Reject(CycleCheck::kActorNotParticipant,
                  "'" + ctx.actor.org + "' submits a PIN but is not among its participants");
  }
  JCM_CYCLE_TRY(RequireJointCommittee(ctx.state, c.partner));
  if (!IsCodeOf(c.pin_id, c.partner, "PIN")) {
    return Reject(CycleCheck::kMalformedIdentifier,
                  "'" + c.pin_id + "' is not of the form " + c.partner + "_PIN<nnn>");
  }
  if (ctx.state.FindProject(c.pin_id) != nullptr) {
    return Reject(CycleCheck::kAlreadyExists, c.pin_id + " already submitted");
  }
  JCM_CYCLE_TRY(RequireApprovedMethodology(ctx.state, c.methodology, c.methodology_version));
  JCM_CYCLE_TRY(RequireNotEmpty(c.title, "the title"));
  JCM_CYCLE_TRY(RequireSectoralScope(c.sectoral_scope));
  bool focal_listed =
      std::count(c.host_participants.begin(), c.host_participants.end(), c.focal_point) +
          std::count(c.japanese_participants.begin(), c.japanese_participants.end(),
                     c.focal_point) >
      0;
  if (!focal_listed) {
    return Reject(CycleCheck::kEmptyField, "the focal point must be one of the participants");
  }
  JCM_CYCLE_TRY(RequireDocument(c.document, "the PIN form"));
  JCM_CYCLE_TRY(RequireNotFuture(c.date, ctx.today));
  c.form_version = ctx.state.FormVersionOn("JCM_" + c.partner + "_F_PIN", c.date);
  return std::nullopt;
}

Verdict DecidePayload(const Ctx& ctx, DecidePin& c) {
  const Project* p = nullptr;
  JCM_CYCLE_TRY(ResolveProject(ctx.state, c.project, &p));
  JCM_CYCLE_TRY(RequireJointCommitteeOf(ctx.actor, *p));
  JCM_CYCLE_TRY(RequireProjectState(*p, {ProjectStatus::kPinSubmitted}));
  return RequireProjectDates(ctx, c.date, *p);
}

Verdict DecidePayload(const Ctx& ctx, SubmitPdd& c) {
  const Project* p = nullptr;
  JCM_CYCLE_TRY(ResolveProject(ctx.state, c.project, &p));
  JCM_CYCLE_TRY(RequireParticipant(ctx.actor, *p));
  // A first PDD follows the PIN's no objection; a new version replaces one under validation.
  JCM_CYCLE_TRY(RequireProjectState(*p, {ProjectStatus::kPinNoObjection, ProjectStatus::kValidation,
                                         ProjectStatus::kValidationNegative}));
  JCM_CYCLE_TRY(RequireDocument(c.document, "the PDD"));
  if (c.document.confidential) {
    if (!c.public_copy.has_value()) {
      return Reject(CycleCheck::kConfidentialWithoutPublicCopy,
                    "a confidential PDD needs a public, redacted copy");
    }
    JCM_CYCLE_TRY(RequireDocument(*c.public_copy, "the PDD's public copy"));
    if (c.public_copy->confidential) {
      return Reject(CycleCheck::kConfidentialWithoutPublicCopy,
                    "the PDD's public copy is marked confidential");
    }
  }
  JCM_CYCLE_TRY(RequireProjectDates(ctx, c.date, *p));
  c.form_version = ctx.state.FormVersionOn("JCM_" + p->partner + "_F_PDD", c.date);
  return std::nullopt;
}

Verdict DecidePayload(const Ctx& ctx, SubmitValidation& c) {
  const Project* p = nullptr;
  JCM_CYCLE_TRY(ResolveProject(ctx.state, c.project, &p));
  JCM_CYCLE_TRY(RequireRole(ctx.actor, {Role::kTpe}));
  if (!ctx.state.IsTpeDesignated(p->partner, ctx.actor.org, p->sectoral_scope,
                                 TpeFunction::kValidation, c.date)) {
    return Reject(CycleCheck::kTpeNotDesignated,
                  ctx.actor.org + " is not designated for validation in scope " +
                      std::to_string(p->sectoral_scope) + " by the Japan–" + p->partner + " JC");
  }
  JCM_CYCLE_TRY(RequireProjectState(*p, {ProjectStatus::kValidation}));
  JCM_CYCLE_TRY(RequireDocument(c.report, "the validation report"));
  JCM_CYCLE_TRY(RequireProjectDates(ctx, c.date, *p));
  if (!p->pdd_input_start) return std::nullopt;  // imported: its PDD's dates are not known
  core::Date input_end = p->pdd_input_start->PlusDays(kPddPublicInputDays - 1);
  if (c.date <= input_end) {
    return Reject(CycleCheck::kDeadlineNotYetPassed,
                  "the PDD is open for public input until " + input_end.ToString());
  }
  return std::nullopt;
}

Verdict DecidePayload(const Ctx& ctx, RequestRegistration& c) {
  const Project* p = nullptr;
  JCM_CYCLE_TRY(ResolveProject(ctx.state, c.project, &p));
  JCM_CYCLE_TRY(RequireParticipant(ctx.actor, *p));
  JCM_CYCLE_TRY(RequireProjectState(*p, {ProjectStatus::kValidated}));
  JCM_CYCLE_TRY(RequireAllocation(*p, c.allocation));
  JCM_CYCLE_TRY(RequireDocument(c.document, "the registration request form"));
  return RequireProjectDates(ctx, c.date, *p);
}

Verdict DecidePayload(const Ctx& ctx, DecideRegistration& c) {
  const Project* p = nullptr;
  JCM_CYCLE_TRY(ResolveProject(ctx.state, c.project, &p));
  JCM_CYCLE_TRY(RequireJointCommitteeOf(ctx.actor, *p));
  JCM_CYCLE_TRY(RequireProjectState(*p, {ProjectStatus::kRegistrationRequested}));
  if (c.approve) {
    if (c.reference.empty()) c.reference = ctx.state.NextReference(p->partner);
    JCM_CYCLE_TRY(RequireProjectReference(c.reference, p->partner));
    if (ctx.state.FindProject(c.reference) != nullptr) {
      return Reject(CycleCheck::kReferenceTaken, "reference " + c.reference + " is taken");
    }
  } else {
    c.reference.clear();
  }
  return RequireProjectDates(ctx, c.date, *p);
}

Verdict DecidePayload(const Ctx& ctx, WithdrawRegistrationRequest& c) {
  const Project* p = nullptr;
  JCM_CYCLE_TRY(ResolveProject(ctx.state, c.project, &p));
  JCM_CYCLE_TRY(RequireParticipant(ctx.actor, *p));
  JCM_CYCLE_TRY(RequireProjectState(*p, {ProjectStatus::kRegistrationRequested}));
  return RequireProjectDates(ctx, c.date, *p);
}

Verdict DecidePayload(const Ctx& ctx, ApprovePostRegistrationChange& c) {
  const Project* p = nullptr;
  JCM_CYCLE_TRY(ResolveProject(ctx.state, c.project, &p));
  JCM_CYCLE_TRY(RequireJointCommitteeOf(ctx.actor, *p));
  JCM_CYCLE_TRY(RequireProjectState(*p, {ProjectStatus::kRegistered}));
  JCM_CYCLE_TRY(RequireNotEmpty(c.description, "the change's description"));
  JCM_CYCLE_TRY(RequireDocument(c.document, "the post-registration change request"));
  return RequireProjectDates(ctx, c.date, *p);
}

Verdict DecidePayload(const Ctx& ctx, RenewCreditingPeriod& c) {
  const Project* p = nullptr;
  JCM_CYCLE_TRY(ResolveProject(ctx.state, c.project, &p));
  JCM_CYCLE_TRY(RequireJointCommitteeOf(ctx.actor, *p));
  JCM_CYCLE_TRY(RequireProjectState(*p, {ProjectStatus::kRegistered}));
  JCM_CYCLE_TRY(RequireProjectDates(ctx, c.date, *p));
  if (c.until <= c.date || (p->crediting_end && c.until <= *p->crediting_end)) {
    return Reject(CycleCheck::kDateBeforePreviousStep,
                  "the renewed crediting period must end after the current one and ctx.today");
  }
  return std::nullopt;
}

Verdict DecidePayload(const Ctx& ctx, WithdrawProject& c) {
  const Project* p = nullptr;
  JCM_CYCLE_TRY(ResolveProject(ctx.state, c.project, &p));
  JCM_CYCLE_TRY(RequireJointCommitteeOf(ctx.actor, *p));
  JCM_CYCLE_TRY(RequireProjectState(*p, {ProjectStatus::kRegistered}));
  return RequireProjectDates(ctx, c.date, *p);
}

Verdict DecidePayload(const Ctx& ctx, RecordProject& c) {
  JCM_CYCLE_TRY(RequireRole(ctx.actor, {Role::kSecretariat}));
  JCM_CYCLE_TRY(RequirePairBody(ctx.actor, c.partner));
  JCM_CYCLE_TRY(RequireParty(ctx.state, c.partner));
  JCM_CYCLE_TRY(RequireProjectReference(c.reference, c.partner));
  if (ctx.state.FindProject(c.reference) != nullptr) {
    return Reject(CycleCheck::kAlreadyExists, "project " + c.reference + " already recorded");
  }
  JCM_CYCLE_TRY(RequireNotEmpty(c.title, "the title"));
  if (c.status == ProjectStatus::kRegistered && !c.registration_date) {
    return Reject(CycleCheck::kEmptyField, "a registered project needs its registration date");
  }
  if (c.registration_date) JCM_CYCLE_TRY(RequireNotFuture(*c.registration_date, ctx.today));
  return std::nullopt;
}

}  // namespace jcm::cycle::internal
