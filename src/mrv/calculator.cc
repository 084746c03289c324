#include "mrv/calculator.h"

#include <map>
#include <set>
#include <tuple>
#include <utility>

namespace jcm::mrv {
namespace {

std::string KeyOf(std::string_view name, std::span<const std::string> keys) {
  std::string key(name);
  if (keys.empty()) return key;
  key += '[';
  for (size_t i = 0; i < keys.size(); ++i) {
    if (i > 0) key += ',';
    key += keys[i];
  }
  return key + ']';
}

class Calculator {
 public:
  Calculator(const Methodology& m, const ProjectParams& project, const MonitoringData& data)
      : m_(m), project_(project), data_(data) {}

  core::Result<CalcReport> Run() {
    report_.methodology_ref = m_.ref();
    report_.methodology_title = m_.title;
    report_.technology = m_.technology;
    report_.project_id = project_.project_id;
    report_.rounding = m_.rounding == Rounding::kFloor    ? "floor"
                       : m_.rounding == Rounding::kHalfUp ? "half_up"
                                                          : "none";
    report_.findings = data_.findings;
    report_.files = data_.files;
    JCM_RETURN_IF_ERROR(CheckOverrides());
    CollectPoints();
    JCM_RETURN_IF_ERROR(CheckEligibility());
    for (size_t p = 0; p < data_.periods.size(); ++p) JCM_RETURN_IF_ERROR(RunPeriod(p));
    CollectProvisional();
    return std::move(report_);
  }

 private:
  core::Status CheckOverrides() {
    for (const auto& [key, value] : project_.values) {
      const std::string name = key.substr(0, key.find('['));
      const ParameterDef* p = m_.FindParameter(name);
      if (p == nullptr) {
        return core::InvalidArgument(project_.file_name + ":" + std::to_string(value.line) +
                                     ":1: " + name + " is not a parameter of " + m_.ref());
      }
      if (p->kind == ParameterKind::kMonitored ||
          (p->kind == ParameterKind::kDefault && !p->configurable)) {
        return core::InvalidArgument(
            project_.file_name + ":" + std::to_string(value.line) + ":1: " + name + " is " +
            (p->kind == ParameterKind::kMonitored ? "monitored" : "a fixed default") + " in " +
            m_.ref() + " and cannot be set by the project");
      }
    }
    return core::OkStatus();
  }

  void CollectPoints() {
    std::set<std::string> points;
    for (const PointSpec& spec : project_.points) points.insert(spec.name);
    for (const auto& [key, total] : data_.series) points.insert(key.point);
    points_.assign(points.begin(), points.end());
  }

  // Ex-ante and default values: point section, project values, methodology default.
  core::Result<Rational> Fixed(const ParameterDef& def, const std::string& key,
                               const PointSpec* spec, bool record) {
    const ParamValue* found = nullptr;
    std::string source;
    if (spec != nullptr) {
      if (auto it = spec->values.find(key); it != spec->values.end()) {
        found = &it->second;
        source = "project point";
      }
    }
    if (found == nullptr) {
      if (auto it = project_.values.find(key); it != project_.values.end()) {
        found = &it->second;
        source = "project";
      }
    }
    Rational value;
    if (found != nullptr) {
      value = found->value;
      if ((def.range_min && value < *def.range_min) || (def.range_max && value > *def.range_max)) {
        return core::InvalidArgument(
            project_.file_name + ":" + std::to_string(found->line) + ":1: " + key + " = " +
            value.ToDecimalString() + " is outside its valid range " +
            (def.range_min ? def.range_min->ToDecimalString() : "") + ".." +
            (def.range_max ? def.range_max->ToDecimalString() : "") +
            (def.unit.IsDimensionless() ? std::string() : " " + def.unit.ToString()));
      }
    } else {
      const size_t open = key.find('[');
      if (open != std::string::npos) {
        auto it = def.indexed_defaults.find(key.substr(open + 1, key.size() - open - 2));
        if (it == def.indexed_defaults.end()) {
          return core::FailedPrecondition("no value for " + key + " (" + def.description + ")");
        }
        value = it->second;
      } else if (def.default_value) {
        value = *def.default_value;
      } else {
        return core::FailedPrecondition("no value for ex-ante parameter " + key + " in " +
                                        project_.file_name + " (" + def.description + ")");
      }
      source = "methodology default";
    }
    if (record) Record(def, key, source == "project point" ? spec->name : "", "", value, source);
    return value;
  }

  void Record(const ParameterDef& def, const std::string& key, const std::string& point,
              const std::string& period, const Rational& value, const std::string& source) {
    if (!recorded_.emplace(key, point, period).second) return;
    std::string option;
    if (const PointSpec* spec = project_.FindPoint(point)) {
      if (auto it = spec->options.find(def.name); it != spec->options.end()) option = it->second;
    }
    report_.parameters.push_back(
        ParameterUse{key, point, period, value, def.unit.ToString(), source, option,
                     source == "methodology default" ? def.provisional : ""});
  }

  core::Result<Rational> Monitored(const ParameterDef& def, size_t period,
                                   const std::string& point) {
    const std::string period_text = data_.periods[period].ToString();
    if (const SeriesTotal* total = data_.Find(period, point, def.name)) {
      Record(def, def.name, point, period_text, total->total, "monitored");
      return total->total;
    }
    const std::string message = "no monitoring data for " + def.name + " at point " + point;
    report_.findings.push_back(
        Finding{def.missing_is_zero ? Severity::kWarning : Severity::kError,
                "no_data",
                period_text,
                point,
                def.name,
                0,
                {},
                message + (def.missing_is_zero ? "; taken as 0 as the methodology allows"
                                               : "; the period is not issuable")});
    // An error-severity no_data finding makes the period not issuable (RunPeriod).
    Record(def, def.name, point, period_text, Rational(), "missing (0)");
    return Rational();
  }

