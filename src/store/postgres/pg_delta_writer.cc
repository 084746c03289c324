#include "store/postgres/internal/pg_delta_writer.h"

#include "core/check.h"
#include "store/postgres/internal/pg_reader.h"

namespace jcm::store::postgres {

using core::Status;

Status PgDeltaWriter::Apply(const ledger::Delta& d) {
  JCM_RETURN_IF_ERROR(WriteRegistries(d));
  for (const ledger::Account& a : d.accounts) JCM_RETURN_IF_ERROR(WriteAccount(a));
  std::map<std::string, int64_t> net_units;
  JCM_CHECK(d.units_ended.size() == d.blocks_ended.size(), "every ended block has its units");
  if (!d.blocks_ended.empty()) {
    std::vector<std::string> ids;
    for (const int64_t id : d.blocks_ended) ids.push_back(std::to_string(id));
    JCM_ASSIGN_OR_RETURN(Rows ended,
                         db_.Exec("UPDATE blocks SET ended_seq = $1 WHERE id = ANY($2::bigint[]) "
                                  "AND ended_seq = 0",
                                  {P(d.entry.seq), P(ArrayLiteral(ids))}));
    if (ended.affected() != static_cast<int64_t>(ids.size())) {
      return core::Internal("a block of entry " + std::to_string(d.entry.seq) +
                            " was not live when ended");
    }
    for (const auto& [account, units] : d.units_ended) net_units[account] -= units;
  }
  for (const ledger::UnitBlock& b : d.blocks_created) {
    JCM_RETURN_IF_ERROR(WriteBlock(b));
    net_units[b.account] += b.unit_count;
  }
  for (const auto& [account, units] : net_units) batch_balances_[account] += units;
  for (const ledger::JcDecision& j : d.decisions) {
    JCM_RETURN_IF_ERROR(
        db_.Exec("INSERT INTO jc_decisions VALUES ($1, $2, $3, $4, $5, $6, $7) "
                 "ON CONFLICT (registry, id) DO UPDATE "
                 "SET executed_tco2e = excluded.executed_tco2e",
                 {P(j.registry.str()), P(j.id), P(j.project), P(j.period.ToString()),
                  P(j.notified_tco2e), P(j.executed_tco2e), P(j.recorded_seq)})
            .status());
  }
  JCM_RETURN_IF_ERROR(WriteEntry(d.entry));
  if (d.follow_entry) JCM_RETURN_IF_ERROR(WriteEntry(*d.follow_entry));
  if (!d.idempotency_key.empty()) {
    JCM_RETURN_IF_ERROR(db_.Exec("INSERT INTO idempotency VALUES ($1, $2, $3)",
                                 {P(d.idempotency_key), P(d.idempotency_digest), P(d.entry.seq)})
                            .status());
  }
  return core::OkStatus();
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

Status PgDeltaWriter::WriteBlock(const ledger::UnitBlock& b) {
  return db_
      .Exec("INSERT INTO blocks (" JCM_PG_BLOCK_COLUMNS
            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 0, $13, $14, "
            "$15, $16, $17, $18, $19)",
            {P(b.id), P(b.registry.str()), P(b.serial_first), P(b.unit_count), P(b.account),
             P(b.project), P(b.monitoring_period.ToString()), P(b.issuance_number),
             P(ledger::AuthorizationName(b.authorization)), P(int64_t{b.first_transferred ? 1 : 0}),
             P(b.parent_id), P(b.created_seq), P(int64_t{b.imported ? 1 : 0}),
             P(b.article6_authorisation), P(b.cooperative_approach), P(b.itmo_registry),
             P(b.itmo_first), P(b.first_transferring_party), P(b.vintage)})
      .status();
}

Status PgDeltaWriter::WriteEntry(const ledger::JournalEntry& e) {
  JCM_RETURN_IF_ERROR(
      db_.Exec("INSERT INTO journal VALUES ($1, $2, $3, $4, $5, $6)",
               {P(e.seq), P(e.time), P(e.kind), P(e.body.Encode()), P(e.prev_hash), P(e.hash)})
          .status());
  return log_.Append(e.seq, e.hash);
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
