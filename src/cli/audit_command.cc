// jcm audit verify: recompute the journal chain and every invariant from stored data alone.
#include <algorithm>
#include <ostream>
#include <thread>

#include "cli/commands.h"
#include "service/audit_service.h"
#include "service/json/ledger_json.h"
#include "service/json/mrv_json.h"

namespace jcm::cli {
namespace {

core::Status AuditVerify(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run, store::OpenMode::kReadOnly));
  service::AuditOptions options;
  options.clock = &run.env.clock;
  if (run.args.Has("with-mrv")) {
    options.print_mrv_report = service::json::MrvReportText;
    options.mrv_threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  }
  JCM_ASSIGN_OR_RETURN(service::AuditReport report, service::AuditAll(*store, options));
  run.print.Json(service::json::AuditJson(report));
  if (!report.ok()) run.print.Fail(kExitAuditFailed);
  if (run.print.json()) return core::OkStatus();
  std::ostream& out = run.print.out();
  for (const ledger::Violation& v : report.violations) {
    out << v.invariant << (v.seq ? " at entry " + std::to_string(v.seq) : "") << ": " << v.message
        << "\n";
  }
  out << (report.ok() ? "ok: " : "FAILED: ") << report.entries << " journal entries, "
      << report.blocks << " blocks, " << report.violations.size() << " violations; head "
      << report.head_hash << "\n";
  if (report.documents_checked > 0 || !report.documents_missing.empty()) {
    out << "documents: " << report.documents_checked << " re-hashed";
    if (!report.documents_missing.empty()) {
      out << ", " << report.documents_missing.size() << " referenced but not stored:";
      for (const auto& [seq, sha256] : report.documents_missing) {
        out << " " << sha256 << " (entry " << seq << ")";
      }
    }
    out << "\n";
  }
  if (report.mrv_reports_recomputed >= 0) {
    out << "mrv: " << report.mrv_reports_recomputed
        << " monitoring reports recomputed from their stored evidence\n";
  }
  if (!report.imported_issuance_entries.empty()) {
    out << "imported: " << report.imported_issuance_entries.size()
        << " issuances of historical records, " << report.imported_units << " units\n";
  }
  return core::OkStatus();
}

const CommandSpec kAuditCommands[] = {
    {"audit verify",
     "registry",
     "verify: recompute the journal chain and every invariant",
     "jcm audit verify --db FILE [--with-mrv] [--json]\n"
     "  Recomputes the journal's hash chain and every invariant (docs/invariants.md), the\n"
     "  project cycle's, the idempotency keys and the referenced documents included, from one\n"
     "  snapshot of the stored data alone; exit 4 and the violations, each naming its entry,\n"
     "  if any. --with-mrv also recomputes every monitoring report's MRV result from its\n"
     "  stored evidence (jcm mrv recompute; INV-30).\n",
     {"db"},
     {"with-mrv"},
     AuditVerify},
};

}  // namespace

std::span<const CommandSpec> AuditCommands() { return kAuditCommands; }

}  // namespace jcm::cli
