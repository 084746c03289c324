// jcm monitoring|verification|issuance: monitoring periods to the execution of a JC decision.
#include <fstream>
#include <ostream>
#include <sstream>
#include <thread>

#include "cli/cycle/cycle_cli.h"
#include "core/record.h"
#include "core/sha256.h"
#include "service/json/cycle_json.h"
#include "service/json/mrv_json.h"
#include "service/mrv_service.h"

namespace jcm::cli::cycle_cli {
namespace {

namespace sj = service::json;

core::Status MonitoringPeriod(CycleRun& c) {
  cycle::AddMonitoringPeriod m;
  JCM_ASSIGN_OR_RETURN(m.project, c.args().Require("project"));
  JCM_ASSIGN_OR_RETURN(m.period, c.args().RequirePeriod("period"));
  JCM_ASSIGN_OR_RETURN(m.date, c.args().RequireDate("date"));
  JCM_ASSIGN_OR_RETURN(std::string by, c.args().Require("by"));
  return RunStep(c, m, by);
}

// The MRV result of --mrv-result FILE (the bytes of `jcm mrv calc --json`).
core::Result<service::MrvResult> MrvResultFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::InvalidArgument("cannot read MRV result '" + path + "'");
  std::stringstream text;
  text << in.rdbuf();
  return sj::MrvResultFromJson(text.str(), path);
}

// The files of --mrv-params FILE --mrv-data FILE …, cited by SHA-256 as the report's evidence;
// their bytes go to `documents`, stored with the event (service/mrv_evidence.h).
core::Status CiteMrvEvidence(const Args& a, cycle::SubmitMonitoringReport& report,
                             std::vector<std::string>& documents) {
  const auto read = [&](const std::string& path) -> core::Result<std::string> {
    std::ifstream in(path, std::ios::binary);
    if (!in) return core::NotFound(path + ": cannot open");
    std::stringstream bytes;
    bytes << in.rdbuf();
    documents.push_back(bytes.str());
    return core::Sha256Hex(documents.back());
  };
  JCM_ASSIGN_OR_RETURN(const std::string params, a.Require("mrv-params"));
  JCM_ASSIGN_OR_RETURN(report.mrv_params_sha256, read(params));
  for (const std::string& path : a.GetAll("mrv-data")) {
    JCM_ASSIGN_OR_RETURN(std::string sha256, read(path));
    report.mrv_data_sha256.push_back(std::move(sha256));
  }
  if (report.mrv_data_sha256.empty()) return core::InvalidArgument("give --mrv-data FILE …");
  report.mrv_methodology = a.Get("mrv-methodology");
  return core::OkStatus();
}

// A rejected MRV figure: the rejection with the calculation's report (JSON: "mrv").
void PrintMrvRejection(CycleRun& c, const service::Rejection& rejection,
                       const service::MrvCalculation& calculation) {
  c.run.print.Rejected(rejection, {{"mrv", sj::MrvReportJson(calculation)}});
  if (c.run.print.json()) return;
  for (const mrv::PeriodResult& p : calculation.report.periods) {
    c.run.print.out() << "period " << p.period.ToString() << ": " << p.er_rounded_tco2e << " tCO2e"
                      << (p.issuable ? "" : "  (NOT ISSUABLE)") << "\n";
    for (const std::string& reason : p.not_issuable_reasons) {
      c.run.print.out() << "  not issuable: " << reason << "\n";
    }
  }
}

core::Status MonitoringReport(CycleRun& c) {
  const Args& a = c.args();
  service::MonitoringReportRequest r;
  JCM_ASSIGN_OR_RETURN(r.report.project, a.Require("project"));
  JCM_ASSIGN_OR_RETURN(r.report.period, a.RequirePeriod("period"));
  const bool from_file = a.Has("mrv-result");
  const bool calculate = a.Has("mrv-params") || a.Has("mrv-data");
  if (from_file && calculate) {
    return core::InvalidArgument("give --mrv-result FILE or --mrv-params/--mrv-data, not both");
  }
  r.reported_given = a.Has("reported") || !(from_file || calculate);
  if (r.reported_given) {
    JCM_ASSIGN_OR_RETURN(r.report.reported_tco2e, a.RequireInt("reported"));
  }
  r.report.mrv_calculation_sha256 = a.Get("mrv-calculation").value_or("");
  r.report.mrv_input_sha256 = a.GetAll("mrv-input");
  JCM_ASSIGN_OR_RETURN(r.report.date, a.RequireDate("date"));
  JCM_ASSIGN_OR_RETURN(r.by, a.Require("by"));
  if (from_file) {
    JCM_ASSIGN_OR_RETURN(r.mrv, MrvResultFile(*a.Get("mrv-result")));
  }
  JCM_ASSIGN_OR_RETURN(r.report.document, DocumentFrom(c, "document", "monitoring_report"));
  r.today = c.today;
  r.documents = c.documents;
  std::optional<mrv::MethodologyCatalog> catalog;
  service::MrvCalculation calculation;
  if (calculate) {
    JCM_RETURN_IF_ERROR(CiteMrvEvidence(a, r.report, r.documents));
    JCM_ASSIGN_OR_RETURN(catalog, service::OpenMethodologyCatalog(a.Get("methodologies")));
    r.methodologies = &*catalog;
    r.print_mrv_report = sj::MrvReportText;
    r.mrv_threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    r.mrv_calculation = &calculation;
  }
  r.idempotency_key = a.Get("key").value_or("");
  JCM_ASSIGN_OR_RETURN(auto outcome, c.service.SubmitMonitoringReport(r));
  const auto* rejection = std::get_if<service::Rejection>(&outcome);
  if (rejection != nullptr && calculate && !calculation.inputs.empty()) {
    PrintMrvRejection(c, *rejection, calculation);
  } else {
    PrintEvent(c.run, outcome);
  }
  return core::OkStatus();
}

core::Status VerificationSubmit(CycleRun& c) {
  cycle::SubmitVerification v;
  JCM_ASSIGN_OR_RETURN(v.project, c.args().Require("project"));
  JCM_ASSIGN_OR_RETURN(v.period, c.args().RequirePeriod("period"));
  JCM_ASSIGN_OR_RETURN(v.verified_tco2e, c.args().RequireInt("verified"));
  JCM_ASSIGN_OR_RETURN(v.date, c.args().RequireDate("date"));
  JCM_ASSIGN_OR_RETURN(std::string tpe, c.args().Require("tpe"));
  JCM_ASSIGN_OR_RETURN(v.report, DocumentFrom(c, "report", "verification_report"));
  return RunStep(c, v, tpe);
}

core::Status IssuanceRequest(CycleRun& c) {
  cycle::RequestIssuance r;
  JCM_ASSIGN_OR_RETURN(r.project, c.args().Require("project"));
  JCM_ASSIGN_OR_RETURN(r.period, c.args().RequirePeriod("period"));
  JCM_ASSIGN_OR_RETURN(r.requested_tco2e, c.args().RequireInt("quantity"));
  JCM_ASSIGN_OR_RETURN(r.date, c.args().RequireDate("date"));
  JCM_ASSIGN_OR_RETURN(std::string by, c.args().Require("by"));
  JCM_ASSIGN_OR_RETURN(r.document, DocumentFrom(c, "document", "issuance_request"));
  return RunStep(c, r, by);
}

core::Status IssuanceWithdraw(CycleRun& c) {
  cycle::WithdrawIssuanceRequest w;
  JCM_ASSIGN_OR_RETURN(w.project, c.args().Require("project"));
  JCM_ASSIGN_OR_RETURN(w.period, c.args().RequirePeriod("period"));
  JCM_ASSIGN_OR_RETURN(w.date, c.args().RequireDate("date"));
  JCM_ASSIGN_OR_RETURN(std::string by, c.args().Require("by"));
  return RunStep(c, w, by);
}

core::Status IssuanceDecide(CycleRun& c) {
  cycle::DecideIssuance d;
  JCM_ASSIGN_OR_RETURN(d.project, c.args().Require("project"));
  JCM_ASSIGN_OR_RETURN(d.period, c.args().RequirePeriod("period"));
  JCM_ASSIGN_OR_RETURN(d.total_tco2e, c.args().RequireInt("total"));
  for (const std::string& text : c.args().GetAll("side")) {
    const size_t colon = text.find(':');
    auto amount = core::ParseInt64(colon == std::string::npos ? "" : text.substr(colon + 1));
    if (!amount) return core::InvalidArgument("--side CC:AMOUNT, got '" + text + "'");
    d.sides.push_back({text.substr(0, colon), *amount});
  }
  d.electronic = c.args().Has("electronic");
  JCM_ASSIGN_OR_RETURN(d.date, c.args().RequireDate("date"));
  return RunStep(c, d);
}

core::Status IssuanceExecute(CycleRun& c) {
  const Args& a = c.args();
  service::ExecutionRequest e;
  JCM_ASSIGN_OR_RETURN(e.project, a.Require("project"));
  JCM_ASSIGN_OR_RETURN(e.period, a.RequirePeriod("period"));
  JCM_ASSIGN_OR_RETURN(e.registry, a.Require("registry"));
  JCM_ASSIGN_OR_RETURN(e.date, a.RequireDate("date"));
  auto authorization = ledger::AuthorizationFromName(a.Get("authorization").value_or("none"));
  if (!authorization) return core::InvalidArgument("--authorization none|ndc|oimp|ndc+oimp");
  e.authorization = *authorization;
  for (const std::string& pair : a.GetAll("to")) {
    const size_t eq = pair.rfind('=');
    if (eq == std::string::npos) return core::InvalidArgument("--to HOLDER=ACCOUNT, got " + pair);
    e.holder_accounts[pair.substr(0, eq)] = pair.substr(eq + 1);
  }
  e.today = c.today;
  e.idempotency_key = a.Get("key").value_or("");
  JCM_ASSIGN_OR_RETURN(auto outcome, c.service.ExecuteIssuanceDecision(e));
  c.run.print.Outcome(
      outcome, sj::ExecutionJson, [](const service::ExecutionResult& x, std::ostream& out) {
        out << "issued " << x.quantity << " units citing " << x.decision << " (ledger entry "
            << x.transaction_seq << "); " << x.event.kind << " journaled as entry " << x.event.seq
            << (x.event.replayed ? " (already journaled)" : "") << "\n";
      });
  return core::OkStatus();
}

constexpr std::string_view kGroup = "project cycle";

const CommandSpec kCommands[] = {
    {"monitoring period",
     kGroup,
     "period | report: monitoring periods and their reports",
     "jcm monitoring period --db FILE --project REF --period P --date D --by ORG\n",
     StepFlags({"project", "period", "date", "by"}),
     {},
     WithCycle<MonitoringPeriod>},
    {"monitoring report",
     kGroup,
     "",
     "jcm monitoring report --db FILE --project REF --period P --document F --date D --by ORG\n"
     "      (--reported N | --mrv-result FILE | --mrv-params FILE --mrv-data FILE …\n"
     "       [--mrv-methodology ID@V] [--methodologies DIR])\n"
     "      [--mrv-calculation SHA] [--mrv-input SHA …] [--key K] [--today D] [--json]\n"
     "  --mrv-params/--mrv-data calculate the period in process (as jcm mrv calc); a result\n"
     "  that is ineligible or not issuable is rejected (checks 200-202) with its report. The\n"
     "  files, the methodology definition and the report are stored with the event, for\n"
     "  jcm mrv recompute (docs/mrv.md).\n",
     StepFlags({"project", "period", "reported", "document", "document-sha256", "version",
                "mrv-calculation", "mrv-input...", "mrv-result", "mrv-params", "mrv-data...",
                "mrv-methodology", "methodologies", "date", "by"}),
     {},
     WithCycle<MonitoringReport>},
    {"verification submit",
     kGroup,
     "submit: a TPE's verification of a monitoring report",
     "jcm verification submit --db FILE --project REF --period P --verified N --tpe ORG\n"
     "                        --report F --date D [--key K]\n",
     StepFlags(
         {"project", "period", "verified", "tpe", "report", "report-sha256", "version", "date"}),
     {},
     WithCycle<VerificationSubmit>},
    {"issuance request",
     kGroup,
     "request | withdraw | decide | execute: JC issuance",
     "jcm issuance request --db FILE --project REF --period P --quantity N --document F\n"
     "                     --date D --by ORG\n",
     StepFlags(
         {"project", "period", "quantity", "document", "document-sha256", "version", "date", "by"}),
     {},
     WithCycle<IssuanceRequest>},
    {"issuance withdraw",
     kGroup,
     "",
     "jcm issuance withdraw --db FILE --project REF --period P --date D --by ORG\n",
     StepFlags({"project", "period", "date", "by"}),
     {},
     WithCycle<IssuanceWithdraw>},
    {"issuance decide",
     kGroup,
     "",
     "jcm issuance decide --db FILE --project REF --period P --total N [--side CC:N …]\n"
     "                    [--electronic] --date D\n",
     StepFlags({"project", "period", "total", "side...", "date"}),
     {"electronic"},
     WithCycle<IssuanceDecide>},
    {"issuance execute",
     kGroup,
     "",
     "jcm issuance execute --db FILE --project REF --period P --registry CC\n"
     "                     [--authorization none|ndc|oimp|ndc+oimp] [--to HOLDER=ACCOUNT …]\n"
     "                     --date D\n"
     "  Issues the side's share in registry CC and journals the execution.\n"
     "  Every step takes [--key K] [--today D] [--json].\n",
     StepFlags({"project", "period", "registry", "date", "authorization", "to..."}),
     {},
     WithCycle<IssuanceExecute>},
};
}  // namespace

std::span<const CommandSpec> IssuanceCommands() { return kCommands; }

}  // namespace jcm::cli::cycle_cli
