#include "store/memory/memory_store.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <set>

#include "store/document_check.h"
#include "store/memory/memory_credential_store.h"
#include "store/replay_check.h"

namespace jcm::store {
namespace {

using core::Result;

class MemoryState : public ledger::Reader {
 public:
  std::map<std::string, ledger::RegistryCounters> registries;
  std::map<std::string, ledger::Account> accounts;
  std::map<int64_t, ledger::UnitBlock> blocks;
  std::vector<ledger::JournalEntry> journal;
  std::map<std::string, ledger::IdempotencyRecord> keys;
  std::map<std::string, ledger::RegistryPolicy> policies;
  std::map<std::pair<std::string, std::string>, ledger::JcDecision> decisions;  // (registry, id)
  std::map<std::string, int64_t> balances;

  Result<std::optional<ledger::RegistryCounters>> FindRegistry(
      const core::RegistryCode& code) override {
    auto it = registries.find(code.str());
    if (it == registries.end()) return std::optional<ledger::RegistryCounters>();
    return std::optional<ledger::RegistryCounters>(it->second);
  }
  Result<std::optional<ledger::Account>> FindAccount(const std::string& number) override {
    auto it = accounts.find(number);
    if (it == accounts.end()) return std::optional<ledger::Account>();
    return std::optional<ledger::Account>(it->second);
  }
  Result<std::optional<ledger::Account>> FindGovernmentAccount(const core::RegistryCode& code,
                                                               ledger::AccountType type) override {
    for (const auto& [number, account] : accounts) {
      if (account.registry == code && account.type == type) {
        return std::optional<ledger::Account>(account);
      }
    }
    return std::optional<ledger::Account>();
  }
  Result<std::vector<ledger::UnitBlock>> LiveBlocks(const std::string& account) override {
    std::vector<ledger::UnitBlock> live;
    for (const auto& [id, block] : blocks) {
      if (block.live() && block.account == account) live.push_back(block);
    }
    std::sort(live.begin(), live.end(),
              [](const auto& a, const auto& b) { return a.serial_first < b.serial_first; });
    return live;
  }
  Result<int64_t> NextBlockId() override { return blocks.empty() ? 1 : blocks.rbegin()->first + 1; }
  Result<int64_t> Article6AuthorisedUnits(const std::string& reference) override {
    int64_t units = 0;
    for (const auto& [id, block] : blocks) {
      if (block.live() && block.article6_authorisation == reference) units += block.unit_count;
    }
    return units;
  }
  Result<int64_t> NextItmoId(const core::RegistryCode& code) override {
    int64_t next = 1;
    for (const auto& [id, block] : blocks) {
      if (block.registry == code && block.itmo_first != 0) {
        next = std::max(next, block.itmo_last() + 1);
      }
    }
    return next;
  }
  Result<int64_t> CountIssuances(const core::RegistryCode& code,
                                 const std::string& project) override {
    std::set<int64_t> entries;
    for (const auto& [id, block] : blocks) {
      if (block.registry == code && block.project == project && block.parent_id == 0) {
        entries.insert(block.created_seq);
      }
    }
    return static_cast<int64_t>(entries.size());
  }
  Result<std::optional<ledger::JournalHead>> LastJournalHead() override {
    if (journal.empty()) return std::optional<ledger::JournalHead>();
    return std::optional<ledger::JournalHead>({journal.back().seq, journal.back().hash});
  }
  Result<std::optional<ledger::IdempotencyRecord>> FindIdempotencyKey(
      const std::string& key) override {
    auto it = keys.find(key);
    if (it == keys.end()) return std::optional<ledger::IdempotencyRecord>();
    return std::optional<ledger::IdempotencyRecord>(it->second);
  }

  Result<std::optional<ledger::JcDecision>> FindJcDecision(
      const std::string& id, const core::RegistryCode& registry) override {
    auto it = decisions.find({registry.str(), id});
    if (it == decisions.end()) return std::optional<ledger::JcDecision>();
    return std::optional<ledger::JcDecision>(it->second);
  }
  Result<std::optional<ledger::RegistryPolicy>> FindRegistryPolicy(
      const core::RegistryCode& code) override {
    auto it = policies.find(code.str());
    if (it == policies.end()) return std::optional<ledger::RegistryPolicy>();
    return std::optional<ledger::RegistryPolicy>(it->second);
  }

