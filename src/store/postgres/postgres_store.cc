#include "store/postgres/postgres_store.h"

#include "store/postgres/internal/pg_store.h"

namespace jcm::store {
namespace postgres {

Result<ledger::StoredState> PostgresStore::ReadState() {
  std::lock_guard lock(db_mu_);
  // One state for every table: a REPEATABLE READ transaction (a snapshot is in one already).
  if (access_ != Access::kSnapshot) {
    JCM_RETURN_IF_ERROR(db_->Run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
  }
  ledger::StoredState state;
  Status status = ReadTables(&state);
  if (access_ != Access::kSnapshot) {
    const Status ended = db_->Run(status.ok() ? "COMMIT" : "ROLLBACK");
    if (status.ok()) status = ended;
  }
  if (!status.ok()) return status;
  return state;
}

Status PostgresStore::ReadTables(ledger::StoredState* state) {
  JCM_ASSIGN_OR_RETURN(
      Rows accounts, db_->Exec("SELECT " JCM_PG_ACCOUNT_COLUMNS " FROM accounts ORDER BY number"));
  JCM_ASSIGN_OR_RETURN(state->accounts,
                       postgres::DecodeAll<ledger::Account>(accounts, postgres::AccountFromRow));
  JCM_ASSIGN_OR_RETURN(Rows blocks,
                       db_->Exec("SELECT " JCM_PG_BLOCK_COLUMNS " FROM blocks ORDER BY id"));
  JCM_ASSIGN_OR_RETURN(state->blocks,
                       postgres::DecodeAll<ledger::UnitBlock>(blocks, postgres::BlockFromRow));
  JCM_ASSIGN_OR_RETURN(Rows registries, db_->Exec("SELECT code, next_serial, "
                                                  "next_account_sequence, imported_units FROM "
                                                  "registries"));
  for (int i = 0; i < registries.size(); ++i) {
    state->registries[registries.Text(i, 0)] = {registries.Int(i, 1), registries.Int(i, 2),
                                                registries.Int(i, 3)};
  }
  JCM_ASSIGN_OR_RETURN(Rows policies, db_->Exec("SELECT registry, "
                                                "retirement_needs_ndc_authorization FROM "
                                                "registry_policies"));
  for (int i = 0; i < policies.size(); ++i) {
    state->policies[policies.Text(i, 0)] = ledger::RegistryPolicy{policies.Int(i, 1) != 0};
  }
  JCM_ASSIGN_OR_RETURN(Rows decisions,
                       db_->Exec("SELECT " JCM_PG_DECISION_COLUMNS " FROM jc_decisions"));
  JCM_ASSIGN_OR_RETURN(state->decisions, postgres::DecodeAll<ledger::JcDecision>(
                                             decisions, postgres::DecisionFromRow));
  JCM_ASSIGN_OR_RETURN(Rows balances,
                       db_->Exec("SELECT account, units FROM balances WHERE units != 0"));
  for (int i = 0; i < balances.size(); ++i) {
    state->balances[balances.Text(i, 0)] = balances.Int(i, 1);
  }
  JCM_ASSIGN_OR_RETURN(Rows keys, db_->Exec("SELECT key, digest, seq FROM idempotency"));
  for (int i = 0; i < keys.size(); ++i) {
    state->idempotency_keys[keys.Text(i, 0)] =
        ledger::IdempotencyRecord{keys.Text(i, 1), keys.Int(i, 2)};
  }
  return core::OkStatus();
}

}  // namespace postgres

using core::Result;
using core::Status;
using postgres::Access;
using postgres::Connection;
using postgres::PostgresStore;
using postgres::Rows;

bool IsPostgresUri(std::string_view db) { return postgres::IsPostgresUri(db); }

Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& uri, Clock& clock,
                                                 PostgresOptions options) {
  JCM_ASSIGN_OR_RETURN(std::unique_ptr<Connection> connection, Connection::Open(uri));
  // A read-only open of an older schema upgrades it first, as the SQLite store does.
  JCM_RETURN_IF_ERROR(postgres::Migrate(*connection, options.mode == OpenMode::kCreate));
  if (options.mode == OpenMode::kReadOnly) {
    JCM_RETURN_IF_ERROR(connection->Run("SET default_transaction_read_only = on"));
  }
  const Access access =
      options.mode == OpenMode::kReadOnly ? Access::kReadOnly : Access::kReadWrite;
  return std::unique_ptr<Store>(
      std::make_unique<PostgresStore>(std::move(connection), clock, options, access));
}

Result<int64_t> PostgresWalPosition(const std::string& uri) {
  JCM_ASSIGN_OR_RETURN(std::unique_ptr<Connection> connection, Connection::Open(uri));
  JCM_ASSIGN_OR_RETURN(Rows rows,
                       connection->Exec("SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint"));
  return rows.Int(0, 0);
}

Status ExecutePostgres(const std::string& uri, const std::string& sql) {
  JCM_ASSIGN_OR_RETURN(std::unique_ptr<Connection> connection, Connection::Open(uri));
  return connection->Run(sql);
}

}  // namespace jcm::store
