// jcm migrate: copy a registry into another, empty store (an SQLite file into PostgreSQL, or
// back) and audit both sides (service/migrate_service.h).
#include <ostream>

#include "cli/commands.h"
#include "service/json/ledger_json.h"
#include "service/migrate_service.h"

namespace jcm::cli {
namespace {

core::Status Migrate(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(std::string from_db, run.args.Require("from"));
  JCM_ASSIGN_OR_RETURN(std::string to_db, run.args.Require("to"));
  if (from_db == to_db) return core::InvalidArgument("--from and --to name the same registry");
  JCM_ASSIGN_OR_RETURN(auto from, run.env.open_store(from_db, store::OpenMode::kReadOnly));
  JCM_ASSIGN_OR_RETURN(auto to, run.env.open_store(to_db, store::OpenMode::kCreate));
  JCM_ASSIGN_OR_RETURN(service::MigrationReport report, service::MigrateRegistry(*from, *to));
  run.print.Json(service::json::MigrationJson(report));
  if (!report.ok()) run.print.Fail(kExitAuditFailed);
  if (run.print.json()) return core::OkStatus();
  std::ostream& out = run.print.out();
  out << "copied " << report.target.entries << " journal entries, " << report.target.blocks
      << " blocks, " << report.documents << " documents, " << report.users << " users' secrets, "
      << report.tokens << " API tokens\n";
  out << "source: " << (report.source.ok() ? "ok" : "FAILED") << ", head "
      << report.source.head_hash << "\n";
  out << "target: " << (report.target.ok() ? "ok" : "FAILED") << ", head "
      << report.target.head_hash << "\n";
  return core::OkStatus();
}

const CommandSpec kMigrateCommands[] = {
    {"migrate",
     "registry",
     "copy a registry into another store (SQLite to PostgreSQL) and audit both",
     "jcm migrate --from DB --to DB [--json]\n"
     "  Copies the registry --from names (an SQLite file or a postgresql:// URI) into the empty\n"
     "  store --to names, row for row: the journal with its times and hashes, the tables, the\n"
     "  documents and the secrets of identity and access, in one transaction. Then runs\n"
     "  jcm audit verify on both sides: exit 4 if either fails or their journal heads differ.\n"
     "  Refuses a --to that already holds a registry.\n",
     {"from", "to"},
     {},
     Migrate},
};

}  // namespace

std::span<const CommandSpec> MigrateCommands() { return kMigrateCommands; }

}  // namespace jcm::cli
