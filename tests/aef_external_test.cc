// Article 6 across two registries (docs/article6.md "First transfer", docs/exchange.md): units
// authorised by Mongolia for NDC use leave Mongolia's registry by an external transfer to Japan's.
// The completion is their first (international) transfer: Mongolia's AEF reports it, with Japan
// as the acquiring Party, and its corresponding-adjustment ledger counts it; Japan's AEF reports
// the acquisition and holds the units in T4; Japan's use of them is Japan's. The sender's
// consistency check "authorised = first transferred + held + used + cancelled" still holds
// after the units are gone from its blocks.
#include <gtest/gtest.h>

#include "service/aef.h"
#include "service/article6_service.h"
#include "service/corresponding_adjustments.h"
#include "service/registry_service.h"
#include "service/service_fixture_test.h"

namespace jcm::service {
namespace {

using ledger::TransactionType;
using T = article6::AefTableId;

class AefExternal : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    japan_ = store::NewMemoryStore(clock_);
    mongolia_account_ = Open(*store_, "MN");
    japan_account_ = Open(*japan_, "JP");
    ledger::JcDecision d;
    d.id = "D-MN";
    d.registry = core::RegistryCode::FromTrusted("MN");
    d.project = "MN003";
    d.period = *core::Period::Parse("2019-01-01..2019-12-31");
    d.notified_tco2e = 600;
    ASSERT_TRUE(
        store_->Submit(ledger::RecordDecisions{{"cycle.test_decision", {}, "", -1}, {d}}).ok());
    auto added = Article6Service(*store_).AddAuthorisation(MongolianNdcAuthorisation());
    ASSERT_TRUE(added.ok() && !IsRejected(*added));
    ledger::TransactionRequest issue;
    issue.type = TransactionType::kIssuance;
    issue.registry = "MN";
    issue.decision = "D-MN";
    issue.targets = {{mongolia_account_, 600}};
    auto issued = Article6Service(*store_).IssueCiting(issue, "MNG/N1");
    ASSERT_TRUE(issued.ok() && !IsRejected(*issued));
    for (auto [store, party] : {std::pair{store_.get(), "MNG"}, std::pair{japan_.get(), "JPN"}}) {
      ASSERT_TRUE(DeclareNdc(*store, {party, 1, core::Date::FromCivil(2026, 1, 1), "multi-year",
                                      "multi-year", 2021, 2030})
                      .ok());
    }
  }

  static std::string Open(store::Store& store, const char* registry) {
    EXPECT_FALSE(store.Submit(ledger::InitRegistry{registry})->rejection);
    auto opened = store.Submit(ledger::OpenAccount{
        registry, ledger::AccountType::kEntityHolding, {"Holder", "", "", "", ""}, ""});
    return std::string(*opened->entry.body.Get("account"));
  }

  static ledger::TransactionRequest External(TransactionType type, const std::string& from,
                                             const std::string& to, int64_t quantity) {
    ledger::TransactionRequest r;
    r.type = type;
    r.from = from;
    r.to = to;
    r.quantity = quantity;
    r.external_transaction = "MN:1";
    return r;
  }

  // Mongolia sends `quantity` units to Japan: reservation, completion, then Japan's acquisition
  // of the blocks as the proposal carries them (first transferred by Mongolia, the authorising
  // Party, at this first international transfer).
  void SendToJapan(int64_t quantity) {
    const store::Outcome reserved = *store_->Submit(
        External(TransactionType::kExternalTransfer, mongolia_account_, japan_account_, quantity));
    ASSERT_FALSE(reserved.rejection) << reserved.rejection->message;
    // The blocks the reservation put in the transit account (not the remainder it left).
    std::vector<ledger::UnitBlock> carried;
    std::string transit;
    const auto created = ledger::CreatedBlocks(reserved.entry);
    ASSERT_TRUE(created.ok());
    for (const ledger::UnitBlock& b : *created) {
      if (b.account == mongolia_account_) continue;
      transit = b.account;
      carried.push_back(b);
    }
    auto completion =
        External(TransactionType::kExternalCompletion, transit, japan_account_, quantity);
    completion.external_reservation = reserved.entry.seq;
    const store::Outcome completed = *store_->Submit(completion);
    ASSERT_FALSE(completed.rejection) << completed.rejection->message;
    for (ledger::UnitBlock& b : carried) {
      b.first_transferred = true;
      b.first_transferring_party = "MNG";
    }
    auto acquisition =
        External(TransactionType::kExternalAcquisition, "", japan_account_, quantity);
    acquisition.incoming_blocks = carried;
    const store::Outcome acquired = *japan_->Submit(acquisition);
    ASSERT_FALSE(acquired.rejection) << acquired.rejection->message;
  }

