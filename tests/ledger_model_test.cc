// Model-based test: random sequences of issuances, transfers (by quantity and by serials),
// retirements and cancellations go through the real store and a trivial model of balances
// side by side. After every run the balances agree and the audit finds nothing. Runs against
// every store of the conformance suite (store/testing/store_kind.h).
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "store/testing/ledger_fixture.h"

namespace jcm::store {
namespace {

using KindAndNumber = std::tuple<StoreKind, int>;

class LedgerModelTest : public LedgerFixture, public ::testing::WithParamInterface<KindAndNumber> {
 protected:
  LedgerModelTest() { UseStore(std::get<0>(GetParam())); }
};

TEST_P(LedgerModelTest, RandomOperationsMatchTheBalanceModel) {
  std::mt19937_64 random(static_cast<uint64_t>(std::get<1>(GetParam())));
  const std::vector<std::string> holders = {alice_, bob_};
  std::map<std::string, int64_t> model;  // account → units held
  auto pick = [&] { return holders[random() % holders.size()]; };
  for (int step = 0; step < 120; ++step) {
    const int op = static_cast<int>(random() % 5);
    const int64_t quantity = static_cast<int64_t>(random() % 40) + 1;
    if (op == 0) {
      const std::string to = pick();
      const auto authorization =
          random() % 2 ? ledger::Authorization::kNdc : ledger::Authorization::kNone;
      Issue("MN00" + std::to_string(1 + random() % 3), "2020-01-01..2020-12-31", {{to, quantity}},
            authorization);
      model[to] += quantity;
    } else if (op == 1 || op == 2) {
      const std::string from = pick(), to = from == alice_ ? bob_ : alice_;
      std::string serials;
      if (op == 2) {  // name the serials of the source's first block, when it has one
        auto blocks = *store_->LiveBlocks(from);
        if (!blocks.empty()) {
          const auto& b = blocks[random() % blocks.size()];
          const int64_t n = std::min(quantity, b.unit_count);
          serials = std::to_string(b.serial_first) + ".." + std::to_string(b.serial_first + n - 1);
          auto out = Transfer(from, to, n, serials);
          ASSERT_FALSE(out.rejection) << out.rejection->message;
          model[from] -= n;
          model[to] += n;
          continue;
        }
      }
      auto out = Transfer(from, to, quantity);
      const bool fits = model[from] >= quantity;
      EXPECT_EQ(!out.rejection, fits) << (out.rejection ? out.rejection->message : "accepted");
      if (fits) {
        model[from] -= quantity;
        model[to] += quantity;
      }
    } else if (op == 3) {
      const std::string from = pick();
      auto out = Retire(from, quantity);
      if (!out.rejection) {
        model[from] -= quantity;
        model[retirement_] += quantity;
      } else {
        EXPECT_TRUE(out.rejection->check == ledger::CheckCode::kUnitsInsufficient ||
                    out.rejection->check == ledger::CheckCode::kUnitsNotAuthorised);
      }
    } else {
      const std::string from = pick();
      auto out = Cancel(from, quantity, "model test");
      const bool fits = model[from] >= quantity;
      EXPECT_EQ(!out.rejection, fits);
      if (fits) model[from] -= quantity;
    }
  }
  for (const auto& [account, units] : model) EXPECT_EQ(Held(account), units) << account;
  ExpectAuditClean();
}

INSTANTIATE_TEST_SUITE_P(Seeds, LedgerModelTest,
                         ::testing::Combine(::testing::ValuesIn(ConformanceStoreKinds()),
                                            ::testing::Range(1, 9)),
                         StoreAndNumberName<::testing::TestParamInfo<KindAndNumber>>);

}  // namespace
}  // namespace jcm::store

#ifndef JCM_TEST_POSTGRES_STATE  // a memory-store test: only in the memory and SQLite binary
namespace jcm::store {
namespace {

class LedgerLimitsTest : public LedgerFixture {
 protected:
  LedgerLimitsTest() { use_memory_store_ = true; }
};

TEST_F(LedgerLimitsTest, ATransactionTouchingMoreThanTheBlockLimitIsRejected) {
  std::vector<ledger::IssuanceTarget> targets(100, ledger::IssuanceTarget{alice_, 1});
  for (int i = 0; i < 101; ++i) Issue("MN003", "2017-08-26..2018-05-31", targets);
  ASSERT_EQ(store_->LiveBlocks(alice_)->size(), 10'100u);
  const auto over = Transfer(alice_, bob_, ledger::kBlocksPerTransactionMax + 1);
  ASSERT_TRUE(over.rejection);
  EXPECT_EQ(over.rejection->check, ledger::CheckCode::kTooManyBlocks);
  EXPECT_FALSE(Transfer(alice_, bob_, ledger::kBlocksPerTransactionMax).rejection);
  EXPECT_EQ(Held(bob_), ledger::kBlocksPerTransactionMax);
  ExpectAuditClean();
}

}  // namespace
}  // namespace jcm::store
#endif
