#include "service/registry_service.h"

#include "service/service_fixture_test.h"

namespace jcm::service {
namespace {

class RegistryServiceTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    registry_.emplace(*store_);
    auto init = registry_->InitRegistries({"JP", "MN"});
    ASSERT_TRUE(init.ok()) << init.status().ToString();
    alice_ = Open("MN", "Alice LLC");
    bob_ = Open("MN", "Bob Solar");
  }

  std::string Open(const std::string& registry, const std::string& name) {
    auto opened = registry_->OpenAccount(ledger::OpenAccount{
        registry, ledger::AccountType::kEntityHolding, {name, "", "", "", ""}, ""});
    EXPECT_TRUE(opened.ok());
    return std::get<AccountOpened>(*opened).account.number;
  }

  // An issuance of a JC decision recorded for exactly `quantity` (as the project cycle records
  // one when the Joint Committee decides), a fresh decision per call.
  ledger::TransactionRequest Issuance(int64_t quantity) {
    ledger::TransactionRequest r;
    r.type = ledger::TransactionType::kIssuance;
    r.registry = "MN";
    r.project = "MN003";
    r.period = "2017-08-26..2018-05-31";
    r.decision = "MN003:2017-08-26..2018-05-31@test-" + std::to_string(++decisions_recorded_);
    ledger::JcDecision decision{r.decision, core::RegistryCode::FromTrusted("MN"), r.project,
                                *core::Period::Parse(r.period), quantity};
    auto recorded = store_->Submit(
        ledger::RecordDecisions{{"cycle.test_decision", core::Record(), "", -1}, {decision}});
    EXPECT_TRUE(recorded.ok() && !recorded->rejection);
    r.authorization = ledger::Authorization::kNdc;
    r.targets = {{alice_, quantity}};
    return r;
  }

  ledger::TransactionRequest Transfer(int64_t quantity, std::string key = "") {
    ledger::TransactionRequest r;
    r.type = ledger::TransactionType::kInternalTransfer;
    r.from = alice_;
    r.to = bob_;
    r.quantity = quantity;
    r.idempotency_key = std::move(key);
    return r;
  }

  std::optional<RegistryService> registry_;
  std::string alice_, bob_;
  int64_t decisions_recorded_ = 0;
};

TEST_P(RegistryServiceTest, InitialisesOnlyMissingRegistries) {
  auto again = registry_->InitRegistries({"JP", "MN", "VN", "VN"});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(std::get<InitResult>(*again).initialised, std::vector<std::string>{"VN"});
  auto unknown = registry_->InitRegistries({"XX"});
  ASSERT_TRUE(unknown.ok());
  EXPECT_THAT(*unknown, IsRejectedBy(static_cast<int>(ledger::CheckCode::kRegistryUnknown)));
}

TEST_P(RegistryServiceTest, TransferReportsTheBlocksThatReachedTheDestination) {
  auto issued = registry_->Issue(Issuance(100));
  ASSERT_TRUE(issued.ok());
  const auto& issuance = std::get<TransactionResult>(*issued);
  EXPECT_EQ(issuance.type, "issuance");
  EXPECT_EQ(issuance.quantity, 100);
  auto moved = registry_->Move(Transfer(30));
  ASSERT_TRUE(moved.ok());
  const auto& transfer = std::get<TransactionResult>(*moved);
  EXPECT_EQ(transfer.type, "transfer");
  EXPECT_EQ(transfer.quantity, 30);
  ASSERT_EQ(transfer.blocks.size(), 1u);  // the remainder left with alice is not listed
  EXPECT_EQ(transfer.blocks[0].account, bob_);
  EXPECT_EQ(transfer.blocks[0].serial_first, 1);
  EXPECT_FALSE(transfer.replayed);
}

TEST_P(RegistryServiceTest, RejectionsCarryTheLedgerCheck) {
  auto moved = registry_->Move(Transfer(5));
  ASSERT_TRUE(moved.ok());
  EXPECT_THAT(*moved, IsRejectedBy(17));
  EXPECT_EQ(std::get<Rejection>(*moved).name, "units_insufficient");
}

TEST_P(RegistryServiceTest, ARetryWithTheSameKeyReturnsTheFirstResult) {
  ASSERT_TRUE(registry_->Issue(Issuance(100)).ok());
  auto first = registry_->Move(Transfer(10, "t-1"));
  auto again = registry_->Move(Transfer(10, "t-1"));
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_EQ(std::get<TransactionResult>(*again).seq, std::get<TransactionResult>(*first).seq);
  EXPECT_TRUE(std::get<TransactionResult>(*again).replayed);
  auto other = registry_->Move(Transfer(11, "t-1"));
  ASSERT_TRUE(other.ok());
  EXPECT_THAT(*other, IsRejectedBy(1));
}

TEST_P(RegistryServiceTest, HoldingsAndBalances) {
  ASSERT_TRUE(registry_->Issue(Issuance(100)).ok());
  ASSERT_TRUE(registry_->Move(Transfer(30)).ok());
  auto holdings = registry_->GetHoldings(alice_);
  ASSERT_TRUE(holdings.ok());
  EXPECT_EQ(holdings->units, 70);
  EXPECT_EQ(registry_->GetHoldings("MN-121-0000099-99").status().code(),
            core::StatusCode::kNotFound);
  auto totals = AccountTypeTotals(*store_, "MN");
  ASSERT_TRUE(totals.ok());
  EXPECT_EQ(totals->accounts, 5);  // three government accounts, alice and bob
  EXPECT_EQ(totals->units_by_type.at(ledger::AccountType::kEntityHolding), 100);
  EXPECT_EQ(totals->units_by_type.at(ledger::AccountType::kRetirement), 0);
}

TEST_P(RegistryServiceTest, DocumentsAreFoundByTheirHashOrNotFound) {
  EXPECT_THAT(registry_->GetDocument(std::string(64, 'a')).status(),
              HasCode(core::StatusCode::kNotFound));
}

INSTANTIATE_TEST_SUITE_P(Stores, RegistryServiceTest,
                         ::testing::Values(StoreKind::kMemory, StoreKind::kSqlite), StoreKindName);

}  // namespace
}  // namespace jcm::service
