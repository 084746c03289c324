// jcm monitoring|verification|issuance: monitoring periods to the execution of a JC decision.
#include <map>
#include <sstream>

#include "cli/cycle/cycle_session.h"
#include "cli/cycle/ledger_issuance.h"
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
                           {"transaction", {{"id", issued.seq},
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

int Usage(std::string_view text, std::ostream& out, std::ostream& err) {
  return ReportStatus(core::InvalidArgument(std::string("usage: ") + std::string(text)), false,
                      out, err);
}

}  // namespace

int RunIssuanceStep(std::string_view verb, std::span<const std::string_view> args,
                    std::ostream& out, std::ostream& err) {
  const std::string_view sub = args.empty() ? "" : args[0];
  auto rest = args.empty() ? args : args.subspan(1);
  if (verb == "monitoring" && sub == "period") {
    return WithSession(rest, {"project", "period", "date", "by"}, {}, out, err,
                       [&](const Flags& f, Session& s) {
                         cycle::AddMonitoringPeriod c;
                         JCM_CLI_ASSIGN(c.project, f.Require("project"));
                         JCM_CLI_ASSIGN(c.period, f.RequirePeriod("period"));
                         JCM_CLI_ASSIGN(c.date, f.RequireDate("date"));
                         JCM_CLI_ASSIGN(std::string by, f.Require("by"));
                         return DecideAndAppend(s, Actor{Role::kParticipant, by}, c);
                       });
  }
  if (verb == "monitoring" && sub == "report") {
    return WithSession(rest, {"project", "period", "reported", "document", "document-sha256",
                              "version", "mrv-calculation", "mrv-input", "date", "by"},
                       {}, out, err, [&](const Flags& f, Session& s) {
                         cycle::SubmitMonitoringReport c;
                         JCM_CLI_ASSIGN(c.project, f.Require("project"));
                         JCM_CLI_ASSIGN(c.period, f.RequirePeriod("period"));
                         JCM_CLI_ASSIGN(c.reported_tco2e, f.RequireInt("reported"));
                         JCM_CLI_ASSIGN(c.document, DocumentFrom(f, "document", "monitoring_report"));
                         c.mrv_calculation_sha256 = f.Get("mrv-calculation").value_or("");
                         c.mrv_input_sha256 = f.GetAll("mrv-input");
                         JCM_CLI_ASSIGN(c.date, f.RequireDate("date"));
                         JCM_CLI_ASSIGN(std::string by, f.Require("by"));
                         return DecideAndAppend(s, Actor{Role::kParticipant, by}, c);
                       });
  }
  if (verb == "verification" && sub == "submit") {
    return WithSession(rest, {"project", "period", "verified", "tpe", "report", "report-sha256",
                              "version", "date"},
                       {}, out, err, [&](const Flags& f, Session& s) {
                         cycle::SubmitVerification c;
                         JCM_CLI_ASSIGN(c.project, f.Require("project"));
                         JCM_CLI_ASSIGN(c.period, f.RequirePeriod("period"));
                         JCM_CLI_ASSIGN(c.verified_tco2e, f.RequireInt("verified"));
                         JCM_CLI_ASSIGN(c.report, DocumentFrom(f, "report", "verification_report"));
                         JCM_CLI_ASSIGN(c.date, f.RequireDate("date"));
                         JCM_CLI_ASSIGN(std::string tpe, f.Require("tpe"));
                         return DecideAndAppend(s, Actor{Role::kTpe, tpe}, c);
                       });
  }
  if (verb == "issuance" && (sub == "request" || sub == "withdraw")) {
    return WithSession(rest, {"project", "period", "quantity", "document", "document-sha256",
                              "version", "date", "by"},
                       {}, out, err, [&](const Flags& f, Session& s) {
                         JCM_CLI_ASSIGN(std::string project, f.Require("project"));
                         JCM_CLI_ASSIGN(core::Period period, f.RequirePeriod("period"));
                         JCM_CLI_ASSIGN(core::Date date, f.RequireDate("date"));
                         JCM_CLI_ASSIGN(std::string by, f.Require("by"));
                         Actor pp{Role::kParticipant, by};
                         if (sub == "withdraw") {
                           return DecideAndAppend(
                               s, pp, cycle::WithdrawIssuanceRequest{project, period, date});
                         }
                         JCM_CLI_ASSIGN(int64_t quantity, f.RequireInt("quantity"));
                         JCM_CLI_ASSIGN(cycle::Document doc,
                                        DocumentFrom(f, "document", "issuance_request"));
                         return DecideAndAppend(
                             s, pp, cycle::RequestIssuance{project, period, quantity, doc, date});
                       });
  }
  if (verb == "issuance" && sub == "decide") {
    return WithSession(rest, {"project", "period", "total", "side", "date"}, {"electronic"}, out,
                       err, [&](const Flags& f, Session& s) {
                         cycle::DecideIssuance c;
                         JCM_CLI_ASSIGN(c.project, f.Require("project"));
                         JCM_CLI_ASSIGN(c.period, f.RequirePeriod("period"));
                         JCM_CLI_ASSIGN(c.total_tco2e, f.RequireInt("total"));
                         for (const std::string& text : f.GetAll("side")) {
                           size_t colon = text.find(':');
                           auto amount = core::ParseInt64(
                               colon == std::string::npos ? "" : text.substr(colon + 1));
                           if (!amount) {
                             return ReportStatus(core::InvalidArgument("--side CC:AMOUNT"), s.json,
                                                 out, err);
                           }
                           c.sides.push_back({text.substr(0, colon), *amount});
                         }
                         c.electronic = f.Has("electronic");
                         JCM_CLI_ASSIGN(c.date, f.RequireDate("date"));
                         return DecideAndAppend(
                             s, Actor{Role::kJointCommittee, PartnerOf(s, c.project)}, c);
                       });
  }
  if (verb == "issuance" && sub == "execute") {
    return WithSession(rest, {"project", "period", "registry", "date", "authorization", "to"}, {},
                       out, err, Execute);
  }
  return Usage("jcm monitoring period|report | verification submit | "
               "issuance request|withdraw|decide|execute",
               out, err);
}

}  // namespace jcm::cli::cycle_cli
