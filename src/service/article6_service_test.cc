// Article6Service against both stores: an authorisation is journaled and replayed in a fresh
// service, a retry is answered with the first record, and two services sharing one store never
// both record the same version (INV-40: the family head is the lock, check 23 underneath).
#include "service/article6_service.h"

#include <set>

#include "service/account_queries.h"
#include "service/aef.h"
#include "service/corresponding_adjustments.h"
#include "service/service_fixture_test.h"

namespace jcm::service {
namespace {

using Article6ServiceTest = StoreTest;

article6::AuthorisationRequest Request(int64_t version, int64_t cap) {
  article6::AuthorisationRequest r;
  r.party = "JPN";
  r.id = "JP-MN-1";
  r.version = version;
  r.date = core::Date::FromCivil(2026, 3, static_cast<int>(version));
  r.cooperative_approach = "CA0004";
  r.sectors = {"Energy generation"};
  r.purposes = "NDC";
  r.quantity_cap_tco2e = cap;
  return r;
}

TEST_P(Article6ServiceTest, RecordsVersionsInTheJournalAndReplaysThem) {
  Article6Service service(*store_);
  auto first = service.AddAuthorisation(Request(1, 1000));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_FALSE(IsRejected(*first));
  const auto& recorded = std::get<AuthorisationResult>(*first);
  EXPECT_FALSE(recorded.replayed);
  EXPECT_GT(recorded.authorisation.recorded_seq, 0);

  // A retry answers the first record; other content for version 1 is check 613.
  auto again = service.AddAuthorisation(Request(1, 1000));
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(std::get<AuthorisationResult>(*again).replayed);
  EXPECT_EQ(std::get<AuthorisationResult>(*again).authorisation.recorded_seq,
            recorded.authorisation.recorded_seq);
  EXPECT_THAT(*service.AddAuthorisation(Request(1, 999)), IsRejectedBy(613));
  EXPECT_THAT(*service.AddAuthorisation(Request(3, 999)), IsRejectedBy(614));
  ASSERT_FALSE(IsRejected(*service.AddAuthorisation(Request(2, 2000))));

  // A fresh service reads the same state from the journal.
  Article6Service fresh(*store_);
  auto versions = fresh.AuthorisationVersions("JPN", "JP-MN-1");
  ASSERT_TRUE(versions.ok());
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ((*versions)[0].quantity_cap_tco2e, 1000);
  EXPECT_EQ((*versions)[1].quantity_cap_tco2e, 2000);
  auto listed = fresh.ListAuthorisations("JPN");
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().version, 2);
  EXPECT_TRUE(fresh.ListAuthorisations("MNG")->empty());
  EXPECT_THAT(fresh.AuthorisationVersions("JPN", "nope").status(),
              HasCode(core::StatusCode::kNotFound));
}

TEST_P(Article6ServiceTest, TwoServicesNeverRecordTheSameVersionTwice) {
  Article6Service a(*store_);
  Article6Service b(*store_);
  ASSERT_FALSE(IsRejected(*a.AddAuthorisation(Request(1, 1000))));
  ASSERT_TRUE(b.ListAuthorisations("").ok());  // b's cache is at version 1
  ASSERT_FALSE(IsRejected(*a.AddAuthorisation(Request(2, 2000))));
  // b decided on a stale state: the lock makes it decide again and see version 2.
  EXPECT_THAT(*b.AddAuthorisation(Request(2, 3000)), IsRejectedBy(613));
  auto journal = store_->ReadJournal(1, "article6.");
  ASSERT_TRUE(journal.ok());
  EXPECT_EQ(journal->size(), 2u);
}

// Article 6.2 reporting is public: every article6.* record is in the public journal feed
// (INV-22), an exchange peer's record is not.
TEST_P(Article6ServiceTest, Article6RecordsAreInThePublicFeed) {
  Article6Service service(*store_);
  ASSERT_TRUE(service.AddAuthorisation(Request(1, 1000)).ok());
  ASSERT_TRUE(DeclareNdc(*store_, {"JPN", 1, core::Date::FromCivil(2026, 1, 1), "single-year",
                                   "averaging", 2021, 2030})
                  .ok());
  clock_.Advance(70 * 86'400);  // 2027: the AEF of 2026 freezes its T4 and can be submitted
  auto submitted = ArticleSixAef(*store_, {"JPN", 2026, true}, clock_.NowUtc());
  ASSERT_TRUE(submitted.ok() && !IsRejected(*submitted));
  auto entries = store_->ReadJournal(1, "article6.");
  ASSERT_TRUE(entries.ok());
  std::set<std::string> kinds;
  for (const ledger::JournalEntry& entry : *entries) {
    EXPECT_TRUE(IsPublicJournalEntry(entry)) << entry.kind;
    kinds.insert(entry.kind);
  }
  EXPECT_EQ(kinds, (std::set<std::string>{"article6.aef_holdings", "article6.aef_submission",
                                          "article6.authorisation", "article6.ndc_declaration"}));
  ledger::JournalEntry peer;
  peer.kind = "exchange.peer_added";
  EXPECT_FALSE(IsPublicJournalEntry(peer));
}

INSTANTIATE_TEST_SUITE_P(Stores, Article6ServiceTest,
                         ::testing::Values(StoreKind::kMemory, StoreKind::kSqlite), StoreKindName);

}  // namespace
}  // namespace jcm::service
