#include "store/sqlite/internal/schema.h"

#include <iterator>
#include <string>

#include "store/sqlite/internal/log_tree.h"
#include "store/sqlite/internal/statement.h"

namespace jcm::store::sqlite {
namespace {

// Migration 1: the registry core. Layout documented in docs/formats/store.md.
constexpr const char* kMigration1 = R"sql(
CREATE TABLE registries (
  code TEXT PRIMARY KEY,
  next_serial INTEGER NOT NULL CHECK (next_serial >= 1),
  next_account_sequence INTEGER NOT NULL CHECK (next_account_sequence >= 1)
) STRICT;
CREATE TABLE accounts (
  number TEXT PRIMARY KEY,
  registry TEXT NOT NULL REFERENCES registries(code),
  type INTEGER NOT NULL,
  state TEXT NOT NULL,
  holder_name TEXT NOT NULL,
  holder_name_ja TEXT NOT NULL,
  representative TEXT NOT NULL,
  address TEXT NOT NULL,
  contact TEXT NOT NULL
) STRICT;
CREATE INDEX accounts_by_registry ON accounts(registry, type);
CREATE TABLE blocks (
  id INTEGER PRIMARY KEY,
  registry TEXT NOT NULL,
  serial_first INTEGER NOT NULL CHECK (serial_first >= 1),
  unit_count INTEGER NOT NULL CHECK (unit_count >= 1),
  account TEXT NOT NULL REFERENCES accounts(number),
  project TEXT NOT NULL,
  period TEXT NOT NULL,
  issuance_number INTEGER NOT NULL,
  authorization TEXT NOT NULL,
  first_transferred INTEGER NOT NULL,
  parent_id INTEGER NOT NULL,
  created_seq INTEGER NOT NULL,
  ended_seq INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX live_blocks_by_account ON blocks(account, ended_seq, serial_first);
CREATE INDEX issuances ON blocks(registry, project, parent_id, created_seq);
CREATE TABLE journal (
  seq INTEGER PRIMARY KEY,
  time TEXT NOT NULL,
  kind TEXT NOT NULL,
  body TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
) STRICT;
CREATE TABLE idempotency (
  key TEXT PRIMARY KEY,
  digest TEXT NOT NULL,
  seq INTEGER NOT NULL
) STRICT;
)sql";

// Migration 2: find the last event of a family (e.g. the project cycle's) without a scan.
constexpr const char* kMigration2 = R"sql(
CREATE INDEX journal_by_kind ON journal(kind, seq);
)sql";

// Migration 3: documents of the project cycle, content-addressed.
constexpr const char* kMigration3 = R"sql(
CREATE TABLE documents (
  sha256 TEXT PRIMARY KEY,
  bytes BLOB NOT NULL,
  size INTEGER NOT NULL
) STRICT;
)sql";

// Migration 4: issuance bound to Joint Committee decisions, imported blocks, registry policies
// and per-account balances (docs/formats/store.md). Existing rows get their derived values.
constexpr const char* kMigration4 = R"sql(
ALTER TABLE blocks ADD COLUMN imported INTEGER NOT NULL DEFAULT 0 CHECK (imported IN (0, 1));
ALTER TABLE registries ADD COLUMN imported_units INTEGER NOT NULL DEFAULT 0
  CHECK (imported_units >= 0);
CREATE TABLE registry_policies (
  registry TEXT PRIMARY KEY REFERENCES registries(code),
  retirement_needs_ndc_authorization INTEGER NOT NULL
    CHECK (retirement_needs_ndc_authorization IN (0, 1))
) STRICT;
INSERT INTO registry_policies SELECT code, code = 'JP' FROM registries;
CREATE TABLE jc_decisions (
  registry TEXT NOT NULL,
  id TEXT NOT NULL,
  project TEXT NOT NULL,
  period TEXT NOT NULL,
  notified_tco2e INTEGER NOT NULL CHECK (notified_tco2e >= 1),
  executed_tco2e INTEGER NOT NULL CHECK (executed_tco2e BETWEEN 0 AND notified_tco2e),
  recorded_seq INTEGER NOT NULL,
  PRIMARY KEY (registry, id)
) STRICT;
-- No CHECK (units >= 0): changes are upserted as signed sums per write batch, and SQLite checks
-- the row an upsert would insert; INV-12 (jcm audit verify) holds balances to the live blocks.
CREATE TABLE balances (
  account TEXT PRIMARY KEY REFERENCES accounts(number),
  units INTEGER NOT NULL
) STRICT;
INSERT INTO balances SELECT account, SUM(unit_count) FROM blocks WHERE ended_seq = 0
  GROUP BY account;
)sql";

