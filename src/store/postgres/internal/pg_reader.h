// Internal to the PostgreSQL adapter: the ledger::Reader over one connection, and row decoding.
// Inside a write transaction (READ COMMITTED, after the registry's advisory lock) every
// statement sees what the batch wrote so far and everything other processes committed before
// the lock was granted. Rows read back are external input: a malformed row is kDataLoss.
#pragma once

#include "ledger/reader.h"
#include "store/postgres/internal/connection.h"

namespace jcm::store::postgres {

core::Result<ledger::UnitBlock> BlockFromRow(const Row& row);      // kBlockColumns order
core::Result<ledger::Account> AccountFromRow(const Row& row);      // kAccountColumns order
core::Result<ledger::JournalEntry> EntryFromRow(const Row& row);   // kEntryColumns order
core::Result<ledger::JcDecision> DecisionFromRow(const Row& row);  // kDecisionColumns

#define JCM_PG_BLOCK_COLUMNS                                                            \
  "id, registry, serial_first, unit_count, account, project, period, issuance_number, " \
  "\"authorization\", first_transferred, parent_id, created_seq, ended_seq, imported, " \
  "article6_authorisation, cooperative_approach, itmo_registry, itmo_first, "           \
  "first_transferring_party, vintage"
#define JCM_PG_ACCOUNT_COLUMNS \
  "number, registry, type, state, holder_name, holder_name_ja, representative, address, contact"
#define JCM_PG_ENTRY_COLUMNS "seq, time, kind, body, prev_hash, hash"
#define JCM_PG_DECISION_COLUMNS \
  "id, registry, project, period, notified_tco2e, executed_tco2e, recorded_seq"

// Every row of `rows` decoded by `decode`; the first corrupt row's error.
template <typename T, typename Decode>
core::Result<std::vector<T>> DecodeAll(const Rows& rows, Decode decode) {
  std::vector<T> out;
  out.reserve(static_cast<size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) {
    JCM_ASSIGN_OR_RETURN(T value, decode(Row{rows, i}));
    out.push_back(std::move(value));
  }
  return out;
}

class PgReader : public ledger::Reader {
 public:
  explicit PgReader(Connection& connection) : db_(connection) {}

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
  Connection& connection() { return db_; }

 private:
  Connection& db_;
};

}  // namespace jcm::store::postgres
