#include "store/postgres/internal/schema.h"

#include <iterator>

#include "store/postgres/internal/pg_log_tree.h"

namespace jcm::store::postgres {
namespace {

// The same tables and indexes as the SQLite store's migration of the same number
// (src/store/sqlite/schema.cc); INTEGER is BIGINT, BLOB is BYTEA, and every text column sorts
// byte-wise (COLLATE "C") so that listings come out in the order SQLite gives them.
// `authorization` and `user` are reserved words in PostgreSQL, hence quoted.
constexpr const char* kMigration1 = R"sql(
CREATE TABLE jcm_schema (
  application_id BIGINT NOT NULL,
  schema_version BIGINT NOT NULL
);
CREATE TABLE registries (
  code TEXT COLLATE "C" PRIMARY KEY,
  next_serial BIGINT NOT NULL CHECK (next_serial >= 1),
  next_account_sequence BIGINT NOT NULL CHECK (next_account_sequence >= 1)
);
CREATE TABLE accounts (
  number TEXT COLLATE "C" PRIMARY KEY,
  registry TEXT COLLATE "C" NOT NULL REFERENCES registries(code),
  type BIGINT NOT NULL,
  state TEXT COLLATE "C" NOT NULL,
  holder_name TEXT NOT NULL,
  holder_name_ja TEXT NOT NULL,
  representative TEXT NOT NULL,
  address TEXT NOT NULL,
  contact TEXT NOT NULL
);
CREATE INDEX accounts_by_registry ON accounts(registry, type);
CREATE TABLE blocks (
  id BIGINT PRIMARY KEY,
  registry TEXT COLLATE "C" NOT NULL,
  serial_first BIGINT NOT NULL CHECK (serial_first >= 1),
  unit_count BIGINT NOT NULL CHECK (unit_count >= 1),
  account TEXT COLLATE "C" NOT NULL REFERENCES accounts(number),
  project TEXT COLLATE "C" NOT NULL,
  period TEXT COLLATE "C" NOT NULL,
  issuance_number BIGINT NOT NULL,
  "authorization" TEXT COLLATE "C" NOT NULL,
  first_transferred BIGINT NOT NULL,
  parent_id BIGINT NOT NULL,
  created_seq BIGINT NOT NULL,
  ended_seq BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX live_blocks_by_account ON blocks(account, ended_seq, serial_first);
CREATE INDEX issuances ON blocks(registry, project, parent_id, created_seq);
CREATE TABLE journal (
  seq BIGINT PRIMARY KEY,
  time TEXT COLLATE "C" NOT NULL,
  kind TEXT COLLATE "C" NOT NULL,
  body TEXT COLLATE "C" NOT NULL,
  prev_hash TEXT COLLATE "C" NOT NULL,
  hash TEXT COLLATE "C" NOT NULL
);
CREATE TABLE idempotency (
  key TEXT COLLATE "C" PRIMARY KEY,
  digest TEXT COLLATE "C" NOT NULL,
  seq BIGINT NOT NULL
);
INSERT INTO jcm_schema VALUES (1245924690, 1);
)sql";

constexpr const char* kMigration2 = R"sql(
CREATE INDEX journal_by_kind ON journal(kind, seq);
)sql";

constexpr const char* kMigration3 = R"sql(
CREATE TABLE documents (
  sha256 TEXT COLLATE "C" PRIMARY KEY,
  bytes BYTEA NOT NULL,
  size BIGINT NOT NULL
);
)sql";

constexpr const char* kMigration4 = R"sql(
ALTER TABLE blocks ADD COLUMN imported BIGINT NOT NULL DEFAULT 0 CHECK (imported IN (0, 1));
ALTER TABLE registries ADD COLUMN imported_units BIGINT NOT NULL DEFAULT 0
  CHECK (imported_units >= 0);
CREATE TABLE registry_policies (
  registry TEXT COLLATE "C" PRIMARY KEY REFERENCES registries(code),
  retirement_needs_ndc_authorization BIGINT NOT NULL
    CHECK (retirement_needs_ndc_authorization IN (0, 1))
);
INSERT INTO registry_policies SELECT code, CASE WHEN code = 'JP' THEN 1 ELSE 0 END
  FROM registries;
CREATE TABLE jc_decisions (
  registry TEXT COLLATE "C" NOT NULL,
  id TEXT COLLATE "C" NOT NULL,
  project TEXT COLLATE "C" NOT NULL,
  period TEXT COLLATE "C" NOT NULL,
  notified_tco2e BIGINT NOT NULL CHECK (notified_tco2e >= 1),
  executed_tco2e BIGINT NOT NULL CHECK (executed_tco2e BETWEEN 0 AND notified_tco2e),
  recorded_seq BIGINT NOT NULL,
  PRIMARY KEY (registry, id)
);
CREATE TABLE balances (
  account TEXT COLLATE "C" PRIMARY KEY REFERENCES accounts(number),
  units BIGINT NOT NULL
);
INSERT INTO balances SELECT account, SUM(unit_count) FROM blocks WHERE ended_seq = 0
  GROUP BY account;
)sql";

