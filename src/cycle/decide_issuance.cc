// Decide for monitoring periods, reports, verification, issuance requests, JC issuance
// decisions and their execution on each side.
#include <algorithm>

#include "cycle/allocation.h"
#include "cycle/decide_internal.h"

namespace jcm::cycle::internal {
namespace {

Verdict RequirePeriod(const Project& p, const core::Period& period,
                      const MonitoringPeriodState** out) {
  *out = p.FindPeriod(period);
  if (*out != nullptr) return std::nullopt;
  return Reject(CycleCheck::kUnknownMonitoringPeriod,
                "project " + p.id + " has no monitoring period " + period.ToString());
}

Verdict RequireMonitoringState(const MonitoringPeriodState& m, MonitoringStatus expected) {
  if (m.status == expected) return std::nullopt;
  return Reject(CycleCheck::kWrongMonitoringState, "monitoring period " + m.period.ToString() +
                                                       " is " + std::string(ToString(m.status)) +
                                                       "; expected " +
                                                       std::string(ToString(expected)));
}

Verdict RequireAmount(int64_t amount, std::string_view what) {
  if (amount < 0) {
    return Reject(CycleCheck::kNegativeAmount, std::string(what) + " is negative");
  }
  if (amount > kQuantityLimit_tco2e) {
    return Reject(CycleCheck::kAmountAboveLimit, std::string(what) + " exceeds the limit of " +
                                                     std::to_string(kQuantityLimit_tco2e) +
                                                     " tCO2e");
  }
  return std::nullopt;
}

// Looks up project + period, with the actor a participant of it.
Verdict ParticipantStep(const Ctx& ctx, std::string& id, const core::Period& period,
                        const Project** p, const MonitoringPeriodState** m) {
  JCM_CYCLE_TRY(ResolveProject(ctx.state, id, p));
  JCM_CYCLE_TRY(RequireParticipant(ctx.actor, **p));
  JCM_CYCLE_TRY(RequireProjectState(**p, {ProjectStatus::kRegistered}));
  return RequirePeriod(**p, period, m);
}

// A subsidised project's Government of Japan receives at least ceil(total / 2) (allocation.h),
// which a JC's own per-side amounts must leave room for on side JP.
Verdict RequireJapanHalf(const Project& p, const std::vector<SideAmount>& sides, int64_t total) {
  if (!IsSubsidised(p.funding)) return std::nullopt;
  int64_t japan = 0;
  for (const SideAmount& side : sides) {
    if (side.side == "JP") japan += side.amount_tco2e;
  }
  if (japan * 2 >= total) return std::nullopt;
  return Reject(CycleCheck::kSubsidisedGojBelowHalf,
                "a " + std::string(ToString(p.funding)) +
                    " project gives the Government of Japan at least half of " +
                    std::to_string(total) + "; side JP is notified " + std::to_string(japan));
}

Verdict SidesSumTo(const Project& p, const std::vector<SideAmount>& sides, int64_t total) {
  int64_t sum = 0;
  for (const SideAmount& side : sides) {
    if (side.side != "JP" && side.side != p.partner) {
      return Reject(CycleCheck::kAllocationUnknownSide,
                    "amount for side '" + side.side + "': only JP and " + p.partner);
    }
    JCM_CYCLE_TRY(RequireAmount(side.amount_tco2e, "a side's amount"));
    sum += side.amount_tco2e;
  }
  if (sum == total) return std::nullopt;
  return Reject(
      CycleCheck::kSideAmountsNotSummingToTotal,
      "per-side amounts sum to " + std::to_string(sum) + ", not " + std::to_string(total));
}

}  // namespace

Verdict DecidePayload(const Ctx& ctx, AddMonitoringPeriod& c) {
  const Project* p = nullptr;
  JCM_CYCLE_TRY(ResolveProject(ctx.state, c.project, &p));
  JCM_CYCLE_TRY(RequireParticipant(ctx.actor, *p));
  JCM_CYCLE_TRY(RequireProjectState(*p, {ProjectStatus::kRegistered}));
  for (const MonitoringPeriodState& other : p->periods) {
    if (other.period.Overlaps(c.period)) {
      return Reject(CycleCheck::kMonitoringPeriodOverlap,
                    c.period.ToString() + " overlaps " + other.period.ToString());
    }
  }
  return RequireProjectDates(ctx, c.date, *p);
}

Verdict DecidePayload(const Ctx& ctx, SubmitMonitoringReport& c) {
  const Project* p = nullptr;
  const MonitoringPeriodState* m = nullptr;
  JCM_CYCLE_TRY(ParticipantStep(ctx, c.project, c.period, &p, &m));
  JCM_CYCLE_TRY(RequireMonitoringState(*m, MonitoringStatus::kOpen));
  JCM_CYCLE_TRY(RequireAmount(c.reported_tco2e, "the reported reduction"));
  JCM_CYCLE_TRY(RequireDocument(c.document, "the monitoring report"));
  if (!c.mrv_calculation_sha256.empty() && !IsSha256Hex(c.mrv_calculation_sha256)) {
    return Reject(CycleCheck::kMissingDocument, "the MRV calculation hash is not SHA-256 hex");
  }
  std::vector<std::string> hashes = c.mrv_input_sha256;
  hashes.insert(hashes.end(), c.mrv_data_sha256.begin(), c.mrv_data_sha256.end());
  for (const auto* one : {&c.mrv_methodology_sha256, &c.mrv_params_sha256}) {
    if (one->has_value()) hashes.push_back(**one);
  }
  for (const std::string& hash : hashes) {
    if (!IsSha256Hex(hash)) {
      return Reject(CycleCheck::kMissingDocument, "an MRV input hash is not SHA-256 hex");
    }
  }
  JCM_CYCLE_TRY(RequireProjectDates(ctx, c.date, *p));
  if (c.date <= c.period.end) {
    return Reject(CycleCheck::kPeriodNotEnded,
                  "the monitoring period ends on " + c.period.end.ToString());
  }
  return std::nullopt;
}

Verdict DecidePayload(const Ctx& ctx, SubmitVerification& c) {
  const Project* p = nullptr;
  JCM_CYCLE_TRY(ResolveProject(ctx.state, c.project, &p));
  JCM_CYCLE_TRY(RequireRole(ctx.actor, {Role::kTpe}));
  if (!ctx.state.IsTpeDesignated(p->partner, ctx.actor.org, p->sectoral_scope,
                                 TpeFunction::kVerification, c.date)) {
    return Reject(CycleCheck::kTpeNotDesignated,
                  ctx.actor.org + " is not designated for verification in scope " +
                      std::to_string(p->sectoral_scope) + " by the Japan–" + p->partner + " JC");
  }
  JCM_CYCLE_TRY(RequireProjectState(*p, {ProjectStatus::kRegistered}));
  const MonitoringPeriodState* m = nullptr;
  JCM_CYCLE_TRY(RequirePeriod(*p, c.period, &m));
  JCM_CYCLE_TRY(RequireMonitoringState(*m, MonitoringStatus::kReported));
  JCM_CYCLE_TRY(RequireAmount(c.verified_tco2e, "the verified reduction"));
  if (c.verified_tco2e > m->reported_tco2e) {
    return Reject(CycleCheck::kVerifiedAboveReported,
                  "verified " + std::to_string(c.verified_tco2e) + " > reported " +
                      std::to_string(m->reported_tco2e));
  }
  JCM_CYCLE_TRY(RequireDocument(c.report, "the verification report"));
  return RequireProjectDates(ctx, c.date, *p);
}

Verdict DecidePayload(const Ctx& ctx, RequestIssuance& c) {
  const Project* p = nullptr;
  const MonitoringPeriodState* m = nullptr;
  JCM_CYCLE_TRY(ParticipantStep(ctx, c.project, c.period, &p, &m));
  JCM_CYCLE_TRY(RequireMonitoringState(*m, MonitoringStatus::kVerified));
  JCM_CYCLE_TRY(RequireAmount(c.requested_tco2e, "the requested quantity"));
  if (c.requested_tco2e > m->verified_tco2e) {
    return Reject(CycleCheck::kIssuanceAboveVerified,
                  "requested " + std::to_string(c.requested_tco2e) + " > verified " +
                      std::to_string(m->verified_tco2e));
  }
  JCM_CYCLE_TRY(RequireDocument(c.document, "the issuance request form"));
  return RequireProjectDates(ctx, c.date, *p);
}

Verdict DecidePayload(const Ctx& ctx, WithdrawIssuanceRequest& c) {
  const Project* p = nullptr;
  const MonitoringPeriodState* m = nullptr;
  JCM_CYCLE_TRY(ParticipantStep(ctx, c.project, c.period, &p, &m));
  JCM_CYCLE_TRY(RequireMonitoringState(*m, MonitoringStatus::kIssuanceRequested));
  return RequireProjectDates(ctx, c.date, *p);
}

Verdict DecidePayload(const Ctx& ctx, DecideIssuance& c) {
  const Project* p = nullptr;
  JCM_CYCLE_TRY(ResolveProject(ctx.state, c.project, &p));
  JCM_CYCLE_TRY(RequireRole(ctx.actor, {Role::kJointCommittee}));
  JCM_CYCLE_TRY(RequirePairBody(ctx.actor, p->partner));
  JCM_CYCLE_TRY(RequireProjectState(*p, {ProjectStatus::kRegistered}));
  const MonitoringPeriodState* m = nullptr;
  JCM_CYCLE_TRY(RequirePeriod(*p, c.period, &m));
  JCM_CYCLE_TRY(RequireMonitoringState(*m, MonitoringStatus::kIssuanceRequested));
  JCM_CYCLE_TRY(RequireAmount(c.total_tco2e, "the decided total"));
  if (c.total_tco2e > m->verified_tco2e) {
    return Reject(CycleCheck::kIssuanceAboveVerified, "decided " + std::to_string(c.total_tco2e) +
                                                          " > verified " +
                                                          std::to_string(m->verified_tco2e));
  }
  if (c.sides.empty()) {
    int64_t allocated_bp = 0;
    for (const Share& share : p->allocation) allocated_bp += share.share_bp;
    if (allocated_bp != kHundredPercentBp) {
      return Reject(CycleCheck::kAllocationNotHundredPercent,
                    "project " + p->id + " has no allocation to split the total by");
    }
    // One rounding stage over every holder: the sides are the sums of the holders' amounts.
    c.sides = SideTotals(AllocateDecision(c.total_tco2e, p->allocation, IsSubsidised(p->funding)));
  }
  JCM_CYCLE_TRY(SidesSumTo(*p, c.sides, c.total_tco2e));
  JCM_CYCLE_TRY(RequireJapanHalf(*p, c.sides, c.total_tco2e));
  return RequireProjectDates(ctx, c.date, *p);
}

Verdict DecidePayload(const Ctx& ctx, RecordIssuanceDecision& c) {
  const Project* p = nullptr;
  JCM_CYCLE_TRY(ResolveProject(ctx.state, c.project, &p));
  JCM_CYCLE_TRY(RequireRole(ctx.actor, {Role::kSecretariat}));
  JCM_CYCLE_TRY(RequirePairBody(ctx.actor, p->partner));
  JCM_CYCLE_TRY(RequireProjectState(*p, {ProjectStatus::kRegistered}));
  for (const MonitoringPeriodState& other : p->periods) {
    if (other.period == c.period) {
      return Reject(CycleCheck::kAlreadyExists,
                    "decision for " + p->id + " " + c.period.ToString() + " already recorded");
    }
    if (other.period.Overlaps(c.period)) {
      return Reject(CycleCheck::kMonitoringPeriodOverlap,
                    c.period.ToString() + " overlaps " + other.period.ToString());
    }
  }
  if (c.sides.empty()) return Reject(CycleCheck::kEmptyField, "no per-side amounts");
  for (size_t i = 0; i < c.sides.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (c.sides[i].side == c.sides[j].side) {
        return Reject(CycleCheck::kAlreadyExists, "side " + c.sides[i].side + " given twice");
      }
    }
  }
  int64_t total = 0;
  for (const SideAmount& side : c.sides) total += std::max<int64_t>(side.amount_tco2e, 0);
  JCM_CYCLE_TRY(SidesSumTo(*p, c.sides, total));
  return RequireNotFuture(c.date, ctx.today);
}

