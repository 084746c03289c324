// The AEF's golden case, built by hand (issue 11 §4; docs/article6.md, "The AEF"), on the
// memory and SQLite stores. Mongolia authorises 1,000 units under MNG/A1 (NDC and OIMP, first
// transfer at use or cancellation): 400 issued into Japan's registry (first transferred to
// Japan, which acquires them and uses 150 toward its NDC), 600 into Mongolia's, of which 200 are
// cancelled voluntarily (first transferred at cancellation) and 400 held. MNG/B (OIMP, first
// transfer at authorisation) authorises 100 of 300 units issued without authorisation. Every
// table's rows, the consistency checks, the corresponding-adjustment balance, the frozen T4 and
// the submitted versions are checked.
#include <gtest/gtest.h>

#include <random>

#include "service/aef.h"
#include "service/article6_service.h"
#include "service/corresponding_adjustments.h"
#include "service/registry_service.h"
#include "service/service_fixture_test.h"

namespace jcm::service {
namespace {

using Aef = StoreTest;

class GoldenScenario {
 public:
  GoldenScenario(store::Store& store, store::FixedClock& clock) : store_(store), clock_(clock) {}

  void Setup() {
    for (const char* code : {"JP", "MN"}) {
      ASSERT_TRUE(store_.Submit(ledger::InitRegistry{code}).ok());
      auto opened = store_.Submit(ledger::OpenAccount{
          code, ledger::AccountType::kEntityHolding, {"Holder", "", "", "", ""}, ""});
      ASSERT_TRUE(opened.ok());
      account_[code] = std::string(*opened->entry.body.Get("account"));
    }
    Decide("D-JP", "JP", "2019-01-01..2019-12-31", 400);
    Decide("D-MN", "MN", "2019-01-01..2019-12-31", 600);
    Decide("D-MN2", "MN", "2020-01-01..2020-12-31", 300);
    Authorise("A1", "NDC and OIMP", "Use or Cancellation",
              {"Mongol Solar LLC; MNG; 9011223344", "Sharp Energy Solutions; JPN; 1200-01-018"});
    Authorise("B", "OIMP", "Authorisation", {});
  }

  void Decide(const std::string& id, const char* registry, const char* period, int64_t amount) {
    ledger::JcDecision d;
    d.id = id;
    d.registry = core::RegistryCode::FromTrusted(registry);
    d.project = "MN003";
    d.period = *core::Period::Parse(period);
    d.notified_tco2e = amount;
    core::Record body;
    body.Add("decision", d.id);
    ASSERT_TRUE(
        store_.Submit(ledger::RecordDecisions{{"cycle.test_decision", body, "", -1}, {d}}).ok());
  }

  void Authorise(const std::string& id, const std::string& purposes, const std::string& first,
                 std::vector<std::string> entities, int64_t version = 1) {
    article6::AuthorisationRequest r;
    r.party = "MNG";
    r.id = id;
    r.version = version;
    r.date = core::Date::FromCivil(2026, 3, 1);
    r.cooperative_approach = "CA0004";
    r.sectors = {"Energy generation"};
    r.activity_types = {"Solar"};
    r.purposes = purposes;
    r.first_transfer = first;
    r.entities = std::move(entities);
    auto added = Article6Service(store_).AddAuthorisation(r);
    ASSERT_TRUE(added.ok()) << added.status().ToString();
    ASSERT_FALSE(IsRejected(*added));
  }

  std::vector<ledger::UnitBlock> Issue(const char* registry, const std::string& decision,
                                       int64_t amount, const std::string& citing) {
    ledger::TransactionRequest r;
    r.type = ledger::TransactionType::kIssuance;
    r.registry = registry;
    r.decision = decision;
    r.targets = {{account_[registry], amount}};
    auto outcome = citing.empty() ? RegistryService(store_).Issue(r)
                                  : Article6Service(store_).IssueCiting(r, citing);
    EXPECT_TRUE(outcome.ok() && !IsRejected(*outcome));
    if (!outcome.ok() || IsRejected(*outcome)) return {};
    return std::get<TransactionResult>(*outcome).blocks;
  }