// SQLite's migration 5 sets PRAGMA application_id; here jcm_schema has carried it since 1.
constexpr const char* kMigration5 = "";

constexpr const char* kMigration6 = R"sql(
CREATE TABLE user_secrets (
  "user" TEXT COLLATE "C" PRIMARY KEY,
  password_phc TEXT NOT NULL DEFAULT '',
  totp_key BYTEA NOT NULL DEFAULT '\x',
  totp_algorithm TEXT NOT NULL DEFAULT '',
  totp_last_step BIGINT
);
CREATE TABLE api_tokens (
  id TEXT COLLATE "C" PRIMARY KEY,
  "user" TEXT COLLATE "C" NOT NULL,
  secret_sha256 TEXT NOT NULL,
  scope TEXT NOT NULL,
  issued_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL CHECK (expires_at > issued_at),
  revoked_at BIGINT
);
CREATE INDEX api_tokens_by_user ON api_tokens("user", id);
)sql";

constexpr const char* kMigration7 = R"sql(
CREATE INDEX live_blocks_by_serial ON blocks(registry, ended_seq, serial_first);
)sql";

// Migrations 8-10: empty, as in the SQLite store (numbers reserved there for work that needed no
// table), so that the versions stay aligned.
constexpr const char* kMigration8 = "";
constexpr const char* kMigration9 = "";
constexpr const char* kMigration10 = "";

// Migration 11: the transparency log (docs/formats/transparency-log.md): the Merkle tree's
// perfect subtrees and the signed tree heads. An existing journal's tree is built by
// BuildLogTree in the migration's transaction.
constexpr const char* kMigration11 = R"sql(
CREATE TABLE log_nodes (level BIGINT NOT NULL, idx BIGINT NOT NULL, hash BYTEA NOT NULL,
                        PRIMARY KEY (level, idx));
CREATE TABLE log_heads (tree_size BIGINT PRIMARY KEY, root_hash TEXT COLLATE "C" NOT NULL,
                        timestamp TEXT COLLATE "C" NOT NULL, public_key TEXT COLLATE "C" NOT NULL,
                        signature TEXT COLLATE "C" NOT NULL);
)sql";
constexpr int64_t kLogTreeVersion = 11;

// Migration 12: the Article 6.2 authorisation a block's units cite ("PARTY/ID", '' for none;
// docs/article6.md), and the units citing each one without a scan (the cap, check 620).
constexpr const char* kMigration12 = R"sql(
ALTER TABLE blocks ADD COLUMN article6_authorisation TEXT COLLATE "C" NOT NULL DEFAULT '';
CREATE INDEX live_blocks_by_article6 ON blocks(article6_authorisation, ended_seq)
  WHERE article6_authorisation <> '';
)sql";

// Migration 13: the ITMO identifier parts and the vintage of a block (docs/article6.md, "ITMO
// identifiers"; '' and 0 where none), and the registry's highest ITMO ID without a scan of
// every block (ITMO IDs are only ever given above it, INV-42).
constexpr const char* kMigration13 = R"sql(
ALTER TABLE blocks ADD COLUMN cooperative_approach TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE blocks ADD COLUMN itmo_registry TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE blocks ADD COLUMN itmo_first BIGINT NOT NULL DEFAULT 0 CHECK (itmo_first >= 0);
ALTER TABLE blocks ADD COLUMN first_transferring_party TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE blocks ADD COLUMN vintage BIGINT NOT NULL DEFAULT 0;
CREATE INDEX blocks_by_itmo ON blocks(registry, itmo_first, unit_count) WHERE itmo_first > 0;
)sql";

// Migration 14 (PostgreSQL only; empty in SQLite): the indexes on blocks that every transfer
// writes hold only the rows their queries look for, so a transfer writes fewer index entries
// (issue 13 §4, docs/formats/store.md "Measurements"). Live blocks by account and by serial
// hold live blocks only (`WHERE ended_seq = 0`, which every query on them names): ending a
// block then adds no entry to either (an UPDATE adds one to each index whose predicate the new
// row meets), and an ended block's entry goes at the next vacuum instead of staying for good.
// Issuances hold the issued blocks only (`WHERE parent_id = 0`, as CountIssuances asks), not
// the two children every transfer creates.
constexpr const char* kMigration14 = R"sql(
DROP INDEX live_blocks_by_account;
CREATE INDEX live_blocks_by_account ON blocks(account, serial_first) WHERE ended_seq = 0;
DROP INDEX live_blocks_by_serial;
CREATE INDEX live_blocks_by_serial ON blocks(registry, serial_first) WHERE ended_seq = 0;
DROP INDEX issuances;
CREATE INDEX issuances ON blocks(registry, project, created_seq) WHERE parent_id = 0;
)sql";

