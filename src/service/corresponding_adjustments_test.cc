// NDC declarations through the service against both stores: journaled and read back, a retry
// answered with the first record, 642/644/645 refused with nothing journaled, and two writers
// never both record one version (the article6 family head is the lock, check 23 underneath).
#include "service/corresponding_adjustments.h"

#include "service/article6_service.h"
#include "service/service_fixture_test.h"

namespace jcm::service {
namespace {

using CorrespondingAdjustmentsTest = StoreTest;

article6::NdcDeclarationRequest Declaration(int64_t version, std::string method) {
  return {"JPN", version, core::Date::FromCivil(2026, 4, 1), "single-year", std::move(method),
          2021,  2030};
}

TEST_P(CorrespondingAdjustmentsTest, DeclarationsAreJournaledVersionedAndReplayed) {
  auto first = DeclareNdc(*store_, Declaration(1, "averaging"));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_FALSE(IsRejected(*first));
  EXPECT_FALSE(std::get<NdcDeclarationResult>(*first).replayed);
  auto again = DeclareNdc(*store_, Declaration(1, "averaging"));
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(std::get<NdcDeclarationResult>(*again).replayed);
  const size_t entries = store_->ReadJournal(1, "article6.").value().size();
  EXPECT_EQ(entries, 1u);
  EXPECT_THAT(*DeclareNdc(*store_, Declaration(1, "trajectory")), IsRejectedBy(645));
  EXPECT_THAT(*DeclareNdc(*store_, Declaration(3, "trajectory")), IsRejectedBy(644));
  EXPECT_THAT(*DeclareNdc(*store_, Declaration(2, "multi-year")), IsRejectedBy(642));
  EXPECT_EQ(store_->ReadJournal(1, "article6.").value().size(), entries);
  ASSERT_FALSE(IsRejected(*DeclareNdc(*store_, Declaration(2, "trajectory"))));

  auto versions = NdcDeclarations(*store_, "JPN");
  ASSERT_TRUE(versions.ok());
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ((*versions)[1].method, article6::CaMethod::kTrajectory);
  auto latest = NdcDeclarations(*store_, "");
  ASSERT_TRUE(latest.ok());
  ASSERT_EQ(latest->size(), 1u);
  EXPECT_EQ(latest->front().version, 2);
  EXPECT_THAT(NdcDeclarations(*store_, "MNG").status(), HasCode(core::StatusCode::kNotFound));
}

TEST_P(CorrespondingAdjustmentsTest, AnAuthorisationAndADeclarationShareTheFamilyLock) {
  // Authorisations and declarations are both article6.* entries: each writer's lock is the
  // family's last entry, so recording one never invalidates the other's replay.
  ASSERT_FALSE(IsRejected(*DeclareNdc(*store_, Declaration(1, "averaging"))));
  article6::AuthorisationRequest authorisation;
  authorisation.party = "JPN";
  authorisation.id = "JP-MN-1";
  authorisation.date = core::Date::FromCivil(2026, 3, 1);
  authorisation.cooperative_approach = "CA0004";
  authorisation.sectors = {"Energy generation"};
  authorisation.purposes = "NDC";
  ASSERT_FALSE(IsRejected(*Article6Service(*store_).AddAuthorisation(authorisation)));
  ASSERT_FALSE(IsRejected(*DeclareNdc(*store_, Declaration(2, "trajectory"))));
  EXPECT_EQ(store_->ReadJournal(1, "article6.").value().size(), 3u);
  EXPECT_EQ(Article6Service(*store_).ListAuthorisations("JPN").value().size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Stores, CorrespondingAdjustmentsTest,
                         ::testing::Values(StoreKind::kMemory, StoreKind::kSqlite), StoreKindName);

}  // namespace
}  // namespace jcm::service
