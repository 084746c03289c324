#include "store/postgres/internal/pg_delta_writer.h"

#include "core/check.h"
#include "store/postgres/internal/pg_reader.h"
#include "store/postgres/internal/pg_rows.h"

namespace jcm::store::postgres {

using core::Status;

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
  std::map<std::string, int64_t> net_units;
  for (const int64_t id : d.blocks_ended) {
    ended_ids_.push_back(std::to_string(id));
    ended_seqs_.push_back(std::to_string(d.entry.seq));
  }
  for (const auto& [account, units] : d.units_ended) net_units[account] -= units;
  for (const ledger::UnitBlock& b : d.blocks_created) {
    blocks_created_.push_back(b);
    net_units[b.account] += b.unit_count;
  }
  for (const auto& [account, units] : net_units) batch_balances_[account] += units;
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

// Blocks are inserted before the batch's ended blocks are updated: a block created and ended in
// the same batch is then ended like any other.
Status PgDeltaWriter::Flush() {
  if (!entries_.empty()) {
    JCM_RETURN_IF_ERROR(InsertRows(db_, "journal", JCM_PG_ENTRY_COLUMNS,
                                   {"bigint", "text", "text", "text", "text", "text"},
                                   entries_.size(), [&](size_t r, size_t c) -> std::string {
                                     const ledger::JournalEntry& e = entries_[r];
                                     switch (c) {
                                       case 0:
                                         return std::to_string(e.seq);
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
                                   }));
    entries_.clear();
  }
  JCM_RETURN_IF_ERROR(InsertBlocks(db_, blocks_created_));
  blocks_created_.clear();
  if (!ended_ids_.empty()) {
    JCM_ASSIGN_OR_RETURN(Rows ended, db_.Exec("UPDATE blocks SET ended_seq = e.seq FROM "
                                              "unnest($1::bigint[], $2::bigint[]) AS e(id, seq) "
                                              "WHERE blocks.id = e.id AND blocks.ended_seq = 0",
                                              {P(ArrayLiteral(ended_ids_)),
                                               P(ArrayLiteral(ended_seqs_))}));
    if (ended.affected() != static_cast<int64_t>(ended_ids_.size())) {
      return core::Internal("a block ended by entry " + ended_seqs_.back() +
                            " or before it was not live when ended");
    }
    ended_ids_.clear();
    ended_seqs_.clear();
  }
  if (!key_names_.empty()) {
    JCM_RETURN_IF_ERROR(InsertRows(db_, "idempotency", "key, digest, seq",
                                   {"text", "text", "bigint"}, key_names_.size(),
                                   [&](size_t r, size_t c) {
                                     return c == 0 ? key_names_[r]
                                            : c == 1 ? key_digests_[r]
                                                     : key_seqs_[r];
                                   }));
    key_names_.clear();
    key_digests_.clear();
    key_seqs_.clear();
  }
  return log_.Flush();
}

void PgDeltaWriter::Discard() {
  batch_balances_.clear();
  blocks_created_.clear();
  ended_ids_.clear();
  ended_seqs_.clear();
  entries_.clear();
  key_names_.clear();
  key_digests_.clear();
  key_seqs_.clear();
  log_.Forget();
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

Status PgDeltaWriter::FlushBalances() {
  std::vector<std::string> accounts, units;
  for (const auto& [account, net] : batch_balances_) {
    if (net == 0) continue;
    accounts.push_back(account);
    units.push_back(std::to_string(net));
  }
  batch_balances_.clear();
  if (accounts.empty()) return core::OkStatus();
  return db_
      .Exec(
          "INSERT INTO balances SELECT * FROM unnest($1::text[], $2::bigint[]) "
          "ON CONFLICT (account) DO UPDATE SET units = balances.units + excluded.units",
          {P(ArrayLiteral(accounts)), P(ArrayLiteral(units))})
      .status();
}

}  // namespace jcm::store::postgres
