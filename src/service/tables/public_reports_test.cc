// The public reports (service/public_reports.h) against both stores: golden figures of a small
// scenario across two years (issue and transfer in 2026, retire and cancel in 2027) computed by
// hand, INV-51 (the summary rolls forward and ends at the ledger's totals) and INV-52 (no
// person's detail in any report) on it and on the imported public data set.
#include "service/public_reports.h"

#include <fstream>
#include <sstream>

#include "service/cycle_service.h"
#include "service/registry_service.h"
#include "service/service_fixture_test.h"
#include "service/tables/tables.h"

namespace jcm::service {
namespace {

class PublicReportsTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    registry_.emplace(*store_);
    ASSERT_TRUE(registry_->InitRegistries({"JP", "MN"}).ok());
  }

  std::string Open(const std::string& name, const std::string& representative) {
    auto opened =
        registry_->OpenAccount(ledger::OpenAccount{"MN",
                                                   ledger::AccountType::kEntityHolding,
                                                   {name, "", representative, "Addr 1", "tel"},
                                                   ""});
    EXPECT_TRUE(opened.ok() && !IsRejected(*opened));
    return std::get<AccountOpened>(*opened).account.number;
  }

  void Issue(const std::string& account, int64_t quantity) {
    ledger::TransactionRequest r;
    r.type = ledger::TransactionType::kIssuance;
    r.registry = "MN";
    r.project = "MN003";
    r.period = "2018-01-01..2018-05-31";  // one calendar year: one vintage, one block
    r.decision = "MN003:2018-01-01..2018-05-31@test";
    ledger::JcDecision decision{r.decision, core::RegistryCode::FromTrusted("MN"), r.project,
                                *core::Period::Parse(r.period), quantity};
    auto recorded = store_->Submit(
        ledger::RecordDecisions{{"cycle.test_decision", core::Record(), "", -1}, {decision}});
    ASSERT_TRUE(recorded.ok() && !recorded->rejection);
    r.authorization = ledger::Authorization::kNdc;
    r.targets = {{account, quantity}};
    Expect(registry_->Issue(r));
  }

  void Move(ledger::TransactionType type, const std::string& from, const std::string& to,
            int64_t quantity) {
    ledger::TransactionRequest r;
    r.type = type;
    r.from = from;
    r.to = to;
    r.quantity = quantity;
    if (type == ledger::TransactionType::kRetirement) r.beneficiary = "Beta's customers";
    if (type == ledger::TransactionType::kCancellation) r.reason = "correction";
    Expect(registry_->Move(r));
  }

  static void Expect(const core::Result<OrRejection<TransactionResult>>& outcome) {
    ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
    ASSERT_FALSE(IsRejected(*outcome)) << std::get<Rejection>(*outcome).message;
  }

