#include "cli/mrv/mrv_command.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include "cli/mrv/mrv_args.h"
#include "cli/mrv/mrv_json.h"
#include "mrv/calculator.h"
#include "mrv/monitoring_csv.h"
#include "mrv/project_params.h"
#include "mrv/report_sheet.h"

namespace jcm::cli {
namespace {

using mrv_internal::Args;
using mrv_internal::Fail;
using mrv_internal::kExitOk;
using mrv_internal::kExitOperating;
using mrv_internal::kExitUsage;

constexpr std::string_view kUsage =
    "usage: jcm mrv methodologies [--json] [--methodologies DIR]\n"
    "       jcm mrv show ID[@VERSION] [--json] [--methodologies DIR]\n"
    "       jcm mrv calc --methodology ID[@VERSION] --params FILE --data FILE [--data FILE ...]\n"
    "                    [--period START..END] [--report-xlsx OUT.xlsx] [--report-csv OUT.csv]\n"
    "                    [--threads N] [--json] [--methodologies DIR]\n";

int Usage(std::ostream& err, const std::string& message) {
  err << "jcm mrv: " << message << "\n" << kUsage;
  return kExitUsage;
}

int Methodologies(const Args& args, std::ostream& out, std::ostream& err) {
  auto catalog = mrv_internal::OpenCatalog(args);
  if (!catalog.ok()) return Fail(err, catalog.status());
  std::vector<mrv::Methodology> loaded;
  for (const mrv::MethodologyEntry& entry : catalog->entries()) {
    auto m = catalog->Load(entry.id + "@" + entry.version);
    if (!m.ok()) return Fail(err, m.status());
    loaded.push_back(std::move(m).value());
  }
  if (args.Has("json")) {
    out << mrv_internal::MethodologyListJson(loaded) << "\n";
    return kExitOk;
  }
  for (const mrv::Methodology& m : loaded) {
    out << m.id << "@" << m.version << "  " << m.technology << "  " << m.title << "\n";
  }
  return kExitOk;
}

void PrintMethodology(const mrv::Methodology& m, std::ostream& out) {
  out << m.id << " version " << m.version << ": " << m.title << "\n"
      << "technology: " << m.technology << "   country: " << m.country << "   status: " << m.status
      << "\nsource: " << m.source << "\n\nparameters:\n";
  for (const mrv::ParameterDef& p : m.parameters) {
    out << "  " << p.name << " [" << p.unit.ToString() << "] "
        << (p.kind == mrv::ParameterKind::kMonitored ? "monitored"
            : p.kind == mrv::ParameterKind::kExAnte  ? "ex ante (project)"
                                                     : "default");
    if (p.default_value) out << " = " << p.default_value->ToDecimalString();
    for (const auto& [key, value] : p.indexed_defaults)
      out << " " << key << "=" << value.ToDecimalString();
    if (!p.options.empty()) out << "  options " << p.options;
    if (p.range_min || p.range_max) {
      out << "  range " << (p.range_min ? p.range_min->ToDecimalString() : "") << ".."
          << (p.range_max ? p.range_max->ToDecimalString() : "");
    }
    out << "\n      " << p.description << "\n";
    if (!p.provisional.empty()) out << "      PROVISIONAL: " << p.provisional << "\n";
  }
  out << "\neligibility:\n";
  for (const mrv::Criterion& c : m.eligibility) {
    out << "  " << c.id << ": " << c.text << "\n      " << c.condition.text() << "\n";
  }
  out << "\nequations (per monitoring point, summed over points):\n";
  for (const mrv::Equation& e : m.equations) {
    out << "  " << e.name << " [" << e.unit.ToString() << "] = " << e.expression.text() << "   ("
        << e.tag << ")\n";
    if (!e.provisional.empty()) out << "      PROVISIONAL: " << e.provisional << "\n";
  }
  out << "\nrounding of the period ER: "
      << (m.rounding == mrv::Rounding::kFloor ? "down to whole tCO2e" : "see definition") << "\n";
}

int Show(const Args& args, std::ostream& out, std::ostream& err) {
  if (args.positional().size() != 1) return Usage(err, "show needs ID[@VERSION]");
  auto catalog = mrv_internal::OpenCatalog(args);
  if (!catalog.ok()) return Fail(err, catalog.status());
  auto m = catalog->Load(args.positional()[0]);
  if (!m.ok()) return Fail(err, m.status());
  if (args.Has("json")) {
    out << mrv_internal::MethodologyJson(*m) << "\n";
  } else {
    PrintMethodology(*m, out);
  }
  return kExitOk;
}

// Shows "ingest: 42 % (1.2 GB of 2.9 GB)" on a terminal while `done` is false.
void ShowProgress(const std::atomic<uint64_t>& bytes, uint64_t total, const std::atomic<bool>& done,
                  std::ostream& err) {
  while (!done.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const uint64_t now = bytes.load();
    err << "\ringest: " << (total == 0 ? 100 : now * 100 / total) << " % (" << now / 1000000
        << " MB of " << total / 1000000 << " MB)" << std::flush;
  }
  err << "\r\033[K" << std::flush;
}

core::Result<mrv::MonitoringData> ReadData(const Args& args, const mrv::Methodology& m,
                                           const mrv::ProjectParams& project,
                                           const std::vector<core::Period>& periods,
                                           std::ostream& err) {
  std::vector<std::string> csv_files, sheets;
  for (const std::string& path : args.GetAll("data")) {
    (mrv::IsReportSheetFile(path) ? sheets : csv_files).push_back(path);
  }
  mrv::IngestOptions options;
  options.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (auto threads = args.Get("threads"))
    options.threads = std::max(1, std::atoi(threads->c_str()));
  std::atomic<uint64_t> bytes{0};
  std::atomic<bool> done{false};
  uint64_t total = 0;
  for (const std::string& path : csv_files) {
    std::error_code error;
    total += static_cast<uint64_t>(std::filesystem::file_size(path, error));
  }
  std::thread progress;
  if (isatty(STDERR_FILENO) && total > (64u << 20)) {
    options.bytes_done = &bytes;
    progress = std::thread(ShowProgress, std::cref(bytes), total, std::cref(done), std::ref(err));
  }
  auto data = csv_files.empty()
                  ? core::Result<mrv::MonitoringData>(mrv::MonitoringData{periods, {}, {}, {}})
                  : mrv::IngestMonitoringCsv(csv_files, m, project, periods, options);
  done = true;
  if (progress.joinable()) progress.join();
  if (!data.ok()) return data;
  for (const std::string& sheet : sheets) {
    JCM_RETURN_IF_ERROR(mrv::AddReportSheet(sheet, m, periods, &data.value()));
  }
  return data;
}

core::Result<std::vector<mrv_internal::HashedInput>> HashInputs(const std::string& methodology_path,
                                                                const Args& args) {
  std::vector<mrv_internal::HashedInput> inputs;
  auto add = [&](const std::string& role, const std::string& path) -> core::Status {
    JCM_ASSIGN_OR_RETURN(std::string sha, mrv_internal::Sha256OfFile(path));
    std::error_code error;
    inputs.push_back(
        {role, path, static_cast<uint64_t>(std::filesystem::file_size(path, error)), sha});
    return core::OkStatus();
  };
  JCM_RETURN_IF_ERROR(add("methodology", methodology_path));
  JCM_RETURN_IF_ERROR(add("params", *args.Get("params")));
  for (const std::string& path : args.GetAll("data")) JCM_RETURN_IF_ERROR(add("data", path));
  return inputs;
}

void PrintReport(const mrv::CalcReport& report, std::ostream& out) {
  out << report.methodology_ref << " — " << report.methodology_title << "\n"
      << "project: " << report.project_id << "   eligible: " << (report.eligible ? "yes" : "NO")
      << "\n";
  for (const mrv::EligibilityResult& e : report.eligibility) {
    if (!e.passed)
      out << "  criterion " << e.id << " failed at " << e.point << ": " << e.message << "\n";
  }
  for (const mrv::PeriodResult& p : report.periods) {
    out << "period " << p.period.ToString() << ": RE " << p.re_tco2e.ToDecimalString(12) << "  PE "
        << p.pe_tco2e.ToDecimalString(12) << "  ER " << p.er_tco2e.ToDecimalString(12) << "  -> "
        << p.er_rounded_tco2e << " tCO2e" << (p.issuable ? "" : "  (NOT ISSUABLE)") << "\n";
    for (const std::string& reason : p.not_issuable_reasons)
      out << "  not issuable: " << reason << "\n";
  }
  for (const mrv::Finding& f : report.findings) {
    out << "  [" << mrv::SeverityName(f.severity) << "] " << f.code << " " << f.period << " "
        << f.point << " " << f.parameter << (f.count ? " (" + std::to_string(f.count) + ")" : "")
        << ": " << f.message << "\n";
  }
}

int Calc(const Args& args, std::ostream& out, std::ostream& err) {
  if (!args.Get("params")) return Usage(err, "calc needs --params FILE");
  if (args.GetAll("data").empty()) return Usage(err, "calc needs at least one --data FILE");
  auto project = mrv::LoadProjectParamsFile(*args.Get("params"));
  if (!project.ok()) return Fail(err, project.status());
  const std::string reference = args.Get("methodology").value_or(project->methodology);
  if (reference.empty()) return Usage(err, "calc needs --methodology ID[@VERSION]");
  auto catalog = mrv_internal::OpenCatalog(args);
  if (!catalog.ok()) return Fail(err, catalog.status());
  auto m = catalog->Load(reference);
  if (!m.ok()) return Fail(err, m.status());
  std::vector<core::Period> periods = project->periods;
  if (auto period = args.Get("period")) {
    auto parsed = mrv::ParsePeriodList(*period);
    if (!parsed.ok() || parsed->empty()) return Usage(err, "bad --period: expected START..END");
    periods = *parsed;
  }
  if (periods.empty())
    return Usage(err, "no monitoring period: give --period or periods = … in the params file");
  for (size_t i = 0; i < periods.size(); ++i) {
    for (size_t j = i + 1; j < periods.size(); ++j) {
      if (periods[i].Overlaps(periods[j]))
        return Usage(err, "monitoring periods overlap: " + periods[i].ToString() + " and " +
                              periods[j].ToString());
    }
  }
  auto data = ReadData(args, *m, *project, periods, err);
  if (!data.ok()) return Fail(err, data.status());
  auto report = mrv::Calculate(*m, *project, *data);
  if (!report.ok()) return Fail(err, report.status());
  auto inputs = HashInputs((*catalog->Find(reference))->path, args);
  if (!inputs.ok()) return Fail(err, inputs.status());
  for (auto& file : report->files) {
    for (const auto& input : *inputs) {
      if (input.path == file.path) file.sha256 = input.sha256;
    }
  }
  if (auto xlsx = args.Get("report-xlsx")) {
    if (auto status = mrv::WriteReportSheetXlsx(*xlsx, *m, *report); !status.ok())
      return Fail(err, status);
  }
  if (auto csv = args.Get("report-csv")) {
    if (auto status = mrv::WriteReportSheetCsv(*csv, *m, *report); !status.ok())
      return Fail(err, status);
  }
  if (args.Has("json")) {
    out << mrv_internal::ReportJson(*report, *inputs) << "\n";
  } else {
    PrintReport(*report, out);
  }
  return kExitOk;
}

}  // namespace

int RunMrvCommand(std::span<const std::string_view> args, std::ostream& out, std::ostream& err) {
  if (args.empty()) return Usage(err, "missing subcommand");
  const std::string_view command = args[0];
  static constexpr std::string_view kValueFlags[] = {"methodologies", "methodology", "params",
                                                     "data",          "period",      "report-xlsx",
                                                     "report-csv",    "threads"};
  static constexpr std::string_view kSwitches[] = {"json", "help"};
  auto parsed = mrv_internal::ParseArgs(args.subspan(1), kValueFlags, kSwitches);
  if (!parsed.ok()) return Usage(err, parsed.status().message());
  if (parsed->Has("help")) {
    out << kUsage;
    return kExitOk;
  }
  if (command == "methodologies") return Methodologies(*parsed, out, err);
  if (command == "show") return Show(*parsed, out, err);
  if (command == "calc") return Calc(*parsed, out, err);
  return Usage(err, "unknown subcommand " + std::string(command));
}

}  // namespace jcm::cli
