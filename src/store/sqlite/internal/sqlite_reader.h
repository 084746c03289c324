// Internal to the SQLite adapter: the ledger::Reader over one connection, and row decoding.
// Rows read back are external input: a malformed row is kDataLoss, never a crash.
#pragma once

#include <sqlite3.h>

#include "ledger/reader.h"
#include "store/sqlite/internal/recent_journal.h"
#include "store/sqlite/internal/statement.h"

namespace jcm::store::sqlite {

core::Result<ledger::UnitBlock> BlockFromRow(const Statement& row);      // kBlockColumns order
core::Result<ledger::Account> AccountFromRow(const Statement& row);      // kAccountColumns order
core::Result<ledger::JournalEntry> EntryFromRow(const Statement& row);   // kEntryColumns order
core::Result<ledger::JcDecision> DecisionFromRow(const Statement& row);  // kDecisionColumns

#define JCM_BLOCK_COLUMNS                                                               \
  "id, registry, serial_first, unit_count, account, project, period, issuance_number, " \
  "authorization, first_transferred, parent_id, created_seq, ended_seq, imported, "     \
  "article6_authorisation, cooperative_approach, itmo_registry, itmo_first, "           \
  "first_transferring_party, vintage"
#define JCM_ACCOUNT_COLUMNS \
  "number, registry, type, state, holder_name, holder_name_ja, representative, address, contact"
#define JCM_ENTRY_COLUMNS "seq, time, kind, body, prev_hash, hash"
#define JCM_DECISION_COLUMNS \
  "id, registry, project, period, notified_tco2e, executed_tco2e, recorded_seq"

class SqliteReader : public ledger::Reader {
 public:
  explicit SqliteReader(sqlite3* db);

  core::Result<std::optional<ledger::RegistryCounters>> FindRegistry(
      const core::RegistryCode& code) override;
  core::Result<std::optional<ledger::Account>> FindAccount(const std::string& number) override;
  core::Result<std::optional<ledger::Account>> FindGovernmentAccount(
      const core::RegistryCode& code, ledger::AccountType type) override;
  core::Result<std::vector<ledger::UnitBlock>> LiveBlocks(const std::string& account) override;
  core::Result<int64_t> NextBlockId() override;
  core::Result<int64_t> CountIssuances(const core::RegistryCode& code,
                                       const std::string& project) override;
  core::Result<std::optional<ledger::JournalHead>> LastJournalHead() override;
  core::Result<std::optional<ledger::IdempotencyRecord>> FindIdempotencyKey(
      const std::string& key) override;
  core::Result<int64_t> LastSeqOfKind(const std::string& prefix) override;
  core::Result<std::vector<ledger::JournalEntry>> EntriesOfKindAfter(
      const std::string& prefix, int64_t after_seq, const ledger::EntryNeedles& needles) override;
  core::Result<std::optional<ledger::JcDecision>> FindJcDecision(
      const std::string& id, const core::RegistryCode& registry) override;
  core::Result<std::optional<ledger::RegistryPolicy>> FindRegistryPolicy(
      const core::RegistryCode& code) override;
  core::Result<int64_t> Article6AuthorisedUnits(const std::string& reference) override;
  core::Result<int64_t> NextItmoId(const core::RegistryCode& registry) override;
  core::Result<ledger::JournalEntry> EntryAt(int64_t seq);

  // EntriesOfKindAfter answers from `recent` when it can (the write batch's reader; recent must
  // outlive this reader).
  void AnswerFrom(const RecentJournal* recent) { recent_ = recent; }

 private:
  Statement find_registry_, find_account_, find_government_, live_blocks_, next_block_id_,
      count_issuances_, last_entry_, find_key_, entry_at_, last_of_kind_, kind_after_,
      find_decision_, find_policy_, article6_units_, next_itmo_;
  const RecentJournal* recent_ = nullptr;
};

}  // namespace jcm::store::sqlite
