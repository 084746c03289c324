// Series plans of CSV ingest: how readings of one (point, parameter, unit) are checked and
// converted, and the exact contribution of one reading after conservative treatment.
#include <algorithm>
#include <limits>
#include <utility>

#include "mrv/ingest_internal.h"
#include "mrv/keyed_text.h"

namespace jcm::mrv {
namespace internal {

std::string PointNotDeclaredMessage(const ProjectParams& project, std::string_view point) {
  std::string message = "monitoring point \"" + std::string(point) +
                        "\" is not declared in the parameter file " + project.file_name +
                        ": add [point " + std::string(point) +
                        "] with calibration = START..END (declared:";
  constexpr size_t kNamesShown = 10;
  for (size_t i = 0; i < project.points.size() && i < kNamesShown; ++i) {
    message += " " + project.points[i].name;
  }
  if (project.points.empty()) message += " none";
  if (project.points.size() > kNamesShown) message += " …";
  return message + ")";
}

namespace {

// The calibration window of the plan's point, and whether readings must be checked against it.
void SetCalibration(const IngestContext& context, SeriesPlan* plan) {
  const PointSpec* spec = context.project->FindPoint(plan->point);
  if (spec == nullptr || !spec->calibration) return;
  plan->calibration_declared = true;
  plan->calibration_first_day = spec->calibration->start.days_since_epoch();
  plan->calibration_last_day = spec->calibration->end.days_since_epoch();
  for (const PeriodWindow& period : context.periods) {
    if (period.first_day < plan->calibration_first_day ||
        period.last_day > plan->calibration_last_day) {
      plan->has_calibration = true;
    }
  }
}

}  // namespace

core::Result<SeriesPlan> MakeSeriesPlan(const IngestContext& context, std::string_view point,
                                        std::string_view parameter, std::string_view unit) {
  for (const auto& [kind, name] : {std::pair{"point", point}, std::pair{"parameter", parameter}}) {
    if (std::string error = ControlCharacterError(kind, name); !error.empty()) {
      return core::InvalidArgument(error);
    }
  }
  if (!point.empty() && context.project->FindPoint(point) == nullptr) {
    // Readings of an undeclared meter would be credited with no calibration check: renaming a
    // meter would escape the uncalibrated-meter treatment.
    return core::InvalidArgument(PointNotDeclaredMessage(*context.project, point));
  }
  const ParameterDef* definition = context.methodology->FindParameter(parameter);
  if (definition == nullptr || definition->kind != ParameterKind::kMonitored) {
    std::string message = "\"";
    message.append(parameter).append("\" is not a monitored parameter of ");
    message.append(context.methodology->ref()).append(" (monitored:");
    for (const ParameterDef& p : context.methodology->parameters) {
      if (p.kind == ParameterKind::kMonitored) message.append(" ").append(p.name);
    }
    return core::InvalidArgument(message.append(")"));
  }
  if (point.empty()) return core::InvalidArgument("empty monitoring point");
  if (unit.empty()) return core::InvalidArgument("missing unit for " + std::string(parameter));
  auto parsed = Unit::Parse(unit);
  if (!parsed.ok()) return parsed.status();
  if (!parsed->SameDimension(definition->unit)) {
    return core::InvalidArgument("unit mismatch: " + std::string(unit) + " does not measure " +
                                 definition->unit.ToString() + " (parameter " + definition->name +
                                 ")");
  }
  SeriesPlan plan;
  plan.point = std::string(point);
  plan.parameter = std::string(parameter);
  plan.unit_text = std::string(unit);
  plan.definition = definition;
  plan.factor = parsed->FactorTo(definition->unit);
  const Rational inverse = *Rational::FromInt(1).DividedBy(plan.factor);
  Rational power = Rational::FromInt(1);
  for (int s = 0; s <= kDecimalScaleMax; ++s) {
    // Limits beyond 128 bits saturate: no reading can cross them anyway.
    if (definition->range_min) {
      plan.has_min = true;
      if (!(*definition->range_min * inverse * power).CeilToInt128(&plan.min_ceil[s])) {
        plan.min_ceil[s] =
            definition->range_min->is_negative() ? -(Int128(1) << 126) : (Int128(1) << 126);
      }
    }
    if (definition->range_max) {
      plan.has_max = true;
      if (!(*definition->range_max * inverse * power).FloorToInt128(&plan.max_floor[s])) {
        plan.max_floor[s] =
            definition->range_max->is_negative() ? -(Int128(1) << 126) : (Int128(1) << 126);
      }
    }
    constexpr Int128 kLimit = std::numeric_limits<int64_t>::max();
    plan.min_ceil64[s] = static_cast<int64_t>(std::clamp(plan.min_ceil[s], -kLimit, kLimit));
    plan.max_floor64[s] = static_cast<int64_t>(std::clamp(plan.max_floor[s], -kLimit, kLimit));
    power = power * Rational::FromInt(10);
  }
  plan.high_side = definition->conservative == Conservative::kHigh;
  SetCalibration(context, &plan);
  return plan;
}

Rational TreatedContribution(const SeriesPlan& plan, const DecimalValue& reading, int64_t day,
                             const Rational& uncalibrated_weight) {
  const ParameterDef& def = *plan.definition;
  const Rational value = Rational::FromScaled(reading.mantissa, reading.scale) * plan.factor;
  const bool below = def.range_min && value < *def.range_min;
  const bool above = def.range_max && value > *def.range_max;
  if (below || (above && def.conservative == Conservative::kLow)) {
    return def.range_min ? *def.range_min : Rational();
  }
  if (plan.has_calibration &&
      (day < plan.calibration_first_day || day > plan.calibration_last_day)) {
    return value * uncalibrated_weight;
  }
  return value;
}

// slots |= from; an interval set on both sides (or already duplicated) is a duplicate.
void MergeSlots(const std::vector<uint64_t>& from, const std::vector<uint64_t>& from_dups,
                std::vector<uint64_t>* slots, std::vector<uint64_t>* dups) {
  for (size_t w = 0; w < from.size(); ++w) {
    const uint64_t twice = ((*slots)[w] & from[w]) | (w < from_dups.size() ? from_dups[w] : 0);
    if (twice != 0) {
      if (dups->empty()) dups->assign(slots->size(), 0);
      (*dups)[w] |= twice;
    }
    (*slots)[w] |= from[w];
  }
}

void MergeAccum(const Accum& from, Accum* to, bool* overflow) {
  if (!to->sum.Merge(from.sum) || !to->uncalibrated.Merge(from.uncalibrated)) *overflow = true;
  if (from.has_high_water &&
      (!to->has_high_water || from.high_water.ToRational() > to->high_water.ToRational())) {
    to->high_water = from.high_water;
    to->has_high_water = true;
  }
  to->count += from.count;
  to->uncalibrated_count += from.uncalibrated_count;
  to->replaced_by_min += from.replaced_by_min;
  to->dropped += from.dropped;
  to->empty_count += from.empty_count;
  to->overlap_count += from.overlap_count;
  to->slotted_count += from.slotted_count;
  to->first_issue_offset = std::min(to->first_issue_offset, from.first_issue_offset);
  if (!from.slots.empty()) {
    if (to->slots.empty()) to->slots.assign(from.slots.size(), 0);
    MergeSlots(from.slots, from.dup_slots, &to->slots, &to->dup_slots);
  }
}

}  // namespace internal

}  // namespace jcm::mrv
