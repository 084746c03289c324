// jcm cycle verify: replays and re-decides every cycle event (cycle/replay.h) and checks each
// executed issuance against the ledger transaction it cites.
#include <map>

#include "cli/cycle/cycle_audit.h"
#include "cli/cycle/cycle_session.h"
#include "cli/cycle/ledger_issuance.h"
#include "cycle/codec.h"
#include "cycle/replay.h"
#include "ledger/decide.h"

namespace jcm::cli::cycle_cli {

namespace json = boost::json;

namespace {

inline constexpr int kViolations = 4;  // as `jcm audit verify`

// The ledger side of each executed decision: an issuance in that registry, citing the decision,
// of exactly the notified amount.
void CheckExecutions(const cycle::State& state,
                     const std::map<int64_t, ledger::JournalEntry>& ledger_entries,
                     std::vector<cycle::ReplayViolation>* violations) {
  for (const auto& [id, p] : state.projects) {
    for (const cycle::MonitoringPeriodState& m : p.periods) {
      for (const cycle::SideState& side : m.sides) {
        if (!side.executed) continue;
        std::string what = p.reference + " " + m.period.ToString() + " " + side.side;
        auto seq = core::ParseInt64(side.ledger_transaction);
        auto it = seq ? ledger_entries.find(*seq) : ledger_entries.end();
        if (it == ledger_entries.end()) {
          violations->push_back({0, what + ": cites no ledger transaction"});
          continue;
        }
        const ledger::JournalEntry& e = it->second;
        int64_t units = 0;
        auto blocks = ledger::CreatedBlocks(e);
        if (blocks.ok()) {
          for (const ledger::UnitBlock& b : *blocks) units += b.unit_count;
        }
        bool matches = e.body.Find("type") == "issuance" && e.body.Find("registry") == side.side &&
                       e.body.Find("decision") == DecisionReference(p.reference, m) &&
                       units == side.amount_tco2e;
        if (!matches) {
          violations->push_back(
              {e.seq, what + ": ledger entry " + std::to_string(e.seq) + " is not an issuance of " +
                          std::to_string(side.amount_tco2e) + " units citing the decision"});
        }
      }
    }
  }
}

}  // namespace

core::Result<CycleAudit> AuditCycle(store::Store& store) {
  JCM_ASSIGN_OR_RETURN(std::vector<ledger::JournalEntry> entries, store.ReadJournal(1));
  std::vector<cycle::JournaledEvent> events;
  std::map<int64_t, ledger::JournalEntry> ledger_entries;
  for (ledger::JournalEntry& e : entries) {
    if (!cycle::IsCycleEventKind(e.kind)) {
      ledger_entries.emplace(e.seq, std::move(e));
      continue;
    }
    auto day = core::Date::Parse(e.time.substr(0, 10));
    events.push_back({e.seq, day.ok() ? *day : core::Date(), e.kind, e.body});
  }
  cycle::ReplayResult result = cycle::ReplayAndVerify(events);
  CheckExecutions(result.state, ledger_entries, &result.violations);
  return CycleAudit{result.events, static_cast<int64_t>(result.state.projects.size()),
                    std::move(result.violations)};
}

int RunVerify(std::span<const std::string_view> args, Environment& env) {
  std::ostream& out = env.out;
  std::ostream& err = env.err;
  if (args.empty() || args[0] != "verify") {
    return ReportStatus(core::InvalidArgument("usage: jcm cycle verify --db FILE"), false, out,
                        err);
  }
  return WithSession(args.subspan(1), {}, {}, env, [&](const Flags&, Session& s) {
    JCM_CLI_ASSIGN(CycleAudit audit, AuditCycle(*s.store));
    json::array violations;
    for (const cycle::ReplayViolation& v : audit.violations) {
      violations.push_back({{"entry", v.seq}, {"message", v.message}});
      if (!s.json) err << "entry " << v.seq << ": " << v.message << "\n";
    }
    const bool ok = audit.violations.empty();
    if (s.json) {
      PrintJson(json::object{{"ok", ok},
                             {"cycle_events", audit.events},
                             {"projects", audit.projects},
                             {"violations", std::move(violations)}},
                out);
    } else {
      out << (ok ? "ok: " : "FAILED: ") << audit.events << " cycle events, "
          << audit.violations.size() << " violations\n";
    }
    return ok ? kOk : kViolations;
  });
}

}  // namespace jcm::cli::cycle_cli