  // A retirement or cancellation from `registry`'s account, as RegistryService::Move is asked
  // for it (with the authorisations first transferred at use), or nullopt when it fails.
  std::optional<OrRejection<TransactionResult>> Moved(ledger::TransactionType type,
                                                      const char* registry, int64_t quantity,
                                                      int64_t use_year,
                                                      const std::string& purpose) {
    ledger::TransactionRequest r;
    r.type = type;
    r.from = account_[registry];
    r.quantity = quantity;
    r.use_year = use_year;
    r.cancellation_purpose = purpose;
    r.reason = "AEF test";
    r.beneficiary = "Ministry of the Environment";
    auto fta = Article6Service(store_).FirstTransferAtUse();
    if (!fta.ok()) return std::nullopt;
    r.first_transfer_at_use = *fta;
    auto moved = RegistryService(store_).Move(r);
    if (!moved.ok()) return std::nullopt;
    return *moved;
  }

  void Move(ledger::TransactionType type, const char* registry, int64_t quantity,
            int64_t use_year = 0, const std::string& purpose = "") {
    auto moved = Moved(type, registry, quantity, use_year, purpose);
    ASSERT_TRUE(moved.has_value());
    ASSERT_FALSE(IsRejected(*moved));
  }

  // A movement the ledger may refuse (a random history asks for more than an account holds).
  void TryMove(ledger::TransactionType type, const char* registry, int64_t quantity,
               int64_t use_year = 0, const std::string& purpose = "") {
    ASSERT_TRUE(Moved(type, registry, quantity, use_year, purpose).has_value());
  }

  // One step of a random history: an issuance (citing an NDC, an OIMP or no authorisation), a
  // later authorisation, a retirement or a cancellation, in either registry. `year` is the next
  // monitoring year free for a decision.
  void RandomStep(std::mt19937& random, int step, int* year) {
    auto pick = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
    const char* references[] = {"", "MNG/A1", "MNG/B", "MNG/N"};
    const char* registry = pick(2) == 0 ? "JP" : "MN";
    const int64_t quantity = 1 + pick(60);
    switch (pick(4)) {
      case 0: {
        const std::string decision = "P" + std::to_string(step);
        const std::string period =
            std::to_string(*year) + "-01-01.." + std::to_string(*year) + "-12-31";
        ++*year;
        Decide(decision, registry, period.c_str(), quantity);
        Issue(registry, decision, quantity, references[pick(4)]);
        break;
      }
      case 1:
        (void)Article6Service(store_).Authorise(
            {account_[registry], quantity, "", references[1 + pick(3)], ""});
        break;
      case 2:
        TryMove(ledger::TransactionType::kRetirement, registry, quantity);
        break;
      default:
        TryMove(ledger::TransactionType::kCancellation, registry, quantity, 0,
                pick(2) == 0 ? "omge" : "voluntary");
    }
  }

  // The story of 2026 (the fixture clock's year).
  void Run2026() {
    japan_ = Issue("JP", "D-JP", 400, "MNG/A1");
    mongolia_ = Issue("MN", "D-MN", 600, "MNG/A1");
    Move(ledger::TransactionType::kCancellation, "MN", 200, 0, "voluntary");
    Move(ledger::TransactionType::kRetirement, "JP", 150, 2026);
    Issue("MN", "D-MN2", 300, "");
    auto authorised = Article6Service(store_).Authorise({account_["MN"], 100, "", "MNG/B", ""});
    ASSERT_TRUE(authorised.ok() && !IsRejected(*authorised));
  }

  AefReport Report(const std::string& party, int year, bool submit = false) {
    auto outcome = ArticleSixAef(store_, {party, year, submit}, clock_.NowUtc());
    EXPECT_TRUE(outcome.ok()) << outcome.status().ToString();
    if (!outcome.ok()) return {};
    EXPECT_FALSE(IsRejected(*outcome)) << std::get<Rejection>(*outcome).message;
    if (IsRejected(*outcome)) return {};
    return std::get<AefReport>(std::move(*outcome));
  }