  // Issue 100 to Alpha and move 30 to Beta on 2026-11-01 (the fixture's clock); Beta retires
  // 10 and Alpha cancels 5 on 2027-01-01.
  void TwoYears() {
    alpha_ = Open("Alpha Corp", "Jane Doe");
    beta_ = Open("=HYPERLINK(\"http://x\")", "John Roe");
    Issue(alpha_, 100);
    Move(ledger::TransactionType::kInternalTransfer, alpha_, beta_, 30);
    clock_.Advance(61 * 86'400);  // 2026-11-01 → 2027-01-01
    Move(ledger::TransactionType::kRetirement, beta_, "", 10);
    Move(ledger::TransactionType::kCancellation, alpha_, "", 5);
  }

  Table Report(PublicReport report, std::optional<std::string> registry = std::nullopt,
               std::optional<int> year = std::nullopt) {
    auto tables = ComputePublicReport(*store_, {report, std::move(registry), year});
    EXPECT_TRUE(tables.ok()) << tables.status().ToString();
    return tables.ok() && tables->size() == 1 ? tables->front() : Table{};
  }

  std::optional<RegistryService> registry_;
  std::string alpha_, beta_;
};

using Row = std::vector<Cell>;

TEST_P(PublicReportsTest, TheAnnualSummaryOfTwoYearsIsTheHandComputedOne) {
  TwoYears();
  const Table summary = Report(PublicReport::kAnnualSummary);
  EXPECT_EQ(summary.columns,
            (std::vector<std::string>{
                "registry", "year", "issued_tco2e", "transferred_tco2e", "retired_tco2e",
                "cancelled_tco2e", "held_government_holding_tco2e", "held_entity_holding_tco2e",
                "held_retirement_tco2e", "held_cancellation_tco2e", "acquired_tco2e",
                "sent_abroad_tco2e", "held_exchange_transit_tco2e"}));
  // 2026: 100 issued to Alpha, 30 of them moved to Beta: 100 in entity accounts at the end.
  // 2027: Beta retires 10, Alpha cancels 5: 85 held, 10 retired, 5 cancelled.
  ASSERT_EQ(summary.rows.size(), 2u);
  EXPECT_EQ(summary.rows[0], (Row{std::string("MN"), int64_t{2026}, int64_t{100}, int64_t{30},
                                  int64_t{0}, int64_t{0}, int64_t{0}, int64_t{100}, int64_t{0},
                                  int64_t{0}, int64_t{0}, int64_t{0}, int64_t{0}}));
  EXPECT_EQ(summary.rows[1], (Row{std::string("MN"), int64_t{2027}, int64_t{0}, int64_t{0},
                                  int64_t{10}, int64_t{5}, int64_t{0}, int64_t{85}, int64_t{10},
                                  int64_t{5}, int64_t{0}, int64_t{0}, int64_t{0}}));
  const Table only_2027 = Report(PublicReport::kAnnualSummary, "MN", 2027);
  ASSERT_EQ(only_2027.rows.size(), 1u);
  EXPECT_EQ(only_2027.rows[0], summary.rows[1]);
  EXPECT_TRUE(Report(PublicReport::kAnnualSummary, "JP").rows.empty());
}

TEST_P(PublicReportsTest, IssuancesRetirementsAndAccountsOfTwoYears) {
  TwoYears();
  const Table issuances = Report(PublicReport::kIssuances);
  ASSERT_EQ(issuances.rows.size(), 1u);
  const Row& issued = issuances.rows[0];
  EXPECT_EQ(issued[2], Cell(std::string("2026-11-01")));
  EXPECT_EQ(issued[3], Cell(std::string("MN003")));
  EXPECT_EQ(issued[4], Cell(std::string("2018-01-01..2018-05-31")));
  EXPECT_EQ(issued[5], Cell(int64_t{1}));
  EXPECT_EQ(issued[6], Cell(int64_t{100}));
  EXPECT_EQ(issued[7], Cell(int64_t{100}));
  EXPECT_EQ(issued[8], Cell(std::string("holding")));  // the ledger's name
  EXPECT_EQ(issued[9], Cell(std::string("ndc")));
  EXPECT_EQ(issued[11], Cell(std::string("MN003:2018-01-01..2018-05-31@test")));
  EXPECT_TRUE(Report(PublicReport::kIssuances, std::nullopt, 2027).rows.empty());

  const Table retirements = Report(PublicReport::kRetirements);
  ASSERT_EQ(retirements.rows.size(), 1u);
  const Row& retired = retirements.rows[0];
  EXPECT_EQ(retired[2], Cell(std::string("2027-01-01")));
  EXPECT_EQ(std::get<int64_t>(retired[7]), 10);
  EXPECT_EQ(std::get<int64_t>(retired[6]) - std::get<int64_t>(retired[5]) + 1, 10);
  EXPECT_EQ(retired[8], Cell(std::string("=HYPERLINK(\"http://x\")")));
  EXPECT_EQ(retired[9], Cell(std::string("Beta's customers")));
  EXPECT_EQ(retired[10], Cell(std::string("ndc")));

  const Table accounts = Report(PublicReport::kAccounts);
  EXPECT_EQ(accounts.columns,
            (std::vector<std::string>{"registry", "account", "holder_name", "holder_name_ja",
                                      "type", "state", "opened"}));
  ASSERT_EQ(accounts.rows.size(), 2u);  // the entity holding accounts only
  EXPECT_EQ(accounts.rows[0][1], Cell(alpha_));
  EXPECT_EQ(accounts.rows[0][2], Cell(std::string("Alpha Corp")));
  EXPECT_EQ(accounts.rows[0][6], Cell(std::string("2026-11-01")));
  // The holder's name is data, guarded in CSV so a spreadsheet does not run it.
  EXPECT_NE(tables::CsvOf(accounts).find(",\"'=HYPERLINK(\"\"http://x\"\")\","), std::string::npos)
      << tables::CsvOf(accounts);
}

// INV-52: no report carries a person's details (representative, address, contact).
TEST_P(PublicReportsTest, NoReportNamesAPerson) {
  TwoYears();
  for (const PublicReport report : {PublicReport::kAnnualSummary, PublicReport::kAccounts,
                                    PublicReport::kIssuances, PublicReport::kRetirements}) {
    const std::string csv = tables::CsvOf(Report(report));
    EXPECT_EQ(csv.find("Jane Doe"), std::string::npos) << PublicReportName(report);
    EXPECT_EQ(csv.find("John Roe"), std::string::npos) << PublicReportName(report);
    EXPECT_EQ(csv.find("Addr 1"), std::string::npos) << PublicReportName(report);
  }
}

TEST_P(PublicReportsTest, ABadNameRegistryOrYearIsInvalid) {
  EXPECT_THAT(PublicReportFromName("balances").status(),
              HasCode(core::StatusCode::kInvalidArgument));
  EXPECT_THAT(ComputePublicReport(*store_, {PublicReport::kAccounts, "mongolia", {}}).status(),
              HasCode(core::StatusCode::kInvalidArgument));
  EXPECT_THAT(ComputePublicReport(*store_, {PublicReport::kAccounts, {}, 10'000}).status(),
              HasCode(core::StatusCode::kInvalidArgument));
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// INV-51 over `summary`: per registry, the units held at a year's end are those held at the
// previous one plus the year's issuance, and the last year's holdings per type are the ledger's.
void ExpectRollsForwardToTheLedger(store::Store& store, const Table& summary) {
  std::map<std::string, const Row*> last;
  int64_t previous_total = 0;
  std::string registry;
  for (const Row& row : summary.rows) {
    if (std::get<std::string>(row[0]) != registry) previous_total = 0;
    registry = std::get<std::string>(row[0]);
    // Held over the four Kyoto types (columns 6-9) and the transit account (12), against
    // issued (2) plus acquired from (10) less sent to (11) other registries.
    int64_t total = std::get<int64_t>(row[12]);
    for (size_t c = 6; c < 10; ++c) total += std::get<int64_t>(row[c]);
    EXPECT_EQ(total, previous_total + std::get<int64_t>(row[2]) + std::get<int64_t>(row[10]) -
                         std::get<int64_t>(row[11]))
        << registry << " " << std::get<int64_t>(row[1]);
    previous_total = total;
    last[registry] = &row;
  }
  for (const auto& [code, row] : last) {
    auto totals = AccountTypeTotals(store, code);
    ASSERT_TRUE(totals.ok());
    const std::pair<ledger::AccountType, size_t> types[] = {
        {ledger::AccountType::kGovernmentHolding, 6},
        {ledger::AccountType::kEntityHolding, 7},
        {ledger::AccountType::kRetirement, 8},
        {ledger::AccountType::kCancellation, 9},
        {ledger::AccountType::kExchangeTransit, 12}};
    for (const auto& [type, column] : types) {
      const auto it = totals->units_by_type.find(type);
      EXPECT_EQ(std::get<int64_t>((*row)[column]),
                it == totals->units_by_type.end() ? 0 : it->second)
          << code << " " << ledger::AccountTypeName(type);
    }
  }
}

TEST_P(PublicReportsTest, TheSummaryRollsForwardToTheLedgersTotals) {
  TwoYears();
  ExpectRollsForwardToTheLedger(*store_, Report(PublicReport::kAnnualSummary));
}

TEST_P(PublicReportsTest, OnTheImportedPublicData) {
  CycleService cycle(*store_);
  const std::string dir = SourcePath("data/jcm/");
  auto imported = cycle.ImportJcmData(
      {ReadText(dir + "projects_all_jcm.csv"), ReadText(dir + "projects_mongolia.csv"),
       ReadText(dir + "methodologies.csv"), ReadText(dir + "rules_forms.csv"),
       ReadText(dir + "issuance_records.csv")},
      *core::Date::Parse("2026-11-01"));
  ASSERT_TRUE(imported.ok()) << imported.status().ToString();
  const Table summary = Report(PublicReport::kAnnualSummary);
  ASSERT_FALSE(summary.rows.empty());
  ExpectRollsForwardToTheLedger(*store_, summary);
  // Every issued unit is one issuance row's: the rows' units sum to the summary's issuance.
  int64_t issued_by_summary = 0, issued_by_rows = 0;
  for (const Row& row : summary.rows) issued_by_summary += std::get<int64_t>(row[2]);
  for (const Row& row : Report(PublicReport::kIssuances).rows) {
    issued_by_rows += std::get<int64_t>(row[7]);
  }
  EXPECT_EQ(issued_by_rows, issued_by_summary);
  EXPECT_GT(issued_by_rows, 0);
}

INSTANTIATE_TEST_SUITE_P(Stores, PublicReportsTest,
                         ::testing::Values(StoreKind::kMemory, StoreKind::kSqlite), StoreKindName);

}  // namespace
}  // namespace jcm::service
