// The PostgreSQL store's write path keeps the state it decides with between batches and writes a
// batch's rows in one statement (docs/formats/store.md, "Group commit"). What must hold (INV-53):
// a store never decides on state another writer has changed since — two stores, each with its
// own connection as two processes have, writing one registry in turn refuse a double spend —
// and the rows a batch writes are those a replay of its journal derives (the audit passes),
// also when a block is created and spent within one batch.
#include <gtest/gtest.h>

#include <thread>

#include "ledger/audit.h"
#include "store/postgres/postgres_store.h"
#include "store/testing/fixed_clock.h"
#include "store/testing/postgres_test_server.h"

namespace jcm::store {
namespace {

class PostgresWriteCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    uri_ = FreshPostgresSchema(TestSchemaName(std::string("pgcache-") + info->name()));
    auto first = OpenPostgresStore(uri_, clock_, {.mode = OpenMode::kCreate});
    auto second = OpenPostgresStore(uri_, clock_, {.mode = OpenMode::kReadWrite});
    ASSERT_TRUE(first.ok() && second.ok());
    first_ = std::move(*first);
    second_ = std::move(*second);
    ASSERT_TRUE(first_->Submit(ledger::InitRegistry{"MN"}).ok());
  }

  // Opens `count` holding accounts through `store` and issues `units` to each.
  std::vector<std::string> Holders(Store& store, int count, int64_t units) {
    std::vector<std::string> numbers;
    ledger::TransactionRequest issue;
    issue.type = ledger::TransactionType::kIssuance;
    issue.registry = "MN";
    issue.project = "MN003";
    issue.period = "2017-08-26..2018-05-31";
    issue.authorization = ledger::Authorization::kNdc;
    issue.import_source = "postgres_write_cache_test.cc";
    issue.import_line = 1;
    for (int i = 0; i < count; ++i) {
      auto opened = store.Submit(ledger::OpenAccount{
          "MN", ledger::AccountType::kEntityHolding, {"Holder", "", "", "", ""}, ""});
      EXPECT_TRUE(opened.ok() && !opened->rejection);
      numbers.emplace_back(opened->entry.body.Find("account").value_or(""));
      issue.targets.push_back({numbers.back(), units});
    }
    auto issued = store.Submit(issue);
    EXPECT_TRUE(issued.ok() && !issued->rejection) << issued.status().ToString();
    return numbers;
  }

  static ledger::TransactionRequest Transfer(const std::string& from, const std::string& to,
                                             int64_t quantity) {
    ledger::TransactionRequest request;
    request.type = ledger::TransactionType::kInternalTransfer;
    request.from = from;
    request.to = to;
    request.quantity = quantity;
    return request;
  }

  // The audit of the registry as stored: no violation.
  void ExpectAuditClean() {
    auto journal = first_->ReadJournal(1);
    auto state = first_->ReadState();
    ASSERT_TRUE(journal.ok() && state.ok());
    const auto violations = ledger::Audit(*journal, *state);
    EXPECT_TRUE(violations.empty()) << violations.front().message;
  }

  FixedClock clock_;
  std::string uri_;
  std::unique_ptr<Store> first_, second_;
};

// The first store has A's holdings in memory from its own transfer; the second spends most of
// them; the first must see that and refuse (check 17), not spend the units twice.
TEST_F(PostgresWriteCacheTest, AnotherWritersSpendIsSeenSoNoDoubleSpend) {
  const auto holders = Holders(*first_, 3, 100);
  const std::string &a = holders[0], &b = holders[1], &c = holders[2];
  auto kept = first_->Submit(Transfer(a, b, 10));
  ASSERT_TRUE(kept.ok() && !kept->rejection);
  auto spent = second_->Submit(Transfer(a, c, 80));
  ASSERT_TRUE(spent.ok() && !spent->rejection);
  auto twice = first_->Submit(Transfer(a, b, 50));
  ASSERT_TRUE(twice.ok());
  ASSERT_TRUE(twice->rejection.has_value()) << "a double spend was accepted";
  EXPECT_EQ(twice->rejection->check, ledger::CheckCode::kUnitsInsufficient);
  // And what is left is spendable by either, once.
  auto rest = first_->Submit(Transfer(a, b, 10));
  ASSERT_TRUE(rest.ok() && !rest->rejection);
  auto none = second_->Submit(Transfer(a, c, 1));
  ASSERT_TRUE(none.ok() && none->rejection.has_value());
  EXPECT_EQ(none->rejection->check, ledger::CheckCode::kUnitsInsufficient);
  ExpectAuditClean();
}

// A store decides a batch on what it keeps before taking the lock; a read it cannot answer (an
// account it has not seen) takes the lock first and finds that the other store has written
// since: the batch is decided again on the latest state, not committed on the stale one.
TEST_F(PostgresWriteCacheTest, AReadBeforeTheLockFindsAnotherWritersEntriesAndDecidesAgain) {
  const auto holders = Holders(*first_, 2, 100);
  auto kept = first_->Submit(Transfer(holders[0], holders[1], 10));  // first_ keeps A and B
  ASSERT_TRUE(kept.ok() && !kept->rejection);
  auto spent = second_->Submit(Transfer(holders[0], holders[1], 85));  // A holds 5 now
  ASSERT_TRUE(spent.ok() && !spent->rejection);
  auto opened = second_->Submit(ledger::OpenAccount{
      "MN", ledger::AccountType::kEntityHolding, {"Holder", "", "", "", ""}, ""});
  ASSERT_TRUE(opened.ok() && !opened->rejection);
  const std::string fresh(opened->entry.body.Find("account").value_or(""));
  auto refused = first_->Submit(Transfer(holders[0], fresh, 50));
  ASSERT_TRUE(refused.ok()) << refused.status().ToString();
  ASSERT_TRUE(refused->rejection.has_value()) << "decided on the state before the other's spend";
  EXPECT_EQ(refused->rejection->check, ledger::CheckCode::kUnitsInsufficient);
  auto paid = first_->Submit(Transfer(holders[0], fresh, 5));
  ASSERT_TRUE(paid.ok() && !paid->rejection) << paid.status().ToString();
  EXPECT_EQ(paid->entry.seq, opened->entry.seq + 1);  // one chain: right after the other's entry
  ExpectAuditClean();
}

