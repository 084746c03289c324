#include "service/replay.h"

#include <string>
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

INSTANTIATE_TEST_SUITE_P(Stores, ReplayTest,
                         ::testing::Values(StoreKind::kMemory, StoreKind::kSqlite), StoreKindName);

}  // namespace
}  // namespace jcm::service
