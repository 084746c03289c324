// jcm import jcm-data, project list|show, registry summary, due, cycle verify.
#include <fstream>
#include <ostream>
#include <sstream>

#include "cli/cycle/cycle_cli.h"
#include "cycle/import/jcm_data.h"
#include "service/audit_service.h"
#include "service/json/cycle_json.h"

namespace jcm::cli::cycle_cli {
namespace {

namespace sj = service::json;

std::string ReadFileOrEmpty(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

core::Status ImportJcmData(CycleRun& c) {
  namespace imp = cycle::import;
  JCM_ASSIGN_OR_RETURN(std::string dir, c.args().Require("dir"));
  const std::string base = dir + "/";
  // An absent file reads as empty: the import reports it as a note.
  const std::string all = ReadFileOrEmpty(base + std::string(imp::kProjectsAllFile));
  const std::string mongolia = ReadFileOrEmpty(base + std::string(imp::kProjectsMongoliaFile));
  const std::string methodologies = ReadFileOrEmpty(base + std::string(imp::kMethodologiesFile));
  const std::string forms = ReadFileOrEmpty(base + std::string(imp::kRulesFormsFile));
  const std::string issuances = ReadFileOrEmpty(base + std::string(imp::kIssuanceRecordsFile));
  JCM_ASSIGN_OR_RETURN(
      service::ImportReport report,
      c.service.ImportJcmData({all, mongolia, methodologies, forms, issuances}, c.today));
  c.run.print.Json(sj::ImportJson(report));
  if (c.run.print.json()) return core::OkStatus();
  for (const imp::ImportNote& n : report.notes) {
    c.run.print.err() << n.file << ":" << n.line << ": " << (n.rejected ? "not loaded: " : "note: ")
                      << n.message << "\n";
  }
  c.run.print.out() << "imported " << report.events_added << " events (" << report.unchanged
                    << " already present), executed " << report.issuances_executed
                    << " ledger issuances; " << report.rows_rejected << " rows not loaded, "
                    << static_cast<int64_t>(report.notes.size()) - report.rows_rejected
                    << " notes\n";
  return core::OkStatus();
}

core::Status ProjectList(CycleRun& c) {
  JCM_ASSIGN_OR_RETURN(
      const service::ProjectFilter filter,
      service::ProjectFilter::FromText(c.args().Get("country"), c.args().Get("status"),
                                       c.args().Get("methodology"), c.args().Get("technology")));
  JCM_ASSIGN_OR_RETURN(std::vector<cycle::Project> projects, c.service.Projects(filter));
  c.run.print.Json(sj::ProjectListJson(projects));
  if (c.run.print.json()) return core::OkStatus();
  for (const cycle::Project& p : projects) {
    c.run.print.out() << (p.reference.empty() ? p.id : p.reference) << "\t" << p.partner << "\t"
                      << cycle::ToString(p.status) << "\t" << p.title << "\n";
  }
  return core::OkStatus();
}

core::Status ProjectShow(CycleRun& c) {
  if (c.args().positional().size() != 1) {
    return core::InvalidArgument("missing REF: jcm project show --db FILE REF");
  }
  JCM_ASSIGN_OR_RETURN(cycle::Project project, c.service.Project(c.args().positional()[0]));
  const boost::json::object detail = sj::ProjectDetailJson(project);
  c.run.print.Json(detail);
  if (!c.run.print.json()) c.run.print.out() << boost::json::serialize(detail) << "\n";
  return core::OkStatus();
}

core::Status RegistrySummary(CycleRun& c) {
  JCM_ASSIGN_OR_RETURN(std::string registry, c.args().Require("registry"));
  JCM_ASSIGN_OR_RETURN(service::RegistrySummary s, c.service.Summary(registry));
  c.run.print.Json(sj::SummaryJson(s));
  if (c.run.print.json()) return core::OkStatus();
  c.run.print.out() << "registry " << s.registry << ": issued " << s.issued_tco2e << ", held "
                    << s.held_tco2e << ", retired " << s.retired_tco2e << ", cancelled "
                    << s.cancelled_tco2e << ", decided but not yet issued "
                    << s.pending_issuance_tco2e << " tCO2e\n";
  return core::OkStatus();
}

core::Status Due(CycleRun& c) {
  JCM_ASSIGN_OR_RETURN(std::vector<cycle::DueItem> items, c.service.Due(c.today));
  c.run.print.Json(sj::DueJson(c.today, items));
  if (c.run.print.json()) return core::OkStatus();
  for (const cycle::DueItem& item : items) {
    c.run.print.out() << (item.due ? item.due->ToString() : std::string("(open)    ")) << "  "
                      << (item.overdue ? "OVERDUE " : "") << item.what << "  " << item.subject
                      << "  (" << item.who << ")\n";
  }
  return core::OkStatus();
}

core::Status TpeWork(CycleRun& c) {
  JCM_ASSIGN_OR_RETURN(std::string org, c.args().Require("org"));
  JCM_ASSIGN_OR_RETURN(std::vector<cycle::TpeWorkItem> items, c.service.TpeWork(org, c.today));
  c.run.print.Json(sj::TpeWorkJson(org, c.today, items));
  if (c.run.print.json()) return core::OkStatus();
  for (const cycle::TpeWorkItem& item : items) {
    c.run.print.out() << (item.done ? "done  " : "open  ") << cycle::ToString(item.function) << "  "
                      << item.project
                      << (item.period ? "  " + item.period->ToString() : std::string()) << "  "
                      << item.title << "\n";
  }
  return core::OkStatus();
}

core::Status CycleVerify(CycleRun& c) {
  JCM_ASSIGN_OR_RETURN(service::CycleAuditReport audit, service::AuditCycle(*c.store));
  c.run.print.Json(sj::CycleAuditJson(audit));
  if (!audit.violations.empty()) c.run.print.Fail(kExitAuditFailed);
  if (c.run.print.json()) return core::OkStatus();
  for (const ledger::Violation& v : audit.violations) {
    c.run.print.err() << "entry " << v.seq << ": " << v.message << "\n";
  }
  c.run.print.out() << (audit.violations.empty() ? "ok: " : "FAILED: ") << audit.events
                    << " cycle events, " << audit.violations.size() << " violations\n";
  return core::OkStatus();
}

constexpr std::string_view kGroup = "project cycle";

const CommandSpec kCommands[] = {
    {"import jcm-data",
     kGroup,
     "jcm-data: load the public JCM data set",
     "jcm import jcm-data --db FILE --dir DIR [--json]\n"
     "  Loads the public JCM data set (data/jcm); idempotent; reports each quirk.\n",
     ReadFlags({"dir"}),
     {},
     WithCycle<ImportJcmData>},
    {"project list",
     kGroup,
     "list | show | change | renew | withdraw",
     "jcm project list --db FILE [--country CC] [--status S] [--methodology CODE]\n"
     "                 [--technology T] [--json]\n"
     "  --methodology: a methodology code without its version (MN_AM003).\n"
     "  --technology: transformers, chillers, solar_pv, waste_to_energy or other (read from the\n"
     "  titles, docs/programme.md).\n",
     ReadFlags({"country", "status", "methodology", "technology"}),
     {},
     ReadingCycle<ProjectList>},
    {"project show",
     kGroup,
     "",
     "jcm project show --db FILE REF [--json]\n",
     ReadFlags({"<REF>"}),
     {},
     ReadingCycle<ProjectShow>},
    {"registry summary",
     kGroup,
     "summary: units per account type, issued, retired, pending",
     "jcm registry summary --db FILE --registry CC [--json]\n",
     ReadFlags({"registry"}),
     {},
     ReadingCycle<RegistrySummary>},
    {"due",
     kGroup,
     "deadlines due or overdue",
     "jcm due --db FILE [--today YYYY-MM-DD] [--json]\n",
     ReadFlags({}),
     {},
     ReadingCycle<Due>},
    {"tpe work",
     kGroup,
     "work: validations and verifications open to a TPE, and those it submitted",
     "jcm tpe work --db FILE --org ORG [--today YYYY-MM-DD] [--json]\n"
     "  Open: a project in validation or a reported monitoring period, for a TPE designated\n"
     "  for its partner country, sectoral scope and function on that day (docs/cycle.md).\n",
     ReadFlags({"org"}),
     {},
     ReadingCycle<TpeWork>},
    {"cycle verify",
     kGroup,
     "verify: re-decide every cycle event (part of audit verify)",
     "jcm cycle verify --db FILE [--json]\n"
     "  Re-decides every journaled cycle event and checks every executed side against the\n"
     "  ledger issuance it cites (INV-10); exit 4 on violations.\n",
     ReadFlags({}),
     {},
     ReadingCycle<CycleVerify>},
};
}  // namespace

std::span<const CommandSpec> ReportCommands() { return kCommands; }

}  // namespace jcm::cli::cycle_cli