// Migration 5: the file says it is a jcm registry (docs/formats/store.md), so that every command
// but jcm init can refuse any other file. The value is kApplicationId.
constexpr const char* kMigration5 = R"sql(
PRAGMA application_id = 1245924690;
)sql";
static_assert(kApplicationId == 1245924690, "kMigration5 sets kApplicationId");

// Migration 6: the secrets of identity and access (store/credential_store.h). Users and roles
// are not here: they are replayed from the journal's identity.* events.
constexpr const char* kMigration6 = R"sql(
CREATE TABLE user_secrets (
  user TEXT PRIMARY KEY,
  password_phc TEXT NOT NULL DEFAULT '',
  totp_key BLOB NOT NULL DEFAULT x'',
  totp_algorithm TEXT NOT NULL DEFAULT '',
  totp_last_step INTEGER
) STRICT;
CREATE TABLE api_tokens (
  id TEXT PRIMARY KEY,
  user TEXT NOT NULL,
  secret_sha256 TEXT NOT NULL,
  scope TEXT NOT NULL,
  issued_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL CHECK (expires_at > issued_at),
  revoked_at INTEGER
) STRICT;
CREATE INDEX api_tokens_by_user ON api_tokens(user, id);
)sql";

// Migration 7: the unit look-up of the API (GET /api/v1/units/{registry}-{serial}) finds the
// live block holding a serial by one index probe instead of reading every block.
constexpr const char* kMigration7 = R"sql(
CREATE INDEX live_blocks_by_serial ON blocks(registry, ended_seq, serial_first);
)sql";

// Migrations 8-10: empty. The numbers were reserved for work developed in parallel that in the
// end needed no table; registries at version 11 have run them, so they stay (and stay empty).
constexpr const char* kMigration8 = "";
constexpr const char* kMigration9 = "";
constexpr const char* kMigration10 = "";

// Migration 11: the transparency log (docs/formats/transparency-log.md): the Merkle tree's
// perfect subtrees and the signed tree heads. An existing journal's tree is built by
// BackfillLogTree in the migration's transaction.
constexpr const char* kMigration11 = R"sql(
CREATE TABLE log_nodes (level INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL,
                        PRIMARY KEY (level, idx)) WITHOUT ROWID;
CREATE TABLE log_heads (tree_size INTEGER PRIMARY KEY, root_hash TEXT NOT NULL,
                        timestamp TEXT NOT NULL, public_key TEXT NOT NULL,
                        signature TEXT NOT NULL);
)sql";
constexpr int64_t kLogTreeVersion = 11;

// Migration 12: the Article 6.2 authorisation a block's units cite ("PARTY/ID", '' for none;
// docs/article6.md), and the units citing each one without a scan (the cap, check 620).
constexpr const char* kMigration12 = R"sql(
ALTER TABLE blocks ADD COLUMN article6_authorisation TEXT NOT NULL DEFAULT '';
CREATE INDEX live_blocks_by_article6 ON blocks(article6_authorisation, ended_seq)
  WHERE article6_authorisation <> '';
)sql";

// Migration 13: the ITMO identifier parts and the vintage of a block (docs/article6.md, "ITMO
// identifiers"; '' and 0 where none), and the registry's highest ITMO ID without a scan of
// every block (ITMO IDs are only ever given above it, INV-42).
constexpr const char* kMigration13 = R"sql(
ALTER TABLE blocks ADD COLUMN cooperative_approach TEXT NOT NULL DEFAULT '';
ALTER TABLE blocks ADD COLUMN itmo_registry TEXT NOT NULL DEFAULT '';
ALTER TABLE blocks ADD COLUMN itmo_first INTEGER NOT NULL DEFAULT 0 CHECK (itmo_first >= 0);
ALTER TABLE blocks ADD COLUMN first_transferring_party TEXT NOT NULL DEFAULT '';
ALTER TABLE blocks ADD COLUMN vintage INTEGER NOT NULL DEFAULT 0;
CREATE INDEX blocks_by_itmo ON blocks(registry, itmo_first, unit_count) WHERE itmo_first > 0;
)sql";

// Migration 14 is PostgreSQL's (partial indexes on blocks, src/store/postgres/schema.cc): empty
// here, its number held so that the versions stay aligned.
constexpr const char* kMigration14 = "";

constexpr const char* kMigrations[] = {
    kMigration1, kMigration2, kMigration3,  kMigration4,  kMigration5,  kMigration6,  kMigration7,
    kMigration8, kMigration9, kMigration10, kMigration11, kMigration12, kMigration13, kMigration14};
