// The SQLite store as a SignedSubmitter (store/signed_submit.h, INV-67): a TOTP step claim and
// its commands commit in one write batch or not at all — a rejected command takes back the claim,
// the commands before it and their balance changes; a refused claim writes nothing — and reads
// of the committed state are answered while a write batch is in flight (the read connection),
// and the commands queued behind it commit together in the next one, a group rolled back among
// them leaving no trace in the log tree.
#include "store/signed_submit.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/sqlite/sqlite_store.h"
#include "store/testing/fixed_clock.h"
#include "store/testing/ledger_fixture.h"

namespace jcm::store {
namespace {

using ledger::CheckCode;

class SignedSubmitTest : public LedgerFixture {
 protected:
  void SetUp() override {
    LedgerFixture::SetUp();
    ASSERT_TRUE(store_->Credentials().SetTotpKey("sato", "key", "SHA1").ok());
    Issue("MN003", "2017-08-26..2018-05-31", {{alice_, 100}});
  }
  SignedSubmitter& submitter() {
    SignedSubmitter* submitter = SignedSubmitterOf(*store_);
    EXPECT_NE(submitter, nullptr);
    return *submitter;
  }
  static ledger::AppendEvent Event(const std::string& step) {
    core::Record body;
    body.Add("step", step);
    return ledger::AppendEvent{"cycle.signed_test", body, "", -1};
  }
  int64_t JournalSize() { return static_cast<int64_t>(store_->ReadJournal(1)->size()); }
  int64_t Balance(const std::string& account) {
    const std::vector<AccountBalance> balances = *store_->ListBalances("MN");
    for (const AccountBalance& balance : balances) {
      if (balance.account.number == account) return balance.units;
    }
    return -1;
  }
};

TEST_F(SignedSubmitTest, TheClaimAndEveryCommandCommitInOneWriteBatch) {
  const uint64_t commits = store_->LocalCommitCount().value();
  const SignedCommands group{"sato", 5, {Event("signed"), TransferRequest(alice_, bob_, 10)}};
  const auto outcome = submitter().SubmitSigned(group);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_TRUE(outcome->claimed);
  EXPECT_FALSE(outcome->rejected);
  ASSERT_EQ(outcome->outcomes.size(), 2u);
  EXPECT_EQ(outcome->outcomes[1].entry.seq, outcome->outcomes[0].entry.seq + 1);
  EXPECT_EQ(store_->LocalCommitCount().value(), commits + 1);
  EXPECT_EQ(Held(bob_), 10);
  EXPECT_EQ(Balance(bob_), 10);
  // The step is claimed: the same step again, alone or in a group, is refused.
  EXPECT_FALSE(*store_->Credentials().ClaimTotpStep("sato", 5));
  const auto again = submitter().SubmitSigned({"sato", 5, {Event("again")}});
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->claimed);
  EXPECT_EQ(JournalSize(), outcome->outcomes[1].entry.seq);
  ExpectAuditClean();
}

TEST_F(SignedSubmitTest, ARejectedCommandTakesBackTheClaimAndTheCommandsBeforeIt) {
  const int64_t journal = JournalSize();
  const SignedCommands group{
      "sato", 5, {TransferRequest(alice_, bob_, 10), TransferRequest(alice_, bob_, 1000)}};
  const auto outcome = submitter().SubmitSigned(group);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_TRUE(outcome->claimed);
  ASSERT_EQ(outcome->rejected, std::optional<size_t>(1));
  ASSERT_TRUE(outcome->outcomes[1].rejection);
  EXPECT_EQ(outcome->outcomes[1].rejection->check, CheckCode::kUnitsInsufficient);
  // Nothing of it: not the first transfer, nor its balance change, nor the claim.
  EXPECT_EQ(JournalSize(), journal);
  EXPECT_EQ(Held(bob_), 0);
  EXPECT_EQ(Balance(alice_), 100);
  EXPECT_EQ(Balance(bob_), 0);
  EXPECT_TRUE(*store_->Credentials().ClaimTotpStep("sato", 5));
  ExpectAuditClean();
}

TEST_F(SignedSubmitTest, ARefusedClaimWritesNothing) {
  ASSERT_TRUE(*store_->Credentials().ClaimTotpStep("sato", 7));
  const int64_t journal = JournalSize();
  const auto outcome =
      submitter().SubmitSigned({"sato", 7, {Event("replayed"), TransferRequest(alice_, bob_, 1)}});
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_FALSE(outcome->claimed);
  EXPECT_TRUE(outcome->outcomes.empty());
  EXPECT_EQ(JournalSize(), journal);
  EXPECT_EQ(Held(bob_), 0);
  // A user without a TOTP key: the precondition, and nothing written.
  EXPECT_EQ(submitter().SubmitSigned({"nobody", 7, {Event("x")}}).status().code(),
            core::StatusCode::kFailedPrecondition);
  EXPECT_EQ(JournalSize(), journal);
}

// A clock that, once armed, holds the next caller — the leader of a write batch, which asks the
// time after BEGIN with the connection's mutex held — until released.
class GateClock : public Clock {
 public:
  std::string NowUtc() override {
    std::unique_lock lock(mu_);
    if (armed_) {
      armed_ = false;
      held_ = true;
      cv_.notify_all();
      cv_.wait(lock, [this] { return !held_; });
    }
    return inner_.NowUtc();
  }
  void Arm() {
    std::lock_guard lock(mu_);
    armed_ = true;
  }
  void AwaitHeld() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return held_; });
  }
  void Release() {
    std::lock_guard lock(mu_);
    held_ = false;
    cv_.notify_all();
  }

 private:
  FixedClock inner_{"2026-12-01"};
  std::mutex mu_;
  std::condition_variable cv_;
  bool armed_ = false;
  bool held_ = false;
};