Verdict DecidePayload(const Ctx& ctx, ExecuteIssuance& c) {
  const Project* p = nullptr;
  JCM_CYCLE_TRY(ResolveProject(ctx.state, c.project, &p));
  JCM_CYCLE_TRY(RequireRole(ctx.actor, {Role::kRegistryManager}));
  if (ctx.actor.org != c.side) {
    return Reject(CycleCheck::kRegistryManagerWrongSide,
                  "the registry manager of " + ctx.actor.org + " may not issue in " + c.side);
  }
  const MonitoringPeriodState* m = nullptr;
  JCM_CYCLE_TRY(RequirePeriod(*p, c.period, &m));
  JCM_CYCLE_TRY(RequireMonitoringState(*m, MonitoringStatus::kDecided));
  auto side = std::find_if(m->sides.begin(), m->sides.end(),
                           [&](const SideState& st) { return st.side == c.side; });
  if (side == m->sides.end() || side->amount_tco2e == 0) {
    return Reject(CycleCheck::kNothingToIssueOnSide,
                  "the JC notified nothing to " + c.side + " for " + c.period.ToString());
  }
  if (side->executed.has_value()) {
    return Reject(CycleCheck::kAlreadyExecuted,
                  c.side + " executed this decision on " + side->executed->ToString());
  }
  JCM_CYCLE_TRY(RequireNotFuture(c.date, ctx.today));
  return RequireNotBefore(c.date, m->decision_date, "the JC issuance decision");
}

}  // namespace jcm::cycle::internal