  Result<int64_t> LastSeqOfKind(const std::string& prefix) override {
    for (auto it = journal.rbegin(); it != journal.rend(); ++it) {
      if (it->kind.rfind(prefix, 0) == 0) return it->seq;
    }
    return int64_t{0};
  }
  // Leaves nothing out: its entries are decoded already.
  Result<std::vector<ledger::JournalEntry>> EntriesOfKindAfter(
      const std::string& prefix, int64_t after_seq, const ledger::EntryNeedles&) override {
    std::vector<ledger::JournalEntry> entries;
    for (auto it = journal.rbegin(); it != journal.rend() && it->seq > after_seq; ++it) {
      if (it->kind.starts_with(prefix)) entries.push_back(*it);
    }
    std::reverse(entries.begin(), entries.end());
    return entries;
  }

  void Apply(const ledger::Delta& d) {
    for (const auto& [code, counters] : d.registries) registries[code.str()] = counters;
    for (const auto& [code, policy] : d.policies) policies[code.str()] = policy;
    for (const ledger::JcDecision& j : d.decisions) decisions[{j.registry.str(), j.id}] = j;
    for (const ledger::Account& a : d.accounts) accounts[a.number] = a;
    for (int64_t id : d.blocks_ended) {
      JCM_CHECK(blocks.count(id) && blocks[id].live(), "INV-4: only live blocks end");
      blocks[id].ended_seq = d.entry.seq;
      balances[blocks[id].account] -= blocks[id].unit_count;
      JCM_CHECK(balances[blocks[id].account] >= 0, "INV-12: balances are never negative");
    }
    for (const ledger::UnitBlock& b : d.blocks_created) {
      blocks[b.id] = b;
      balances[b.account] += b.unit_count;
    }
    journal.push_back(d.entry);
    if (d.follow_entry) journal.push_back(*d.follow_entry);
    if (!d.idempotency_key.empty()) {
      keys[d.idempotency_key] = {d.idempotency_digest, d.entry.seq};
    }
  }
};

class MemoryStore final : public Store {
 public:
  explicit MemoryStore(Clock& clock) : clock_(clock) {}
  // A snapshot: a copy of another store's state, read-only.
  MemoryStore(Clock& clock, MemoryState state, std::map<std::string, std::string> documents)
      : clock_(clock),
        snapshot_(true),
        state_(std::move(state)),
        documents_(std::move(documents)) {}

  Result<Outcome> Submit(const ledger::Command& command) override {
    JCM_RETURN_IF_ERROR(RequireWritable());
    std::lock_guard lock(mu_);
    JCM_ASSIGN_OR_RETURN(ledger::Verdict decision,
                         ledger::Decide(state_, command, ledger::Context{clock_.NowUtc()}));
    Outcome outcome;
    if (auto* rejection = std::get_if<ledger::Rejection>(&decision)) {
      outcome.rejection = *rejection;
    } else if (auto* replay = std::get_if<ledger::Replay>(&decision)) {
      if (replay->seq < 1 || replay->seq > static_cast<int64_t>(state_.journal.size())) {
        return core::DataLoss("idempotency key names missing journal entry " +
                              std::to_string(replay->seq));
      }
      outcome.entry = state_.journal[static_cast<size_t>(replay->seq - 1)];
      JCM_RETURN_IF_ERROR(CheckReplayedEntry(state_, command, outcome.entry));
      outcome.replayed = true;
    } else {
      const auto& delta = std::get<ledger::Delta>(decision);
      state_.Apply(delta);
      commits_.fetch_add(1, std::memory_order_release);
      outcome.entry = delta.entry;
      outcome.follow_entry = delta.follow_entry;
    }
    return outcome;
  }

