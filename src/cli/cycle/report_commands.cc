// jcm import jcm-data, project list|show, registry summary, due.
#include <fstream>
#include <map>
#include <ostream>
#include <sstream>

#include "cli/cycle/cycle_session.h"
#include "cli/cycle/ledger_issuance.h"
#include "cycle/due.h"
#include "cycle/import/jcm_data.h"
#include "ledger/types.h"

namespace jcm::cli::cycle_cli {

namespace json = boost::json;

namespace {

std::string ReadFileOrEmpty(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Appends the import's events; an executed side also gets its ledger issuance first.
core::Status AppendImported(Session& s, const std::vector<cycle::Event>& events,
                            int64_t* issuances) {
  for (cycle::Event event : events) {
    if (auto* exec = std::get_if<cycle::ExecuteIssuance>(&event.payload)) {
      const cycle::Project* p = s.state.FindProject(exec->project);
      JCM_CHECK(p != nullptr, "import executes decisions of known projects");
      const cycle::MonitoringPeriodState* m = p->FindPeriod(exec->period);
      JCM_CHECK(m != nullptr, "import executes known decisions");
      int64_t amount = 0;
      for (const cycle::SideState& side : m->sides) {
        if (side.side == exec->side) amount = side.amount_tco2e;
      }
      // Imported decisions carry no allocation: the side's units go to its government account.
      JCM_ASSIGN_OR_RETURN(std::string account,
                           GovernmentHoldingAccount(*s.store, exec->side, /*create=*/true));
      JCM_ASSIGN_OR_RETURN(LedgerIssuance issued,
                           IssueOnLedger(*s.store, p->reference, *m, exec->side,
                                         {{account, amount}}, ledger::Authorization::kNone));
      if (issued.rejection) {
        return core::FailedPrecondition("ledger rejected the issuance of " + p->reference + " " +
                                        exec->period.ToString() + " in " + exec->side + ": " +
                                        issued.rejection->message);
      }
      exec->ledger_transaction = std::to_string(issued.seq);
      ++*issuances;
    }
    JCM_ASSIGN_OR_RETURN(store::Outcome outcome, AppendEvent(s, event));
    if (outcome.rejection)
      return core::Internal("journal refused event: " + outcome.rejection->message);
    cycle::Apply(s.state, event);
  }
  return core::OkStatus();
}

}  // namespace

int RunImport(std::span<const std::string_view> args, Environment& env) {
  std::ostream& out = env.out;
  std::ostream& err = env.err;
  if (args.empty() || args[0] != "jcm-data") {
    return ReportStatus(core::InvalidArgument("usage: jcm import jcm-data --db FILE --dir DIR"),
                        false, out, err);
  }
  auto flags = ParseFlags(args.subspan(1), {"dir"});
  if (!flags.ok()) return ReportStatus(flags.status(), false, out, err);
  const bool as_json = flags->Has("json");
  auto dir = flags->Require("dir");
  if (!dir.ok()) return ReportStatus(dir.status(), as_json, out, err);
  auto session = OpenSession(*flags, env);
  if (!session.ok()) return ReportStatus(session.status(), as_json, out, err);
  namespace imp = cycle::import;
  std::string base = *dir + "/";
  std::string all = ReadFileOrEmpty(base + std::string(imp::kProjectsAllFile));
  std::string mongolia = ReadFileOrEmpty(base + std::string(imp::kProjectsMongoliaFile));
  std::string methodologies = ReadFileOrEmpty(base + std::string(imp::kMethodologiesFile));
  std::string forms = ReadFileOrEmpty(base + std::string(imp::kRulesFormsFile));
  std::string issuances = ReadFileOrEmpty(base + std::string(imp::kIssuanceRecordsFile));
  imp::ImportPlan plan = imp::PlanJcmDataImport({all, mongolia, methodologies, forms, issuances});
  imp::ImportResult result = imp::RunImport(session->state, plan, session->today);
  int64_t executed = 0;
  core::Status appended = AppendImported(*session, result.events, &executed);
  if (!appended.ok()) return ReportStatus(appended, as_json, out, err);
  int64_t rejected = 0;
  json::array notes;
  for (const imp::ImportNote& n : result.notes) {
    rejected += n.rejected;
    notes.push_back(
        {{"file", n.file}, {"line", n.line}, {"rejected", n.rejected}, {"message", n.message}});
    if (!as_json) {
      err << n.file << ":" << n.line << ": " << (n.rejected ? "not loaded: " : "note: ")
          << n.message << "\n";
    }
  }
  if (as_json) {
    PrintJson(json::object{{"events_added", static_cast<int64_t>(result.events.size())},
                           {"unchanged", result.unchanged},
                           {"issuances_executed", executed},
                           {"rows_rejected", rejected},
                           {"projects", static_cast<int64_t>(session->state.projects.size())},
                           {"notes", std::move(notes)}},
              out);
  } else {
    out << "imported " << result.events.size() << " events (" << result.unchanged
        << " already present), executed " << executed << " ledger issuances; " << rejected
        << " rows not loaded, " << (result.notes.size() - static_cast<size_t>(rejected))
        << " notes\n";
  }
  return kOk;
}

int RunProject(std::span<const std::string_view> args, Environment& env) {
  std::ostream& out = env.out;
  std::ostream& err = env.err;
  const std::string_view verb = args.empty() ? "" : args[0];
  if (verb != "list" && verb != "show") {
    return ReportStatus(core::InvalidArgument("usage: jcm project list|show"), false, out, err);
  }
  auto flags = ParseFlags(args.subspan(1), {"country", "status"});
  if (!flags.ok()) return ReportStatus(flags.status(), false, out, err);
  const bool as_json = flags->Has("json");
  auto session = OpenSession(*flags, env);
  if (!session.ok()) return ReportStatus(session.status(), as_json, out, err);
  if (verb == "show") {
    if (flags->positional().size() != 1) {
      return ReportStatus(core::InvalidArgument("usage: jcm project show --db FILE REF"), as_json,
                          out, err);
    }
    const cycle::Project* p = session->state.FindProject(flags->positional()[0]);
    if (p == nullptr) {
      return ReportStatus(core::NotFound("no project '" + flags->positional()[0] + "'"), as_json,
                          out, err);
    }
    json::object detail = ProjectDetailJson(*p);
    if (as_json) {
      PrintJson(detail, out);
    } else {
      out << json::serialize(detail) << "\n";
    }
    return kOk;
  }
  json::array list;
  for (const auto& [id, p] : session->state.projects) {
    if (auto c = flags->Get("country"); c && p.partner != *c) continue;
    if (auto st = flags->Get("status"); st && cycle::ToString(p.status) != *st) continue;
    list.push_back(ProjectSummaryJson(p));
    if (!as_json) {
      out << (p.reference.empty() ? p.id : p.reference) << "\t" << p.partner << "\t"
          << cycle::ToString(p.status) << "\t" << p.title << "\n";
    }
  }
  if (as_json) PrintJson(list, out);
  return kOk;
}

int RunRegistry(std::span<const std::string_view> args, Environment& env) {
  std::ostream& out = env.out;
  std::ostream& err = env.err;
  if (args.empty() || args[0] != "summary") {
    return ReportStatus(
        core::InvalidArgument("usage: jcm registry summary --db FILE --registry CC"), false, out,
        err);
  }
  auto flags = ParseFlags(args.subspan(1), {"registry"});
  if (!flags.ok()) return ReportStatus(flags.status(), false, out, err);
  const bool as_json = flags->Has("json");
  auto registry = flags->Require("registry");
  if (!registry.ok()) return ReportStatus(registry.status(), as_json, out, err);
  auto session = OpenSession(*flags, env);
  if (!session.ok()) return ReportStatus(session.status(), as_json, out, err);
  auto accounts = session->store->ListAccounts(*registry);
  if (!accounts.ok()) return ReportStatus(accounts.status(), as_json, out, err);
  std::map<std::string, int64_t> by_type;
  int64_t held = 0, retired = 0, cancelled = 0;
  for (const ledger::Account& account : *accounts) {
    auto blocks = session->store->LiveBlocks(account.number);
    if (!blocks.ok()) return ReportStatus(blocks.status(), as_json, out, err);
    int64_t units = 0;
    for (const ledger::UnitBlock& b : *blocks) units += b.unit_count;
    by_type[std::string(ledger::AccountTypeName(account.type))] += units;
    if (account.type == ledger::AccountType::kRetirement) {
      retired += units;
    } else if (account.type == ledger::AccountType::kCancellation) {
      cancelled += units;
    } else {
      held += units;
    }
  }
  int64_t pending = 0, pending_decisions = 0;
  for (const auto& [id, p] : session->state.projects) {
    for (const cycle::MonitoringPeriodState& m : p.periods) {
      for (const cycle::SideState& side : m.sides) {
        if (side.side != *registry || side.executed || side.amount_tco2e == 0) continue;
        pending += side.amount_tco2e;
        ++pending_decisions;
      }
    }
  }
  json::object types;
  for (const auto& [type, units] : by_type) types[type] = units;
  json::object summary{{"registry", *registry},
                       {"issued_tco2e", held + retired + cancelled},
                       {"held_tco2e", held},
                       {"retired_tco2e", retired},
                       {"cancelled_tco2e", cancelled},
                       {"pending_issuance_tco2e", pending},
                       {"pending_issuance_decisions", pending_decisions},
                       {"accounts", static_cast<int64_t>(accounts->size())},
                       {"by_account_type", std::move(types)}};
  if (as_json) {
    PrintJson(summary, out);
  } else {
    out << "registry " << *registry << ": issued " << held + retired + cancelled << ", held "
        << held << ", retired " << retired << ", cancelled " << cancelled
        << ", decided but not yet issued " << pending << " tCO2e\n";
  }
  return kOk;
}

int RunDue(std::span<const std::string_view> args, Environment& env) {
  std::ostream& out = env.out;
  std::ostream& err = env.err;
  auto flags = ParseFlags(args, {});
  if (!flags.ok()) return ReportStatus(flags.status(), false, out, err);
  const bool as_json = flags->Has("json");
  auto session = OpenSession(*flags, env);
  if (!session.ok()) return ReportStatus(session.status(), as_json, out, err);
  json::array items;
  for (const cycle::DueItem& item : cycle::Due(session->state, session->today)) {
    json::value due = item.due ? json::value(item.due->ToString()) : json::value(nullptr);
    items.push_back({{"subject", item.subject},
                     {"what", item.what},
                     {"who", item.who},
                     {"due", due},
                     {"overdue", item.overdue}});
    if (!as_json) {
      out << (item.due ? item.due->ToString() : std::string("(open)    ")) << "  "
          << (item.overdue ? "OVERDUE " : "") << item.what << "  " << item.subject << "  ("
          << item.who << ")\n";
    }
  }
  if (as_json) PrintJson(json::object{{"today", session->today.ToString()}, {"items", items}}, out);
  return kOk;
}

}  // namespace jcm::cli::cycle_cli
