#include "service/replay.h"

#include <atomic>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "service/errors.h"
#include "service/service_fixture_test.h"
#include "store/testing/forwarding_store.h"

namespace jcm::service {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

// The seqs of the entries applied, in order.
struct QuietState {
  int64_t last_seq = 0;
  std::vector<int64_t> applied;
};

core::Status ApplyQuiet(QuietState& state, std::string_view, const core::Record&, int64_t seq) {
  state.applied.push_back(seq);
  state.last_seq = seq;
  return core::OkStatus();
}

class ReplayTest : public StoreTest {
 protected:
  // Journals one event of `kind`; its seq.
  int64_t Journal(const std::string& kind) {
    core::Record body;
    body.Add("note", kind);
    auto outcome = store_->Submit(ledger::AppendEvent{kind, body, "", -1, {}, {}});
    EXPECT_TRUE(outcome.ok() && !outcome->rejection);
    return outcome.ok() ? outcome->entry.seq : 0;
  }
};

// A family that journals rarely is not read again through the entries of other kinds journaled
// since its last one: each catch-up reads after the journal's head at the one before, and one
// with nothing committed since reads nothing.
TEST_P(ReplayTest, ACatchUpReadsOnlyTheJournalCommittedSinceTheLast) {
  store::testing::RecordingStore recording(*store_);
  Replay<QuietState> replay("identity.", &ApplyQuiet);
  const int64_t first = Journal("identity.test_quiet");
  for (int i = 0; i < 5; ++i) Journal("programme.test_busy");
  ASSERT_TRUE(replay.CatchUp(recording).ok());
  ASSERT_TRUE(replay.CatchUp(recording).ok());  // nothing new: no read
  const int64_t head = Journal("programme.test_busy");
  ASSERT_TRUE(replay.CatchUp(recording).ok());
  const int64_t second = Journal("identity.test_quiet");
  ASSERT_TRUE(replay.CatchUp(recording).ok());
  EXPECT_THAT(recording.reads, ElementsAre(Pair(1, "identity."), Pair(head, "identity."),
                                           Pair(head + 1, "identity.")));
  EXPECT_THAT(replay.Read([](const QuietState& s) { return s.applied; }),
              ElementsAre(first, second));
}

TEST_P(ReplayTest, AnEmptyJournalIsNotRead) {
  store::testing::RecordingStore recording(*store_);
  Replay<QuietState> replay("identity.", &ApplyQuiet);
  ASSERT_TRUE(replay.CatchUp(recording).ok());
  EXPECT_THAT(recording.reads, IsEmpty());
}

// Whatever was committed before a catch-up began is applied when it returns, while others catch
// up on other threads and entries are committed meanwhile; each entry is applied once.
TEST_P(ReplayTest, ConcurrentCatchUpsEachApplyWhatWasCommittedBeforeThem) {
  constexpr int kEntries = 120;
  constexpr int kReaders = 4;
  Replay<QuietState> replay("identity.", &ApplyQuiet);
  std::atomic<int64_t> committed = 0;
  std::atomic<bool> done = false;
  std::vector<std::thread> readers;
  std::atomic<int> behind = 0;
  for (int r = 0; r < kReaders; ++r) {
    readers.emplace_back([&] {
      while (!done.load()) {
        const int64_t before = committed.load();
        if (!replay.CatchUp(*store_).ok()) ++behind;
        if (replay.Read([](const QuietState& s) { return s.last_seq; }) < before) ++behind;
      }
    });
  }
  std::vector<int64_t> journaled;
  for (int i = 0; i < kEntries; ++i) {
    journaled.push_back(Journal(i % 3 == 0 ? "programme.test_busy" : "identity.test_quiet"));
    if (i % 3 != 0) committed.store(journaled.back());
  }
  done.store(true);
  for (std::thread& reader : readers) reader.join();
  ASSERT_TRUE(replay.CatchUp(*store_).ok());
  EXPECT_EQ(behind.load(), 0);
  std::vector<int64_t> expected;
  for (int i = 0; i < kEntries; ++i) {
    if (i % 3 != 0) expected.push_back(journaled[static_cast<size_t>(i)]);
  }
  EXPECT_EQ(replay.Read([](const QuietState& s) { return s.applied; }), expected);
}

INSTANTIATE_TEST_SUITE_P(Stores, ReplayTest,
                         ::testing::Values(StoreKind::kMemory, StoreKind::kSqlite), StoreKindName);

}  // namespace
}  // namespace jcm::service
