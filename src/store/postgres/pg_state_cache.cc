#include "store/postgres/internal/pg_state_cache.h"

#include <algorithm>

namespace jcm::store::postgres {

using core::Result;
using core::Status;
using ledger::Account;
using ledger::UnitBlock;

bool SameHead(const std::optional<ledger::JournalHead>& a,
              const std::optional<ledger::JournalHead>& b) {
  if (!a || !b) return !a && !b;
  return a->seq == b->seq && a->hash == b->hash;
}

namespace {

// The kept answer for `key`, or else `read`'s (after the batch's kept rows are flushed), kept.
template <typename Map, typename Read>
auto ReadThrough(Map& map, const typename Map::key_type& key, const std::function<Status()>& flush,
                 Read read) -> Result<typename Map::mapped_type> {
  auto found = map.find(key);
  if (found != map.end()) return found->second;
  JCM_RETURN_IF_ERROR(flush());
  JCM_ASSIGN_OR_RETURN(auto value, read());
  map.emplace(key, value);
  return value;
}

}  // namespace

bool PgStateCache::BeginBatch(const std::optional<ledger::JournalHead>& head) {
  const bool kept = valid_ && SameHead(head, head_);
  if (!kept) Forget();
  keys_.clear();
  valid_ = true;
  head_ = head;
  return kept;
}

void PgStateCache::Forget() {
  valid_ = false;
  head_.reset();
  accounts_.clear();
  government_.clear();
  live_.clear();
  next_block_id_.reset();
  keys_.clear();
  registries_.clear();
  policies_.clear();
  last_seq_of_kind_.clear();
  decisions_.clear();
}

Status PgStateCache::PrefetchKeys(const std::vector<std::string>& keys) {
  std::vector<std::string> unknown;
  for (const std::string& key : keys) {
    if (!key.empty() && !keys_.contains(key)) unknown.push_back(key);
  }
  if (unknown.empty()) return core::OkStatus();
  JCM_RETURN_IF_ERROR(flush_());
  JCM_ASSIGN_OR_RETURN(Rows rows, db_.connection().Exec("SELECT key, digest, seq FROM "
                                                        "idempotency WHERE key = ANY($1::text[])",
                                                        {P(ArrayLiteral(unknown))}));
  for (const std::string& key : unknown) keys_[key] = std::nullopt;
  for (int i = 0; i < rows.size(); ++i) {
    keys_[rows.Text(i, 0)] = ledger::IdempotencyRecord{rows.Text(i, 1), rows.Int(i, 2)};
  }
  return core::OkStatus();
}

void PgStateCache::Apply(const ledger::Delta& d) {
  for (const auto& [code, counters] : d.registries) registries_[code.str()] = counters;
  for (const auto& [code, policy] : d.policies) policies_[code.str()] = policy;
  for (const ledger::JcDecision& j : d.decisions) {
    auto found = decisions_.find({j.registry.str(), j.id});
    if (found == decisions_.end()) continue;  // not kept: read when asked
    if (found->second) {
      found->second->executed_tco2e = j.executed_tco2e;  // as the upsert does
    } else {
      found->second = j;
    }
  }
  ApplyAccounts(d.accounts);
  ApplyBlocks(d);
  ApplyEntry(d.entry);
  if (d.follow_entry) ApplyEntry(*d.follow_entry);
  if (!d.idempotency_key.empty()) {
    keys_[d.idempotency_key] = ledger::IdempotencyRecord{d.idempotency_digest, d.entry.seq};
  }
}

// An account row is upserted with only its state changing when it exists.
void PgStateCache::ApplyAccounts(const std::vector<Account>& accounts) {
  if (!accounts.empty()) government_.clear();  // a new government account may answer
  for (const Account& a : accounts) {
    auto found = accounts_.find(a.number);
    if (found == accounts_.end()) continue;
    if (found->second) {
      found->second->state = a.state;
    } else {
      found->second = a;
    }
  }
}

void PgStateCache::ApplyBlocks(const ledger::Delta& d) {
  for (size_t i = 0; i < d.blocks_ended.size() && i < d.units_ended.size(); ++i) {
    auto kept = live_.find(d.units_ended[i].first);
    if (kept == live_.end()) continue;
    std::erase_if(kept->second, [&](const UnitBlock& b) { return b.id == d.blocks_ended[i]; });
  }
  for (const UnitBlock& b : d.blocks_created) {
    if (next_block_id_) next_block_id_ = std::max(*next_block_id_, b.id + 1);
    auto kept = live_.find(b.account);
    if (kept == live_.end()) continue;
    auto at = std::upper_bound(
        kept->second.begin(), kept->second.end(), b,
        [](const UnitBlock& x, const UnitBlock& y) { return x.serial_first < y.serial_first; });
    kept->second.insert(at, b);
  }
}

void PgStateCache::ApplyEntry(const ledger::JournalEntry& entry) {
  head_ = ledger::JournalHead{entry.seq, entry.hash};
  for (auto& [prefix, seq] : last_seq_of_kind_) {
    if (entry.kind.starts_with(prefix)) seq = entry.seq;
  }
}

Result<std::optional<ledger::RegistryCounters>> PgStateCache::FindRegistry(
    const core::RegistryCode& code) {
  return ReadThrough(registries_, code.str(), flush_, [&] { return db_.FindRegistry(code); });
}

Result<std::optional<Account>> PgStateCache::FindAccount(const std::string& number) {
  if (accounts_.size() >= kAccountsKept && !accounts_.contains(number)) accounts_.clear();
  return ReadThrough(accounts_, number, flush_, [&] { return db_.FindAccount(number); });
}

Result<std::optional<Account>> PgStateCache::FindGovernmentAccount(const core::RegistryCode& code,
                                                                   ledger::AccountType type) {
  return ReadThrough(government_, {code.str(), static_cast<int>(type)}, flush_,
                     [&] { return db_.FindGovernmentAccount(code, type); });
}

Result<std::vector<UnitBlock>> PgStateCache::LiveBlocks(const std::string& account) {
  if (live_.size() >= kAccountsKept && !live_.contains(account)) live_.clear();
  return ReadThrough(live_, account, flush_, [&] { return db_.LiveBlocks(account); });
}

Result<int64_t> PgStateCache::NextBlockId() {
  if (next_block_id_) return *next_block_id_;
  JCM_RETURN_IF_ERROR(flush_());
  JCM_ASSIGN_OR_RETURN(int64_t next, db_.NextBlockId());
  next_block_id_ = next;
  return next;
}

Result<int64_t> PgStateCache::CountIssuances(const core::RegistryCode& code,
                                             const std::string& project) {
  JCM_RETURN_IF_ERROR(flush_());
  return db_.CountIssuances(code, project);
}

Result<std::optional<ledger::JournalHead>> PgStateCache::LastJournalHead() {
  if (valid_) return head_;
  JCM_RETURN_IF_ERROR(flush_());
  return db_.LastJournalHead();
}

Result<std::optional<ledger::IdempotencyRecord>> PgStateCache::FindIdempotencyKey(
    const std::string& key) {
  return ReadThrough(keys_, key, flush_, [&] { return db_.FindIdempotencyKey(key); });
}

// An empty prefix is not kept: the database's answer for it (0) is not "the last entry".
Result<int64_t> PgStateCache::LastSeqOfKind(const std::string& prefix) {
  if (prefix.empty()) {
    JCM_RETURN_IF_ERROR(flush_());
    return db_.LastSeqOfKind(prefix);
  }
  return ReadThrough(last_seq_of_kind_, prefix, flush_, [&] { return db_.LastSeqOfKind(prefix); });
}

// Not kept: the batch's pending writes are flushed first, so the entries it appended count.
Result<std::vector<ledger::JournalEntry>> PgStateCache::EntriesOfKindAfter(
    const std::string& prefix, int64_t after_seq, const ledger::EntryNeedles& needles) {
  JCM_RETURN_IF_ERROR(flush_());
  return db_.EntriesOfKindAfter(prefix, after_seq, needles);
}

Result<std::optional<ledger::JcDecision>> PgStateCache::FindJcDecision(
    const std::string& id, const core::RegistryCode& registry) {
  return ReadThrough(decisions_, {registry.str(), id}, flush_,
                     [&] { return db_.FindJcDecision(id, registry); });
}

Result<std::optional<ledger::RegistryPolicy>> PgStateCache::FindRegistryPolicy(
    const core::RegistryCode& code) {
  return ReadThrough(policies_, code.str(), flush_, [&] { return db_.FindRegistryPolicy(code); });
}

Result<int64_t> PgStateCache::Article6AuthorisedUnits(const std::string& reference) {
  JCM_RETURN_IF_ERROR(flush_());
  return db_.Article6AuthorisedUnits(reference);
}

// Rare (units coming to cite an authorisation): read through, after the batch's kept rows.
Result<int64_t> PgStateCache::NextItmoId(const core::RegistryCode& registry) {
  JCM_RETURN_IF_ERROR(flush_());
  return db_.NextItmoId(registry);
}

Result<ledger::JournalEntry> PgStateCache::EntryAt(int64_t seq) {
  JCM_RETURN_IF_ERROR(flush_());
  return db_.EntryAt(seq);
}

}  // namespace jcm::store::postgres
