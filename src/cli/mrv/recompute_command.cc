// jcm mrv recompute: a monitoring report's MRV result re-derived from its stored evidence alone
// (service/mrv_evidence.h, docs/mrv.md "Recomputation from stored evidence").
#include <algorithm>
#include <ostream>
#include <thread>

#include "cli/mrv/mrv_cli.h"
#include "service/json/mrv_evidence_json.h"
#include "service/json/mrv_json.h"
#include "service/mrv_evidence.h"

namespace jcm::cli::mrv_cli {

core::Status Recompute(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(const int64_t seq, run.args.RequireInt("report"));
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (run.args.Has("threads")) {
    JCM_ASSIGN_OR_RETURN(const int64_t given, run.args.RequireInt("threads"));
    if (given < 1 || given > 256) return core::InvalidArgument("--threads is 1 to 256");
    threads = static_cast<int>(given);
  }
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run, store::OpenMode::kReadOnly));
  JCM_ASSIGN_OR_RETURN(
      service::MrvRecomputation r,
      service::RecomputeMonitoringReport(*store, seq, service::json::MrvReportText, threads));
  run.print.Json(service::json::MrvRecomputationJson(r));
  if (!r.identical()) run.print.Fail(kExitAuditFailed);
  if (run.print.json()) return core::OkStatus();
  std::ostream& out = run.print.out();
  for (const service::MrvEvidenceFile& f : r.files) {
    out << "  " << f.role << " " << f.name << " " << f.sha256 << " (" << f.bytes << " bytes)\n";
  }
  if (r.difference) {
    out << "check " << r.difference->check << " " << r.difference->name << ": "
        << r.difference->message << "\n";
  }
  out << (r.identical() ? "identical: " : "DIFFERS: ") << "monitoring report " << r.report_seq
      << " (" << r.project << " " << r.period.ToString() << ", " << r.methodology << "), "
      << "recorded " << r.recorded_sha256 << ", recomputed "
      << (r.recomputed_sha256.empty() ? "-" : r.recomputed_sha256) << "\n";
  return core::OkStatus();
}

}  // namespace jcm::cli::mrv_cli
