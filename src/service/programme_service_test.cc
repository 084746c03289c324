// ProgrammeService against both stores, on the imported public data set (data/jcm): funding
// records under the project's reference and their checks (700, 703, 704), contributions and the
// projects that come from them, the GoJ's share of subsidised projects' credits, and two
// services racing on one store (check 23, then 704).
#include "service/programme_service.h"

#include <fstream>
#include <sstream>

#include "service/registry_service.h"
#include "service/service_fixture_test.h"

namespace jcm::service {
namespace {

const core::Date kToday = *core::Date::Parse("2026-11-01");

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

programme::Funding FundingOf(std::string project, programme::Channel channel, int64_t cost,
                             int64_t subsidy) {
  programme::Funding f;
  f.project = std::move(project);
  f.channel = channel;
  f.fiscal_year = 2016;
  f.total_cost_yen = cost;
  f.subsidy_yen = subsidy;
  f.japanese_members = {"Japanese Co."};
  f.partner_members = {"Partner LLC"};
  f.expected_annual_tco2e = 1'000;
  f.crediting_period = *core::Period::Parse("2017-12-02..2030-12-31");
  return f;
}

template <typename T>
int CheckOf(const core::Result<OrRejection<T>>& outcome) {
  if (!outcome.ok() || !IsRejected(*outcome)) return 0;
  return std::get<Rejection>(*outcome).check;
}

class ProgrammeServiceTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    RegistryService registry(*store_);
    ASSERT_TRUE(registry.InitRegistries({"JP", "MN"}).ok());
    CycleService cycle(*store_);
    const std::string dir = SourcePath("data/jcm/");
    auto imported = cycle.ImportJcmData(
        {ReadText(dir + "projects_all_jcm.csv"), ReadText(dir + "projects_mongolia.csv"),
         ReadText(dir + "methodologies.csv"), ReadText(dir + "rules_forms.csv"),
         ReadText(dir + "issuance_records.csv")},
        kToday);
    ASSERT_TRUE(imported.ok()) << imported.status().ToString();
  }
};

TEST_P(ProgrammeServiceTest, RecordsFundingOnceAndRejectsItsChecks) {
  ProgrammeService service(*store_);
  using programme::Channel;
  auto first = service.RecordFunding(FundingOf("MN005", Channel::kMoejSubsidy, 200, 100), "");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_FALSE(IsRejected(*first));
  EXPECT_EQ(std::get<programme::Funding>(*first).project, "MN005");
  const int64_t seq = std::get<programme::Funding>(*first).recorded_seq;
  // The same record again is the first one; another one is check 704.
  auto again = service.RecordFunding(FundingOf("MN005", Channel::kMoejSubsidy, 200, 100), "");
  ASSERT_TRUE(again.ok() && !IsRejected(*again));
  EXPECT_EQ(std::get<programme::Funding>(*again).recorded_seq, seq);
  EXPECT_EQ(CheckOf(service.RecordFunding(FundingOf("MN005", Channel::kMoejSubsidy, 300, 100), "")),
            704);
  EXPECT_EQ(CheckOf(service.RecordFunding(FundingOf("MN003", Channel::kMoejSubsidy, 200, 101), "")),
            700);
  EXPECT_EQ(
      CheckOf(service.RecordFunding(FundingOf("MN003", Channel::kHydrogenSubsidy, 300, 201), "")),
      700);
  EXPECT_EQ(CheckOf(service.RecordFunding(FundingOf("ZZ999", Channel::kPrivate, 300, 0), "")), 703);
  auto listed = service.ListFunding();
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().subsidy_yen, 100);
  // Another process reads the same record back from the journal.
  ProgrammeService other(*store_);
  auto replayed = other.ListFunding();
  ASSERT_TRUE(replayed.ok());
  ASSERT_EQ(replayed->size(), 1u);
  EXPECT_EQ(replayed->front().recorded_seq, seq);
}

// Two services on one store: the second decided on a state without the first's record, so its
// append is refused by check 23; it refreshes, decides again and answers 704.
TEST_P(ProgrammeServiceTest, ARaceIsDecidedAgainOnTheNewState) {
  ProgrammeService a(*store_);
  ProgrammeService b(*store_);
  ASSERT_TRUE(b.Refresh().ok());
  using programme::Channel;
  ASSERT_FALSE(IsRejected(*a.RecordFunding(FundingOf("MN003", Channel::kMoejSubsidy, 10, 5), "")));
  EXPECT_EQ(CheckOf(b.RecordFunding(FundingOf("MN003", Channel::kMoejSubsidy, 10, 4), "")), 704);
}