// Submits `first` to `store` on a thread of its own and returns once its write batch has begun
// and `clock` holds it, with the write connection; what is submitted meanwhile queues behind it
// until clock.Release(). The caller joins the thread.
std::thread HoldABatchOpen(Store& store, GateClock& clock, ledger::TransactionRequest first) {
  clock.Arm();
  std::thread writer([&store, first = std::move(first)] { EXPECT_TRUE(store.Submit(first).ok()); });
  clock.AwaitHeld();
  return writer;
}

TEST_F(SignedSubmitTest, ReadsAreAnsweredWhileAWriteBatchIsInFlight) {
  GateClock clock;
  auto opened = OpenSqliteStore(path_, clock);
  ASSERT_TRUE(opened.ok()) << opened.status();
  Store& store = **opened;
  const int64_t journal = JournalSize();
  std::thread writer = HoldABatchOpen(store, clock, TransferRequest(alice_, bob_, 4));
  auto reads = std::async(std::launch::async, [&] {
    return store.ReadJournal(1).ok() && store.FindAccount(alice_).ok() &&
           store.LiveBlocks(alice_).ok() && store.Credentials().FindUserSecrets("sato").ok();
  });
  const bool answered = reads.wait_for(std::chrono::seconds(20)) == std::future_status::ready;
  clock.Release();
  writer.join();
  EXPECT_TRUE(answered) << "the reads waited for the write batch";
  EXPECT_TRUE(reads.get());
  // Once the batch has committed, its write is read at once.
  EXPECT_EQ(static_cast<int64_t>(store.ReadJournal(1)->size()), journal + 1);
  EXPECT_EQ(Held(bob_), 4);
}

// The group commit: the commands queued while a batch holds the write connection commit
// together in the next batch, and each submitter is answered with its own outcome.
TEST_F(SignedSubmitTest, TheCommandsQueuedBehindABatchInFlightCommitTogetherInTheNextOne) {
  GateClock clock;
  auto opened = OpenSqliteStore(path_, clock);
  ASSERT_TRUE(opened.ok()) << opened.status();
  Store& store = **opened;
  const uint64_t commits = store.LocalCommitCount().value();
  std::thread first = HoldABatchOpen(store, clock, TransferRequest(alice_, bob_, 1));
  constexpr int kQueued = 8;
  std::atomic<int> accepted{0};
  std::vector<std::thread> queued;
  for (int i = 0; i < kQueued; ++i) {
    queued.emplace_back([&, i] {
      auto out = store.Submit(TransferRequest(alice_, bob_, 2, "", "queued-" + std::to_string(i)));
      if (out.ok() && !out->rejection && !out->replayed) ++accepted;
    });
  }
  // Only lets the threads reach the queue (Submit queues at once); nothing is timed.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  clock.Release();
  first.join();
  for (std::thread& t : queued) t.join();
  EXPECT_EQ(accepted.load(), kQueued);
  EXPECT_EQ(store.LocalCommitCount().value(), commits + 2) << "the held batch, then one for all";
  EXPECT_EQ(Held(bob_), 1 + 2 * kQueued);
}

// A command that follows, in the same write batch, a signed group rolled back after its first
// transfer had joined the log tree: the log tree forgets what it remembered of that append
// (LogTree::Append), so the command's leaf takes the place the rolled-back one had.
TEST_F(SignedSubmitTest, ACommandAfterAGroupRolledBackInTheSameBatchJoinsTheLogTreeInItsPlace) {
  GateClock clock;
  auto opened = OpenSqliteStore(path_, clock);
  ASSERT_TRUE(opened.ok()) << opened.status();
  Store& store = **opened;
  SignedSubmitter* signer = SignedSubmitterOf(store);
  ASSERT_NE(signer, nullptr);
  const int64_t journal = JournalSize();
  const uint64_t commits = store.LocalCommitCount().value();
  std::thread first = HoldABatchOpen(store, clock, TransferRequest(alice_, bob_, 1));
  // Only lets each thread reach the queue, in this order (Submit queues at once).
  const auto let_it_queue = [] { std::this_thread::sleep_for(std::chrono::milliseconds(300)); };
  std::thread group([&] {
    const auto outcome = signer->SubmitSigned(
        {"sato", 5, {TransferRequest(alice_, bob_, 10), TransferRequest(alice_, bob_, 1000)}});
    ASSERT_TRUE(outcome.ok()) << outcome.status();
    EXPECT_EQ(outcome->rejected, std::optional<size_t>(1));
  });
  let_it_queue();
  std::thread after([&] {
    const auto out = store.Submit(TransferRequest(alice_, bob_, 3));
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_FALSE(out->rejection);
  });
  let_it_queue();
  clock.Release();
  first.join();
  group.join();
  after.join();
  EXPECT_EQ(store.LocalCommitCount().value(), commits + 2) << "the group and the command together";
  EXPECT_EQ(JournalSize(), journal + 2);
  EXPECT_EQ(Held(bob_), 4);
  ExpectAuditClean();  // INV-25: the log tree holds exactly the journal
}

}  // namespace
}  // namespace jcm::store
