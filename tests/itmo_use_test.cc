// First transfer, use toward an NDC and cancellation purposes on the real stores (memory and
// SQLite; docs/article6.md "First transfer", "Use and cancellation"): units are first
// transferred by the transaction the rule names — citing an authorisation whose first transfer
// is then, or their retirement or cancellation when it is their use — by the authorising Party,
// and keep it through every split (INV-44); a retirement of units authorised for NDC use
// records the year used (624, 625); a cancellation its purpose (626).
#include <gtest/gtest.h>

#include "store/testing/ledger_fixture.h"

namespace jcm::store {
namespace {

using ledger::CheckCode;

constexpr const char* kPeriod = "2019-01-01..2019-12-31";
constexpr const char* kReference = "MNG/MN-2026-1";

class ItmoUseTest : public LedgerFixture, public ::testing::WithParamInterface<bool> {
 protected:
  ItmoUseTest() { use_memory_store_ = GetParam(); }

  // 100 units to Alice citing the authorisation, first transferred now or not.
  void IssueCiting(bool first_transfer_now,
                   ledger::Authorization flag = ledger::Authorization::kNdcAndOimp) {
    RecordDecision("D1", "MN", "MN003", kPeriod, 100);
    ledger::TransactionRequest r;
    r.type = ledger::TransactionType::kIssuance;
    r.registry = "MN";
    r.decision = "D1";
    r.targets = {{alice_, 100}};
    r.authorization = flag;
    r.article6_authorisation = kReference;
    r.article6_cooperative_approach = "CA0004";
    r.article6_first_transfer_now = first_transfer_now;
    const Outcome out = Must(r);
    ASSERT_FALSE(out.rejection) << out.rejection->message;
  }

  ledger::TransactionRequest Using(ledger::TransactionType type, int64_t quantity) {
    ledger::TransactionRequest r = TransferRequest(alice_, "", quantity);
    r.type = type;
    if (type == ledger::TransactionType::kCancellation) r.reason = "test";
    r.first_transfer_at_use = {"JPN/OTHER", kReference};
    return r;
  }

