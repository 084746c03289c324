// jcm audit verify: recompute the journal chain and every invariant from stored data alone.
#include <chrono>
#include <ostream>

#include "cli/commands.h"
#include "cli/common/args.h"
#include "cli/output.h"
#if JCM_HAVE_CYCLE
#include "cli/cycle/cycle_audit.h"
#endif

namespace jcm::cli {

int RunAudit(std::span<const std::string_view> argv, Environment& env) {
  if (argv.empty() || argv[0] != "verify") {
    return ReportError(core::InvalidArgument("usage: jcm audit verify --db FILE [--json]"), false,
                       env);
  }
  auto args = Args::Parse(argv.subspan(1), {"db"});
  if (!args.ok()) return ReportError(args.status(), false, env);
  const bool as_json = args->Has("json");
  auto path = args->Require("db");
  if (!path.ok()) return ReportError(path.status(), as_json, env);
  auto store = env.open_store(*path);
  if (!store.ok()) return ReportError(store.status(), as_json, env);
  const auto started = std::chrono::steady_clock::now();
  auto journal = (*store)->ReadJournal(1);
  if (!journal.ok()) return ReportError(journal.status(), as_json, env);
  auto state = (*store)->ReadState();
  if (!state.ok()) return ReportError(state.status(), as_json, env);
  std::vector<ledger::Violation> violations = ledger::Audit(*journal, *state);
#if JCM_HAVE_CYCLE
  // INV-10: the project cycle's events re-decide as journaled; executions match the ledger.
  auto cycle_audit = cycle_cli::AuditCycle(**store);
  if (!cycle_audit.ok()) return ReportError(cycle_audit.status(), as_json, env);
  for (const auto& v : cycle_audit->violations) violations.push_back({"INV-10", v.seq, v.message});
#endif
  const auto elapsed_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::steady_clock::now() - started)
                              .count();
  const std::string head = journal->empty() ? "" : journal->back().hash;
  if (as_json) {
    boost::json::array rows;
    for (const auto& v : violations) {
      rows.push_back({{"invariant", v.invariant}, {"entry", v.seq}, {"message", v.message}});
    }
    PrintJson(boost::json::object{{"ok", violations.empty()},
                                  {"entries", journal->size()},
                                  {"blocks", state->blocks.size()},
                                  {"head_hash", head},
                                  {"elapsed_ms", elapsed_ms},
                                  {"violations", std::move(rows)}},
              env.out);
  } else {
    for (const auto& v : violations) {
      env.out << v.invariant << (v.seq ? " at entry " + std::to_string(v.seq) : "") << ": "
              << v.message << "\n";
    }
    env.out << (violations.empty() ? "ok: " : "FAILED: ") << journal->size() << " journal entries, "
            << state->blocks.size() << " blocks, " << violations.size() << " violations; head "
            << head << "\n";
  }
  return violations.empty() ? kExitOk : kExitAuditFailed;
}

}  // namespace jcm::cli