  store::Store& store_;
  store::FixedClock& clock_;
  std::map<std::string, std::string> account_;
  std::vector<ledger::UnitBlock> japan_, mongolia_;
};

const std::vector<std::string>& Row(const AefReport& report, article6::AefTableId table,
                                    size_t row) {
  return report.tables[static_cast<size_t>(table)].rows.at(row);
}

std::string CellOf(const AefReport& report, article6::AefTableId table, size_t row,
                   std::string_view column) {
  const auto columns = article6::AefColumns(table);
  const auto at = std::find(columns.begin(), columns.end(), column);
  return Row(report, table, row).at(static_cast<size_t>(at - columns.begin()));
}

size_t RowsOf(const AefReport& report, article6::AefTableId table) {
  return report.tables[static_cast<size_t>(table)].rows.size();
}

void ExpectAllConsistent(const AefReport& report) {
  ASSERT_FALSE(report.consistency.empty());
  for (const AefConsistency& c : report.consistency) {
    EXPECT_TRUE(c.ok) << c.check << " [" << c.subject << "]: " << c.detail;
  }
}

using T = article6::AefTableId;

// Mongolia's T3 in the golden case; returns the units of its first-transfer rows.
int64_t ExpectMongoliasActions(const AefReport& mng, const GoldenScenario& g) {
  // A1's two authorisations, its first transfer to Japan and at cancellation with the
  // cancellation itself; B's authorisation and first transfer at authorisation.
  std::vector<std::string> kinds;
  int64_t first_transferred = 0;
  for (size_t i = 0; i < RowsOf(mng, T::kActions); ++i) {
    const std::string type = CellOf(mng, T::kActions, i, "Action type");
    kinds.push_back(type + "/" + CellOf(mng, T::kActions, i, "Action subtype") + "/" +
                    CellOf(mng, T::kActions, i, "Quantity (tCO2e)"));
    if (type == "First transfer") {
      first_transferred += std::stoll(CellOf(mng, T::kActions, i, "Quantity (tCO2e)"));
    }
  }
  EXPECT_EQ(kinds, (std::vector<std::string>{
                       "Authorization/NA/400", "First transfer/First transfer to another Party/400",
                       "Authorization/NA/600", "First transfer/Use or cancellation/200",
                       "Voluntary Cancellation/Other cancellations/200", "Authorization/NA/100",
                       "First transfer/Authorization/100"}));
  const std::vector<std::string>& first = Row(mng, T::kActions, 1);
  const std::string serial_first = std::to_string(g.japan_.at(0).serial_first);
  const std::string serial_last = std::to_string(g.japan_.at(0).serial_first + 399);
  const std::vector<std::string> expected = {first[0],
                                             "First transfer",
                                             "First transfer to another Party",
                                             "CA0004",
                                             "A1",
                                             "MNG",
                                             "JPN01",
                                             "1",
                                             "400",
                                             "JCM",
                                             serial_first,
                                             serial_last,
                                             "GHG",
                                             "AR5 GWP100",
                                             "NA",
                                             "400",
                                             "NA",
                                             "Emission reductions",
                                             "2019",
                                             "NA",
                                             "JPN",
                                             "NA",
                                             "NA",
                                             "NA",
                                             "NA",
                                             "",
                                             "NA"};
  EXPECT_EQ(first, expected);
  EXPECT_TRUE(first[0].starts_with("2026-11-01T") && first[0].ends_with(".000Z")) << first[0];
  return first_transferred;
}

TEST_P(Aef, MongoliasTablesOfTheGoldenCase) {
  GoldenScenario g(*store_, clock_);
  g.Setup();
  g.Run2026();
  ASSERT_TRUE(DeclareNdc(*store_, {"MNG", 1, core::Date::FromCivil(2026, 1, 1), "single-year",
                                   "averaging", 2021, 2030})
                  .ok());
  AefReport mng = g.Report("MNG", 2026);
  EXPECT_FALSE(mng.year_over);
  EXPECT_FALSE(mng.holdings_frozen);
  EXPECT_EQ(mng.version, "1.0");
  EXPECT_EQ(
      Row(mng, T::kSubmission, 0),
      (std::vector<std::string>{"MNG", "1.0", "2026", "01/11/2026", "2021", "2030", "", "", ""}));
  ASSERT_EQ(RowsOf(mng, T::kAuthorisations), 2u);
  EXPECT_EQ(Row(mng, T::kAuthorisations, 0),
            (std::vector<std::string>{
                "A1", "01/03/2026", "CA0004", "1", "NA", "GHG", "AR5 GWP100", "NA",
                "Energy generation", "Solar", "NDC and OIMP", "MNG",
                "Mongol Solar LLC; MNG; 9011223344; Sharp Energy Solutions; JPN; 1200-01-018",
                "NDC and OIMP", "NA", "NA", "", "Use or Cancellation", "NA"}));
  EXPECT_EQ(CellOf(mng, T::kAuthorisations, 1, "First transfer definition for OIMP"),
            "Authorisation");
  const int64_t first_transferred = ExpectMongoliasActions(mng, g);
  // T4: Mongolia holds A1's 400 not first transferred; B's 100 left its holdings.
  ASSERT_EQ(RowsOf(mng, T::kHoldings), 1u);
  EXPECT_EQ(CellOf(mng, T::kHoldings, 0, "Quantity (tCO2e)"), "400");
  EXPECT_EQ(CellOf(mng, T::kHoldings, 0, "Party ITMO registry ID"), "MNG01");
  EXPECT_EQ(CellOf(mng, T::kHoldings, 0, "First transferring Party ID"), "MNG");
  // T5: A1's two entities.
  ASSERT_EQ(RowsOf(mng, T::kEntities), 2u);
  EXPECT_EQ(Row(mng, T::kEntities, 1),
            (std::vector<std::string>{"01/03/2026", "Sharp Energy Solutions", "JPN", "1200-01-018",
                                      "CA0004", "NA", "NA", "NA"}));
  ExpectAllConsistent(mng);
  EXPECT_EQ(mng.consistency.at(0).detail, "1000 = 250 + 400 + 150 + 200");  // A1
  ASSERT_EQ(mng.notes.size(), 1u);
  EXPECT_TRUE(mng.notes[0].starts_with("200 units in MNG's registry cite no")) << mng.notes[0];
  // The CA balance: Mongolia adds what it first transferred, the AEF's first-transfer rows.
  auto ca = CorrespondingAdjustmentsOf(*store_, "MNG");
  ASSERT_TRUE(ca.ok()) << ca.status().ToString();
  EXPECT_EQ(ca->total_first_transferred_tco2e, first_transferred);
  EXPECT_EQ(first_transferred, 700);
}

TEST_P(Aef, JapansAcquisitionUseAndHoldings) {
  GoldenScenario g(*store_, clock_);
  g.Setup();
  g.Run2026();
  EXPECT_THAT(ArticleSixAef(*store_, {"JPN", 2026, false}, clock_.NowUtc()).value(),
              IsRejectedBy(648));
  ASSERT_TRUE(DeclareNdc(*store_, {"JPN", 1, core::Date::FromCivil(2026, 1, 1), "single-year",
                                   "averaging", 2021, 2030})
                  .ok());
  AefReport jpn = g.Report("JPN", 2026);
  EXPECT_EQ(RowsOf(jpn, T::kAuthorisations), 0u);  // Japan authorised nothing
  ASSERT_EQ(RowsOf(jpn, T::kActions), 2u);
  EXPECT_EQ(CellOf(jpn, T::kActions, 0, "Action type"), "Acquisition");
  EXPECT_EQ(CellOf(jpn, T::kActions, 0, "Transferring Party ID"), "MNG");
  EXPECT_EQ(CellOf(jpn, T::kActions, 1, "Action type"), "Use");
  EXPECT_EQ(CellOf(jpn, T::kActions, 1, "Quantity (tCO2e)"), "150");
  EXPECT_EQ(CellOf(jpn, T::kActions, 1, "Year used toward NDC"), "2026");
  EXPECT_EQ(CellOf(jpn, T::kActions, 1, "Using or cancelling Party ID"), "JPN");
  EXPECT_EQ(CellOf(jpn, T::kActions, 1, "Using or cancelling entity ID"),
            "Ministry of the Environment");
  ASSERT_EQ(RowsOf(jpn, T::kHoldings), 1u);
  EXPECT_EQ(CellOf(jpn, T::kHoldings, 0, "Quantity (tCO2e)"), "250");
  EXPECT_EQ(CellOf(jpn, T::kHoldings, 0, "First transferring Party ID"), "MNG");
  ExpectAllConsistent(jpn);
  auto ca = CorrespondingAdjustmentsOf(*store_, "JPN");
  ASSERT_TRUE(ca.ok());
  EXPECT_EQ(ca->total_used_tco2e, 150);  // = the Use row
  // A year with nothing: the tables are empty and still valid.
  AefReport empty = g.Report("JPN", 2025);
  EXPECT_TRUE(empty.year_over);
  EXPECT_EQ(RowsOf(empty, T::kActions) + RowsOf(empty, T::kHoldings), 0u);
}

TEST_P(Aef, HoldingsFreezeWhenTheYearIsOverAndVersionsAdvance) {
  GoldenScenario g(*store_, clock_);
  g.Setup();
  g.Run2026();
  ASSERT_TRUE(DeclareNdc(*store_, {"MNG", 1, core::Date::FromCivil(2026, 1, 1), "multi-year",
                                   "multi-year", 2021, 2030})
                  .ok());
  EXPECT_THAT(ArticleSixAef(*store_, {"MNG", 2026, true}, clock_.NowUtc()).value(),
              IsRejectedBy(647));
  clock_.Advance(70 * 86'400);  // 2027
  AefReport first = g.Report("MNG", 2026);
  EXPECT_TRUE(first.year_over);
  EXPECT_TRUE(first.holdings_frozen);
  const int64_t as_of = first.as_of_seq;
  // 2027: more of Mongolia's units move; 2026's T4 stays what it was on 31 December.
  g.Move(ledger::TransactionType::kCancellation, "MN", 300, 0, "omge");
  AefReport later = g.Report("MNG", 2026);
  EXPECT_EQ(later.as_of_seq, as_of);
  EXPECT_EQ(later.tables[3].rows, first.tables[3].rows);
  ExpectAllConsistent(later);
  AefReport submitted = g.Report("MNG", 2026, true);
  EXPECT_TRUE(submitted.submitted);
  EXPECT_EQ(submitted.version, "1.0");
  AefReport again = g.Report("MNG", 2026, true);
  EXPECT_TRUE(again.replayed);
  EXPECT_FALSE(again.submitted);
  EXPECT_EQ(again.version, "1.0");
  // A new version of A1 dated in 2026 changes T2: the resubmission is 1.1.
  g.Authorise("A1", "NDC and OIMP", "Use or Cancellation", {"Mongol Solar LLC; MNG; 9011223344"},
              2);
  AefReport resubmitted = g.Report("MNG", 2026, true);
  EXPECT_TRUE(resubmitted.submitted);
  EXPECT_EQ(resubmitted.version, "1.1");
  EXPECT_EQ(resubmitted.tables[0].rows[0][1], "1.1");
  // 2027's own AEF: the OMGE cancellation of 300 (first transferred at cancellation).
  AefReport y2027 = g.Report("MNG", 2027);
  EXPECT_FALSE(y2027.year_over);
  ASSERT_EQ(RowsOf(y2027, T::kActions), 2u);
  EXPECT_EQ(CellOf(y2027, T::kActions, 1, "Action subtype"),
            "Voluntary cancellation to deliver OMGE");
  ExpectAllConsistent(y2027);
}

TEST_P(Aef, AnEntityWithoutCountryAndNumberIsNamedByRowAndField) {
  GoldenScenario g(*store_, clock_);
  g.Setup();
  g.Authorise("C", "NDC", "", {"Sharp"});
  ASSERT_TRUE(DeclareNdc(*store_, {"MNG", 1, core::Date::FromCivil(2026, 1, 1), "single-year",
                                   "averaging", 2021, 2030})
                  .ok());
  auto outcome = ArticleSixAef(*store_, {"MNG", 2026, false}, clock_.NowUtc());
  ASSERT_TRUE(outcome.ok());
  ASSERT_THAT(*outcome, IsRejectedBy(646));
  EXPECT_EQ(std::get<Rejection>(*outcome).message,
            "T5 Authorized entities row 3, field \"Country of incorporation\": \"\" is not a "
            "country (alpha-3)");
  EXPECT_THAT(ArticleSixAef(*store_, {"MN", 2026, false}, clock_.NowUtc()).value(),
              IsRejectedBy(600));
}

// Random histories of issuance (citing an NDC, an OIMP or no authorisation), later
// authorisation, transfer, use and cancellation in both registries: every report's consistency
// checks pass (INV-62, INV-63), T4 stays frozen, and the corresponding-adjustment ledger's
// totals equal the AEF's first-transfer and use rows.
TEST_P(Aef, PropertyRandomHistoriesReconcile) {
  const int seeds = GetParam() == StoreKind::kMemory ? 6 : 2;
  for (int seed = 1; seed <= seeds; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    TearDown();
    SetUp();
    GoldenScenario g(*store_, clock_);
    g.Setup();
    g.Authorise("N", "NDC", "", {});
    for (const char* party : {"JPN", "MNG"}) {
      ASSERT_TRUE(DeclareNdc(*store_, {party, 1, core::Date::FromCivil(2026, 1, 1), "multi-year",
                                       "multi-year", 2021, 2030})
                      .ok());
    }
    // The clock moves on from seed to seed: this history's year is the clock's.
    const int now = std::stoi(clock_.NowUtc().substr(0, 4));
    std::mt19937 random(static_cast<unsigned>(seed));
    int year = 1995;
    for (int step = 0; step < 30; ++step) g.RandomStep(random, step, &year);
    int64_t first_transferred = 0, used = 0;
    for (const char* party : {"JPN", "MNG"}) {
      const AefReport report = g.Report(party, now);
      ExpectAllConsistent(report);
      for (size_t i = 0; i < RowsOf(report, T::kActions); ++i) {
        const std::string type = CellOf(report, T::kActions, i, "Action type");
        const int64_t units = std::stoll(CellOf(report, T::kActions, i, "Quantity (tCO2e)"));
        if (type == "First transfer") first_transferred += units;
        if (type == "Use" && CellOf(report, T::kActions, i, "Year used toward NDC") != "NA") {
          used += units;
        }
      }
    }
    auto actions = CaActionsOf(*store_);
    ASSERT_TRUE(actions.ok());
    int64_t ca_first = 0, ca_used = 0;
    for (const article6::CaAction& a : *actions) {
      if (a.year != now) continue;
      (a.kind == article6::CaActionKind::kFirstTransfer ? ca_first : ca_used) += a.quantity_tco2e;
    }
    EXPECT_EQ(first_transferred, ca_first);
    EXPECT_EQ(used, ca_used);
    // After the year: T4 freezes and later moves leave it as it was.
    clock_.Advance(400 * 86'400);
    const AefReport frozen = g.Report("MNG", now);
    ASSERT_TRUE(frozen.holdings_frozen);
    g.TryMove(ledger::TransactionType::kCancellation, "MN", 5);
    const AefReport later = g.Report("MNG", now);
    EXPECT_EQ(later.tables[3].rows, frozen.tables[3].rows);
    ExpectAllConsistent(later);
  }
}

INSTANTIATE_TEST_SUITE_P(Stores, Aef, ::testing::Values(StoreKind::kMemory, StoreKind::kSqlite),
                         StoreKindName);

}  // namespace
}  // namespace jcm::service