  std::vector<ledger::UnitBlock> Blocks(const std::string& account) {
    return store_->LiveBlocks(account).value();
  }
  std::string CancellationAccount() {
    const std::vector<ledger::Account> mn = store_->ListAccounts("MN").value();
    for (const ledger::Account& a : mn) {
      if (a.type == ledger::AccountType::kCancellation) return a.number;
    }
    return "";
  }
};

TEST_P(ItmoUseTest, FirstTransferredAtIssuanceKeepsItThroughSplits) {
  IssueCiting(true);
  ASSERT_FALSE(Transfer(alice_, bob_, 30).rejection);
  for (const std::string& holder : {alice_, bob_}) {
    for (const ledger::UnitBlock& b : Blocks(holder)) {
      EXPECT_TRUE(b.first_transferred);
      EXPECT_EQ(b.first_transferring_party, "MNG");
    }
  }
  ExpectAuditClean();
}

TEST_P(ItmoUseTest, FirstTransferredWhenAuthorisedLaterOnlyTheUnitsNamed) {
  Issue("MN003", kPeriod, {{alice_, 100}}, ledger::Authorization::kNone);
  ledger::TransactionRequest r;
  r.type = ledger::TransactionType::kArticle6Authorisation;
  r.from = alice_;
  r.quantity = 20;
  r.serials = "31..50";
  r.article6_authorisation = kReference;
  r.article6_cooperative_approach = "CA0004";
  r.authorization = ledger::Authorization::kOimp;
  r.article6_first_transfer_now = true;
  const Outcome out = Must(r);
  ASSERT_FALSE(out.rejection) << out.rejection->message;
  EXPECT_EQ(out.entry.body.Find("first_transfer"), kReference);
  const auto blocks = Blocks(alice_);
  ASSERT_EQ(blocks.size(), 3u);
  EXPECT_FALSE(blocks[0].first_transferred);
  EXPECT_TRUE(blocks[1].first_transferred);
  EXPECT_EQ(blocks[1].first_transferring_party, "MNG");
  EXPECT_FALSE(blocks[2].first_transferred);
  EXPECT_EQ(blocks[2].first_transferring_party, "");
  ExpectAuditClean();
}

TEST_P(ItmoUseTest, FirstTransferredByTheirRetirementOrCancellation) {
  IssueCiting(false);
  const Outcome retired = Must(Using(ledger::TransactionType::kRetirement, 10));
  ASSERT_FALSE(retired.rejection) << retired.rejection->message;
  EXPECT_EQ(retired.entry.body.FindAll("first_transfer").size(), 1u);
  EXPECT_EQ(retired.entry.body.Find("first_transfer"), kReference);
  const Outcome cancelled = Must(Using(ledger::TransactionType::kCancellation, 10));
  ASSERT_FALSE(cancelled.rejection) << cancelled.rejection->message;
  for (const std::string& terminal : {retirement_, CancellationAccount()}) {
    const auto blocks = Blocks(terminal);
    ASSERT_EQ(blocks.size(), 1u);
    EXPECT_TRUE(blocks[0].first_transferred);
    EXPECT_EQ(blocks[0].first_transferring_party, "MNG");
  }
  for (const ledger::UnitBlock& b : Blocks(alice_)) EXPECT_FALSE(b.first_transferred);
  // Not listed: a retirement first-transfers nothing.
  ledger::TransactionRequest plain = Using(ledger::TransactionType::kRetirement, 5);
  plain.first_transfer_at_use.clear();
  const Outcome unlisted = Must(plain);
  ASSERT_FALSE(unlisted.rejection);
  EXPECT_FALSE(unlisted.entry.body.Find("first_transfer"));
  ExpectAuditClean();
}

TEST_P(ItmoUseTest, RetirementTowardTheNdcRecordsTheYearUsed) {
  IssueCiting(false, ledger::Authorization::kNdc);  // vintage 2019
  ledger::TransactionRequest r = Using(ledger::TransactionType::kRetirement, 10);
  const Outcome by_default = Must(r);
  ASSERT_FALSE(by_default.rejection) << by_default.rejection->message;
  EXPECT_EQ(by_default.entry.body.Find("use_year"), "2026");  // the fixture clock's year
  r.use_year = 2030;
  const Outcome given = Must(r);
  ASSERT_FALSE(given.rejection);
  EXPECT_EQ(given.entry.body.Find("use_year"), "2030");
  r.use_year = 2018;  // before the vintage
  ExpectRejected(Must(r), CheckCode::kUseYearInvalid);
  r.use_year = 2101;
  ExpectRejected(Must(r), CheckCode::kUseYearInvalid);
  ledger::TransactionRequest cancel = Using(ledger::TransactionType::kCancellation, 1);
  cancel.use_year = 2030;
  ExpectRejected(Must(cancel), CheckCode::kUseYearNotNdc);
  ExpectAuditClean();
}

TEST_P(ItmoUseTest, UnitsNotAuthorisedForNdcUseHaveNoYearUsed) {
  Issue("MN003", kPeriod, {{alice_, 10}}, ledger::Authorization::kNone);
  ledger::TransactionRequest r = Using(ledger::TransactionType::kRetirement, 5);
  r.use_year = 2030;
  ExpectRejected(Must(r), CheckCode::kUseYearNotNdc);
  r.use_year = 0;
  const Outcome out = Must(r);
  ASSERT_FALSE(out.rejection);
  EXPECT_FALSE(out.entry.body.Find("use_year"));
}

TEST_P(ItmoUseTest, CancellationCarriesAStructuredPurpose) {
  Issue("MN003", kPeriod, {{alice_, 10}}, ledger::Authorization::kNone);
  ledger::TransactionRequest r = Using(ledger::TransactionType::kCancellation, 1);
  EXPECT_EQ(Must(r).entry.body.Find("cancellation_purpose"), "other");
  r.cancellation_purpose = "omge";
  EXPECT_EQ(Must(r).entry.body.Find("cancellation_purpose"), "omge");
  r.cancellation_purpose = "voluntary";
  EXPECT_EQ(Must(r).entry.body.Find("cancellation_purpose"), "voluntary");
  r.cancellation_purpose = "OMGE";
  ExpectRejected(Must(r), CheckCode::kCancellationPurposeInvalid);
  ledger::TransactionRequest retire = Using(ledger::TransactionType::kRetirement, 1);
  retire.cancellation_purpose = "omge";
  ExpectRejected(Must(retire), CheckCode::kCancellationPurposeInvalid);
  ExpectAuditClean();
}

INSTANTIATE_TEST_SUITE_P(BothStores, ItmoUseTest, ::testing::Values(false, true),
                         [](const auto& param) { return param.param ? "memory" : "sqlite"; });

}  // namespace
}  // namespace jcm::store