// The rows and COMMIT of a batch go to the server together: a block the kept state holds live
// but the database has ended (here by hand, behind the store, without a journal entry) must fail
// the batch in the server, before its COMMIT, so nothing of it is committed.
TEST_F(PostgresWriteCacheTest, ABlockEndedBehindTheStoreFailsTheBatchBeforeItsCommit) {
  const auto holders = Holders(*first_, 2, 100);
  auto kept = first_->Submit(Transfer(holders[0], holders[1], 10));  // first_ keeps A's blocks
  ASSERT_TRUE(kept.ok() && !kept->rejection);
  ASSERT_TRUE(ExecutePostgres(uri_, "UPDATE blocks SET ended_seq = 999999 WHERE account = '" +
                                        holders[0] + "' AND ended_seq = 0")
                  .ok());
  auto failed = first_->Submit(Transfer(holders[0], holders[1], 10));
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().code(), core::StatusCode::kInternal);
  EXPECT_NE(failed.status().message().find("not live when ended"), std::string::npos)
      << failed.status().ToString();
  auto journal = second_->ReadJournal(1);
  ASSERT_TRUE(journal.ok());
  EXPECT_EQ(journal->back().seq, kept->entry.seq) << "the failed batch was committed";
}

// Two stores alternating many transfers over a few accounts: each decides on the other's
// latest state (every transfer is accepted exactly while the source holds enough), the journal
// stays one chain and the audit re-derives every row.
TEST_F(PostgresWriteCacheTest, AlternatingWritersDecideOnTheLatestState) {
  const auto holders = Holders(*first_, 4, 30);
  std::map<std::string, int64_t> held;
  for (const auto& h : holders) held[h] = 30;
  for (int i = 0; i < 120; ++i) {
    Store& store = i % 2 == 0 ? *first_ : *second_;
    const std::string& from = holders[static_cast<size_t>(i % 4)];
    const std::string& to = holders[static_cast<size_t>((i / 4 + 1 + i) % 4)];
    if (from == to) continue;
    const int64_t quantity = 7 + i % 5;
    auto out = store.Submit(Transfer(from, to, quantity));
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    if (held[from] >= quantity) {
      ASSERT_FALSE(out->rejection.has_value())
          << "transfer " << i << ": " << out->rejection->message;
      held[from] -= quantity;
      held[to] += quantity;
    } else {
      ASSERT_TRUE(out->rejection.has_value()) << "transfer " << i << " overspent";
      EXPECT_EQ(out->rejection->check, ledger::CheckCode::kUnitsInsufficient);
    }
  }
  auto balances = second_->ListBalances("MN");
  ASSERT_TRUE(balances.ok());
  for (const AccountBalance& balance : *balances) {
    if (held.contains(balance.account.number)) {
      EXPECT_EQ(balance.units, held[balance.account.number]) << balance.account.number;
    }
  }
  ExpectAuditClean();
}

// Many submitters in a ring of small transfers: batches hold blocks created and spent in the
// same batch, written in one statement; the audit checks every block's end against the journal.
TEST_F(PostgresWriteCacheTest, BlocksCreatedAndSpentInOneBatchAreStoredAsTheJournalSays) {
  const auto holders = Holders(*first_, 4, 1'000);
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    Store* store = t % 4 == 0 ? second_.get() : first_.get();
    threads.emplace_back([&, store, t] {
      for (int i = 0; i < 25; ++i) {
        const auto from = static_cast<size_t>((t + i) % 4);
        auto out = store->Submit(Transfer(holders[from], holders[(from + 1) % 4], 3));
        EXPECT_TRUE(out.ok() && !out->rejection) << out.status().ToString();
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  auto journal = first_->ReadJournal(1);
  ASSERT_TRUE(journal.ok());
  EXPECT_EQ(journal->size(), 1u + 4u + 1u + 16u * 25u);
  ExpectAuditClean();
}

// One keyed transfer submitted at once through both stores, from many threads: the keys are
// read once per batch and a key the batch wrote answers the commands after it, so the transfer
// is applied once and every other submission replays that entry (check 1's idempotency).
TEST_F(PostgresWriteCacheTest, AKeyedTransferSubmittedAtOnceIsAppliedOnce) {
  const auto holders = Holders(*first_, 2, 100);
  ledger::TransactionRequest request = Transfer(holders[0], holders[1], 10);
  request.idempotency_key = "pay-once";
  std::vector<int64_t> seqs(12);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < seqs.size(); ++t) {
    Store* store = t % 3 == 0 ? second_.get() : first_.get();
    threads.emplace_back([&, store, t] {
      auto out = store->Submit(request);
      EXPECT_TRUE(out.ok() && !out->rejection) << out.status().ToString();
      if (out.ok()) seqs[t] = out->entry.seq;
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const int64_t seq : seqs) EXPECT_EQ(seq, seqs[0]);
  auto balances = first_->ListBalances("MN");
  ASSERT_TRUE(balances.ok());
  for (const AccountBalance& balance : *balances) {
    if (balance.account.number == holders[0]) {
      EXPECT_EQ(balance.units, 90);
    }
  }
  ExpectAuditClean();
}

}  // namespace
}  // namespace jcm::store
