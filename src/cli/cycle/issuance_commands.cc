// jcm monitoring|verification|issuance: monitoring periods to the execution of a JC decision.
#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "cli/cycle/cycle_session.h"
#include "cli/cycle/ledger_issuance.h"
#include "core/sha256.h"
#include "cycle/allocation.h"
#include "cycle/decide.h"

namespace jcm::cli::cycle_cli {

using cycle::Actor;
using cycle::Role;

namespace json = boost::json;

namespace {

std::string PartnerOf(const Session& s, const std::string& project) {
  const cycle::Project* p = s.state.FindProject(project);
  return p == nullptr ? "" : p->partner;
}

// The ledger targets of one side: the allocation's holders on that side, "government" being the
// registry's government holding account and every other holder named by --to HOLDER=ACCOUNT.
// Without an allocation (imported projects) the side's amount goes to the government account.
core::Result<std::vector<ledger::IssuanceTarget>> Targets(Session& s, const cycle::Project& p,
                                                          const std::string& side, int64_t amount,
                                                          const std::vector<std::string>& to) {
  std::map<std::string, std::string> accounts;
  for (const std::string& pair : to) {
    size_t eq = pair.rfind('=');
    if (eq == std::string::npos) return core::InvalidArgument("--to HOLDER=ACCOUNT, got " + pair);
    accounts[pair.substr(0, eq)] = pair.substr(eq + 1);
  }
  std::vector<cycle::HolderAmount> holders = cycle::SplitSideByHolder(amount, side, p.allocation);
  if (holders.empty()) holders.push_back({std::string(cycle::kGovernmentHolder), amount});
  std::vector<ledger::IssuanceTarget> targets;
  for (const cycle::HolderAmount& h : holders) {
    if (h.amount_tco2e == 0) continue;
    std::string account;
    if (auto it = accounts.find(h.holder); it != accounts.end()) {
      account = it->second;
    } else if (h.holder == cycle::kGovernmentHolder) {
      JCM_ASSIGN_OR_RETURN(account, GovernmentHoldingAccount(*s.store, side, /*create=*/false));
    } else {
      return core::InvalidArgument("no account for holder '" + h.holder + "': add --to '" +
                                   h.holder + "=ACCOUNT'");
    }
    targets.push_back({account, h.amount_tco2e});
  }
  return targets;
}

int Execute(const Flags& f, Session& s) {
  cycle::ExecuteIssuance exec;
  JCM_CLI_ASSIGN(exec.project, f.Require("project"));
  JCM_CLI_ASSIGN(exec.period, f.RequirePeriod("period"));
  JCM_CLI_ASSIGN(exec.side, f.Require("registry"));
  JCM_CLI_ASSIGN(exec.date, f.RequireDate("date"));
  auto authorization = ledger::AuthorizationFromName(f.Get("authorization").value_or("none"));
  if (!authorization) {
    return ReportStatus(core::InvalidArgument("--authorization none|ndc|oimp|ndc+oimp"), s.json,
                        *s.out, *s.err);
  }
  // The cycle's checks first (right actor, decided, not yet executed, …), then the ledger's.
  const Actor manager{Role::kRegistryManager, exec.side};
  cycle::Outcome outcome = cycle::Decide(s.state, cycle::Command{manager, exec}, s.today);
  if (auto* rejection = std::get_if<cycle::Rejection>(&outcome)) {
    return ReportRejection(*rejection, s.json, *s.out, *s.err);
  }
  exec = std::get<cycle::ExecuteIssuance>(std::get<cycle::Event>(outcome).payload);
  const cycle::Project& p = *s.state.FindProject(exec.project);
  const cycle::MonitoringPeriodState& m = *p.FindPeriod(exec.period);
  int64_t amount = 0;
  for (const cycle::SideState& side : m.sides) {
    if (side.side == exec.side) amount = side.amount_tco2e;
  }
  JCM_CLI_ASSIGN(std::vector<ledger::IssuanceTarget> targets,
                 Targets(s, p, exec.side, amount, f.GetAll("to")));
  JCM_CLI_ASSIGN(LedgerIssuance issued,
                 IssueOnLedger(*s.store, p.reference, m, exec.side, targets, *authorization));
  if (issued.rejection) return ReportLedgerRejection(*issued.rejection, s.json, *s.out, *s.err);
  exec.ledger_transaction = std::to_string(issued.seq);
  json::array to;
  for (const ledger::IssuanceTarget& t : targets) {
    to.push_back({{"account", t.account}, {"quantity", t.quantity}});
  }
  std::ostringstream event_out;
  Session& session = s;
  std::ostream* saved = session.out;
  session.out = &event_out;
  int status = DecideAndAppend(session, manager, exec);
  session.out = saved;
  if (status != kOk) {
    *s.out << event_out.str();
    return status;
  }
  if (s.json) {
    json::value event = json::parse(event_out.str());
    PrintJson(json::object{{"event", event.as_object()["event"]},
                           {"transaction",
                            {{"id", issued.seq},
                             {"decision", DecisionReference(p.reference, m)},
                             {"quantity", amount},
                             {"targets", std::move(to)}}}},
              *s.out);
  } else {
    *s.out << "issued " << amount << " units of " << p.reference << " in " << exec.side
           << " (ledger entry " << issued.seq << "); " << event_out.str();
  }
  return kOk;
}

// What a monitoring report takes from `jcm mrv calc --json` output (docs/cli.md).
struct MrvResult {
  std::string methodology;  // "MN_AM003 Ver2.0", from the result's "MN_AM003@2.0"
  int64_t er_tco2e = 0;
  bool eligible = false;
  bool issuable = true;  // false: some period is not issuable (e.g. overlaps an earlier report)
  std::string sha256;    // of the result file itself: the calculation's content address
  std::vector<std::string> input_sha256;
};

core::Result<MrvResult> ReadMrvResult(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::InvalidArgument("cannot read MRV result '" + path + "'");
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  boost::system::error_code ec;
  json::value doc = json::parse(text, ec);
  const json::object* o = ec ? nullptr : doc.if_object();
  const json::object* m =
      o && o->contains("methodology") ? o->at("methodology").if_object() : nullptr;
  const json::value* er = o ? o->if_contains("emission_reductions_tco2e") : nullptr;
  const json::value* ref = m ? m->if_contains("ref") : nullptr;
  if (!er || !er->is_int64() || !ref || !ref->is_string()) {
    return core::InvalidArgument("'" + path + "' is not the JSON of `jcm mrv calc --json`");
  }
  MrvResult result;
  std::string r(ref->as_string());
  size_t at = r.find('@');
  result.methodology = at == std::string::npos ? r : r.substr(0, at) + " Ver" + r.substr(at + 1);
  result.er_tco2e = er->as_int64();
  const json::value* eligible = o->if_contains("eligible");
  result.eligible = eligible && eligible->is_bool() && eligible->as_bool();
  const json::value* issuable = o->if_contains("issuable");
  result.issuable = !issuable || !issuable->is_bool() || issuable->as_bool();
  result.sha256 = core::Sha256Hex(text);
  if (const json::value* inputs = o->if_contains("inputs"); inputs && inputs->is_array()) {
    for (const json::value& input : inputs->as_array()) {
      const json::value* hash =
          input.is_object() ? input.as_object().if_contains("sha256") : nullptr;
      if (hash && hash->is_string()) result.input_sha256.emplace_back(hash->as_string());
    }
  }
  return result;
}

// Fills the report's figures from an MRV result, after checking it belongs to the project.
core::Status UseMrvResult(const Flags& f, const cycle::State& state,
                          cycle::SubmitMonitoringReport* c) {
  JCM_ASSIGN_OR_RETURN(MrvResult mrv, ReadMrvResult(*f.Get("mrv-result")));
  const cycle::Project* p = state.FindProject(c->project);
  if (p != nullptr && std::find(p->methodologies.begin(), p->methodologies.end(),
                                mrv.methodology) == p->methodologies.end()) {
    return core::InvalidArgument("the MRV result uses " + mrv.methodology +
                                 ", not a methodology of project " + c->project);
  }
  if (!mrv.eligible) return core::InvalidArgument("the MRV result finds the project ineligible");
  if (!mrv.issuable) {
    return core::InvalidArgument(
        "the MRV result has periods that are not issuable (see its not_issuable_reasons); "
        "recalculate with --period covering only issuable data");
  }
  if (f.Has("reported") && c->reported_tco2e != mrv.er_tco2e) {
    return core::InvalidArgument("--reported " + std::to_string(c->reported_tco2e) +
                                 " differs from the MRV result's " + std::to_string(mrv.er_tco2e));
  }
  c->reported_tco2e = mrv.er_tco2e;
  c->mrv_calculation_sha256 = mrv.sha256;
  c->mrv_input_sha256 = mrv.input_sha256;
  return core::OkStatus();
}

int MonitoringPeriod(const Flags& f, Session& s) {
  cycle::AddMonitoringPeriod c;
  JCM_CLI_ASSIGN(c.project, f.Require("project"));
  JCM_CLI_ASSIGN(c.period, f.RequirePeriod("period"));
  JCM_CLI_ASSIGN(c.date, f.RequireDate("date"));
  JCM_CLI_ASSIGN(std::string by, f.Require("by"));
  return DecideAndAppend(s, Actor{Role::kParticipant, by}, c);
}

int MonitoringReport(const Flags& f, Session& s) {
  cycle::SubmitMonitoringReport c;
  JCM_CLI_ASSIGN(c.project, f.Require("project"));
  JCM_CLI_ASSIGN(c.period, f.RequirePeriod("period"));
  if (!f.Has("mrv-result") || f.Has("reported")) {
    JCM_CLI_ASSIGN(c.reported_tco2e, f.RequireInt("reported"));
  }
  JCM_CLI_ASSIGN(c.document, DocumentFrom(s, f, "document", "monitoring_report"));
  c.mrv_calculation_sha256 = f.Get("mrv-calculation").value_or("");
  c.mrv_input_sha256 = f.GetAll("mrv-input");
  if (f.Has("mrv-result")) {
    core::Status used = UseMrvResult(f, s.state, &c);
    if (!used.ok()) return ReportStatus(used, s.json, *s.out, *s.err);
  }
  JCM_CLI_ASSIGN(c.date, f.RequireDate("date"));
  JCM_CLI_ASSIGN(std::string by, f.Require("by"));
  return DecideAndAppend(s, Actor{Role::kParticipant, by}, c);
}

int VerificationSubmit(const Flags& f, Session& s) {
  cycle::SubmitVerification c;
  JCM_CLI_ASSIGN(c.project, f.Require("project"));
  JCM_CLI_ASSIGN(c.period, f.RequirePeriod("period"));
  JCM_CLI_ASSIGN(c.verified_tco2e, f.RequireInt("verified"));
  JCM_CLI_ASSIGN(c.report, DocumentFrom(s, f, "report", "verification_report"));
  JCM_CLI_ASSIGN(c.date, f.RequireDate("date"));
  JCM_CLI_ASSIGN(std::string tpe, f.Require("tpe"));
  return DecideAndAppend(s, Actor{Role::kTpe, tpe}, c);
}

int IssuanceRequest(const Flags& f, Session& s) {
  cycle::RequestIssuance c;
  JCM_CLI_ASSIGN(c.project, f.Require("project"));
  JCM_CLI_ASSIGN(c.period, f.RequirePeriod("period"));
  JCM_CLI_ASSIGN(c.requested_tco2e, f.RequireInt("quantity"));
  JCM_CLI_ASSIGN(c.document, DocumentFrom(s, f, "document", "issuance_request"));
  JCM_CLI_ASSIGN(c.date, f.RequireDate("date"));
  JCM_CLI_ASSIGN(std::string by, f.Require("by"));
  return DecideAndAppend(s, Actor{Role::kParticipant, by}, c);
}

int IssuanceWithdraw(const Flags& f, Session& s) {
  cycle::WithdrawIssuanceRequest c;
  JCM_CLI_ASSIGN(c.project, f.Require("project"));
  JCM_CLI_ASSIGN(c.period, f.RequirePeriod("period"));
  JCM_CLI_ASSIGN(c.date, f.RequireDate("date"));
  JCM_CLI_ASSIGN(std::string by, f.Require("by"));
  return DecideAndAppend(s, Actor{Role::kParticipant, by}, c);
}

int IssuanceDecide(const Flags& f, Session& s) {
  cycle::DecideIssuance c;
  JCM_CLI_ASSIGN(c.project, f.Require("project"));
  JCM_CLI_ASSIGN(c.period, f.RequirePeriod("period"));
  JCM_CLI_ASSIGN(c.total_tco2e, f.RequireInt("total"));
  for (const std::string& text : f.GetAll("side")) {
    size_t colon = text.find(':');
    auto amount = core::ParseInt64(colon == std::string::npos ? "" : text.substr(colon + 1));
    if (!amount) {
      return ReportStatus(core::InvalidArgument("--side CC:AMOUNT"), s.json, *s.out, *s.err);
    }
    c.sides.push_back({text.substr(0, colon), *amount});
  }
  c.electronic = f.Has("electronic");
  JCM_CLI_ASSIGN(c.date, f.RequireDate("date"));
  return DecideAndAppend(s, Actor{Role::kJointCommittee, PartnerOf(s, c.project)}, c);
}

const VerbSpec kIssuanceVerbs[] = {
    {"monitoring", "period", {"project", "period", "date", "by"}, {}, MonitoringPeriod},
    {"monitoring",
     "report",
     {"project", "period", "reported", "document", "document-sha256", "version", "mrv-calculation",
      "mrv-input", "mrv-result", "date", "by"},
     {},
     MonitoringReport},
    {"verification",
     "submit",
     {"project", "period", "verified", "tpe", "report", "report-sha256", "version", "date"},
     {},
     VerificationSubmit},
    {"issuance",
     "request",
     {"project", "period", "quantity", "document", "document-sha256", "version", "date", "by"},
     {},
     IssuanceRequest},
    {"issuance", "withdraw", {"project", "period", "date", "by"}, {}, IssuanceWithdraw},
    {"issuance",
     "decide",
     {"project", "period", "total", "side", "date"},
     {"electronic"},
     IssuanceDecide},
    {"issuance",
     "execute",
     {"project", "period", "registry", "date", "authorization", "to"},
     {},
     Execute},
};

}  // namespace

std::span<const VerbSpec> IssuanceVerbs() { return kIssuanceVerbs; }

}  // namespace jcm::cli::cycle_cli
