// Internal to the PostgreSQL adapter: the ledger::Reader a write batch decides with. It answers
// from memory what it read before or what this process wrote since (read-through, updated by
// Apply() with every Delta the batch writes), so a transfer whose accounts were seen before
// costs no round trip for its reads; a read it cannot answer first flushes the batch's kept
// rows (PgDeltaWriter::Flush, through `flush`), then asks the database.
//
// Multi-process correctness (INV-53): what it holds is the registry at one journal head — the
// head it read under the write lock, advanced by each Delta it applies. Every write of every
// process appends to the journal, so at the start of each batch, under the lock, BeginBatch()
// is given the committed head: the same head (seq and hash) means no other process wrote since
// and the cache is the database; any other head drops everything. A batch may also decide
// before taking the lock, on what is kept (BeginOptimisticBatch): every read it cannot answer
// goes through `flush`, which then takes the lock and confirms the head first, and the batch
// commits only under the lock with the head confirmed. A batch that fails (rolled back,
// connection lost, the head moved) must Forget() it. Idempotency keys are kept for one batch only
// (read for the whole batch at once by PrefetchKeys).
//
// Not thread-safe: the store's write path owns it.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ledger/decide.h"
#include "store/postgres/internal/connection.h"
#include "store/postgres/internal/pg_reader.h"

namespace jcm::store::postgres {

// Are `a` and `b` the same journal head (seq and hash), or both an empty journal?
bool SameHead(const std::optional<ledger::JournalHead>& a,
              const std::optional<ledger::JournalHead>& b);

class PgStateCache final : public ledger::Reader {
 public:
  PgStateCache(Connection& connection, std::function<core::Status()> flush)
      : db_(connection), flush_(std::move(flush)) {}

  // Under the write lock, before the batch's first decision: `head` is the committed journal
  // head. Returns false when what was kept had to be dropped (another process wrote).
  bool BeginBatch(const std::optional<ledger::JournalHead>& head);
  // Something is kept: the registry at head() (as last committed or read under the lock).
  bool Warm() const { return valid_; }
  const std::optional<ledger::JournalHead>& head() const { return head_; }
  // Before the lock, before the batch's first decision, when Warm(): the batch decides on what
  // is kept, assuming head() is still the committed head; it may commit only once that is
  // confirmed under the lock (BeginBatch() with the head read then, or the store's guard).
  void BeginOptimisticBatch() { keys_.clear(); }
  // Reads the batch's idempotency keys in one statement (each absent one remembered absent).
  core::Status PrefetchKeys(const std::vector<std::string>& keys);
  // The batch wrote `delta`: what is kept becomes the state after it.
  void Apply(const ledger::Delta& delta);
  // Drops everything (a failed batch; the next BeginBatch starts cold).
  void Forget();

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

 private:
  // Memory stays bounded: past this many accounts' live blocks, they are dropped and re-read.
  static constexpr size_t kAccountsKept = 4096;

  void ApplyAccounts(const std::vector<ledger::Account>& accounts);
  void ApplyBlocks(const ledger::Delta& delta);
  void ApplyEntry(const ledger::JournalEntry& entry);

  PgReader db_;
  std::function<core::Status()> flush_;
  bool valid_ = false;
  std::optional<ledger::JournalHead> head_;  // nullopt: an empty journal
  std::map<std::string, std::optional<ledger::Account>> accounts_;
  std::map<std::pair<std::string, int>, std::optional<ledger::Account>> government_;
  std::map<std::string, std::vector<ledger::UnitBlock>> live_;  // by account, serial order
  std::optional<int64_t> next_block_id_;
  std::map<std::string, std::optional<ledger::IdempotencyRecord>> keys_;
  std::map<std::string, std::optional<ledger::RegistryCounters>> registries_;
  std::map<std::string, std::optional<ledger::RegistryPolicy>> policies_;
  std::map<std::string, int64_t> last_seq_of_kind_;  // by prefix
  std::map<std::pair<std::string, std::string>, std::optional<ledger::JcDecision>> decisions_;
};

}  // namespace jcm::store::postgres
