// jcm report …: the registry's public reports (service/public_reports.h; docs/cli.md
// "Reports") — the Annual Transactions Summary, the entity holding accounts, issuances and
// retirements — as text, JSON (--json), CSV (--csv FILE, '-' for standard output) or XLSX
// (--xlsx FILE). argv → service::ComputePublicReport → service/tables → the printer or a file.
#include <fstream>
#include <ostream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "service/public_reports.h"
#include "service/tables/tables.h"

namespace jcm::cli {

core::Status WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
  out.close();
  if (!out) return core::Unavailable(path + ": cannot write the file");
  return core::OkStatus();
}

namespace {

// Each cell as text, columns separated by two spaces: for a person at a terminal.
void PrintTables(const std::vector<service::Table>& tables, std::ostream& out) {
  for (const service::Table& table : tables) {
    out << table.name << "\n";
    for (size_t c = 0; c < table.columns.size(); ++c) out << (c ? "  " : "") << table.columns[c];
    out << "\n";
    for (const std::vector<service::Cell>& row : table.rows) {
      for (size_t c = 0; c < row.size(); ++c) {
        out << (c ? "  " : "");
        if (const auto* text = std::get_if<std::string>(&row[c])) out << *text;
        if (const auto* integer = std::get_if<int64_t>(&row[c])) out << *integer;
        if (const auto* decimal = std::get_if<service::Decimal>(&row[c])) out << decimal->text;
      }
      out << "\n";
    }
  }
}

}  // namespace

// Shared with `jcm programme report --xlsx`: `tables` written where --csv and --xlsx say; the
// document printed with --json, else (nothing written to standard output) the tables as text.
core::Status EmitTables(CommandRun& run, std::string_view report,
                        const std::vector<service::Table>& tables) {
  const std::optional<std::string> csv = run.args.Get("csv");
  if (csv && *csv == "-" && run.print.json()) {
    return core::InvalidArgument("--csv - and --json both print to standard output: pick one");
  }
  if (csv && *csv == "-") {
    run.print.out() << service::tables::CsvOf(tables);
  } else if (csv) {
    JCM_RETURN_IF_ERROR(WriteFile(*csv, service::tables::CsvOf(tables)));
  }
  if (const std::optional<std::string> xlsx = run.args.Get("xlsx")) {
    JCM_RETURN_IF_ERROR(service::tables::WriteXlsx(tables, *xlsx));
  }
  run.print.Json(service::tables::JsonOf(report, tables));
  if (!run.print.json() && !(csv && *csv == "-")) PrintTables(tables, run.print.out());
  return core::OkStatus();
}

namespace {

core::Status RunReport(CommandRun& run, service::PublicReport report) {
  service::PublicReportRequest request{report, run.args.Get("registry"), std::nullopt};
  if (run.args.Has("year")) {
    JCM_ASSIGN_OR_RETURN(int64_t year, run.args.RequireInt("year"));
    if (year < 1900 || year > 9999) return core::InvalidArgument("--year is 1900-9999");
    request.year = static_cast<int>(year);
  }
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run, store::OpenMode::kReadOnly));
  JCM_ASSIGN_OR_RETURN(std::vector<service::Table> tables,
                       service::ComputePublicReport(*store, request));
  return EmitTables(run, service::PublicReportName(report), tables);
}

core::Status AnnualSummary(CommandRun& run) {
  return RunReport(run, service::PublicReport::kAnnualSummary);
}
core::Status Accounts(CommandRun& run) { return RunReport(run, service::PublicReport::kAccounts); }
core::Status Issuances(CommandRun& run) {
  return RunReport(run, service::PublicReport::kIssuances);
}
core::Status Retirements(CommandRun& run) {
  return RunReport(run, service::PublicReport::kRetirements);
}

const CommandSpec kReportCommands[] = {
    {"report annual-summary",
     "reports",
     "annual-summary, accounts, issuances, retirements: public reports as CSV, XLSX, JSON",
     "jcm report annual-summary --db FILE [--registry R] [--year Y] [--csv FILE|-]\n"
     "    [--xlsx FILE] [--json]\n"
     "  The Annual Transactions Summary: per registry and calendar year (UTC), units issued,\n"
     "  transferred, retired and cancelled, and held at the year's end per account type.\n",
     {"db", "registry", "year", "csv", "xlsx"},
     {},
     AnnualSummary},
    {"report accounts",
     "reports",
     "",
     "jcm report accounts --db FILE [--registry R] [--year Y] [--csv FILE|-] [--xlsx FILE]\n"
     "    [--json]\n"
     "  The entity holding accounts' public fields (no representative, address or contact);\n"
     "  --year: those opened in it.\n",
     {"db", "registry", "year", "csv", "xlsx"},
     {},
     Accounts},
    {"report issuances",
     "reports",
     "",
     "jcm report issuances --db FILE [--registry R] [--year Y] [--csv FILE|-] [--xlsx FILE]\n"
     "    [--json]\n"
     "  One row per issued block: project, serial range, units, monitoring period, date,\n"
     "  authorisation, the JC decision.\n",
     {"db", "registry", "year", "csv", "xlsx"},
     {},
     Issuances},
    {"report retirements",
     "reports",
     "",
     "jcm report retirements --db FILE [--registry R] [--year Y] [--csv FILE|-] [--xlsx FILE]\n"
     "    [--json]\n"
     "  One row per retired block: serial range, units, the retiring account's holder, the\n"
     "  beneficiary, the date and the units' authorised use.\n",
     {"db", "registry", "year", "csv", "xlsx"},
     {},
     Retirements},
};

}  // namespace

std::span<const CommandSpec> ReportCommands() { return kReportCommands; }

}  // namespace jcm::cli
