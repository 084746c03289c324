#include "store/postgres/internal/pg_reader.h"

#include "store/row_decoding.h"

namespace jcm::store::postgres {

using core::Result;
using ledger::Account;
using ledger::JournalEntry;
using ledger::UnitBlock;

Result<UnitBlock> BlockFromRow(const Row& row) { return DecodeBlock(row); }
Result<Account> AccountFromRow(const Row& row) { return DecodeAccount(row); }
Result<JournalEntry> EntryFromRow(const Row& row) { return DecodeEntry(row); }
Result<ledger::JcDecision> DecisionFromRow(const Row& row) { return DecodeDecision(row); }

namespace {

// The first row decoded, or nullopt when there is none.
template <typename T, typename Decode>
Result<std::optional<T>> FirstOrNone(const Rows& rows, Decode decode) {
  if (rows.empty()) return std::optional<T>();
  JCM_ASSIGN_OR_RETURN(T value, decode(Row{rows, 0}));
  return std::optional<T>(std::move(value));
}

}  // namespace

Result<std::optional<ledger::RegistryCounters>> PgReader::FindRegistry(
    const core::RegistryCode& code) {
  JCM_ASSIGN_OR_RETURN(Rows rows, db_.Exec("SELECT next_serial, next_account_sequence, "
                                           "imported_units FROM registries WHERE code = $1",
                                           {P(code.str())}));
  if (rows.empty()) return std::optional<ledger::RegistryCounters>();
  return std::optional<ledger::RegistryCounters>(
      ledger::RegistryCounters{rows.Int(0, 0), rows.Int(0, 1), rows.Int(0, 2)});
}

Result<std::optional<Account>> PgReader::FindAccount(const std::string& number) {
  JCM_ASSIGN_OR_RETURN(
      Rows rows,
      db_.Exec("SELECT " JCM_PG_ACCOUNT_COLUMNS " FROM accounts WHERE number = $1", {P(number)}));
  return FirstOrNone<Account>(rows, AccountFromRow);
}

Result<std::optional<Account>> PgReader::FindGovernmentAccount(const core::RegistryCode& code,
                                                               ledger::AccountType type) {
  JCM_ASSIGN_OR_RETURN(Rows rows, db_.Exec("SELECT " JCM_PG_ACCOUNT_COLUMNS
                                           " FROM accounts WHERE registry = $1 AND type = $2 "
                                           "ORDER BY number LIMIT 1",
                                           {P(code.str()), P(static_cast<int64_t>(type))}));
  return FirstOrNone<Account>(rows, AccountFromRow);
}

Result<std::vector<UnitBlock>> PgReader::LiveBlocks(const std::string& account) {
  JCM_ASSIGN_OR_RETURN(Rows rows, db_.Exec("SELECT " JCM_PG_BLOCK_COLUMNS
                                           " FROM blocks WHERE account = $1 AND ended_seq = 0 "
                                           "ORDER BY serial_first",
                                           {P(account)}));
  return DecodeAll<UnitBlock>(rows, BlockFromRow);
}

Result<int64_t> PgReader::Article6AuthorisedUnits(const std::string& reference) {
  JCM_ASSIGN_OR_RETURN(Rows rows,
                       db_.Exec("SELECT COALESCE(SUM(unit_count), 0)::BIGINT FROM blocks "
                                "WHERE article6_authorisation = $1 AND ended_seq = 0",
                                {P(reference)}));
  return rows.empty() ? 0 : rows.Int(0, 0);
}

// As SqliteReader::NextItmoId: the block with the highest itmo_first (the longest on a tie)
// holds the registry's highest ITMO ID (INV-42), found by one probe of blocks_by_itmo.
Result<int64_t> PgReader::NextItmoId(const core::RegistryCode& registry) {
  JCM_ASSIGN_OR_RETURN(Rows rows, db_.Exec("SELECT itmo_first + unit_count FROM blocks "
                                           "WHERE registry = $1 AND itmo_first > 0 "
                                           "ORDER BY itmo_first DESC, unit_count DESC LIMIT 1",
                                           {P(registry.str())}));
  return rows.empty() ? 1 : rows.Int(0, 0);
}

Result<int64_t> PgReader::NextBlockId() {
  JCM_ASSIGN_OR_RETURN(Rows rows, db_.Exec("SELECT COALESCE(MAX(id), 0) + 1 FROM blocks"));
  return rows.empty() ? 1 : rows.Int(0, 0);
}

Result<int64_t> PgReader::CountIssuances(const core::RegistryCode& code,
                                         const std::string& project) {
  JCM_ASSIGN_OR_RETURN(Rows rows, db_.Exec("SELECT COUNT(DISTINCT created_seq) FROM blocks "
                                           "WHERE registry = $1 AND project = $2 AND "
                                           "parent_id = 0",
                                           {P(code.str()), P(project)}));
  return rows.empty() ? 0 : rows.Int(0, 0);
}

Result<std::optional<ledger::JournalHead>> PgReader::LastJournalHead() {
  JCM_ASSIGN_OR_RETURN(Rows rows,
                       db_.Exec("SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1"));
  if (rows.empty()) return std::optional<ledger::JournalHead>();
  return std::optional<ledger::JournalHead>(ledger::JournalHead{rows.Int(0, 0), rows.Text(0, 1)});
}

Result<std::optional<ledger::IdempotencyRecord>> PgReader::FindIdempotencyKey(
    const std::string& key) {
  JCM_ASSIGN_OR_RETURN(Rows rows,
                       db_.Exec("SELECT digest, seq FROM idempotency WHERE key = $1", {P(key)}));
  if (rows.empty()) return std::optional<ledger::IdempotencyRecord>();
  return std::optional<ledger::IdempotencyRecord>(
      ledger::IdempotencyRecord{rows.Text(0, 0), rows.Int(0, 1)});
}

Result<JournalEntry> PgReader::EntryAt(int64_t seq) {
  JCM_ASSIGN_OR_RETURN(
      Rows rows, db_.Exec("SELECT " JCM_PG_ENTRY_COLUMNS " FROM journal WHERE seq = $1", {P(seq)}));
  if (rows.empty()) return core::DataLoss("journal entry " + std::to_string(seq) + " is missing");
  return EntryFromRow(Row{rows, 0});
}

// Kinds starting with `prefix` sort in [prefix, prefix with its last byte incremented), which the
// journal_by_kind index answers without a scan (text sorts byte-wise: COLLATE "C").
Result<int64_t> PgReader::LastSeqOfKind(const std::string& prefix) {
  std::string upper = prefix;
  if (!upper.empty()) upper.back() = static_cast<char>(upper.back() + 1);
  JCM_ASSIGN_OR_RETURN(
      Rows rows,
      db_.Exec("SELECT COALESCE(MAX(seq), 0) FROM journal WHERE kind >= $1 AND kind < $2",
               {P(prefix), P(upper)}));
  return rows.empty() ? 0 : rows.Int(0, 0);
}

// By seq (the primary key): the entries after a recent seq are few, the family's many.
// Leaves nothing out (the needles are for SQLite's write batch, where decoding was the cost).
Result<std::vector<JournalEntry>> PgReader::EntriesOfKindAfter(const std::string& prefix,
                                                               int64_t after_seq,
                                                               const ledger::EntryNeedles&) {
  std::string upper = prefix;
  if (!upper.empty()) upper.back() = static_cast<char>(upper.back() + 1);
  JCM_ASSIGN_OR_RETURN(Rows rows, db_.Exec("SELECT " JCM_PG_ENTRY_COLUMNS
                                           " FROM journal WHERE seq > $1 AND kind >= $2 AND "
                                           "kind < $3 ORDER BY seq",
                                           {P(after_seq), P(prefix), P(upper)}));
  std::vector<JournalEntry> entries;
  for (int i = 0; i < rows.size(); ++i) {
    JCM_ASSIGN_OR_RETURN(JournalEntry entry, EntryFromRow(Row{rows, i}));
    entries.push_back(std::move(entry));
  }
  return entries;
}

Result<std::optional<ledger::JcDecision>> PgReader::FindJcDecision(
    const std::string& id, const core::RegistryCode& registry) {
  JCM_ASSIGN_OR_RETURN(Rows rows, db_.Exec("SELECT " JCM_PG_DECISION_COLUMNS
                                           " FROM jc_decisions WHERE registry = $1 AND id = $2",
                                           {P(registry.str()), P(id)}));
  return FirstOrNone<ledger::JcDecision>(rows, DecisionFromRow);
}

Result<std::optional<ledger::RegistryPolicy>> PgReader::FindRegistryPolicy(
    const core::RegistryCode& code) {
  JCM_ASSIGN_OR_RETURN(Rows rows, db_.Exec("SELECT retirement_needs_ndc_authorization FROM "
                                           "registry_policies WHERE registry = $1",
                                           {P(code.str())}));
  if (rows.empty()) return std::optional<ledger::RegistryPolicy>();
  return std::optional<ledger::RegistryPolicy>(ledger::RegistryPolicy{rows.Int(0, 0) != 0});
}

}  // namespace jcm::store::postgres