// MN005's only issuance gave its 1 t to Mongolia and none to Japan (data/jcm, MN005 rows): as a
// subsidised project it owes ceil(1/2) = 1 t to the GoJ. MN001's first issuance (2015-09-20..
// 2016-05-15) gave 10 t to Mongolia and 40 t to Japan: 40 of 50 delivered, 25 required.
TEST_P(ProgrammeServiceTest, ReportsTheGovernmentOfJapansShareAndShortfall) {
  ProgrammeService service(*store_);
  using programme::Channel;
  ASSERT_FALSE(
      IsRejected(*service.RecordFunding(FundingOf("MN005", Channel::kMoejSubsidy, 2, 1), "")));
  ASSERT_FALSE(
      IsRejected(*service.RecordFunding(FundingOf("MN001", Channel::kMoejSubsidy, 2, 1), "")));
  ASSERT_FALSE(IsRejected(*service.RecordFunding(FundingOf("MN003", Channel::kPrivate, 2, 0), "")));
  auto rows = service.GojDelivery();
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 2u);  // MN003 is not subsidised
  const programme::ProjectDelivery& mn001 = (*rows)[0];
  const programme::ProjectDelivery& mn005 = (*rows)[1];
  EXPECT_EQ(mn005.project, "MN005");
  EXPECT_EQ(mn005.issued_tco2e, 1);
  EXPECT_EQ(mn005.delivered_tco2e, 0);
  EXPECT_EQ(mn005.shortfall_tco2e, 1);
  EXPECT_EQ(mn001.project, "MN001");
  ASSERT_FALSE(mn001.issuances.empty());
  EXPECT_EQ(mn001.issuances[0].period, "2015-09-20..2016-05-15");
  EXPECT_EQ(mn001.issuances[0].issued_tco2e, 50);
  EXPECT_EQ(mn001.issuances[0].delivered_tco2e, 40);
  EXPECT_EQ(mn001.issuances[0].required_tco2e, 25);
  EXPECT_EQ(mn001.issuances[0].shortfall_tco2e, 0);
}

// MN003's issuances in the data set: 7,084 + 28,335 (2017-08-26..2018-05-31) and the other rows;
// its credits count for the ADB FY2022 contribution whose channel and year its funding names.
TEST_P(ProgrammeServiceTest, ContributionsListTheProjectsThatComeFromThem) {
  ProgrammeService service(*store_);
  using programme::Channel;
  programme::Funding adb = FundingOf("MN003", Channel::kAdbJfjcm, 1'000, 400);
  adb.fiscal_year = 2022;
  ASSERT_FALSE(IsRejected(*service.RecordFunding(adb, "")));
  auto recorded = service.RecordContribution({Channel::kAdbJfjcm, 2022, 1'000'000'000, "", 0}, "");
  ASSERT_TRUE(recorded.ok()) << recorded.status().ToString();
  ASSERT_FALSE(IsRejected(*recorded));
  const ContributionView& view = std::get<ContributionView>(*recorded);
  EXPECT_EQ(view.projects, std::vector<std::string>{"MN003"});
  auto issued = ReadIssuedCredits(*store_);
  ASSERT_TRUE(issued.ok());
  EXPECT_EQ(view.credits_issued_tco2e, issued->by_project.at("MN003"));
  EXPECT_GE(view.credits_issued_tco2e, 7'084 + 28'335);
  EXPECT_EQ(CheckOf(service.RecordContribution({Channel::kAdbJfjcm, 2022, 5, "", 0}, "")), 706);
  EXPECT_EQ(CheckOf(service.RecordContribution({Channel::kNedo, 2022, 5, "", 0}, "")), 705);
  auto listed = service.ListContributions();
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().contribution.amount_yen, 1'000'000'000);
}

INSTANTIATE_TEST_SUITE_P(Stores, ProgrammeServiceTest,
                         ::testing::Values(StoreKind::kMemory, StoreKind::kSqlite), StoreKindName);

}  // namespace
}  // namespace jcm::service
