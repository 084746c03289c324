#include "service/audit_service.h"

#include <chrono>
#include <map>
#include <span>

#include "core/record.h"
#include "cycle/codec.h"
#include "cycle/replay.h"
#include "ledger/decide.h"
#include "service/internal/cycle_journal.h"

namespace jcm::service {
namespace {

constexpr std::string_view kCycleInvariant = "INV-10";

// The ledger side of each executed decision: an issuance in that registry, citing the decision,
// of exactly the notified amount.
void CheckExecutions(const cycle::State& state,
                     const std::map<int64_t, const ledger::JournalEntry*>& ledger_entries,
                     std::vector<ledger::Violation>* violations) {
  for (const auto& [id, p] : state.projects) {
    for (const cycle::MonitoringPeriodState& m : p.periods) {
      for (const cycle::SideState& side : m.sides) {
        if (!side.executed) continue;
        const std::string what = p.reference + " " + m.period.ToString() + " " + side.side;
        auto seq = core::ParseInt64(side.ledger_transaction);
        auto it = seq ? ledger_entries.find(*seq) : ledger_entries.end();
        if (it == ledger_entries.end()) {
          violations->push_back(
              {std::string(kCycleInvariant), 0, what + ": cites no ledger transaction"});
          continue;
        }
        const ledger::JournalEntry& e = *it->second;
        int64_t units = 0;
        if (auto blocks = ledger::CreatedBlocks(e); blocks.ok()) {
          for (const ledger::UnitBlock& b : *blocks) units += b.unit_count;
        }
        const bool matches =
            e.body.Find("type") == "issuance" && e.body.Find("registry") == side.side &&
            e.body.Find("decision") == internal::DecisionReference(p.reference, m) &&
            units == side.amount_tco2e;
        if (!matches) {
          violations->push_back({std::string(kCycleInvariant), e.seq,
                                 what + ": ledger entry " + std::to_string(e.seq) +
                                     " is not an issuance of " + std::to_string(side.amount_tco2e) +
                                     " units citing the decision"});
        }
      }
    }
  }
}

CycleAuditReport AuditCycleEntries(std::span<const ledger::JournalEntry> entries) {
  std::vector<cycle::JournaledEvent> events;
  std::map<int64_t, const ledger::JournalEntry*> ledger_entries;
  for (const ledger::JournalEntry& e : entries) {
    if (!cycle::IsCycleEventKind(e.kind)) {
      ledger_entries.emplace(e.seq, &e);
      continue;
    }
    auto day = core::Date::Parse(e.time.substr(0, 10));
    events.push_back({e.seq, day.ok() ? *day : core::Date(), e.kind, e.body});
  }
  cycle::ReplayResult replayed = cycle::ReplayAndVerify(events);
  CycleAuditReport report;
  report.events = replayed.events;
  report.projects = static_cast<int64_t>(replayed.state.projects.size());
  for (const cycle::ReplayViolation& v : replayed.violations) {
    report.violations.push_back({std::string(kCycleInvariant), v.seq, v.message});
  }
  CheckExecutions(replayed.state, ledger_entries, &report.violations);
  return report;
}

}  // namespace

core::Result<AuditReport> AuditAll(store::Store& store) {
  const auto started = std::chrono::steady_clock::now();
  JCM_ASSIGN_OR_RETURN(std::vector<ledger::JournalEntry> journal, store.ReadJournal(1));
  JCM_ASSIGN_OR_RETURN(ledger::StoredState state, store.ReadState());
  AuditReport report;
  report.violations = ledger::Audit(journal, state);
  report.cycle = AuditCycleEntries(journal);
  report.violations.insert(report.violations.end(), report.cycle.violations.begin(),
                           report.cycle.violations.end());
  for (const ledger::JournalEntry& e : journal) {
    if (e.kind != "transaction" || !e.body.Find("import_source")) continue;
    report.imported_issuance_entries.push_back(e.seq);
    report.imported_units += core::ParseInt64(e.body.Find("quantity").value_or("")).value_or(0);
  }
  report.entries = static_cast<int64_t>(journal.size());
  report.blocks = static_cast<int64_t>(state.blocks.size());
  report.head_hash = journal.empty() ? "" : journal.back().hash;
  report.elapsed_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now() - started)
                          .count();
  return report;
}

core::Result<CycleAuditReport> AuditCycle(store::Store& store) {
  JCM_ASSIGN_OR_RETURN(std::vector<ledger::JournalEntry> journal, store.ReadJournal(1));
  return AuditCycleEntries(journal);
}

}  // namespace jcm::service
