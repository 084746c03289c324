#ifndef JCM_STORE_TESTING_FORWARDING_STORE_H_
#define JCM_STORE_TESTING_FORWARDING_STORE_H_

// A Store that forwards every method to another store, for test doubles that change one or two
// methods (record reads, interleave a write, refuse whole-store reads): a double derives from it
// and overrides only those, so a method added to Store is forwarded here once rather than
// written into every double.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/store.h"

namespace jcm::store::testing {

class ForwardingStore : public Store {
 public:
  explicit ForwardingStore(Store& inner) : inner_(inner) {}

  core::Result<Outcome> Submit(const ledger::Command& c) override { return inner_.Submit(c); }
  core::Result<std::vector<std::string>> ListRegistries() override {
    return inner_.ListRegistries();
  }
  core::Result<std::optional<ledger::RegistryCounters>> FindRegistry(
      const std::string& code) override {
    return inner_.FindRegistry(code);
  }
  core::Result<std::vector<ledger::Account>> ListAccounts(
      const std::optional<std::string>& registry) override {
    return inner_.ListAccounts(registry);
  }
  core::Result<std::optional<ledger::Account>> FindAccount(const std::string& number) override {
    return inner_.FindAccount(number);
  }
  core::Result<std::vector<ledger::UnitBlock>> LiveBlocks(const std::string& account) override {
    return inner_.LiveBlocks(account);
  }
  core::Result<std::vector<AccountBalance>> ListBalances(
      const std::optional<std::string>& registry) override {
    return inner_.ListBalances(registry);
  }
  core::Result<std::vector<ledger::JcDecision>> ListDecisions(
      const std::optional<std::string>& registry) override {
    return inner_.ListDecisions(registry);
  }
  core::Result<std::vector<ledger::JournalEntry>> ReadJournal(
      int64_t from_seq, const std::string& kind_prefix) override {
    return inner_.ReadJournal(from_seq, kind_prefix);
  }
  core::Result<int64_t> JournalHeadSeq() override { return inner_.JournalHeadSeq(); }
  core::Result<ledger::StoredState> ReadState() override { return inner_.ReadState(); }
  core::Result<std::unique_ptr<Store>> Snapshot() override { return inner_.Snapshot(); }
  core::Result<std::optional<ledger::UnitBlock>> FindLiveBlockOverlapping(
      const std::string& registry, int64_t first, int64_t last) override {
    return inner_.FindLiveBlockOverlapping(registry, first, last);
  }
  core::Result<std::vector<ledger::UnitBlock>> LiveBlocksOfSerials(
      const std::string& registry) override {
    return inner_.LiveBlocksOfSerials(registry);
  }
  core::Result<std::optional<ledger::UnitBlock>> FindBlock(int64_t id) override {
    return inner_.FindBlock(id);
  }
  core::Result<std::vector<ledger::JournalEntry>> ReadJournalRange(int64_t from_seq,
                                                                   int64_t entries_max) override {
    return inner_.ReadJournalRange(from_seq, entries_max);
  }
  core::Result<int64_t> LogTreeSize() override { return inner_.LogTreeSize(); }
  std::optional<uint64_t> LocalCommitCount() override { return inner_.LocalCommitCount(); }
  core::Result<core::merkle::Hash> LogSubtreeHash(int level, int64_t index) override {
    return inner_.LogSubtreeHash(level, index);
  }
  core::Result<std::optional<LogHead>> FindLogHead(int64_t tree_size) override {
    return inner_.FindLogHead(tree_size);
  }
  core::Result<LogHead> PutLogHead(const LogHead& head) override { return inner_.PutLogHead(head); }
  core::Result<std::vector<LogHead>> ListLogHeads() override { return inner_.ListLogHeads(); }
  core::Status PutDocument(const std::string& sha256, std::string_view bytes) override {
    return inner_.PutDocument(sha256, bytes);
  }
  core::Result<std::optional<std::string>> GetDocument(const std::string& sha256) override {
    return inner_.GetDocument(sha256);
  }
  CredentialStore& Credentials() override { return inner_.Credentials(); }
  core::Result<std::vector<std::string>> ListDocuments() override { return inner_.ListDocuments(); }
  core::Status Restore(const RegistryImage& image) override { return inner_.Restore(image); }

 protected:
  Store& inner() { return inner_; }

 private:
  Store& inner_;
};

// Forwards to a store and records where each ReadJournal started (a cache that must read only
// the journal after the last entry it applied: the cycle's, the exchange's).
class RecordingStore : public ForwardingStore {
 public:
  using ForwardingStore::ForwardingStore;
  core::Result<std::vector<ledger::JournalEntry>> ReadJournal(int64_t from,
                                                              const std::string& prefix) override {
    reads.emplace_back(from, prefix);
    return ForwardingStore::ReadJournal(from, prefix);
  }

  std::vector<std::pair<int64_t, std::string>> reads;
};

}  // namespace jcm::store::testing

#endif  // JCM_STORE_TESTING_FORWARDING_STORE_H_