  ValueResolver Resolver(const std::string& point, size_t period, PeriodResult* result,
                         std::map<std::string, Rational, std::less<>>* equations) {
    const PointSpec* spec = project_.FindPoint(point);
    return [this, point, period, result, equations, spec](
               std::string_view name, std::span<const std::string> keys) -> core::Result<Rational> {
      if (auto it = equations->find(name); it != equations->end()) return it->second;
      const ParameterDef* def = m_.FindParameter(name);
      if (def == nullptr) return core::Internal("unresolved name " + std::string(name));
      if (def->kind == ParameterKind::kMonitored) {
        if (result == nullptr) return core::Internal("monitored value outside a period");
        return Monitored(*def, period, point);
      }
      return Fixed(*def, KeyOf(name, keys), spec, true);
    };
  }

  core::Status CheckEligibility() {
    std::vector<std::string> points = points_;
    if (points.empty()) points.push_back("");
    for (const Criterion& criterion : m_.eligibility) {
      for (const std::string& point : points) {
        std::map<std::string, Rational, std::less<>> no_equations;
        auto value =
            criterion.condition.Evaluate(m_.symbols, Resolver(point, 0, nullptr, &no_equations));
        if (!value.ok()) return value.status();
        const bool passed = !value->is_zero();
        report_.eligibility.push_back(EligibilityResult{
            criterion.id, criterion.text, point, passed,
            passed ? ""
                   : (criterion.message.empty() ? "criterion not met: " + criterion.condition.text()
                                                : criterion.message)});
        if (!passed) report_.eligible = false;
      }
    }
    return core::OkStatus();
  }

  core::Status RunPeriod(size_t p) {
    PeriodResult result;
    result.period = data_.periods[p];
    for (const std::string& point : points_) {
      std::map<std::string, Rational, std::less<>> equations;
      const ValueResolver resolver = Resolver(point, p, &result, &equations);
      for (const Equation& equation : m_.equations) {
        auto value = equation.expression.Evaluate(m_.symbols, resolver);
        if (!value.ok()) {
          return core::InvalidArgument("equation " + equation.name + " (" + equation.tag +
                                       ") at point " + point + ", period " +
                                       result.period.ToString() + ": " + value.status().message());
        }
        equations[equation.name] = std::move(value).value();
      }
      PointResult point_result{point, equations["RE"], equations["PE"], equations["ER"]};
      result.re_tco2e = result.re_tco2e + point_result.re_tco2e;
      result.pe_tco2e = result.pe_tco2e + point_result.pe_tco2e;
      result.er_tco2e = result.er_tco2e + point_result.er_tco2e;
      result.points.push_back(std::move(point_result));
    }
    JCM_RETURN_IF_ERROR(Round(&result));
    JCM_ASSIGN_OR_RETURN(result.calendar_years,
                         SplitByCalendarYear(result.period, result.re_tco2e, result.pe_tco2e,
                                             result.er_tco2e, result.er_rounded_tco2e));
    for (const Finding& finding : report_.findings) {
      if (finding.severity == Severity::kError && finding.period == result.period.ToString()) {
        result.issuable = false;
        result.not_issuable_reasons.push_back(finding.code + ": " + finding.message);
      }
    }
    if (!report_.eligible) {
      result.issuable = false;
      result.not_issuable_reasons.push_back("an eligibility criterion is not met");
    }
    if (result.er_rounded_tco2e < 0) {
      result.issuable = false;
      result.not_issuable_reasons.push_back("emission reductions are negative");
    }
    report_.periods.push_back(std::move(result));
    return core::OkStatus();
  }

  core::Status Round(PeriodResult* result) {
    // METHODOLOGY rounding: applied once, to the period total (default floor, conservative).
    core::Result<int64_t> rounded = int64_t{0};
    switch (m_.rounding) {
      case Rounding::kFloor:
      case Rounding::kNone:
        rounded = result->er_tco2e.FloorToInteger();
        break;
      case Rounding::kHalfUp:
        rounded = (result->er_tco2e + *Rational::Parse("0.5")).FloorToInteger();
        break;
    }
    if (!rounded.ok()) return rounded.status();
    result->er_rounded_tco2e = *rounded;
    return core::OkStatus();
  }

  void CollectProvisional() {
    for (const ParameterDef& p : m_.parameters) {
      if (!p.provisional.empty())
        report_.provisional.push_back("parameter " + p.name + ": " + p.provisional);
    }
    for (const Equation& e : m_.equations) {
      if (!e.provisional.empty())
        report_.provisional.push_back("equation " + e.name + ": " + e.provisional);
    }
  }

  const Methodology& m_;
  const ProjectParams& project_;
  const MonitoringData& data_;
  std::vector<std::string> points_;
  std::set<std::tuple<std::string, std::string, std::string>> recorded_;  // key, point, period
  CalcReport report_;
};

}  // namespace

core::Result<CalcReport> Calculate(const Methodology& methodology, const ProjectParams& project,
                                   const MonitoringData& data) {
  return Calculator(methodology, project, data).Run();
}

}  // namespace jcm::mrv
