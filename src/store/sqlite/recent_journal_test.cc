// RecentJournal against a model of the journal table (INV-72): whenever it answers, it answers
// as the table would, through batches, rollbacks of savepoints and of whole batches, other
// connections' writes and its own bounds; and it answers the scans of recent decisions.
#include "store/sqlite/internal/recent_journal.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "core/sha256.h"

namespace jcm::store::sqlite {
namespace {

const std::vector<std::string> kKinds = {"approval.proposed", "approval.trusted_added",
                                         "transaction", "identity.signin_succeeded",
                                         "approval.executed"};

// The journal table as a model, with the entries each scan of it would give.
struct Table {
  std::vector<ledger::JournalEntry> entries;  // seq = index + 1

  std::optional<ledger::JournalHead> Head() const {
    if (entries.empty()) return std::nullopt;
    return ledger::JournalHead{entries.back().seq, entries.back().hash};
  }
  ledger::JournalEntry Next(std::mt19937& random) const {
    ledger::JournalEntry entry;
    entry.seq = static_cast<int64_t>(entries.size()) + 1;
    entry.time = "2026-12-02T00:00:00Z";
    entry.kind = kKinds[random() % kKinds.size()];
    entry.body.Add("request.key", "alice:k" + std::to_string(random() % 6));
    entry.body.Add("n", std::to_string(random()));
    entry.prev_hash = entries.empty() ? std::string(64, '0') : entries.back().hash;
    entry.hash = core::Sha256Hex(entry.prev_hash + entry.body.Encode());
    return entry;
  }
  std::vector<ledger::JournalEntry> Scan(const std::string& prefix, int64_t after,
                                         const ledger::EntryNeedles& needles) const {
    std::vector<ledger::JournalEntry> out;
    for (const ledger::JournalEntry& e : entries) {
      if (e.seq <= after || !e.kind.starts_with(prefix)) continue;
      if (!needles.empty() && !needles.HeldBy(e.kind, e.body.Encode())) continue;
      out.push_back(e);
    }
    return out;
  }
};

ledger::EntryNeedles RandomNeedles(std::mt19937& random) {
  ledger::EntryNeedles needles;
  if (random() % 3 == 0) needles.kind_prefixes.push_back("approval.trusted_");
  if (random() % 2 == 0) {
    needles.body_lines.push_back(
        core::Record::EncodeField("request.key", "alice:k" + std::to_string(random() % 6)));
  }
  return needles;
}

void ExpectSameEntries(const std::vector<ledger::JournalEntry>& got,
                       const std::vector<ledger::JournalEntry>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].seq, want[i].seq);
    EXPECT_EQ(got[i].kind, want[i].kind);
    EXPECT_EQ(got[i].body.Encode(), want[i].body.Encode());
    EXPECT_EQ(got[i].hash, want[i].hash);
    EXPECT_EQ(got[i].prev_hash, want[i].prev_hash);
    EXPECT_EQ(got[i].time, want[i].time);
  }
}

// Compares a scan after a recent seq (as a decision's check 23 makes it) with the table's;
// returns whether the recent journal answered.
bool CheckScan(const RecentJournal& recent, const Table& table, std::mt19937& random) {
  const int64_t head = static_cast<int64_t>(table.entries.size());
  const int64_t after = std::max<int64_t>(0, head - static_cast<int64_t>(random() % 24));
  const std::string prefix = random() % 4 == 0 ? "identity." : "approval.";
  const ledger::EntryNeedles needles = RandomNeedles(random);
  auto answer = recent.EntriesOfKindAfter(prefix, after, needles);
  if (!answer) return false;
  EXPECT_TRUE(answer->ok());
  if (answer->ok()) ExpectSameEntries(**answer, table.Scan(prefix, after, needles));
  return true;
}

TEST(RecentJournalTest, PropertyItAnswersAsTheTableWouldWheneverItAnswers) {
  for (uint32_t seed = 1; seed <= 40; ++seed) {
    SCOPED_TRACE(seed);
    std::mt19937 random(seed);
    Table table;
    RecentJournal recent;
    int answered = 0;
    int asked = 0;
    for (int batch = 0; batch < 60; ++batch) {
      if (random() % 8 == 0) table.entries.push_back(table.Next(random));  // another connection
      const size_t at_begin = table.entries.size();
      recent.Begin(table.Head());
      bool failed = false;
      for (int command = 0; command < 8 && !failed; ++command) {
        const size_t at_savepoint = table.entries.size();
        for (int written = static_cast<int>(random() % 3); written > 0; --written) {
          const ledger::JournalEntry entry = table.Next(random);
          table.entries.push_back(entry);
          recent.Add(entry, entry.body.Encode());
        }
        const auto fate = random() % 100;
        if (fate == 0) {  // the command rolled back to its savepoint
          table.entries.resize(at_savepoint);
          recent.RolledBack();
        } else if (fate == 1) {  // the whole batch rolled back
          table.entries.resize(at_begin);
          recent.RolledBack();
          failed = true;
        }
        ++asked;
        if (CheckScan(recent, table, random)) ++answered;
      }
      if (!failed) recent.Committed();
      EXPECT_FALSE(recent.EntriesOfKindAfter("approval.", 0, {})) << "answered outside a batch";
    }
    // Most scans of recent decisions are answered from memory: one that never answered would
    // pass the comparison above and save nothing.
    EXPECT_GT(answered, asked / 2) << answered << " of " << asked;
  }
}

TEST(RecentJournalTest, AnotherConnectionsEntryDropsEverythingKept) {
  std::mt19937 random(7);
  Table table;
  RecentJournal recent;
  recent.Begin(table.Head());
  for (int i = 0; i < 5; ++i) {
    table.entries.push_back(table.Next(random));
    recent.Add(table.entries.back(), table.entries.back().body.Encode());
  }
  recent.Committed();
  table.entries.push_back(table.Next(random));  // written by another process
  recent.Begin(table.Head());
  EXPECT_FALSE(recent.EntriesOfKindAfter("approval.", 2, {})) << "entry 6 is not kept";
  ASSERT_TRUE(recent.EntriesOfKindAfter("approval.", 6, {}));
  EXPECT_TRUE(recent.EntriesOfKindAfter("approval.", 6, {})->value().empty());
}

TEST(RecentJournalTest, ItKeepsAtMostItsBoundAndLeavesOlderScansToTheTable) {
  std::mt19937 random(3);
  Table table;
  RecentJournal recent;
  recent.Begin(table.Head());
  for (size_t i = 0; i < RecentJournal::kEntriesMax + 10; ++i) {
    table.entries.push_back(table.Next(random));
    recent.Add(table.entries.back(), table.entries.back().body.Encode());
  }
  recent.Committed();
  recent.Begin(table.Head());
  EXPECT_FALSE(recent.EntriesOfKindAfter("approval.", 9, {})) << "entry 10 was dropped";
  auto kept = recent.EntriesOfKindAfter("approval.", 10, {});
  ASSERT_TRUE(kept);
  ExpectSameEntries(kept->value(), table.Scan("approval.", 10, {}));
}

}  // namespace
}  // namespace jcm::store::sqlite