static_assert(std::size(kMigrations) == kSchemaVersion, "one migration per schema version");

// The tables every schema version has had since migration 1.
constexpr const char* kCoreTables = "'registries', 'accounts', 'blocks', 'journal', 'idempotency'";

std::string FileName(sqlite3* db) {
  const char* name = sqlite3_db_filename(db, "main");
  return name != nullptr ? name : "";
}

// Applies the migrations above `from`. REQUIRES: inside the write transaction.
core::Status ApplyMigrations(sqlite3* db, int64_t from) {
  for (int64_t v = from + 1; v <= kSchemaVersion; ++v) {
    JCM_RETURN_IF_ERROR(Exec(db, kMigrations[v - 1]));
    if (v == kLogTreeVersion) JCM_RETURN_IF_ERROR(BackfillLogTree(db));
  }
  return Exec(db, ("PRAGMA user_version = " + std::to_string(kSchemaVersion)).c_str());
}

}  // namespace

core::Result<Recognised> Recognise(sqlite3* db) {
  // One statement, so one read transaction: a migration another process commits meanwhile is
  // seen entirely or not at all.
  const std::string sql =
      std::string(
          "SELECT (SELECT application_id FROM pragma_application_id), "
          "(SELECT user_version FROM pragma_user_version), "
          "(SELECT COUNT(*) FROM sqlite_schema), "
          "(SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name IN (") +
      kCoreTables + "))";
  Statement q(db, sql.c_str());
  JCM_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return core::Internal("recognising " + FileName(db) + ": no answer");
  const int64_t application_id = q.Int(0);
  const int64_t version = q.Int(1);
  const int64_t objects = q.Int(2);
  const int64_t core_tables = q.Int(3);
  q.Reset();
  Recognised r;
  r.schema_version = version;
  if (application_id == kApplicationId) {
    r.kind = FileKind::kRegistry;
  } else if (application_id == 0 && objects == 0 && version == 0) {
    r.kind = FileKind::kEmpty;
  } else if (application_id == 0 && version >= 1 && version < kFirstVersionWithApplicationId &&
             core_tables == 5) {
    r.kind = FileKind::kRegistry;  // written before migration 5 set the application id
  } else {
    r.kind = FileKind::kForeign;
    r.description = application_id != 0
                        ? "an SQLite database of another program (application_id " +
                              std::to_string(application_id) + ")"
                        : "an SQLite database of another program (" + std::to_string(objects) +
                              " schema objects, user_version " + std::to_string(version) + ")";
  }
  return r;
}

core::Status RequireRegistry(sqlite3* db, const Recognised& recognised, bool allow_empty) {
  const std::string name = FileName(db);
  switch (recognised.kind) {
    case FileKind::kEmpty:
      if (allow_empty) return core::OkStatus();
      return core::FailedPrecondition(name +
                                      " is not a jcm registry: the file is empty (jcm init "
                                      "--db FILE creates a registry)");
    case FileKind::kForeign:
      return core::FailedPrecondition(name + " is not a jcm registry: it is " +
                                      recognised.description);
    case FileKind::kRegistry:
      break;
  }
  if (recognised.schema_version > kSchemaVersion) {
    return core::FailedPrecondition(
        "registry " + name + " has schema version " + std::to_string(recognised.schema_version) +
        ", newer than this jcm's (" + std::to_string(kSchemaVersion) + "); upgrade jcm");
  }
  return core::OkStatus();
}

core::Status Migrate(sqlite3* db, bool allow_empty) {
  JCM_ASSIGN_OR_RETURN(Recognised seen, Recognise(db));
  JCM_RETURN_IF_ERROR(RequireRegistry(db, seen, allow_empty));
  if (seen.kind == FileKind::kRegistry && seen.schema_version == kSchemaVersion) {
    return core::OkStatus();
  }
  // The version read above may be stale by the time the lock is ours: read it again under it.
  JCM_RETURN_IF_ERROR(Exec(db, "BEGIN IMMEDIATE"));
  auto locked = Recognise(db);
  core::Status status = locked.ok() ? RequireRegistry(db, *locked, allow_empty) : locked.status();
  if (status.ok() && locked->schema_version < kSchemaVersion) {
    status = ApplyMigrations(db, locked->schema_version);
  }
  if (status.ok()) status = Exec(db, "COMMIT");
  if (!status.ok()) (void)Exec(db, "ROLLBACK");
  return status;
}

}  // namespace jcm::store::sqlite
