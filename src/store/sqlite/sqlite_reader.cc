#include "store/sqlite/internal/sqlite_reader.h"

#include "store/row_decoding.h"

namespace jcm::store::sqlite {

using core::Result;
using ledger::Account;
using ledger::JournalEntry;
using ledger::UnitBlock;

Result<UnitBlock> BlockFromRow(const Statement& row) { return DecodeBlock(row); }
Result<Account> AccountFromRow(const Statement& row) { return DecodeAccount(row); }
Result<JournalEntry> EntryFromRow(const Statement& row) { return DecodeEntry(row); }
Result<ledger::JcDecision> DecisionFromRow(const Statement& row) { return DecodeDecision(row); }

SqliteReader::SqliteReader(sqlite3* db)
    : find_registry_(db,
                     "SELECT next_serial, next_account_sequence, imported_units FROM registries "
                     "WHERE code = ?"),
      find_account_(db, "SELECT " JCM_ACCOUNT_COLUMNS " FROM accounts WHERE number = ?"),
      find_government_(db,
                       "SELECT " JCM_ACCOUNT_COLUMNS
                       " FROM accounts WHERE registry = ? AND type = ? ORDER BY number LIMIT 1"),
      live_blocks_(db, "SELECT " JCM_BLOCK_COLUMNS
                       " FROM blocks WHERE account = ? AND ended_seq = 0 ORDER BY serial_first"),
      next_block_id_(db, "SELECT COALESCE(MAX(id), 0) + 1 FROM blocks"),
      count_issuances_(db,
                       "SELECT COUNT(DISTINCT created_seq) FROM blocks "
                       "WHERE registry = ? AND project = ? AND parent_id = 0"),
      last_entry_(db, "SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1"),
      find_key_(db, "SELECT digest, seq FROM idempotency WHERE key = ?"),
      entry_at_(db, "SELECT " JCM_ENTRY_COLUMNS " FROM journal WHERE seq = ?"),
      last_of_kind_(db, "SELECT COALESCE(MAX(seq), 0) FROM journal WHERE kind >= ?1 AND kind < ?2"),
      // By seq (the rowid), not journal_by_kind: the entries after a recent seq are few, the
      // family's entries many.
      kind_after_(db, "SELECT " JCM_ENTRY_COLUMNS
                      " FROM journal WHERE seq > ?1 AND +kind >= ?2 AND +kind < ?3 ORDER BY seq"),
      find_decision_(
          db, "SELECT " JCM_DECISION_COLUMNS " FROM jc_decisions WHERE registry = ? AND id = ?"),
      find_policy_(db,
                   "SELECT retirement_needs_ndc_authorization FROM registry_policies "
                   "WHERE registry = ?"),
      article6_units_(db,
                      "SELECT COALESCE(SUM(unit_count), 0) FROM blocks "
                      "WHERE article6_authorisation = ? AND ended_seq = 0"),
      // The block holding a registry's highest ITMO ID has its highest itmo_first: IDs are
      // given in increasing order and children keep sub-ranges (INV-42), so one index probe.
      next_itmo_(db,
                 "SELECT itmo_first + unit_count FROM blocks WHERE registry = ? AND itmo_first > 0 "
                 "ORDER BY itmo_first DESC, unit_count DESC LIMIT 1") {}

Result<int64_t> SqliteReader::NextItmoId(const core::RegistryCode& registry) {
  next_itmo_.Bind(1, registry.str());
  JCM_ASSIGN_OR_RETURN(bool found, next_itmo_.Step());
  const int64_t next = found ? next_itmo_.Int(0) : 1;
  next_itmo_.Reset();
  return next;
}

Result<int64_t> SqliteReader::Article6AuthorisedUnits(const std::string& reference) {
  article6_units_.Bind(1, reference);
  JCM_ASSIGN_OR_RETURN(bool found, article6_units_.Step());
  const int64_t units = found ? article6_units_.Int(0) : 0;
  article6_units_.Reset();
  return units;
}

Result<std::optional<ledger::RegistryCounters>> SqliteReader::FindRegistry(
    const core::RegistryCode& code) {
  find_registry_.Bind(1, code.str());
  JCM_ASSIGN_OR_RETURN(bool found, find_registry_.Step());
  if (!found) return std::optional<ledger::RegistryCounters>();
  ledger::RegistryCounters counters{find_registry_.Int(0), find_registry_.Int(1),
                                    find_registry_.Int(2)};
  find_registry_.Reset();
  return std::optional<ledger::RegistryCounters>(counters);
}

Result<std::optional<Account>> SqliteReader::FindAccount(const std::string& number) {
  find_account_.Bind(1, number);
  JCM_ASSIGN_OR_RETURN(bool found, find_account_.Step());
  if (!found) return std::optional<Account>();
  auto account = AccountFromRow(find_account_);
  find_account_.Reset();
  if (!account.ok()) return account.status();
  return std::optional<Account>(std::move(account).value());
}

Result<std::optional<Account>> SqliteReader::FindGovernmentAccount(const core::RegistryCode& code,
                                                                   ledger::AccountType type) {
  find_government_.Bind(1, code.str()).Bind(2, static_cast<int64_t>(type));
  JCM_ASSIGN_OR_RETURN(bool found, find_government_.Step());
  if (!found) return std::optional<Account>();
  auto account = AccountFromRow(find_government_);
  find_government_.Reset();
  if (!account.ok()) return account.status();
  return std::optional<Account>(std::move(account).value());
}

Result<std::vector<UnitBlock>> SqliteReader::LiveBlocks(const std::string& account) {
  std::vector<UnitBlock> blocks;
  live_blocks_.Bind(1, account);
  while (true) {
    JCM_ASSIGN_OR_RETURN(bool row, live_blocks_.Step());
    if (!row) break;
    auto block = BlockFromRow(live_blocks_);
    if (!block.ok()) {
      live_blocks_.Reset();
      return block.status();
    }
    blocks.push_back(std::move(block).value());
  }
  return blocks;
}

Result<int64_t> SqliteReader::NextBlockId() {
  JCM_ASSIGN_OR_RETURN(bool row, next_block_id_.Step());
  const int64_t id = row ? next_block_id_.Int(0) : 1;
  next_block_id_.Reset();
  return id;
}

Result<int64_t> SqliteReader::CountIssuances(const core::RegistryCode& code,
                                             const std::string& project) {
  count_issuances_.Bind(1, code.str()).Bind(2, project);
  JCM_ASSIGN_OR_RETURN(bool row, count_issuances_.Step());
  const int64_t count = row ? count_issuances_.Int(0) : 0;
  count_issuances_.Reset();
  return count;
}

// Only seq and hash: decoding the last body on every command would be wasted work.
Result<std::optional<ledger::JournalHead>> SqliteReader::LastJournalHead() {
  JCM_ASSIGN_OR_RETURN(bool row, last_entry_.Step());
  if (!row) return std::optional<ledger::JournalHead>();
  ledger::JournalHead head{last_entry_.Int(0), last_entry_.Text(1)};
  last_entry_.Reset();
  return std::optional<ledger::JournalHead>(std::move(head));
}

Result<std::optional<ledger::IdempotencyRecord>> SqliteReader::FindIdempotencyKey(
    const std::string& key) {
  find_key_.Bind(1, key);
  JCM_ASSIGN_OR_RETURN(bool row, find_key_.Step());
  if (!row) return std::optional<ledger::IdempotencyRecord>();
  ledger::IdempotencyRecord record{find_key_.Text(0), find_key_.Int(1)};
  find_key_.Reset();
  return std::optional<ledger::IdempotencyRecord>(record);
}

Result<JournalEntry> SqliteReader::EntryAt(int64_t seq) {
  entry_at_.Bind(1, seq);
  JCM_ASSIGN_OR_RETURN(bool row, entry_at_.Step());
  if (!row) return core::DataLoss("journal entry " + std::to_string(seq) + " is missing");
  auto entry = EntryFromRow(entry_at_);
  entry_at_.Reset();
  return entry;
}

// Kinds starting with `prefix` sort in [prefix, prefix with its last byte incremented), which the
// journal_by_kind index answers without a scan.
Result<int64_t> SqliteReader::LastSeqOfKind(const std::string& prefix) {
  std::string upper = prefix;
  if (!upper.empty()) upper.back() = static_cast<char>(upper.back() + 1);
  last_of_kind_.Bind(1, prefix).Bind(2, upper);
  JCM_ASSIGN_OR_RETURN(bool row, last_of_kind_.Step());
  const int64_t seq = row ? last_of_kind_.Int(0) : 0;
  last_of_kind_.Reset();
  return seq;
}

// Rows holding none of `needles` are left out before they are decoded.
Result<std::vector<JournalEntry>> SqliteReader::EntriesOfKindAfter(
    const std::string& prefix, int64_t after_seq, const ledger::EntryNeedles& needles) {
  if (recent_ != nullptr) {
    if (auto kept = recent_->EntriesOfKindAfter(prefix, after_seq, needles)) return *kept;
  }
  std::string upper = prefix;
  if (!upper.empty()) upper.back() = static_cast<char>(upper.back() + 1);
  kind_after_.Bind(1, after_seq).Bind(2, prefix).Bind(3, upper);
  std::vector<JournalEntry> entries;
  while (true) {
    core::Result<bool> row = kind_after_.Step();
    if (!row.ok() || !*row) {
      kind_after_.Reset();
      if (!row.ok()) return row.status();
      return entries;
    }
    // The body is read only when a kind does not already decide.
    if (!needles.empty() &&
        !needles.HeldBy(kind_after_.TextView(2),
                        needles.body_lines.empty() ? "" : kind_after_.TextView(3))) {
      continue;
    }
    core::Result<JournalEntry> entry = EntryFromRow(kind_after_);
    if (!entry.ok()) {
      kind_after_.Reset();
      return entry.status();
    }
    entries.push_back(std::move(entry).value());
  }
}

Result<std::optional<ledger::JcDecision>> SqliteReader::FindJcDecision(
    const std::string& id, const core::RegistryCode& registry) {
  find_decision_.Bind(1, registry.str()).Bind(2, id);
  JCM_ASSIGN_OR_RETURN(bool row, find_decision_.Step());
  if (!row) return std::optional<ledger::JcDecision>();
  auto decision = DecisionFromRow(find_decision_);
  find_decision_.Reset();
  if (!decision.ok()) return decision.status();
  return std::optional<ledger::JcDecision>(std::move(decision).value());
}

Result<std::optional<ledger::RegistryPolicy>> SqliteReader::FindRegistryPolicy(
    const core::RegistryCode& code) {
  find_policy_.Bind(1, code.str());
  JCM_ASSIGN_OR_RETURN(bool row, find_policy_.Step());
  if (!row) return std::optional<ledger::RegistryPolicy>();
  ledger::RegistryPolicy policy{find_policy_.Int(0) != 0};
  find_policy_.Reset();
  return std::optional<ledger::RegistryPolicy>(policy);
}

}  // namespace jcm::store::sqlite
