#include <ostream>

#include "cli/mrv/mrv_cli.h"

namespace jcm::cli::mrv_cli {
namespace {

std::string_view KindText(mrv::ParameterKind kind) {
  switch (kind) {
    case mrv::ParameterKind::kMonitored:
      return "monitored";
    case mrv::ParameterKind::kExAnte:
      return "ex ante (project)";
    case mrv::ParameterKind::kDefault:
      return "default";
  }
  return "unknown";
}

void PrintParameter(const mrv::ParameterDef& p, std::ostream& out) {
  out << "  " << p.name << " [" << p.unit.ToString() << "] " << KindText(p.kind);
  if (p.default_value) out << " = " << p.default_value->ToDecimalString();
  for (const auto& [key, value] : p.indexed_defaults) {
    out << " " << key << "=" << value.ToDecimalString();
  }
  if (!p.options.empty()) out << "  options " << p.options;
  if (p.range_min || p.range_max) {
    out << "  range " << (p.range_min ? p.range_min->ToDecimalString() : "") << ".."
        << (p.range_max ? p.range_max->ToDecimalString() : "");
  }
  out << "\n      " << p.description << "\n";
  if (!p.provisional.empty()) out << "      PROVISIONAL: " << p.provisional << "\n";
}

}  // namespace

void PrintMethodology(const mrv::Methodology& m, std::ostream& out) {
  out << m.id << " version " << m.version << ": " << m.title << "\n"
      << "technology: " << m.technology << "   country: " << m.country << "   status: " << m.status
      << "\nsource: " << m.source << "\n\nparameters:\n";
  for (const mrv::ParameterDef& p : m.parameters) PrintParameter(p, out);
  out << "\neligibility:\n";
  for (const mrv::Criterion& c : m.eligibility) {
    out << "  " << c.id << ": " << c.text << "\n      " << c.condition.text() << "\n";
  }
  out << "\nequations (per monitoring point, summed over points):\n";
  for (const mrv::Equation& e : m.equations) {
    out << "  " << e.name << " [" << e.unit.ToString() << "] = " << e.expression.text() << "   ("
        << e.tag << ")\n";
    if (!e.derived.empty()) out << "      DERIVED: " << e.derived << "\n";
    if (!e.provisional.empty()) out << "      PROVISIONAL: " << e.provisional << "\n";
  }
  out << "\nrounding of the period ER: "
      << (m.rounding == mrv::Rounding::kFloor ? "down to whole tCO2e" : "see definition") << "\n";
}

void PrintReport(const mrv::CalcReport& report, std::ostream& out) {
  out << report.methodology_ref << " — " << report.methodology_title << "\n"
      << "project: " << report.project_id << "   eligible: " << (report.eligible ? "yes" : "NO")
      << "\n";
  for (const mrv::EligibilityResult& e : report.eligibility) {
    if (!e.passed) {
      out << "  criterion " << e.id << " failed at " << e.point << ": " << e.message << "\n";
    }
  }
  for (const mrv::PeriodResult& p : report.periods) {
    out << "period " << p.period.ToString() << ": RE " << p.re_tco2e.ToDecimalString(12) << "  PE "
        << p.pe_tco2e.ToDecimalString(12) << "  ER " << p.er_tco2e.ToDecimalString(12) << "  -> "
        << p.er_rounded_tco2e << " tCO2e" << (p.issuable ? "" : "  (NOT ISSUABLE)") << "\n";
    for (const std::string& reason : p.not_issuable_reasons) {
      out << "  not issuable: " << reason << "\n";
    }
    if (p.calendar_years.size() > 1) {
      for (const mrv::CalendarYearShare& y : p.calendar_years) {
        out << "  " << y.year << " (" << y.days << " days): ER " << y.er_tco2e.ToDecimalString(12)
            << "  -> " << y.er_rounded_tco2e << " tCO2e\n";
      }
    }
  }
  for (const mrv::Finding& f : report.findings) {
    out << "  [" << mrv::SeverityName(f.severity) << "] " << f.code << " " << f.period << " "
        << f.point << " " << f.parameter << (f.count ? " (" + std::to_string(f.count) + ")" : "")
        << ": " << f.message
        << (f.location.line > 0
                ? " (first at " + f.location.file + ":" + std::to_string(f.location.line) + ")"
                : "")
        << "\n";
  }
}

}  // namespace jcm::cli::mrv_cli