  AefReport Report(store::Store& store, const std::string& party) {
    auto outcome = ArticleSixAef(store, {party, 2026, false}, clock_.NowUtc());
    EXPECT_TRUE(outcome.ok() && !IsRejected(*outcome));
    if (!outcome.ok() || IsRejected(*outcome)) return {};
    return std::get<AefReport>(std::move(*outcome));
  }

  std::unique_ptr<store::Store> japan_;
  std::string mongolia_account_, japan_account_;
};

std::string CellOf(const AefReport& report, T table, size_t row, std::string_view column) {
  const auto columns = article6::AefColumns(table);
  const auto at = std::find(columns.begin(), columns.end(), column);
  return report.tables[static_cast<size_t>(table)].rows.at(row).at(
      static_cast<size_t>(at - columns.begin()));
}

// "type/subtype/quantity/transferring/acquiring" of each T3 row.
std::vector<std::string> Actions(const AefReport& report) {
  std::vector<std::string> out;
  for (size_t i = 0; i < report.tables[static_cast<size_t>(T::kActions)].rows.size(); ++i) {
    out.push_back(CellOf(report, T::kActions, i, "Action type") + "/" +
                  CellOf(report, T::kActions, i, "Action subtype") + "/" +
                  CellOf(report, T::kActions, i, "Quantity (tCO2e)") + "/" +
                  CellOf(report, T::kActions, i, "Transferring Party ID") + "/" +
                  CellOf(report, T::kActions, i, "Acquiring Party ID"));
  }
  return out;
}

void ExpectAllConsistent(const AefReport& report) {
  ASSERT_FALSE(report.consistency.empty());
  for (const AefConsistency& c : report.consistency) {
    EXPECT_TRUE(c.ok) << c.check << " [" << c.subject << "]: " << c.detail;
  }
}

TEST_P(AefExternal, TheCompletionIsMongoliasFirstTransferAndJapansAcquisition) {
  SendToJapan(250);
  const AefReport mng = Report(*store_, "MNG");
  EXPECT_EQ(Actions(mng), (std::vector<std::string>{
                              "Authorization/NA/600/NA/NA",
                              "First transfer/First transfer to another Party/250/NA/JPN"}));
  ExpectAllConsistent(mng);  // 600 authorised = 250 first transferred + 350 held
  EXPECT_EQ(mng.tables[static_cast<size_t>(T::kHoldings)].rows.size(), 1u);

  const AefReport jpn = Report(*japan_, "JPN");
  EXPECT_EQ(Actions(jpn), (std::vector<std::string>{"Acquisition/NA/250/MNG/NA"}));
  ExpectAllConsistent(jpn);
  ASSERT_EQ(jpn.tables[static_cast<size_t>(T::kHoldings)].rows.size(), 1u);
  EXPECT_EQ(CellOf(jpn, T::kHoldings, 0, "First transferring Party ID"), "MNG");
  EXPECT_EQ(CellOf(jpn, T::kHoldings, 0, "Quantity (tCO2e)"), "250");

  auto ca = CaActionsOf(*store_);
  ASSERT_TRUE(ca.ok());
  ASSERT_EQ(ca->size(), 1u);
  EXPECT_EQ((*ca)[0].party, "MNG");
  EXPECT_EQ((*ca)[0].kind, article6::CaActionKind::kFirstTransfer);
  EXPECT_EQ((*ca)[0].quantity_tco2e, 250);
  // Japan records no first transfer of its own for units Mongolia first transferred.
  EXPECT_TRUE(CaActionsOf(*japan_)->empty());
}

TEST_P(AefExternal, JapansUseOfAcquiredUnitsIsJapans) {
  SendToJapan(250);
  ledger::TransactionRequest retire;
  retire.type = TransactionType::kRetirement;
  retire.from = japan_account_;
  retire.quantity = 100;
  retire.use_year = 2026;
  retire.reason = "NDC use";
  retire.beneficiary = "Ministry of the Environment";
  auto moved = RegistryService(*japan_).Move(retire);
  ASSERT_TRUE(moved.ok() && !IsRejected(*moved));
  const AefReport jpn = Report(*japan_, "JPN");
  EXPECT_EQ(Actions(jpn),
            (std::vector<std::string>{"Acquisition/NA/250/MNG/NA", "Use/NA/100/NA/NA"}));
  EXPECT_EQ(CellOf(jpn, T::kActions, 1, "Using or cancelling Party ID"), "JPN");
  ExpectAllConsistent(jpn);
  auto ca = CaActionsOf(*japan_);
  ASSERT_TRUE(ca.ok());
  ASSERT_EQ(ca->size(), 1u);
  EXPECT_EQ((*ca)[0].party, "JPN");
  EXPECT_EQ((*ca)[0].kind, article6::CaActionKind::kUse);
}

INSTANTIATE_TEST_SUITE_P(Stores, AefExternal,
                         ::testing::Values(StoreKind::kMemory, StoreKind::kSqlite), StoreKindName);

}  // namespace
}  // namespace jcm::service
