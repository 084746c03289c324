// Corresponding adjustments derived from the registry's records (docs/article6.md,
// "Corresponding adjustments"; INV-49) on the real stores (memory and SQLite): units first
// transferred at their issuance count + for the authorising Party in that entry's year, units
// retired toward an NDC count − for the retiring registry's Party in the year used, a transfer
// between accounts and a split count nothing, and the ledger follows the Party's declaration.
#include <gtest/gtest.h>

#include "service/corresponding_adjustments.h"
#include "store/testing/ledger_fixture.h"

namespace jcm::store {
namespace {

constexpr const char* kPeriod = "2019-01-01..2019-12-31";
constexpr const char* kReference = "MNG/MN-2026-1";

class CaLedgerTest : public LedgerFixture, public ::testing::WithParamInterface<bool> {
 protected:
  CaLedgerTest() { use_memory_store_ = GetParam(); }

  // 100 units to Alice citing an NDC authorisation of Mongolia, first transferred at issuance.
  void IssueFirstTransferred() {
    RecordDecision("D1", "MN", "MN003", kPeriod, 100);
    ledger::TransactionRequest r;
    r.type = ledger::TransactionType::kIssuance;
    r.registry = "MN";
    r.decision = "D1";
    r.targets = {{alice_, 100}};
    r.authorization = ledger::Authorization::kNdc;
    r.article6_authorisation = kReference;
    r.article6_cooperative_approach = "CA0004";
    r.article6_first_transfer_now = true;
    const Outcome out = Must(r);
    ASSERT_FALSE(out.rejection) << out.rejection->message;
  }

  void Retire(int64_t quantity, int64_t use_year) {
    ledger::TransactionRequest r = TransferRequest(alice_, "", quantity);
    r.type = ledger::TransactionType::kRetirement;
    r.use_year = use_year;
    const Outcome out = Must(r);
    ASSERT_FALSE(out.rejection) << out.rejection->message;
  }

  void Declare(const std::string& party, const std::string& type, const std::string& method) {
    auto declared = service::DeclareNdc(
        *store_, {party, 1, core::Date::FromCivil(2026, 1, 1), type, method, 2021, 2030});
    ASSERT_TRUE(declared.ok() && !service::IsRejected(*declared));
  }
};

TEST_P(CaLedgerTest, FirstTransfersAddAndUsesSubtractForTheirParties) {
  IssueFirstTransferred();                             // entry year: the fixture clock's, 2026
  ASSERT_FALSE(Transfer(alice_, bob_, 20).rejection);  // a split and a transfer: no action
  Retire(30, 2027);
  Retire(5, 2026);
  Declare("MNG", "multi-year", "multi-year");
  auto ledger = service::CorrespondingAdjustmentsOf(*store_, "MNG");
  ASSERT_TRUE(ledger.ok()) << ledger.status().message();
  EXPECT_EQ(ledger->total_first_transferred_tco2e, 100);
  EXPECT_EQ(ledger->total_used_tco2e, 35);  // the retirements are in Mongolia's registry
  const article6::CaYear& y2026 = ledger->years[2026 - 2021];
  EXPECT_EQ(y2026.year, 2026);
  EXPECT_EQ(y2026.first_transferred_tco2e, 100);
  EXPECT_EQ(y2026.used_tco2e, 5);
  EXPECT_EQ(y2026.annual_adjustment_tco2e, 95);
  const article6::CaYear& y2027 = ledger->years[2027 - 2021];
  EXPECT_EQ(y2027.annual_adjustment_tco2e, -30);
  EXPECT_EQ(y2027.cumulative_adjustment_tco2e, 65);
  EXPECT_EQ(*y2027.applied_tco2e, (article6::Average{-30, 1}));

  // Japan declared but holds nothing here: every year is zero.
  Declare("JPN", "single-year", "averaging");
  auto japan = service::CorrespondingAdjustmentsOf(*store_, "JPN");
  ASSERT_TRUE(japan.ok());
  EXPECT_EQ(japan->total_first_transferred_tco2e + japan->total_used_tco2e, 0);
  EXPECT_EQ(japan->years.size(), 10u);
  EXPECT_EQ(service::CorrespondingAdjustmentsOf(*store_, "VNM").status().code(),
            core::StatusCode::kNotFound);
  ExpectAuditClean();
}

INSTANTIATE_TEST_SUITE_P(BothStores, CaLedgerTest, ::testing::Values(false, true),
                         [](const auto& param) { return param.param ? "memory" : "sqlite"; });

}  // namespace
}  // namespace jcm::store
