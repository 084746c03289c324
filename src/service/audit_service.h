// The full audit of a registry database (docs/invariants.md) as one call, on one snapshot of it
// (Store::Snapshot: writers elsewhere never make it compare two states): the ledger's
// invariants recomputed from the journal and the stored tables (ledger/audit.h); the project
// cycle's INV-10: every cycle event re-decided against the state replayed before it
// (cycle/replay.h), every executed side matched by the ledger issuance it cites and every
// issuance a cycle execution made recorded as executed; the idempotency keys the journal
// implies (INV-13); every stored document a journal entry references, re-hashed (INV-14); and
// every external transfer sent final or within its time limit (INV-57).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "ledger/audit.h"
#include "service/mrv_evidence.h"
#include "store/store.h"

namespace jcm::service {

struct CycleAuditReport {
  int64_t events = 0;
  int64_t projects = 0;
  std::vector<ledger::Violation> violations;  // all INV-10; empty: sound
};

struct AuditReport {
  int64_t entries = 0;
  int64_t blocks = 0;
  std::string head_hash;  // empty for an empty journal
  int64_t elapsed_ms = 0;
  CycleAuditReport cycle;
  // The issuances that are imports of historical records (INV-11), flagged in every audit:
  // their journal entries and units.
  std::vector<int64_t> imported_issuance_entries;
  int64_t imported_units = 0;
  // Documents referenced by journal entries: how many are stored (each re-hashed), and those
  // that are not (a reference by hash alone may name a document kept elsewhere: listed, not a
  // violation; an altered one is a violation of INV-14).
  int64_t documents_checked = 0;
  std::vector<std::pair<int64_t, std::string>> documents_missing;  // (entry, sha256)
  std::vector<ledger::Violation> violations;  // the ledger's, then the cycle's; empty: sound
  // With AuditOptions::print_mrv_report: the monitoring reports recomputed from their stored
  // MRV evidence (INV-30); -1 when not asked.
  int64_t mrv_reports_recomputed = -1;
  bool ok() const { return violations.empty(); }
};

struct AuditOptions {
  // When set (`jcm audit verify --with-mrv`), every monitoring report journaled with stored MRV
  // evidence is recomputed from it (service/mrv_evidence.h): a difference (checks 230–234) or a
  // missing evidence file is an INV-30 violation at the report's entry.
  MrvReportPrinter print_mrv_report = nullptr;
  int mrv_threads = 1;
  // The audit's "now" for INV-57 (every external transfer final or within its time limit); null:
  // the time of the journal's last entry.
  store::Clock* clock = nullptr;
};

// Reads the whole journal, state and referenced documents once, from one snapshot. Operating
// errors only as a Status: violations are the audit's findings, not errors.
core::Result<AuditReport> AuditAll(store::Store& store, const AuditOptions& options = {});
// INV-10 alone (`jcm cycle verify`).
core::Result<CycleAuditReport> AuditCycle(store::Store& store);

}  // namespace jcm::service