  Result<std::vector<std::string>> ListRegistries() override {
    std::lock_guard lock(mu_);
    std::vector<std::string> codes;
    for (const auto& [code, counters] : state_.registries) codes.push_back(code);
    return codes;
  }
  Result<std::optional<ledger::RegistryCounters>> FindRegistry(const std::string& code) override {
    std::lock_guard lock(mu_);
    auto it = state_.registries.find(code);
    if (it == state_.registries.end()) return std::optional<ledger::RegistryCounters>();
    return std::optional<ledger::RegistryCounters>(it->second);
  }
  Result<std::vector<ledger::Account>> ListAccounts(
      const std::optional<std::string>& registry) override {
    std::lock_guard lock(mu_);
    std::vector<ledger::Account> out;
    for (const auto& [number, a] : state_.accounts) {
      if (!registry || a.registry.str() == *registry) out.push_back(a);
    }
    return out;
  }
  Result<std::optional<ledger::Account>> FindAccount(const std::string& number) override {
    std::lock_guard lock(mu_);
    return state_.FindAccount(number);
  }
  Result<std::vector<ledger::UnitBlock>> LiveBlocks(const std::string& account) override {
    std::lock_guard lock(mu_);
    return state_.LiveBlocks(account);
  }
  Result<std::vector<AccountBalance>> ListBalances(
      const std::optional<std::string>& registry) override {
    std::lock_guard lock(mu_);
    std::vector<AccountBalance> out;
    for (const auto& [number, a] : state_.accounts) {
      if (registry && a.registry.str() != *registry) continue;
      auto it = state_.balances.find(number);
      out.push_back({a, it == state_.balances.end() ? 0 : it->second});
    }
    return out;
  }
  Result<std::vector<ledger::JcDecision>> ListDecisions(
      const std::optional<std::string>& registry) override {
    std::lock_guard lock(mu_);
    std::vector<ledger::JcDecision> out;
    for (const auto& [key, d] : state_.decisions) {
      if (!registry || key.first == *registry) out.push_back(d);
    }
    return out;
  }
  Result<int64_t> JournalHeadSeq() override {
    std::lock_guard lock(mu_);
    return state_.journal.empty() ? int64_t{0} : state_.journal.back().seq;
  }
  Result<std::vector<ledger::JournalEntry>> ReadJournal(int64_t from_seq,
                                                        const std::string& kind_prefix) override {
    std::lock_guard lock(mu_);
    std::vector<ledger::JournalEntry> out;
    for (const auto& e : state_.journal) {
      if (e.seq >= from_seq && e.kind.rfind(kind_prefix, 0) == 0) out.push_back(e);
    }
    return out;
  }
  core::Status PutDocument(const std::string& sha256, std::string_view bytes) override {
    JCM_RETURN_IF_ERROR(RequireWritable());
    JCM_RETURN_IF_ERROR(CheckDocument(sha256, bytes));
    std::lock_guard lock(mu_);
    documents_.emplace(sha256, std::string(bytes));
    return core::OkStatus();
  }
  Result<std::optional<std::string>> GetDocument(const std::string& sha256) override {
    std::lock_guard lock(mu_);
    auto it = documents_.find(sha256);
    if (it == documents_.end()) return std::optional<std::string>();
    if (!CheckDocument(sha256, it->second).ok()) {
      return core::DataLoss("stored document " + sha256 + " no longer matches its hash");
    }
    return std::optional<std::string>(it->second);
  }
  Result<ledger::StoredState> ReadState() override {
    std::lock_guard lock(mu_);
    ledger::StoredState stored;
    for (const auto& [number, a] : state_.accounts) stored.accounts.push_back(a);
    for (const auto& [id, b] : state_.blocks) stored.blocks.push_back(b);
    stored.registries = state_.registries;
    stored.policies = state_.policies;
    for (const auto& [key, d] : state_.decisions) stored.decisions.push_back(d);
    for (const auto& [number, units] : state_.balances) {
      if (units != 0) stored.balances[number] = units;
    }
    stored.idempotency_keys = state_.keys;
    return stored;
  }

  // A consistent copy taken under the lock.
  Result<std::unique_ptr<Store>> Snapshot() override {
    if (snapshot_) return core::FailedPrecondition("a snapshot is already one state");
    std::lock_guard lock(mu_);
    return std::unique_ptr<Store>(std::make_unique<MemoryStore>(clock_, state_, documents_));
  }

  CredentialStore& Credentials() override { return credentials_; }

  std::optional<uint64_t> LocalCommitCount() override {
    return commits_.load(std::memory_order_acquire);
  }

  Result<std::vector<std::string>> ListDocuments() override {
    std::lock_guard lock(mu_);
    std::vector<std::string> hashes;
    for (const auto& [sha256, bytes] : documents_) hashes.push_back(sha256);
    return hashes;
  }

 private:
  core::Status RequireWritable() const {
    if (!snapshot_) return core::OkStatus();
    return core::FailedPrecondition("a snapshot is read-only: nothing can be written through it");
  }

  Clock& clock_;
  const bool snapshot_ = false;
  std::mutex mu_;
  MemoryState state_;
  std::map<std::string, std::string> documents_;
  MemoryCredentialStore credentials_;
  std::atomic<uint64_t> commits_{0};  // accepted writes
};

}  // namespace

std::unique_ptr<Store> NewMemoryStore(Clock& clock) { return std::make_unique<MemoryStore>(clock); }

}  // namespace jcm::store
