#include "service/audit_service.h"

#include <chrono>
#include <map>
#include <set>
#include <span>

#include "core/record.h"
#include "core/sha256.h"
#include "cycle/codec.h"
#include "cycle/replay.h"
#include "ledger/decide.h"
#include "ledger/jc_decision.h"
#include "ledger/journal.h"
#include "service/document_service.h"
#include "service/internal/cycle_journal.h"
#include "service/internal/exchange_state.h"
#include "service/log_service.h"
#include "service/log_witness.h"

namespace jcm::service {
namespace {

constexpr std::string_view kCycleInvariant = "INV-10";
constexpr std::string_view kKeysInvariant = "INV-13";
constexpr std::string_view kDocumentsInvariant = "INV-14";

using Violations = std::vector<ledger::Violation>;

// The ledger side of each executed decision: an issuance in that registry, citing the decision,
// of exactly the notified amount, cited by no other side. Returns the entries cited.
std::set<int64_t> CheckExecutions(
    const cycle::State& state, const std::map<int64_t, const ledger::JournalEntry*>& ledger_entries,
    Violations* violations) {
  std::set<int64_t> cited;
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
        if (!cited.insert(e.seq).second) {
          violations->push_back({std::string(kCycleInvariant), e.seq,
                                 what + ": ledger entry " + std::to_string(e.seq) +
                                     " is cited by another execution too"});
        }
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
  return cited;
}

bool IsExecutionIssuance(const ledger::JournalEntry& e) {
  return e.kind == "transaction" && e.body.Find("type") == "issuance" &&
         e.body.Find("key").value_or("").starts_with(internal::kExecutionKeyPrefix);
}

// Ledger → cycle: an issuance made by the execution of a decision (ledger::ExecuteDecision, its
// key says so) is recorded as executed by the project cycle, or its units would count as
// issued in the ledger and as pending in the cycle.
void CheckExecutedIssuances(const std::map<int64_t, const ledger::JournalEntry*>& ledger_entries,
                            const std::set<int64_t>& cited, Violations* violations) {
  for (const auto& [seq, e] : ledger_entries) {
    if (!IsExecutionIssuance(*e) || cited.count(seq)) continue;
    violations->push_back({std::string(kCycleInvariant), seq,
                           "issuance entry " + std::to_string(seq) + " executes decision " +
                               std::string(e->body.Find("decision").value_or("?")) + " in " +
                               std::string(e->body.Find("registry").value_or("?")) +
                               ", but the project cycle records no execution of it"});
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
  const std::set<int64_t> cited =
      CheckExecutions(replayed.state, ledger_entries, &report.violations);
  CheckExecutedIssuances(ledger_entries, cited, &report.violations);
  return report;
}

// The event an execution journals right after its issuance, in the same write: the issuance's
// key covers both (ledger::ExecuteDecision), so it needs no row of its own.
bool FollowsItsIssuance(const ledger::JournalEntry& e, const ledger::JournalEntry* previous) {
  return previous != nullptr && IsExecutionIssuance(*previous) &&
         e.body.Find("ledger_transaction") == std::to_string(previous->seq);
}

// The key a journal entry was written under, if any: a ledger command's `key` field; for a
// cycle event its caller's key, or else its ContentKey.
std::optional<std::string> KeyOf(const ledger::JournalEntry& e) {
  if (!cycle::IsCycleEventKind(e.kind)) {
    const std::string_view key = e.body.Find("key").value_or("");
    return key.empty() ? std::nullopt : std::optional<std::string>(key);
  }
  if (auto key = e.body.Find(internal::kRequestKeyField)) return std::string(*key);
  core::Record asked;  // the body before the ledger added the decisions it records
  for (const auto& [name, value] : e.body.fields()) {
    if (name != ledger::kDecisionField) asked.Add(name, value);
  }
  return internal::ContentKey(e.kind, asked);
}

// INV-13: the idempotency table is the journal's keys. Every key an entry was written under has
// a row naming that entry (a missing row lets a retry apply twice), and every row names an entry
// written under its key (a redirected row makes a retry answer with an unrelated entry).
void CheckIdempotencyKeys(std::span<const ledger::JournalEntry> journal,
                          const std::map<std::string, ledger::IdempotencyRecord>& rows,
                          Violations* violations) {
  const std::string invariant(kKeysInvariant);
  std::map<std::string, int64_t> carried;
  for (size_t i = 0; i < journal.size(); ++i) {
    const ledger::JournalEntry& e = journal[i];
    const std::optional<std::string> key = KeyOf(e);
    if (!key) continue;
    auto row = rows.find(*key);
    // Rows an entry need not have: the event an execution journals with its issuance, and the
    // content key of an event a ledger client appended without a key (the cycle service always
    // gives one; a retry of such an event is refused by the cycle's own checks).
    const bool optional =
        FollowsItsIssuance(e, i > 0 ? &journal[i - 1] : nullptr) ||
        (cycle::IsCycleEventKind(e.kind) && !e.body.Find(internal::kRequestKeyField));
    if (row == rows.end() && optional) {
      carried.emplace(*key, e.seq);
      continue;
    }
    const std::string name = "idempotency key '" + *key + "' of entry " + std::to_string(e.seq);
    if (auto [it, added] = carried.emplace(*key, e.seq); !added) {
      violations->push_back(
          {invariant, e.seq, name + " was already that of entry " + std::to_string(it->second)});
      continue;
    }
    if (row == rows.end()) {
      violations->push_back({invariant, e.seq, name + " has no row: a retry would apply again"});
    } else if (row->second.seq != e.seq) {
      violations->push_back({invariant, e.seq,
                             name + " points to entry " + std::to_string(row->second.seq) +
                                 ": a retry would answer with another entry"});
    } else if (cycle::IsCycleEventKind(e.kind) &&
               row->second.digest != core::Sha256Hex(e.kind + "\n" + e.body.Encode())) {
      violations->push_back({invariant, e.seq, name + " is bound to another request's digest"});
    }
  }
  for (const auto& [key, row] : rows) {
    if (carried.count(key)) continue;
    // A cycle event a ledger client appended under a key of its own: bound by its digest.
    const size_t index = static_cast<size_t>(row.seq - 1);
    if (row.seq >= 1 && index < journal.size() && journal[index].seq == row.seq &&
        cycle::IsCycleEventKind(journal[index].kind) &&
        row.digest == core::Sha256Hex(journal[index].kind + "\n" + journal[index].body.Encode())) {
      continue;
    }
    violations->push_back({invariant, row.seq,
                           "idempotency key '" + key + "' points to entry " +
                               std::to_string(row.seq) + ", which was not written under it"});
  }
}

// The documents the journal references: every `….sha256` field of a cycle event (a document's
// content address), but the request digest beside a caller's key, and the `sha256` of a
// document.uploaded entry. sha256 -> first entry.
std::map<std::string, int64_t> ReferencedDocuments(std::span<const ledger::JournalEntry> journal) {
  std::map<std::string, int64_t> referenced;
  for (const ledger::JournalEntry& e : journal) {
    const bool upload = e.kind == kDocumentUploadedKind;  // its bytes' own "sha256"
    if (!cycle::IsCycleEventKind(e.kind) && !upload) continue;
    for (const auto& [name, value] : e.body.fields()) {
      const bool address = upload ? name == "sha256" : name.ends_with(".sha256");
      if (!address || name == internal::kRequestSha256Field) continue;
      if (!value.empty()) referenced.emplace(value, e.seq);
    }
  }
  return referenced;
}

// INV-14: each referenced document that is stored still hashes to its address.
core::Status CheckDocuments(store::Store& snapshot, std::span<const ledger::JournalEntry> journal,
                            AuditReport* report) {
  for (const auto& [sha256, seq] : ReferencedDocuments(journal)) {
    auto document = snapshot.GetDocument(sha256);
    if (!document.ok() && document.status().code() != core::StatusCode::kDataLoss) {
      return document.status();
    }
    if (!document.ok()) {
      report->violations.push_back({std::string(kDocumentsInvariant), seq,
                                    "document " + sha256 + " referenced by entry " +
                                        std::to_string(seq) +
                                        " was altered: its stored bytes no longer hash to it"});
    } else if (!document->has_value()) {
      report->documents_missing.emplace_back(seq, sha256);
    } else {
      ++report->documents_checked;
    }
  }
  return core::OkStatus();
}

// INV-25: the log's tree covers exactly the journal and its root is the root of the journal's
// entry hashes; INV-26: the head stored for that size states that root under a valid signature.
core::Status CheckLogTree(store::Store& snapshot, std::span<const ledger::JournalEntry> journal,
                          std::vector<ledger::Violation>* violations) {
  JCM_ASSIGN_OR_RETURN(int64_t size, snapshot.LogTreeSize());
  const auto entries = static_cast<int64_t>(journal.size());
  if (size != entries) {
    violations->push_back({"INV-25", 0,
                           "the log tree holds " + std::to_string(size) + " entries, the journal " +
                               std::to_string(entries)});
    return core::OkStatus();
  }
  std::vector<core::merkle::Hash> level;
  for (const ledger::JournalEntry& e : journal) {
    core::Result<core::merkle::Hash> leaf = ledger::LogLeafHash(e.hash);
    if (!leaf.ok()) return core::OkStatus();  // a malformed hash is INV-7's finding
    level.push_back(*leaf);
  }
  // MTH by levels: pairing left to right, an odd last node rises unchanged (RFC 9162 §2.1.1).
  while (level.size() > 1) {
    std::vector<core::merkle::Hash> up;
    for (size_t i = 0; i + 1 < level.size(); i += 2) {
      up.push_back(core::merkle::NodeHash(level[i], level[i + 1]));
    }
    if (level.size() % 2 == 1) up.push_back(level.back());
    level = std::move(up);
  }
  const std::string journal_root =
      core::merkle::ToHex(level.empty() ? core::merkle::EmptyTreeHash() : level[0]);
  JCM_ASSIGN_OR_RETURN(std::string tree_root, LogRoot(snapshot, size));
  if (tree_root != journal_root) {
    violations->push_back(
        {"INV-25", 0,
         "the log tree's root " + tree_root + " is not the journal's " + journal_root});
  }
  JCM_ASSIGN_OR_RETURN(std::optional<store::LogHead> head, snapshot.FindLogHead(size));
  if (head && (head->root_hash != journal_root ||
               !VerifyTreeHead(HeadFromStored(*head), std::nullopt).ok())) {
    violations->push_back({"INV-26", 0,
                           "the signed head of " + std::to_string(size) +
                               " entries does not sign the journal's root"});
  }
  return core::OkStatus();
}

// INV-30: every monitoring report with stored MRV evidence recomputes to its recorded report.
core::Status CheckMrvEvidence(store::Store& snapshot, const AuditOptions& options,
                              AuditReport* report) {
  report->mrv_reports_recomputed = 0;
  JCM_ASSIGN_OR_RETURN(std::vector<int64_t> seqs, MonitoringReportsWithEvidence(snapshot));
  for (const int64_t seq : seqs) {
    core::Result<MrvRecomputation> r =
        RecomputeMonitoringReport(snapshot, seq, options.print_mrv_report, options.mrv_threads);
    ++report->mrv_reports_recomputed;
    if (!r.ok() && r.status().code() != core::StatusCode::kNotFound) return r.status();
    if (!r.ok()) {
      report->violations.push_back({"INV-30", seq, std::string(r.status().message())});
    } else if (r->difference) {
      report->violations.push_back({"INV-30", seq,
                                    "check " + std::to_string(r->difference->check) + " " +
                                        r->difference->name + ": " + r->difference->message});
    }
  }
  return core::OkStatus();
}

core::Status CheckExternalTransfers(std::span<const ledger::JournalEntry> journal,
                                    store::Clock* clock, Violations* violations) {
  if (journal.empty()) return core::OkStatus();
  JCM_ASSIGN_OR_RETURN(
      const int64_t now_s,
      internal::UnixSecondsOf(clock != nullptr ? clock->NowUtc() : journal.back().time));
  const Violations found = internal::AuditExternalTransfers(journal, now_s);
  violations->insert(violations->end(), found.begin(), found.end());
  return core::OkStatus();
}

}  // namespace

core::Result<AuditReport> AuditAll(store::Store& store, const AuditOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  JCM_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> snapshot, store.Snapshot());
  JCM_ASSIGN_OR_RETURN(std::vector<ledger::JournalEntry> journal, snapshot->ReadJournal(1));
  JCM_ASSIGN_OR_RETURN(ledger::StoredState state, snapshot->ReadState());
  AuditReport report;
  report.violations = ledger::Audit(journal, state);
  report.cycle = AuditCycleEntries(journal);
  report.violations.insert(report.violations.end(), report.cycle.violations.begin(),
                           report.cycle.violations.end());
  CheckIdempotencyKeys(journal, state.idempotency_keys, &report.violations);
  JCM_RETURN_IF_ERROR(CheckExternalTransfers(journal, options.clock, &report.violations));
  JCM_RETURN_IF_ERROR(CheckDocuments(*snapshot, journal, &report));
  JCM_RETURN_IF_ERROR(CheckLogTree(*snapshot, journal, &report.violations));
  JCM_ASSIGN_OR_RETURN(std::vector<ledger::Violation> cosigned, AuditCosignatures(*snapshot));
  report.violations.insert(report.violations.end(), cosigned.begin(), cosigned.end());
  if (options.print_mrv_report != nullptr) {
    JCM_RETURN_IF_ERROR(CheckMrvEvidence(*snapshot, options, &report));
  }
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
