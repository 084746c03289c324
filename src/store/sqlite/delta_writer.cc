#include "store/sqlite/internal/delta_writer.h"

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/check.h"

namespace jcm::store::sqlite {

using core::Status;

DeltaWriter::DeltaWriter(sqlite3* db)
    : db_(db),
      upsert_registry_(db,
                       "INSERT INTO registries VALUES (?, ?, ?, ?) ON CONFLICT(code) DO UPDATE "
                       "SET next_serial = excluded.next_serial, "
                       "next_account_sequence = excluded.next_account_sequence, "
                       "imported_units = excluded.imported_units"),
      upsert_policy_(db,
                     "INSERT INTO registry_policies VALUES (?, ?) ON CONFLICT(registry) DO UPDATE "
                     "SET retirement_needs_ndc_authorization = "
                     "excluded.retirement_needs_ndc_authorization"),
      upsert_account_(db,
                      "INSERT INTO accounts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                      "ON CONFLICT(number) DO UPDATE SET state = excluded.state"),
      end_block_(db, "UPDATE blocks SET ended_seq = ? WHERE id = ? AND ended_seq = 0"),
      insert_block_(db,
                    "INSERT INTO blocks VALUES "
                    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?)"),
      upsert_decision_(db,
                       "INSERT INTO jc_decisions VALUES (?, ?, ?, ?, ?, ?, ?) "
                       "ON CONFLICT(registry, id) DO UPDATE "
                       "SET executed_tco2e = excluded.executed_tco2e"),
      insert_entry_(db, "INSERT INTO journal VALUES (?, ?, ?, ?, ?, ?)"),
      insert_key_(db, "INSERT INTO idempotency VALUES (?, ?, ?)"),
      log_(db) {}

Status DeltaWriter::Apply(const ledger::Delta& d) {
  JCM_RETURN_IF_ERROR(WriteRegistries(d));
  for (const ledger::Account& a : d.accounts) JCM_RETURN_IF_ERROR(WriteAccount(a));
  // Net change of each account's balance: one statement per account, not per block (a transfer
  // that splits a block ends one and creates two, but changes two balances).
  std::map<std::string, int64_t> net_units;
  JCM_CHECK(d.units_ended.size() == d.blocks_ended.size(), "every ended block has its units");
  for (size_t i = 0; i < d.blocks_ended.size(); ++i) {
    JCM_RETURN_IF_ERROR(EndBlock(d.blocks_ended[i], d.entry.seq));
    net_units[d.units_ended[i].first] -= d.units_ended[i].second;
  }
  for (const ledger::UnitBlock& b : d.blocks_created) {
    JCM_RETURN_IF_ERROR(WriteBlock(b));
    net_units[b.account] += b.unit_count;
  }
  // Only now, with every write of this Delta done: a failed Delta leaves no balance change.
  for (const auto& [account, units] : net_units) batch_balances_[account] += units;
  for (const ledger::JcDecision& j : d.decisions) JCM_RETURN_IF_ERROR(WriteDecision(j));
  JCM_RETURN_IF_ERROR(WriteEntry(d.entry));
  if (d.follow_entry) JCM_RETURN_IF_ERROR(WriteEntry(*d.follow_entry));
  if (!d.idempotency_key.empty()) {
    insert_key_.Bind(1, d.idempotency_key).Bind(2, d.idempotency_digest).Bind(3, d.entry.seq);
    JCM_RETURN_IF_ERROR(insert_key_.Run());
  }
  return core::OkStatus();
}

Status DeltaWriter::WriteRegistries(const ledger::Delta& d) {
  for (const auto& [code, counters] : d.registries) {
    upsert_registry_.Bind(1, code.str()).Bind(2, counters.next_serial);
    upsert_registry_.Bind(3, counters.next_account_sequence);
    JCM_RETURN_IF_ERROR(upsert_registry_.Bind(4, counters.imported_units).Run());
  }
  for (const auto& [code, policy] : d.policies) {
    upsert_policy_.Bind(1, code.str());
    upsert_policy_.Bind(2, int64_t{policy.retirement_needs_ndc_authorization ? 1 : 0});
    JCM_RETURN_IF_ERROR(upsert_policy_.Run());
  }
  return core::OkStatus();
}

Status DeltaWriter::WriteAccount(const ledger::Account& a) {
  upsert_account_.Bind(1, a.number).Bind(2, a.registry.str());
  upsert_account_.Bind(3, static_cast<int64_t>(a.type)).Bind(4, ledger::AccountStateName(a.state));
  upsert_account_.Bind(5, a.holder.name).Bind(6, a.holder.name_ja);
  upsert_account_.Bind(7, a.holder.representative).Bind(8, a.holder.address);
  return upsert_account_.Bind(9, a.holder.contact).Run();
}

Status DeltaWriter::EndBlock(int64_t id, int64_t seq) {
  JCM_RETURN_IF_ERROR(end_block_.Bind(1, seq).Bind(2, id).Run());
  if (sqlite3_changes(db_) != 1) {
    return core::Internal("block " + std::to_string(id) + " was not live when ended");
  }
  return core::OkStatus();
}

Status DeltaWriter::FlushBalances() {
  constexpr size_t kRowsPerStatement = 200;  // 400 parameters, far below SQLite's limit
  std::vector<std::pair<std::string, int64_t>> rows;
  for (const auto& [account, units] : batch_balances_) {
    if (units != 0) rows.emplace_back(account, units);
  }
  batch_balances_.clear();
  for (size_t first = 0; first < rows.size(); first += kRowsPerStatement) {
    const size_t n = std::min(kRowsPerStatement, rows.size() - first);
    // Prepared once per row count and kept: a batch of one size after another is the rule.
    std::unique_ptr<Statement>& prepared = balance_upserts_[n];
    if (!prepared) {
      std::string sql = "INSERT INTO balances VALUES (?, ?)";
      for (size_t i = 1; i < n; ++i) sql += ", (?, ?)";
      sql += " ON CONFLICT(account) DO UPDATE SET units = units + excluded.units";
      prepared = std::make_unique<Statement>(db_, sql.c_str());
    }
    Statement& upsert = *prepared;
    for (size_t i = 0; i < n; ++i) {
      const int index = static_cast<int>(2 * i);
      upsert.Bind(index + 1, rows[first + i].first).Bind(index + 2, rows[first + i].second);
    }
    JCM_RETURN_IF_ERROR(upsert.Run());
  }
  return core::OkStatus();
}

Status DeltaWriter::WriteBlock(const ledger::UnitBlock& b) {
  insert_block_.Bind(1, b.id).Bind(2, b.registry.str()).Bind(3, b.serial_first);
  insert_block_.Bind(4, b.unit_count).Bind(5, b.account).Bind(6, b.project);
  insert_block_.Bind(7, b.monitoring_period.ToString()).Bind(8, b.issuance_number);
  insert_block_.Bind(9, ledger::AuthorizationName(b.authorization));
  insert_block_.Bind(10, int64_t{b.first_transferred ? 1 : 0}).Bind(11, b.parent_id);
  insert_block_.Bind(12, b.created_seq).Bind(13, int64_t{b.imported ? 1 : 0});
  insert_block_.Bind(14, b.article6_authorisation).Bind(15, b.cooperative_approach);
  insert_block_.Bind(16, b.itmo_registry).Bind(17, b.itmo_first);
  insert_block_.Bind(18, b.first_transferring_party).Bind(19, b.vintage);
  return insert_block_.Run();
}

Status DeltaWriter::WriteDecision(const ledger::JcDecision& d) {
  upsert_decision_.Bind(1, d.registry.str()).Bind(2, d.id).Bind(3, d.project);
  upsert_decision_.Bind(4, d.period.ToString()).Bind(5, d.notified_tco2e);
  return upsert_decision_.Bind(6, d.executed_tco2e).Bind(7, d.recorded_seq).Run();
}

Status DeltaWriter::WriteEntry(const ledger::JournalEntry& e) {
  std::string body = e.body.Encode();
  insert_entry_.Bind(1, e.seq).Bind(2, e.time).Bind(3, e.kind).Bind(4, body);
  JCM_RETURN_IF_ERROR(insert_entry_.Bind(5, e.prev_hash).Bind(6, e.hash).Run());
  JCM_RETURN_IF_ERROR(log_.Append(e.seq, e.hash));
  if (recent_ != nullptr) recent_->Add(e, std::move(body));
  return core::OkStatus();
}

}  // namespace jcm::store::sqlite
