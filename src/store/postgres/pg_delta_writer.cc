#include "store/postgres/internal/pg_delta_writer.h"

#include "core/check.h"
#include "store/postgres/internal/pg_reader.h"
#include "store/postgres/internal/pg_rows.h"

namespace jcm::store::postgres {

using core::Status;

namespace {

constexpr const char* kNotLive = "jcm: blocks ended by the batch that were live";

// The PostgreSQL array parameters "$N::TYPE[], …" of `types`, numbered on from `*next`.
std::string Arrays(const std::vector<std::string>& types, int* next) {
  std::string out;
  for (const std::string& type : types) {
    out += (out.empty() ? "$" : ", $") + std::to_string((*next)++) + "::" + type + "[]";
  }
  return out;
}

// One statement for every kept row of a batch; its one row is the number of blocks ended. When
// fewer blocks were live than the batch ends (the state it decided on was not the database's),
// the statement fails, so the transaction cannot commit even when COMMIT is already on its way
// (pipelined): the text cast of the ELSE branch is the way plain SQL raises an error, and the
// text names the check. (It depends on a row, so the planner never evaluates it in advance.)
const std::string& FlushSql() {
  static const std::string sql = [] {
    int n = 1;
    std::string s = "WITH entries AS (INSERT INTO journal (" JCM_PG_ENTRY_COLUMNS
                    ") SELECT * FROM unnest(" +
                    Arrays({"bigint", "text", "text", "text", "text", "text"}, &n) + ")), ";
    s += "created AS (INSERT INTO blocks (" JCM_PG_BLOCK_COLUMNS ") SELECT * FROM unnest(" +
         Arrays(BlockColumnTypes(), &n) + ")), ";
    s += "ended AS (UPDATE blocks SET ended_seq = e.seq FROM unnest(" +
         Arrays({"bigint", "bigint"}, &n) +
         ") AS e(id, seq) WHERE blocks.id = e.id AND blocks.ended_seq = 0 RETURNING 1), ";
    s += "keys AS (INSERT INTO idempotency (key, digest, seq) SELECT * FROM unnest(" +
         Arrays({"text", "text", "bigint"}, &n) + ")), ";
    s += "nodes AS (INSERT INTO log_nodes (level, idx, hash) SELECT l, i, decode(h, 'hex') FROM "
         "unnest(" +
         Arrays({"bigint", "bigint", "text"}, &n) + ") AS t(l, i, h)), ";
    s += "sums AS (INSERT INTO balances (account, units) SELECT * FROM unnest(" +
         Arrays({"text", "bigint"}, &n) +
         ") ON CONFLICT (account) DO UPDATE SET units = balances.units + excluded.units) ";
    return s + "SELECT CASE WHEN n = $" + std::to_string(n) + "::bigint THEN n ELSE ('" + kNotLive +
           ": ' || n || ' of ' || $" + std::to_string(n) +
           "::bigint)::bigint END FROM (SELECT count(*) AS n FROM ended) AS e";
  }();
  return sql;
}

// Appends one array parameter per column of `rows` (each row `columns` values).
void AddColumns(const std::vector<std::vector<std::string>>& rows, size_t columns,
                std::vector<Param>& params) {
  for (size_t c = 0; c < columns; ++c) {
    std::vector<std::string> values;
    values.reserve(rows.size());
    for (const auto& row : rows) values.push_back(row[c]);
    params.push_back(P(ArrayLiteral(values)));
  }
}

}  // namespace

Status PgDeltaWriter::Apply(const ledger::Delta& d) {
  JCM_RETURN_IF_ERROR(WriteRegistries(d));
  for (const ledger::Account& a : d.accounts) JCM_RETURN_IF_ERROR(WriteAccount(a));
  for (const ledger::JcDecision& j : d.decisions) {
    JCM_RETURN_IF_ERROR(
        db_.Exec("INSERT INTO jc_decisions VALUES ($1, $2, $3, $4, $5, $6, $7) "
                 "ON CONFLICT (registry, id) DO UPDATE "
                 "SET executed_tco2e = excluded.executed_tco2e",
                 {P(j.registry.str()), P(j.id), P(j.project), P(j.period.ToString()),
                  P(j.notified_tco2e), P(j.executed_tco2e), P(j.recorded_seq)})
            .status());
  }
  JCM_CHECK(d.units_ended.size() == d.blocks_ended.size(), "every ended block has its units");
  for (const int64_t id : d.blocks_ended) {
    // A block this batch created and has not written yet is written ended.
    if (auto kept = created_at_.find(id); kept != created_at_.end()) {
      blocks_created_[kept->second].ended_seq = d.entry.seq;
      continue;
    }
    ended_ids_.push_back(std::to_string(id));
    ended_seqs_.push_back(std::to_string(d.entry.seq));
  }
  for (const auto& [account, units] : d.units_ended) balances_[account] -= units;
  for (const ledger::UnitBlock& b : d.blocks_created) {
    created_at_[b.id] = blocks_created_.size();
    blocks_created_.push_back(b);
    balances_[b.account] += b.unit_count;
  }
  JCM_RETURN_IF_ERROR(KeepEntry(d.entry));
  if (d.follow_entry) JCM_RETURN_IF_ERROR(KeepEntry(*d.follow_entry));
  if (!d.idempotency_key.empty()) {
    key_names_.push_back(d.idempotency_key);
    key_digests_.push_back(d.idempotency_digest);
    key_seqs_.push_back(std::to_string(d.entry.seq));
  }
  return core::OkStatus();
}

Status PgDeltaWriter::KeepEntry(const ledger::JournalEntry& e) {
  entries_.push_back(e);
  return log_.Append(e.seq, e.hash);
}

Status PgDeltaWriter::Flush() {
  std::optional<Statement> rows = TakeRows();
  if (!rows) return core::OkStatus();
  return FailedRows(db_.Exec(rows->sql, rows->params).status());
}

Status PgDeltaWriter::FailedRows(const Status& status) {
  if (status.ok() || status.message().find(kNotLive) == std::string::npos) return status;
  return core::Internal("a block ended by entry " + last_ended_seq_ +
                        " or an entry before it was not live when ended (" + status.message() +
                        ")");
}

std::optional<Statement> PgDeltaWriter::TakeRows() {
  std::vector<core::merkle::PerfectNode> nodes = log_.TakePending();
  std::vector<std::vector<std::string>> entries, blocks, ended, keys, log_nodes, sums;
  for (const ledger::JournalEntry& e : entries_) {
    entries.push_back(
        {std::to_string(e.seq), e.time, e.kind, e.body.Encode(), e.prev_hash, e.hash});
  }
  for (const ledger::UnitBlock& b : blocks_created_) blocks.push_back(BlockRowValues(b));
  for (size_t i = 0; i < ended_ids_.size(); ++i) ended.push_back({ended_ids_[i], ended_seqs_[i]});
  for (size_t i = 0; i < key_names_.size(); ++i) {
    keys.push_back({key_names_[i], key_digests_[i], key_seqs_[i]});
  }
  for (const core::merkle::PerfectNode& node : nodes) {
    log_nodes.push_back(
        {std::to_string(node.level), std::to_string(node.index), core::merkle::ToHex(node.hash)});
  }
  for (const auto& [account, net] : balances_) {
    if (net != 0) sums.push_back({account, std::to_string(net)});
  }
  if (!ended_seqs_.empty()) last_ended_seq_ = ended_seqs_.back();
  ClearKept();
  if (entries.empty() && blocks.empty() && ended.empty() && keys.empty() && sums.empty()) {
    return std::nullopt;
  }
  Statement statement{FlushSql(), {}};
  AddColumns(entries, 6, statement.params);
  AddColumns(blocks, BlockColumnTypes().size(), statement.params);
  AddColumns(ended, 2, statement.params);
  AddColumns(keys, 3, statement.params);
  AddColumns(log_nodes, 3, statement.params);
  AddColumns(sums, 2, statement.params);
  statement.params.push_back(P(static_cast<int64_t>(ended.size())));
  return statement;
}

void PgDeltaWriter::Discard() {
  ClearKept();
  (void)log_.TakePending();
  log_.Forget();
}

void PgDeltaWriter::ClearKept() {
  balances_.clear();
  blocks_created_.clear();
  created_at_.clear();
  ended_ids_.clear();
  ended_seqs_.clear();
  entries_.clear();
  key_names_.clear();
  key_digests_.clear();
  key_seqs_.clear();
}

Status PgDeltaWriter::WriteRegistries(const ledger::Delta& d) {
  for (const auto& [code, c] : d.registries) {
    JCM_RETURN_IF_ERROR(
        db_.Exec("INSERT INTO registries (code, next_serial, next_account_sequence, "
                 "imported_units) VALUES ($1, $2, $3, $4) ON CONFLICT (code) DO UPDATE "
                 "SET next_serial = excluded.next_serial, "
                 "next_account_sequence = excluded.next_account_sequence, "
                 "imported_units = excluded.imported_units",
                 {P(code.str()), P(c.next_serial), P(c.next_account_sequence), P(c.imported_units)})
            .status());
  }
  for (const auto& [code, policy] : d.policies) {
    JCM_RETURN_IF_ERROR(
        db_.Exec("INSERT INTO registry_policies VALUES ($1, $2) ON CONFLICT (registry) DO UPDATE "
                 "SET retirement_needs_ndc_authorization = "
                 "excluded.retirement_needs_ndc_authorization",
                 {P(code.str()), P(int64_t{policy.retirement_needs_ndc_authorization ? 1 : 0})})
            .status());
  }
  return core::OkStatus();
}

Status PgDeltaWriter::WriteAccount(const ledger::Account& a) {
  return db_
      .Exec(
          "INSERT INTO accounts VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
          "ON CONFLICT (number) DO UPDATE SET state = excluded.state",
          {P(a.number), P(a.registry.str()), P(static_cast<int64_t>(a.type)),
           P(ledger::AccountStateName(a.state)), P(a.holder.name), P(a.holder.name_ja),
           P(a.holder.representative), P(a.holder.address), P(a.holder.contact)})
      .status();
}

}  // namespace jcm::store::postgres
