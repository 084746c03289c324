#include "service/json/mrv_json.h"

#include "core/sha256.h"

namespace jcm::service::json {

namespace bj = boost::json;

namespace {

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
void PutExact(bj::object& object, const std::string& name, const mrv::Rational& value) {
  bool exact = false;
  const std::string decimal = value.ToDecimalString(60, &exact);
  if (exact) {
    object[name] = decimal;
    return;
  }
  object[name] = value.ToDecimalString(30);
  object[name + "_fraction"] = value.ToFractionString();
}

bj::object Identity(const mrv::Methodology& m) {
  return {{"id", m.id},           {"version", m.version},
          {"title", m.title},     {"technology", m.technology},
          {"country", m.country}, {"sectoral_scope", m.sectoral_scope},
          {"status", m.status}};
}

bj::object ParameterJson(const mrv::ParameterDef& p) {
  bj::object po{{"name", p.name},
                {"unit", p.unit.ToString()},
                {"kind", KindName(p.kind)},
                {"description", p.description}};
  if (p.default_value) PutExact(po, "default", *p.default_value);
  if (!p.indexed_defaults.empty()) {
    bj::object defaults;
    for (const auto& [key, value] : p.indexed_defaults) defaults[key] = value.ToDecimalString();
    po["defaults"] = std::move(defaults);
  }
  po["options"] = p.options;
  po["frequency"] = p.frequency;
  if (p.range_min) po["range_min"] = p.range_min->ToDecimalString();
  if (p.range_max) po["range_max"] = p.range_max->ToDecimalString();
  if (!p.source.empty()) po["source"] = p.source;
  if (!p.provisional.empty()) po["provisional"] = p.provisional;
  return po;
}

bj::object PeriodJson(const mrv::PeriodResult& p) {
  bj::object o{{"period", p.period.ToString()},
               {"start", p.period.start.ToString()},
               {"end", p.period.end.ToString()}};
  PutExact(o, "reference_emissions_tco2e", p.re_tco2e);
  PutExact(o, "project_emissions_tco2e", p.pe_tco2e);
  PutExact(o, "emission_reductions_exact_tco2e", p.er_tco2e);
  o["emission_reductions_tco2e"] = p.er_rounded_tco2e;
  o["issuable"] = p.issuable;
  bj::array reasons;
  for (const std::string& reason : p.not_issuable_reasons) reasons.emplace_back(reason);
  o["not_issuable_reasons"] = std::move(reasons);
  bj::array points;
  for (const mrv::PointResult& point : p.points) {
    bj::object po{{"point", point.point}};
    PutExact(po, "reference_emissions_tco2e", point.re_tco2e);
    PutExact(po, "project_emissions_tco2e", point.pe_tco2e);
    PutExact(po, "emission_reductions_exact_tco2e", point.er_tco2e);
    points.push_back(std::move(po));
  }
  o["points"] = std::move(points);
  // Per calendar year (Article 6 vintages): exact shares by days, whole units by largest
  // remainder summing to the period's emission_reductions_tco2e (docs/mrv.md).
  bj::array years;
  for (const mrv::CalendarYearShare& y : p.calendar_years) {
    bj::object yo{{"year", y.year}, {"days", y.days}};
    PutExact(yo, "reference_emissions_tco2e", y.re_tco2e);
    PutExact(yo, "project_emissions_tco2e", y.pe_tco2e);
    PutExact(yo, "emission_reductions_exact_tco2e", y.er_tco2e);
    yo["emission_reductions_tco2e"] = y.er_rounded_tco2e;
    years.push_back(std::move(yo));
  }
  o["calendar_years"] = std::move(years);
  return o;
}

bj::array ParameterUsesJson(const std::vector<mrv::ParameterUse>& uses) {
  bj::array parameters;
  for (const mrv::ParameterUse& u : uses) {
    bj::object po{{"name", u.name},
                  {"point", u.point},
                  {"period", u.period},
                  {"unit", u.unit},
                  {"source", u.source}};
    PutExact(po, "value", u.value);
    if (!u.option.empty()) po["option"] = u.option;
    if (!u.provisional.empty()) po["provisional"] = u.provisional;
    parameters.push_back(std::move(po));
  }
  return parameters;
}

bj::array InputsJson(const MrvCalculation& calculation) {
  bj::array files;
  for (const HashedInput& input : calculation.inputs) {
    bj::object fo{{"role", input.role},
                  {"path", input.path},
                  {"bytes", input.bytes},
                  {"sha256", input.sha256}};
    for (const mrv::InputFile& f : calculation.report.files) {
      if (f.path == input.path) fo["rows"] = f.rows;
    }
    files.push_back(std::move(fo));
  }
  return files;
}

}  // namespace

bj::array MethodologyListJson(const std::vector<mrv::Methodology>& methodologies) {
  bj::array list;
  for (const mrv::Methodology& m : methodologies) list.push_back(Identity(m));
  return list;
}

bj::object MethodologyJson(const mrv::Methodology& m) {
  bj::object o = Identity(m);
  o["source"] = m.source;
  bj::array parameters;
  for (const mrv::ParameterDef& p : m.parameters) parameters.push_back(ParameterJson(p));
  o["parameters"] = std::move(parameters);
  bj::array eligibility;
  for (const mrv::Criterion& c : m.eligibility) {
    eligibility.push_back({{"id", c.id}, {"text", c.text}, {"condition", c.condition.text()}});
  }
  o["eligibility"] = std::move(eligibility);
  bj::array equations;
  for (const mrv::Equation& e : m.equations) {
    bj::object eo{{"name", e.name},
                  {"unit", e.unit.ToString()},
                  {"tag", e.tag},
                  {"expr", e.expression.text()}};
    if (!e.derived.empty()) eo["derived"] = e.derived;
    if (!e.provisional.empty()) eo["provisional"] = e.provisional;
    equations.push_back(std::move(eo));
  }
  o["equations"] = std::move(equations);
  return o;
}

bj::object MrvReportJson(const MrvCalculation& calculation) {
  const mrv::CalcReport& report = calculation.report;
  bj::object o;
  o["methodology"] = bj::object{{"ref", report.methodology_ref},
                                {"title", report.methodology_title},
                                {"technology", report.technology},
                                {"rounding", report.rounding}};
  o["project"] = report.project_id;
  o["eligible"] = report.eligible;
  bj::array eligibility;
  for (const mrv::EligibilityResult& e : report.eligibility) {
    eligibility.push_back(bj::object{{"id", e.id},
                                     {"text", e.text},
                                     {"point", e.point},
                                     {"passed", e.passed},
                                     {"message", e.message}});
  }
  o["eligibility"] = std::move(eligibility);
  bj::array periods;
  for (const mrv::PeriodResult& p : report.periods) periods.push_back(PeriodJson(p));
  o["periods"] = std::move(periods);
  o["emission_reductions_tco2e"] = calculation.er_tco2e;
  o["issuable"] = calculation.issuable;
  o["parameters"] = ParameterUsesJson(report.parameters);
  bj::array findings;
  for (const mrv::Finding& f : report.findings) {
    bj::object finding{{"severity", mrv::SeverityName(f.severity)},
                       {"code", f.code},
                       {"period", f.period},
                       {"point", f.point},
                       {"parameter", f.parameter},
                       {"count", f.count},
                       {"message", f.message}};
    // The first reading concerned, where the finding is about readings of a file.
    if (f.location.line > 0) {
      finding["file"] = f.location.file;
      finding["line"] = f.location.line;
    }
    findings.push_back(std::move(finding));
  }
  o["data_quality"] = std::move(findings);
  bj::array provisional;
  for (const std::string& p : report.provisional) provisional.emplace_back(p);
  o["provisional"] = std::move(provisional);
  o["inputs"] = InputsJson(calculation);
  return o;
}

std::string MrvReportText(const MrvCalculation& calculation) {
  return bj::serialize(MrvReportJson(calculation)) + "\n";
}

core::Result<MrvResult> MrvResultOfCalculation(const MrvCalculation& calculation) {
  return MrvResultOf(calculation, core::Sha256Hex(MrvReportText(calculation)));
}

core::Result<MrvResult> MrvResultFromJson(std::string_view text, std::string_view source) {
  boost::system::error_code ec;
  bj::value doc = bj::parse(text, ec);
  const bj::object* o = ec ? nullptr : doc.if_object();
  const bj::object* m =
      o && o->contains("methodology") ? o->at("methodology").if_object() : nullptr;
  const bj::value* er = o ? o->if_contains("emission_reductions_tco2e") : nullptr;
  const bj::value* ref = m ? m->if_contains("ref") : nullptr;
  auto methodology = ref && ref->is_string()
                         ? MethodologyRef::FromEngine(ref->as_string())
                         : core::Result<MethodologyRef>(core::InvalidArgument(""));
  if (!er || !er->is_int64() || !methodology.ok()) {
    return core::InvalidArgument("'" + std::string(source) +
                                 "' is not the JSON of `jcm mrv calc --json`");
  }
  MrvResult result;
  result.methodology = *methodology;
  result.er_tco2e = er->as_int64();
  const bj::value* eligible = o->if_contains("eligible");
  result.eligible = eligible && eligible->is_bool() && eligible->as_bool();
  const bj::value* issuable = o->if_contains("issuable");
  result.issuable = !issuable || !issuable->is_bool() || issuable->as_bool();
  result.calculation_sha256 = core::Sha256Hex(text);
  if (const bj::value* inputs = o->if_contains("inputs"); inputs && inputs->is_array()) {
    for (const bj::value& input : inputs->as_array()) {
      const bj::value* hash = input.is_object() ? input.as_object().if_contains("sha256") : nullptr;
      if (hash && hash->is_string()) result.input_sha256.emplace_back(hash->as_string());
    }
  }
  return result;
}

}  // namespace jcm::service::json
