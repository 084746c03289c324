// Decide for parties, Joint Committees, forms, organisations, TPEs and methodologies.
#include <algorithm>

#include "core/registry_code.h"
#include "cycle/deadlines.h"
#include "cycle/decide_internal.h"

namespace jcm::cycle::internal {
namespace {

Verdict FindMethodology(const State& state, const std::string& code,
                        const cycle::Methodology** out) {
  *out = state.FindMethodology(code);
  if (*out == nullptr) {
    return Reject(CycleCheck::kUnknownMethodology, "no methodology '" + code + "'");
  }
  return std::nullopt;
}

Verdict RequireMethodologyState(const cycle::Methodology& m, MethodologyStatus expected) {
  if (m.status == expected) return std::nullopt;
  return Reject(CycleCheck::kWrongMethodologyState,
                m.proposal_code + " is " + std::string(ToString(m.status)) + "; expected " +
                    std::string(ToString(expected)));
}

// The last day the JC may decide: 60 (or 90 when extended) days after public input closed.
core::Date ConsiderationDue(const cycle::Methodology& m) {
  return m.input_end->PlusDays(m.extended ? kJcConsiderationExtendedDays : kJcConsiderationDays);
}

}  // namespace

Verdict DecidePayload(const Ctx& ctx, RegisterParty& c) {
  JCM_CYCLE_TRY(RequireRole(ctx.actor, {Role::kGovernment, Role::kSecretariat}));
  if (!core::IsKnownRegistryCode(c.partner) || c.partner == "JP") {
    return Reject(CycleCheck::kUnknownParty,
                  "'" + c.partner + "' is not a JCM partner country code");
  }
  if (ctx.state.parties.count(c.partner) != 0) {
    return Reject(CycleCheck::kAlreadyExists, "partner " + c.partner + " already registered");
  }
  JCM_CYCLE_TRY(RequireNotEmpty(c.name, "the partner's name"));
  if (c.bilateral_date) JCM_CYCLE_TRY(RequireNotFuture(*c.bilateral_date, ctx.today));
  return std::nullopt;
}

Verdict DecidePayload(const Ctx& ctx, EstablishJointCommittee& c) {
  JCM_CYCLE_TRY(RequireRole(ctx.actor, {Role::kGovernment, Role::kSecretariat}));
  JCM_CYCLE_TRY(RequireParty(ctx.state, c.partner));
  if (ctx.state.committees.count(c.partner) != 0) {
    return Reject(CycleCheck::kAlreadyExists, "Joint Committee for " + c.partner + " exists");
  }
  JCM_CYCLE_TRY(RequireNotEmpty(c.secretariat, "the secretariat"));
  JCM_CYCLE_TRY(RequireNotBefore(c.date, ctx.state.parties.at(c.partner).bilateral_date,
                                 "the bilateral document"));
  return RequireNotFuture(c.date, ctx.today);
}

Verdict DecidePayload(const Ctx& ctx, RecordJcDecision& c) {
  JCM_CYCLE_TRY(RequireRole(ctx.actor, {Role::kJointCommittee, Role::kSecretariat}));
  JCM_CYCLE_TRY(RequirePairBody(ctx.actor, c.partner));
  JCM_CYCLE_TRY(RequireJointCommittee(ctx.state, c.partner));
  JCM_CYCLE_TRY(RequireNotEmpty(c.type, "the decision type"));
  JCM_CYCLE_TRY(RequireNotEmpty(c.subject, "the decision subject"));
  return RequireNotFuture(c.date, ctx.today);
}

Verdict DecidePayload(const Ctx& ctx, AdoptForm& c) {
  JCM_CYCLE_TRY(RequireRole(ctx.actor, {Role::kJointCommittee, Role::kSecretariat}));
  JCM_CYCLE_TRY(RequirePairBody(ctx.actor, c.partner));
  JCM_CYCLE_TRY(RequireParty(ctx.state, c.partner));
  if (c.form.rfind("JCM_" + c.partner + "_", 0) != 0) {
    return Reject(CycleCheck::kMalformedIdentifier,
                  "form code '" + c.form + "' must start with JCM_" + c.partner + "_");
  }
  JCM_CYCLE_TRY(RequireNotEmpty(c.version, "the form version"));
  if (auto it = ctx.state.forms.find(c.form); it != ctx.state.forms.end()) {
    for (const FormVersion& v : it->second) {
      if (v.version == c.version) {
        return Reject(CycleCheck::kAlreadyExists, c.form + " ver" + c.version + " adopted");
      }
    }
    if (!VersionLess(it->second.back().version, c.version)) {
      return Reject(CycleCheck::kVersionNotIncreasing,
                    c.form + " ver" + c.version + " is not after ver" + it->second.back().version);
    }
  }
  if (c.effective) JCM_CYCLE_TRY(RequireNotFuture(*c.effective, ctx.today));
  return std::nullopt;
}

Verdict DecidePayload(const Ctx& ctx, RegisterOrganisation& c) {
  JCM_CYCLE_TRY(RequireRole(ctx.actor, {Role::kSecretariat, Role::kGovernment}));
  JCM_CYCLE_TRY(RequireNotEmpty(c.org_id, "the organisation id"));
  JCM_CYCLE_TRY(RequireNotEmpty(c.name, "the organisation name"));
  if (!core::IsKnownRegistryCode(c.country)) {
    return Reject(CycleCheck::kMalformedIdentifier,
                  "country '" + c.country + "' is not JP or a JCM partner country's code");
  }
  if (ctx.state.organisations.count(c.org_id) != 0) {
    return Reject(CycleCheck::kAlreadyExists, "organisation '" + c.org_id + "' exists");
  }
  return std::nullopt;
}

Verdict DecidePayload(const Ctx& ctx, DesignateTpe& c) {
  JCM_CYCLE_TRY(RequireRole(ctx.actor, {Role::kJointCommittee}));
  JCM_CYCLE_TRY(RequirePairBody(ctx.actor, c.partner));
  JCM_CYCLE_TRY(RequireJointCommittee(ctx.state, c.partner));
  if (ctx.state.organisations.count(c.org_id) == 0) {
    return Reject(CycleCheck::kUnknownOrganisation, "no organisation '" + c.org_id + "'");
  }
  if (ctx.state.IsTpeDesignated(c.partner, c.org_id, c.sectoral_scope, c.function, c.date)) {
    return Reject(CycleCheck::kAlreadyExists, c.org_id + " already designated");
  }
  JCM_CYCLE_TRY(RequireSectoralScope(c.sectoral_scope));
  JCM_CYCLE_TRY(RequireNotBefore(c.date, ctx.state.committees.at(c.partner).established,
                                 "the Joint Committee's establishment"));
  return RequireNotFuture(c.date, ctx.today);
}

Verdict DecidePayload(const Ctx& ctx, ProposeMethodology& c) {
  JCM_CYCLE_TRY(RequireRole(ctx.actor, {Role::kProponent, Role::kJointCommittee}));
  JCM_CYCLE_TRY(RequireJointCommittee(ctx.state, c.partner));
  if (!IsCodeOf(c.proposal_code, c.partner, "PM")) {
    return Reject(CycleCheck::kMalformedIdentifier,
                  "'" + c.proposal_code + "' is not of the form " + c.partner + "_PM<nnn>");
  }
  if (ctx.state.FindMethodology(c.proposal_code) != nullptr) {
    return Reject(CycleCheck::kAlreadyExists, c.proposal_code + " already proposed");
  }
  JCM_CYCLE_TRY(RequireNotEmpty(c.title, "the title"));
  JCM_CYCLE_TRY(RequireSectoralScope(c.sectoral_scope));
  JCM_CYCLE_TRY(RequireDocument(c.document, "the proposed methodology form"));
  return RequireNotFuture(c.date, ctx.today);
}

Verdict DecidePayload(const Ctx& ctx, CheckMethodologyCompleteness& c) {
  JCM_CYCLE_TRY(RequireRole(ctx.actor, {Role::kSecretariat}));
  const cycle::Methodology* m = nullptr;
  JCM_CYCLE_TRY(FindMethodology(ctx.state, c.proposal_code, &m));
  JCM_CYCLE_TRY(RequirePairBody(ctx.actor, m->partner));
  JCM_CYCLE_TRY(RequireMethodologyState(*m, MethodologyStatus::kProposed));
  JCM_CYCLE_TRY(RequireNotBefore(c.date, m->proposed, "the proposal"));
  JCM_CYCLE_TRY(RequireNotFuture(c.date, ctx.today));
  core::Date due = m->proposed.PlusDays(kMethodologyCompletenessDays);
  if (c.date > due) {
    return Reject(CycleCheck::kDeadlinePassed,
                  "completeness check was due by " + due.ToString() + " (7 days)");
  }
  return std::nullopt;
}

Verdict DecidePayload(const Ctx& ctx, ExtendMethodologyConsideration& c) {
  JCM_CYCLE_TRY(RequireRole(ctx.actor, {Role::kJointCommittee}));
  const cycle::Methodology* m = nullptr;
  JCM_CYCLE_TRY(FindMethodology(ctx.state, c.proposal_code, &m));
  JCM_CYCLE_TRY(RequirePairBody(ctx.actor, m->partner));
  JCM_CYCLE_TRY(RequireMethodologyState(*m, MethodologyStatus::kPublicInput));
  if (m->extended) {
    return Reject(CycleCheck::kExtensionNotAllowed, "consideration already extended to 90 days");
  }
  JCM_CYCLE_TRY(RequireNotFuture(c.date, ctx.today));
  if (c.date > ConsiderationDue(*m)) {
    return Reject(CycleCheck::kDeadlinePassed,
                  "the 60-day consideration ended on " + ConsiderationDue(*m).ToString());
  }
  return std::nullopt;
}

Verdict DecidePayload(const Ctx& ctx, DecideMethodology& c) {
  JCM_CYCLE_TRY(RequireRole(ctx.actor, {Role::kJointCommittee}));
  const cycle::Methodology* m = nullptr;
  JCM_CYCLE_TRY(FindMethodology(ctx.state, c.proposal_code, &m));
  JCM_CYCLE_TRY(RequirePairBody(ctx.actor, m->partner));
  JCM_CYCLE_TRY(RequireMethodologyState(*m, MethodologyStatus::kPublicInput));
  if (c.approve) {
    if (!IsCodeOf(c.approved_code, m->partner, "AM")) {
      return Reject(CycleCheck::kMalformedIdentifier,
                    "'" + c.approved_code + "' is not of the form " + m->partner + "_AM<nnn>");
    }
    if (ctx.state.FindMethodology(c.approved_code) != nullptr) {
      return Reject(CycleCheck::kAlreadyExists, c.approved_code + " already exists");
    }
    JCM_CYCLE_TRY(RequireNotEmpty(c.version, "the version"));
  }
  JCM_CYCLE_TRY(RequireNotFuture(c.date, ctx.today));
  if (c.date <= *m->input_end) {
    return Reject(CycleCheck::kDeadlineNotYetPassed,
                  "public input is open until " + m->input_end->ToString());
  }
  if (c.date > ConsiderationDue(*m)) {
    return Reject(CycleCheck::kDeadlinePassed,
                  "JC consideration ended on " + ConsiderationDue(*m).ToString());
  }
  return std::nullopt;
}

Verdict DecidePayload(const Ctx& ctx, ReviseMethodology& c) {
  JCM_CYCLE_TRY(RequireRole(ctx.actor, {Role::kJointCommittee}));
  const cycle::Methodology* m = nullptr;
  JCM_CYCLE_TRY(FindMethodology(ctx.state, c.approved_code, &m));
  JCM_CYCLE_TRY(RequirePairBody(ctx.actor, m->partner));
  JCM_CYCLE_TRY(RequireMethodologyState(*m, MethodologyStatus::kApproved));
  if (!VersionLess(m->versions.back().version, c.version)) {
    return Reject(CycleCheck::kVersionNotIncreasing,
                  "Ver" + c.version + " is not after Ver" + m->versions.back().version);
  }
  JCM_CYCLE_TRY(RequireDocument(c.document, "the revised methodology"));
  JCM_CYCLE_TRY(RequireNotBefore(c.date, m->versions.back().date, "the previous version"));
  return RequireNotFuture(c.date, ctx.today);
}

Verdict DecidePayload(const Ctx& ctx, RecordMethodology& c) {
  JCM_CYCLE_TRY(RequireRole(ctx.actor, {Role::kSecretariat}));
  JCM_CYCLE_TRY(RequirePairBody(ctx.actor, c.partner));
  JCM_CYCLE_TRY(RequireParty(ctx.state, c.partner));
  if (!IsCodeOf(c.approved_code, c.partner, "AM")) {
    return Reject(CycleCheck::kMalformedIdentifier,
                  "'" + c.approved_code + "' is not of the form " + c.partner + "_AM<nnn>");
  }
  if (ctx.state.FindMethodology(c.approved_code) != nullptr) {
    return Reject(CycleCheck::kAlreadyExists, c.approved_code + " already recorded");
  }
  for (const std::string& pm : c.proposal_codes) {
    if (!IsCodeOf(pm, c.partner, "PM")) {
      return Reject(CycleCheck::kMalformedIdentifier, "'" + pm + "' is not a proposal code");
    }
  }
  JCM_CYCLE_TRY(RequireNotEmpty(c.version, "the version"));
  if (c.sectoral_scope != 0) JCM_CYCLE_TRY(RequireSectoralScope(c.sectoral_scope));  // 0: unknown
  return RequireNotFuture(c.approval_date, ctx.today);
}

}  // namespace jcm::cycle::internal
