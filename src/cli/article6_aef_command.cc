// jcm article6 aef: a Party's Agreed Electronic Format for a year (docs/cli.md, "Article 6";
// docs/article6.md, "The AEF"), on service/aef.h: the five tables as text, JSON, one CSV file
// per table in a directory, or one XLSX workbook; with --submit, the version journaled.
#include <filesystem>
#include <ostream>

#include "cli/commands.h"
#include "service/aef.h"
#include "service/json/aef_json.h"
#include "service/tables/tables.h"

namespace jcm::cli {
namespace {

// "T3 Actions" → "T3_Actions.csv".
std::string CsvFileName(const service::Table& table) {
  std::string name = table.name;
  for (char& c : name) {
    if (c == ' ') c = '_';
  }
  return name + ".csv";
}

core::Status WriteOutputs(const CommandRun& run, const service::AefReport& report) {
  const std::vector<service::Table> tables = service::AefAsTables(report);
  if (const std::optional<std::string> dir = run.args.Get("csv")) {
    std::error_code error;
    std::filesystem::create_directories(*dir, error);
    if (error) return core::Unavailable(*dir + ": " + error.message());
    for (const service::Table& table : tables) {
      JCM_RETURN_IF_ERROR(WriteFile((std::filesystem::path(*dir) / CsvFileName(table)).string(),
                                    service::tables::CsvOf(table)));
    }
  }
  if (const std::optional<std::string> xlsx = run.args.Get("xlsx")) {
    JCM_RETURN_IF_ERROR(service::tables::WriteXlsx(tables, *xlsx));
  }
  return core::OkStatus();
}

void ReportText(const service::AefReport& r, std::ostream& out) {
  out << "AEF of " << r.party << " for " << r.year << ", version " << r.version
      << (r.submitted  ? " (submitted now)"
          : r.replayed ? " (submitted before with this content)"
                       : " (not submitted)")
      << "\n";
  out << (r.year_over ? "" : "provisional: the year is not over; ")
      << "T4 is the position at journal entry " << r.as_of_seq
      << (r.holdings_frozen ? ", frozen" : ", not frozen") << "\n";
  for (const article6::AefTable& table : r.tables) {
    out << "  " << article6::AefTableName(table.id) << ": " << table.rows.size() << " rows\n";
  }
  for (const service::AefConsistency& c : r.consistency) {
    out << (c.ok ? "ok   " : "FAIL ") << c.check << " [" << c.subject << "]: " << c.detail << "\n";
  }
  for (const std::string& note : r.notes) out << "note: " << note << "\n";
}

core::Status Aef(CommandRun& run) {
  service::AefRequest request;
  JCM_ASSIGN_OR_RETURN(request.party, run.args.Require("party"));
  JCM_ASSIGN_OR_RETURN(const int64_t year, run.args.RequireInt("year"));
  if (year < 1990 || year > 2100) return core::InvalidArgument("--year must be 1990–2100");
  request.year = static_cast<int>(year);
  request.submit = run.args.Has("submit");
  // Read-write: the first report of a year that is over freezes its T4 in the journal.
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run));
  JCM_ASSIGN_OR_RETURN(auto outcome,
                       service::ArticleSixAef(*store, request, run.env.clock.NowUtc()));
  if (const auto* report = std::get_if<service::AefReport>(&outcome)) {
    JCM_RETURN_IF_ERROR(WriteOutputs(run, *report));
  }
  run.print.Outcome(outcome, service::json::AefReportJson, ReportText);
  return core::OkStatus();
}

const CommandSpec kArticle6AefCommands[] = {
    {"article6 aef",
     "Article 6",
     "aef: a Party's Agreed Electronic Format (the five tables) for a year",
     "jcm article6 aef --db FILE --party AAA --year YYYY [--json] [--csv DIR] [--xlsx FILE]\n"
     "    [--submit]\n"
     "  The AEF of the Party for the calendar year (UTC): T1 submission, T2 authorizations,\n"
     "  T3 actions, T4 holdings at 31 December, T5 authorized entities, each cell checked\n"
     "  against the nomenclature (646 names the table, row and field), with the consistency\n"
     "  checks. The first report of a year that is over freezes its T4 in the journal; later\n"
     "  ones read it from there. --csv writes one file per table into DIR, --xlsx one\n"
     "  workbook. --submit journals the version: 1.0, then 1.1, ... when the content changed\n"
     "  (647 while the year is not over, 649 when a consistency check found a difference).\n",
     {"db", "party", "year", "csv", "xlsx"},
     {"submit"},
     Aef},
};

}  // namespace

std::span<const CommandSpec> Article6AefCommands() { return kArticle6AefCommands; }

}  // namespace jcm::cli
