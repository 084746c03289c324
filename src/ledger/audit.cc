#include "ledger/audit.h"

#include <algorithm>
#include <tuple>

#include "core/account_number.h"
#include "ledger/audit_replayer.h"
#include "ledger/decide.h"
#include "ledger/jc_decision.h"
#include "ledger/journal.h"

namespace jcm::ledger {
namespace {

using internal::Replayer;

// The value recorded for `key` (an entry, a number of units), or 0 when none is.
template <typename Key>
int64_t ValueOrZero(const std::map<Key, int64_t>& values, const Key& key) {
  auto it = values.find(key);
  return it == values.end() ? 0 : it->second;
}

void CheckChain(std::span<const JournalEntry> journal, std::vector<Violation>* out) {
  std::string previous_hash(kGenesisHash);
  for (size_t i = 0; i < journal.size(); ++i) {
    const JournalEntry& e = journal[i];
    const int64_t expected_seq = static_cast<int64_t>(i) + 1;
    if (e.seq != expected_seq) {
      out->push_back({"INV-7", expected_seq,
                      "journal entry " + std::to_string(expected_seq) +
                          " is missing or out of order (found " + std::to_string(e.seq) + ")"});
      return;  // everything after a gap is unanchored; report the first break
    }
    if (e.prev_hash != previous_hash) {
      out->push_back({"INV-7", e.seq,
                      "entry " + std::to_string(e.seq) + " does not chain to the entry before it"});
      return;
    }
    if (ComputeEntryHash(e) != e.hash) {
      out->push_back(
          {"INV-7", e.seq,
           "entry " + std::to_string(e.seq) + " was altered: its content does not match its hash"});
      return;
    }
    previous_hash = e.hash;
  }
}

void CompareWithStored(const Replayer& replay, const StoredState& stored,
                       std::vector<Violation>* out) {
  std::map<int64_t, const UnitBlock*> stored_blocks;
  for (const UnitBlock& b : stored.blocks) stored_blocks[b.id] = &b;
  for (const auto& [id, expected] : replay.blocks) {
    auto it = stored_blocks.find(id);
    if (it == stored_blocks.end()) {
      out->push_back({"INV-4", expected.created_seq,
                      "block " + std::to_string(id) + " recorded by the journal is missing"});
    } else if (!(*it->second == expected)) {
      out->push_back({"INV-4", expected.created_seq,
                      "stored block " + std::to_string(id) + " differs from what entry " +
                          std::to_string(expected.created_seq) + " recorded (stored " +
                          EncodeBlock(*it->second) + ", journal " + EncodeBlock(expected) + ")"});
    }
  }
  for (const auto& [id, block] : stored_blocks) {
    if (!replay.blocks.count(id)) {
      out->push_back({"INV-4", block->created_seq,
                      "stored block " + std::to_string(id) + " has no journal entry (it claims " +
                          "entry " + std::to_string(block->created_seq) + ")"});
    }
  }
  std::map<std::string, const Account*> stored_accounts;
  for (const Account& a : stored.accounts) stored_accounts[a.number] = &a;
  for (const auto& [number, expected] : replay.accounts) {
    auto it = stored_accounts.find(number);
    if (it == stored_accounts.end() || !(*it->second == expected)) {
      out->push_back({"INV-9", ValueOrZero(replay.account_created_seq, number),
                      "stored account " + number + " differs from its journal entries"});
    }
  }
  for (const auto& [number, account] : stored_accounts) {
    if (!replay.accounts.count(number)) {
      out->push_back({"INV-9", 0, "stored account " + number + " has no journal entry"});
    }
  }
  if (stored_accounts.size() != replay.accounts.size()) {
    out->push_back({"INV-9", 0, "the stored accounts are not the journal's accounts"});
  }
}

void CheckConservationAndOverlap(const Replayer& replay, const StoredState& stored,
                                 std::vector<Violation>* out) {
  std::map<std::string, int64_t> held_by_registry;
  std::map<std::tuple<std::string, std::string, std::string>, int64_t> held_by_project_period;
  std::map<std::string, std::vector<const UnitBlock*>> live_by_registry;
  for (const UnitBlock& b : stored.blocks) {
    if (!b.live()) continue;
    held_by_registry[b.registry.str()] += b.unit_count;
    held_by_project_period[{b.registry.str(), b.project, b.monitoring_period.ToString()}] +=
        b.unit_count;
    live_by_registry[b.registry.str()].push_back(&b);
  }
  std::map<std::string, int64_t> issued_or_held = replay.issued_by_registry;
  for (const auto& [registry, units] : held_by_registry) issued_or_held.emplace(registry, 0);
  for (const auto& [registry, unused] : issued_or_held) {
    const int64_t issued = ValueOrZero(replay.issued_by_registry, registry);
    const int64_t held = ValueOrZero(held_by_registry, registry);
    if (held != issued) {
      out->push_back({"INV-1", ValueOrZero(replay.registry_created_seq, registry),
                      "registry " + registry + ": " + std::to_string(held) +
                          " units held (live blocks), " + std::to_string(issued) + " issued"});
    }
  }
  for (const auto& [key, issued] : replay.issued_by_project_period) {
    auto it = held_by_project_period.find(key);
    const int64_t held = it == held_by_project_period.end() ? 0 : it->second;
    if (held != issued) {
      out->push_back({"INV-2", ValueOrZero(replay.last_issuance_seq, key),
                      std::get<0>(key) + " " + std::get<1>(key) + " " + std::get<2>(key) +
                          ": issued " + std::to_string(issued) + ", held+retired+cancelled " +
                          std::to_string(held)});
    }
  }
  for (auto& [registry, live] : live_by_registry) {
    std::sort(live.begin(), live.end(), [](const UnitBlock* a, const UnitBlock* b) {
      return a->serial_first < b->serial_first;
    });
    for (size_t i = 1; i < live.size(); ++i) {
      if (live[i]->serial_first <= live[i - 1]->serial_last()) {
        out->push_back({"INV-3", std::max(live[i]->created_seq, live[i - 1]->created_seq),
                        registry + " blocks " + std::to_string(live[i - 1]->id) + " and " +
                            std::to_string(live[i]->id) + " overlap"});
      }
    }
  }
  for (const auto& [registry, counters] : replay.registries) {
    auto it = stored.registries.find(registry);
    if (it == stored.registries.end() || !(it->second == counters)) {
      out->push_back({"INV-3", ValueOrZero(replay.registry_created_seq, registry),
                      "registry " + registry + " counters differ from the journal"});
    }
  }
}

// INV-8 (policies), INV-11 (decisions) and INV-12 (balances) against the stored tables.
void CompareRecords(const Replayer& replay, const StoredState& stored,
                    std::vector<Violation>* out) {
  for (const auto& [registry, expected] : replay.policies) {
    auto it = stored.policies.find(registry);
    if (it == stored.policies.end() || !(it->second == expected)) {
      out->push_back({"INV-8", ValueOrZero(replay.policy_seq, registry),
                      "stored policy of registry " + registry + " differs from the journal's"});
    }
  }
  if (stored.policies.size() != replay.policies.size()) {
    out->push_back({"INV-8", 0, "the stored registry policies are not the journal's registries'"});
  }
  std::map<std::pair<std::string, std::string>, JcDecision> stored_decisions;
  for (const JcDecision& d : stored.decisions) stored_decisions[{d.id, d.registry.str()}] = d;
  for (const auto& [key, expected] : replay.decisions) {
    auto it = stored_decisions.find(key);
    if (it == stored_decisions.end() || !(it->second == expected)) {
      out->push_back({"INV-11", expected.recorded_seq,
                      "stored decision " + key.first + " (" + key.second +
                          ") differs from the journal's record and executions"});
    }
  }
  if (stored_decisions.size() != replay.decisions.size()) {
    out->push_back({"INV-11", 0, "the stored decisions are not the journal's decisions"});
  }
  std::map<std::string, int64_t> held;
  for (const auto& [id, b] : replay.blocks) {
    if (b.live()) held[b.account] += b.unit_count;
  }
  for (const auto& [number, account] : replay.accounts) {
    auto it = stored.balances.find(number);
    const int64_t balance = it == stored.balances.end() ? 0 : it->second;
    const int64_t expected = held.count(number) ? held[number] : 0;
    if (balance != expected) {
      out->push_back({"INV-12", ValueOrZero(replay.account_created_seq, number),
                      "account " + number + " has a stored balance of " + std::to_string(balance) +
                          " units but holds " + std::to_string(expected)});
    }
  }
  for (const auto& [number, units] : stored.balances) {
    if (!replay.accounts.count(number)) {
      out->push_back({"INV-12", 0, "a balance is stored for unknown account " + number});
    }
  }
}

}  // namespace

std::vector<Violation> Audit(std::span<const JournalEntry> journal, const StoredState& stored) {
  std::vector<Violation> violations;
  CheckChain(journal, &violations);
  Replayer replay;
  for (const JournalEntry& e : journal) replay.Replay(e);
  violations.insert(violations.end(), replay.violations.begin(), replay.violations.end());
  CompareWithStored(replay, stored, &violations);
  CheckConservationAndOverlap(replay, stored, &violations);
  CompareRecords(replay, stored, &violations);
  return violations;
}

}  // namespace jcm::ledger
