#include "store/postgres/internal/pg_restore.h"

#include <algorithm>
#include <functional>

#include "store/postgres/internal/pg_log_tree.h"

namespace jcm::store::postgres {
namespace {

using core::Status;

constexpr size_t kRowsPerStatement = 10'000;

// Inserts `rows` rows into `table` (`columns`, of the PostgreSQL `types`) by statements of at
// most kRowsPerStatement rows, one array parameter per column; `cell(row, column)` gives a
// value as text.
Status InsertRows(Connection& db, const std::string& table, const std::vector<std::string>& columns,
                  const std::vector<std::string>& types, size_t rows,
                  const std::function<std::string(size_t, size_t)>& cell) {
  std::string sql = "INSERT INTO " + table + " (";
  std::string select;
  for (size_t c = 0; c < columns.size(); ++c) {
    sql += (c ? ", " : "") + columns[c];
    select += (c ? ", " : "") + ("$" + std::to_string(c + 1) + "::" + types[c] + "[]");
  }
  sql += ") SELECT * FROM unnest(" + select + ")";
  for (size_t first = 0; first < rows; first += kRowsPerStatement) {
    const size_t last = std::min(rows, first + kRowsPerStatement);
    std::vector<Param> params;
    for (size_t c = 0; c < columns.size(); ++c) {
      std::vector<std::string> values;
      for (size_t r = first; r < last; ++r) values.push_back(cell(r, c));
      params.push_back(P(ArrayLiteral(values)));
    }
    JCM_RETURN_IF_ERROR(db.Exec(sql, params).status());
  }
  return core::OkStatus();
}

std::string Num(int64_t value) { return std::to_string(value); }

Status RestoreAccountsAndBlocks(Connection& db, const ledger::StoredState& s) {
  JCM_RETURN_IF_ERROR(
      InsertRows(db, "accounts",
                 {"number", "registry", "type", "state", "holder_name", "holder_name_ja",
                  "representative", "address", "contact"},
                 {"text", "text", "bigint", "text", "text", "text", "text", "text", "text"},
                 s.accounts.size(), [&](size_t r, size_t c) {
                   const ledger::Account& a = s.accounts[r];
                   const std::string values[] = {a.number,
                                                 a.registry.str(),
                                                 Num(static_cast<int64_t>(a.type)),
                                                 std::string(ledger::AccountStateName(a.state)),
                                                 a.holder.name,
                                                 a.holder.name_ja,
                                                 a.holder.representative,
                                                 a.holder.address,
                                                 a.holder.contact};
                   return values[c];
                 }));
  JCM_RETURN_IF_ERROR(InsertRows(
      db, "blocks",
      {"id",
       "registry",
       "serial_first",
       "unit_count",
       "account",
       "project",
       "period",
       "issuance_number",
       "\"authorization\"",
       "first_transferred",
       "parent_id",
       "created_seq",
       "ended_seq",
       "imported",
       "article6_authorisation",
       "cooperative_approach",
       "itmo_registry",
       "itmo_first",
       "first_transferring_party",
       "vintage"},
      {"bigint", "text",   "bigint", "bigint", "text", "text", "text", "bigint", "text", "bigint",
       "bigint", "bigint", "bigint", "bigint", "text", "text", "text", "bigint", "text", "bigint"},
      s.blocks.size(), [&](size_t r, size_t c) {
        const ledger::UnitBlock& b = s.blocks[r];
        const std::string values[] = {Num(b.id),
                                      b.registry.str(),
                                      Num(b.serial_first),
                                      Num(b.unit_count),
                                      b.account,
                                      b.project,
                                      b.monitoring_period.ToString(),
                                      Num(b.issuance_number),
                                      std::string(ledger::AuthorizationName(b.authorization)),
                                      Num(b.first_transferred ? 1 : 0),
                                      Num(b.parent_id),
                                      Num(b.created_seq),
                                      Num(b.ended_seq),
                                      Num(b.imported ? 1 : 0),
                                      b.article6_authorisation,
                                      b.cooperative_approach,
                                      b.itmo_registry,
                                      Num(b.itmo_first),
                                      b.first_transferring_party,
                                      Num(b.vintage)};
        return values[c];
      }));
  return core::OkStatus();
}

Status RestoreLedger(Connection& db, const RegistryImage& image) {
  const ledger::StoredState& s = image.state;
  std::vector<std::pair<std::string, ledger::RegistryCounters>> registries(s.registries.begin(),
                                                                           s.registries.end());
  JCM_RETURN_IF_ERROR(InsertRows(
      db, "registries", {"code", "next_serial", "next_account_sequence", "imported_units"},
      {"text", "bigint", "bigint", "bigint"}, registries.size(), [&](size_t r, size_t c) {
        const auto& [code, k] = registries[r];
        return c == 0 ? code
                      : Num(c == 1   ? k.next_serial
                            : c == 2 ? k.next_account_sequence
                                     : k.imported_units);
      }));
  for (const auto& [code, policy] : s.policies) {
    JCM_RETURN_IF_ERROR(db.Exec("INSERT INTO registry_policies VALUES ($1, $2)",
                                {P(code), P(int64_t{policy.retirement_needs_ndc_authorization})})
                            .status());
  }
  JCM_RETURN_IF_ERROR(RestoreAccountsAndBlocks(db, s));
  for (const ledger::JcDecision& d : s.decisions) {
    JCM_RETURN_IF_ERROR(db.Exec("INSERT INTO jc_decisions VALUES ($1, $2, $3, $4, $5, $6, $7)",
                                {P(d.registry.str()), P(d.id), P(d.project), P(d.period.ToString()),
                                 P(d.notified_tco2e), P(d.executed_tco2e), P(d.recorded_seq)})
                            .status());
  }
  std::vector<std::pair<std::string, int64_t>> balances(s.balances.begin(), s.balances.end());
  JCM_RETURN_IF_ERROR(InsertRows(
      db, "balances", {"account", "units"}, {"text", "bigint"}, balances.size(),
      [&](size_t r, size_t c) { return c == 0 ? balances[r].first : Num(balances[r].second); }));
  std::vector<std::pair<std::string, ledger::IdempotencyRecord>> keys(s.idempotency_keys.begin(),
                                                                      s.idempotency_keys.end());
  return InsertRows(
      db, "idempotency", {"key", "digest", "seq"}, {"text", "text", "bigint"}, keys.size(),
      [&](size_t r, size_t c) {
        return c == 0 ? keys[r].first : c == 1 ? keys[r].second.digest : Num(keys[r].second.seq);
      });
}

Status RestoreJournal(Connection& db, const RegistryImage& image) {
  return InsertRows(db, "journal", {"seq", "time", "kind", "body", "prev_hash", "hash"},
                    {"bigint", "text", "text", "text", "text", "text"}, image.journal.size(),
                    [&](size_t r, size_t c) {
                      const ledger::JournalEntry& e = image.journal[r];
                      switch (c) {
                        case 0:
                          return Num(e.seq);
                        case 1:
                          return e.time;
                        case 2:
                          return e.kind;
                        case 3:
                          return e.body.Encode();
                        case 4:
                          return e.prev_hash;
                        default:
                          return e.hash;
                      }
                    });
}

Status RestoreDocumentsAndSecrets(Connection& db, const RegistryImage& image) {
  for (const auto& [sha256, bytes] : image.documents) {
    JCM_RETURN_IF_ERROR(db.Exec("INSERT INTO documents VALUES ($1, $2, $3)",
                                {P(sha256), Bytes(bytes), P(static_cast<int64_t>(bytes.size()))})
                            .status());
  }
  for (const auto& [user, s] : image.user_secrets) {
    JCM_RETURN_IF_ERROR(db.Exec("INSERT INTO user_secrets VALUES ($1, $2, $3, $4, $5)",
                                {P(user), P(s.password_phc), Bytes(s.totp_key), P(s.totp_algorithm),
                                 s.totp_last_step ? P(*s.totp_last_step) : Null()})
                            .status());
  }
  for (const ApiTokenRecord& t : image.tokens) {
    JCM_RETURN_IF_ERROR(
        db.Exec("INSERT INTO api_tokens VALUES ($1, $2, $3, $4, $5, $6, $7)",
                {P(t.id), P(t.user), P(t.secret_sha256), P(t.scope), P(t.issued_at_s),
                 P(t.expires_at_s), t.revoked_at_s ? P(*t.revoked_at_s) : Null()})
            .status());
  }
  return core::OkStatus();
}

}  // namespace

Status RestoreImage(Connection& db, const RegistryImage& image) {
  JCM_ASSIGN_OR_RETURN(
      Rows used, db.Exec("SELECT (SELECT count(*) FROM journal) + (SELECT "
                         "count(*) FROM registries) + (SELECT count(*) FROM "
                         "documents) + (SELECT count(*) FROM user_secrets) + (SELECT count(*) "
                         "FROM log_heads)"));
  if (used.Int(0, 0) != 0) {
    return core::FailedPrecondition("PostgreSQL " + db.Name() +
                                    " already holds a registry: jcm migrate copies into an empty "
                                    "one only");
  }
  JCM_RETURN_IF_ERROR(RestoreLedger(db, image));
  JCM_RETURN_IF_ERROR(RestoreJournal(db, image));
  // The log's tree is a function of the journal: rebuilt, not copied; its heads are copied, so a
  // head signed before the copy is the one both sides publish for its size.
  JCM_RETURN_IF_ERROR(BuildLogTree(db));
  JCM_RETURN_IF_ERROR(InsertLogHeads(db, image.log_heads));
  return RestoreDocumentsAndSecrets(db, image);
}

}  // namespace jcm::store::postgres