constexpr const char* kMigrations[] = {
    kMigration1, kMigration2, kMigration3,  kMigration4,  kMigration5,  kMigration6,  kMigration7,
    kMigration8, kMigration9, kMigration10, kMigration11, kMigration12, kMigration13, kMigration14};
static_assert(std::size(kMigrations) == kSchemaVersion, "one migration per schema version");
static_assert(kApplicationId == 1245924690, "kMigration1 and kTakeWriteLock use kApplicationId");

struct Seen {
  bool registry = false;
  int64_t relations = 0;  // in the current schema
  int64_t application_id = 0;
  int64_t version = 0;
  std::string schema;
};

core::Result<Seen> See(Connection& connection) {
  JCM_ASSIGN_OR_RETURN(
      Rows rows, connection.Exec("SELECT current_schema() IS NOT NULL, COALESCE(current_schema(), "
                                 "''), (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON "
                                 "n.oid = c.relnamespace WHERE n.nspname = current_schema()), "
                                 "(SELECT count(*) FROM pg_tables WHERE schemaname = "
                                 "current_schema() AND tablename = 'jcm_schema')"));
  Seen seen;
  if (!rows.Bool(0, 0)) {
    return core::FailedPrecondition("PostgreSQL " + connection.Name() +
                                    ": no schema of the search_path exists to hold a registry");
  }
  seen.schema = rows.Text(0, 1);
  seen.relations = rows.Int(0, 2);
  if (rows.Int(0, 3) == 0) return seen;
  JCM_ASSIGN_OR_RETURN(Rows meta,
                       connection.Exec("SELECT application_id, schema_version FROM jcm_schema"));
  if (meta.size() == 1) {
    seen.application_id = meta.Int(0, 0);
    seen.version = meta.Int(0, 1);
    seen.registry = seen.application_id == kApplicationId;
  }
  return seen;
}

core::Status Judge(const Connection& connection, const Seen& seen, bool allow_empty) {
  const std::string where = "PostgreSQL " + connection.Name() + " (schema " + seen.schema + ")";
  if (!seen.registry) {
    if (seen.relations == 0) {
      if (allow_empty) return core::OkStatus();
      return core::FailedPrecondition(where +
                                      " is not a jcm registry: it is empty (jcm init --db URI "
                                      "creates a registry)");
    }
    return core::FailedPrecondition(where + " is not a jcm registry: it holds " +
                                    std::to_string(seen.relations) +
                                    " relations of another program");
  }
  if (seen.version > kSchemaVersion) {
    return core::FailedPrecondition(where + " has schema version " + std::to_string(seen.version) +
                                    ", newer than this jcm's (" + std::to_string(kSchemaVersion) +
                                    "); upgrade jcm");
  }
  return core::OkStatus();
}

core::Status MigrateLocked(Connection& connection, bool allow_empty) {
  JCM_RETURN_IF_ERROR(connection.Exec(kTakeWriteLock).status());
  JCM_ASSIGN_OR_RETURN(Seen seen, See(connection));
  JCM_RETURN_IF_ERROR(Judge(connection, seen, allow_empty));
  const int64_t from = seen.registry ? seen.version : 0;
  for (int64_t v = from + 1; v <= kSchemaVersion; ++v) {
    if (*kMigrations[v - 1] != '\0') JCM_RETURN_IF_ERROR(connection.Run(kMigrations[v - 1]));
    if (v == kLogTreeVersion) JCM_RETURN_IF_ERROR(BuildLogTree(connection));
  }
  if (from < kSchemaVersion) {
    JCM_RETURN_IF_ERROR(
        connection.Run("UPDATE jcm_schema SET schema_version = " + std::to_string(kSchemaVersion)));
  }
  return core::OkStatus();
}

}  // namespace

core::Status Migrate(Connection& connection, bool allow_empty) {
  JCM_ASSIGN_OR_RETURN(Seen seen, See(connection));
  JCM_RETURN_IF_ERROR(Judge(connection, seen, allow_empty));
  if (seen.registry && seen.version == kSchemaVersion) return core::OkStatus();
  JCM_RETURN_IF_ERROR(connection.Run("BEGIN"));
  core::Status status = MigrateLocked(connection, allow_empty);
  if (status.ok()) status = connection.Run("COMMIT");
  if (!status.ok()) (void)connection.Run("ROLLBACK");
  return status;
}

}  // namespace jcm::store::postgres
