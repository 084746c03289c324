#include "cli/mrv/mrv_json.h"

#include <boost/json.hpp>

namespace jcm::cli::mrv_internal {
namespace {

namespace json = boost::json;

std::string_view KindName(mrv::ParameterKind kind) {
  switch (kind) {
    case mrv::ParameterKind::kDefault:
      return "default";
    case mrv::ParameterKind::kExAnte:
      return "ex_ante";
    case mrv::ParameterKind::kMonitored:
      return "monitored";
  }
  return "unknown";
}

// Exact decimal when the value terminates; otherwise 30 digits truncated toward zero plus a
// "<name>_fraction" field with the exact value "P/Q".
void PutExact(json::object& object, const std::string& name, const mrv::Rational& value) {
  bool exact = false;
  const std::string decimal = value.ToDecimalString(60, &exact);
  if (exact) {
    object[name] = decimal;
    return;
  }
  object[name] = value.ToDecimalString(30);
  object[name + "_fraction"] = value.ToFractionString();
}

json::object Identity(const mrv::Methodology& m) {
  json::object o;
  o["id"] = m.id;
  o["version"] = m.version;
  o["title"] = m.title;
  o["technology"] = m.technology;
  o["country"] = m.country;
  o["sectoral_scope"] = m.sectoral_scope;
  o["status"] = m.status;
  return o;
}

json::object PeriodJson(const mrv::PeriodResult& p) {
  json::object o;
  o["period"] = p.period.ToString();
  o["start"] = p.period.start.ToString();
  o["end"] = p.period.end.ToString();
  PutExact(o, "reference_emissions_tco2e", p.re_tco2e);
  PutExact(o, "project_emissions_tco2e", p.pe_tco2e);
  PutExact(o, "emission_reductions_exact_tco2e", p.er_tco2e);
  o["emission_reductions_tco2e"] = p.er_rounded_tco2e;
  o["issuable"] = p.issuable;
  json::array reasons;
  for (const std::string& reason : p.not_issuable_reasons) reasons.emplace_back(reason);
  o["not_issuable_reasons"] = std::move(reasons);
  json::array points;
  for (const mrv::PointResult& point : p.points) {
    json::object po;
    po["point"] = point.point;
    PutExact(po, "reference_emissions_tco2e", point.re_tco2e);
    PutExact(po, "project_emissions_tco2e", point.pe_tco2e);
    PutExact(po, "emission_reductions_exact_tco2e", point.er_tco2e);
    points.push_back(std::move(po));
  }
  o["points"] = std::move(points);
  return o;
}

}  // namespace

std::string MethodologyListJson(const std::vector<mrv::Methodology>& methodologies) {
  json::array list;
  for (const mrv::Methodology& m : methodologies) list.push_back(Identity(m));
  return json::serialize(list);
}

std::string MethodologyJson(const mrv::Methodology& m) {
  json::object o = Identity(m);
  o["source"] = m.source;
  json::array parameters;
  for (const mrv::ParameterDef& p : m.parameters) {
    json::object po;
    po["name"] = p.name;
    po["unit"] = p.unit.ToString();
    po["kind"] = KindName(p.kind);
    po["description"] = p.description;
    if (p.default_value) PutExact(po, "default", *p.default_value);
    if (!p.indexed_defaults.empty()) {
      json::object defaults;
      for (const auto& [key, value] : p.indexed_defaults) defaults[key] = value.ToDecimalString();
      po["defaults"] = std::move(defaults);
    }
    po["options"] = p.options;
    po["frequency"] = p.frequency;
    if (p.range_min) po["range_min"] = p.range_min->ToDecimalString();
    if (p.range_max) po["range_max"] = p.range_max->ToDecimalString();
    if (!p.source.empty()) po["source"] = p.source;
    if (!p.provisional.empty()) po["provisional"] = p.provisional;
    parameters.push_back(std::move(po));
  }
  o["parameters"] = std::move(parameters);
  json::array eligibility;
  for (const mrv::Criterion& c : m.eligibility) {
    eligibility.push_back(
        json::object{{"id", c.id}, {"text", c.text}, {"condition", c.condition.text()}});
  }
  o["eligibility"] = std::move(eligibility);
  json::array equations;
  for (const mrv::Equation& e : m.equations) {
    json::object eo{{"name", e.name},
                    {"unit", e.unit.ToString()},
                    {"tag", e.tag},
                    {"expr", e.expression.text()}};
    if (!e.provisional.empty()) eo["provisional"] = e.provisional;
    equations.push_back(std::move(eo));
  }
  o["equations"] = std::move(equations);
  return json::serialize(o);
}

std::string ReportJson(const mrv::CalcReport& report, const std::vector<HashedInput>& inputs) {
  json::object o;
  o["methodology"] = json::object{{"ref", report.methodology_ref},
                                  {"title", report.methodology_title},
                                  {"technology", report.technology},
                                  {"rounding", report.rounding}};
  o["project"] = report.project_id;
  o["eligible"] = report.eligible;
  json::array eligibility;
  for (const mrv::EligibilityResult& e : report.eligibility) {
    eligibility.push_back(json::object{{"id", e.id},
                                       {"text", e.text},
                                       {"point", e.point},
                                       {"passed", e.passed},
                                       {"message", e.message}});
  }
  o["eligibility"] = std::move(eligibility);
  json::array periods;
  int64_t total = 0;
  bool all_issuable = true;
  for (const mrv::PeriodResult& p : report.periods) {
    periods.push_back(PeriodJson(p));
    // Conservative total: a period that is not issuable contributes nothing.
    if (p.issuable) total += p.er_rounded_tco2e;
    all_issuable = all_issuable && p.issuable;
  }
  o["periods"] = std::move(periods);
  o["emission_reductions_tco2e"] = total;
  o["issuable"] = all_issuable;
  json::array parameters;
  for (const mrv::ParameterUse& u : report.parameters) {
    json::object po{{"name", u.name},
                    {"point", u.point},
                    {"period", u.period},
                    {"unit", u.unit},
                    {"source", u.source}};
    PutExact(po, "value", u.value);
    if (!u.option.empty()) po["option"] = u.option;
    if (!u.provisional.empty()) po["provisional"] = u.provisional;
    parameters.push_back(std::move(po));
  }
  o["parameters"] = std::move(parameters);
  json::array findings;
  for (const mrv::Finding& f : report.findings) {
    findings.push_back(json::object{{"severity", mrv::SeverityName(f.severity)},
                                    {"code", f.code},
                                    {"period", f.period},
                                    {"point", f.point},
                                    {"parameter", f.parameter},
                                    {"count", f.count},
                                    {"message", f.message}});
  }
  o["data_quality"] = std::move(findings);
  json::array provisional;
  for (const std::string& p : report.provisional) provisional.emplace_back(p);
  o["provisional"] = std::move(provisional);
  json::array files;
  for (const HashedInput& input : inputs) {
    json::object fo{{"role", input.role},
                    {"path", input.path},
                    {"bytes", input.bytes},
                    {"sha256", input.sha256}};
    for (const mrv::InputFile& f : report.files) {
      if (f.path == input.path) fo["rows"] = f.rows;
    }
    files.push_back(std::move(fo));
  }
  o["inputs"] = std::move(files);
  return json::serialize(o);
}

}  // namespace jcm::cli::mrv_internal
