// ITMO identifiers and vintages on blocks, through the real stores (memory and SQLite): an
// issuance citing an authorisation gives its units the cooperative approach, the registry's
// Party ITMO registry ID and fresh ITMO IDs parallel to the serials; a monitoring period over
// several calendar years is issued as one block per vintage, the decision's amount split by
// days (or as the MRV report gives it, checks 622–623) and partial issuances continuing where
// the last stopped; units authorised later get the next ITMO IDs. Over random splits, every
// serial keeps its ITMO ID and vintage (INV-42, INV-43) and the audit stays clean.
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "store/testing/ledger_fixture.h"

namespace jcm::store {
namespace {

using ledger::CheckCode;

// 2017-08-26..2017-12-31 is 128 days, 2018-01-01..2018-05-31 151: 1,000 units split by days
// are 458.78 and 541.22, so 459 (the larger remainder) and 541.
constexpr const char* kPeriod = "2017-08-26..2018-05-31";
constexpr const char* kReference = "MNG/MN-2026-1";

struct UnitView {
  int64_t itmo_id = 0;
  int64_t vintage = 0;
  std::string approach;
  friend bool operator==(const UnitView&, const UnitView&) = default;
};

class ItmoTest : public LedgerFixture, public ::testing::WithParamInterface<bool> {
 protected:
  ItmoTest() { use_memory_store_ = GetParam(); }

  ledger::TransactionRequest Issuance(std::vector<ledger::IssuanceTarget> targets,
                                      const std::string& decision, bool citing = true) {
    ledger::TransactionRequest r;
    r.type = ledger::TransactionType::kIssuance;
    r.registry = "MN";
    r.project = "MN003";
    r.period = kPeriod;
    r.decision = decision;
    r.targets = std::move(targets);
    if (citing) {
      r.authorization = ledger::Authorization::kNdc;
      r.article6_authorisation = kReference;
      r.article6_cooperative_approach = "CA0004";
    }
    return r;
  }

  static ledger::TransactionRequest Authorise(const std::string& account, int64_t quantity,
                                              std::string serials) {
    ledger::TransactionRequest r;
    r.type = ledger::TransactionType::kArticle6Authorisation;
    r.from = account;
    r.quantity = quantity;
    r.serials = std::move(serials);
    r.article6_authorisation = kReference;
    r.article6_cooperative_approach = "CA0007";
    r.authorization = ledger::Authorization::kNdcAndOimp;
    return r;
  }

  // Serial → its ITMO ID, vintage and approach, over every block (live) of the accounts.
  std::map<int64_t, UnitView> Units(const std::vector<std::string>& accounts) {
    std::map<int64_t, UnitView> units;
    for (const std::string& account : accounts) {
      const std::vector<ledger::UnitBlock> blocks = store_->LiveBlocks(account).value();
      for (const ledger::UnitBlock& b : blocks) {
        for (int64_t s = b.serial_first; s <= b.serial_last(); ++s) {
          const int64_t itmo = b.itmo_first == 0 ? 0 : b.itmo_first + (s - b.serial_first);
          units[s] = {itmo, b.vintage, b.cooperative_approach};
        }
      }
    }
    return units;
  }
};

TEST_P(ItmoTest, AnIssuanceCitingGivesItmoIdsAndOneBlockPerVintage) {
  RecordDecision("D1", "MN", "MN003", kPeriod, 1000);
  const Outcome out = Must(Issuance({{alice_, 500}, {bob_, 500}}, "D1"));
  ASSERT_FALSE(out.rejection) << out.rejection->message;
  const auto alice = *store_->LiveBlocks(alice_);
  const auto bob = *store_->LiveBlocks(bob_);
  ASSERT_EQ(alice.size(), 2u);
  ASSERT_EQ(bob.size(), 1u);
  EXPECT_EQ(alice[0].vintage, 2017);
  EXPECT_EQ(alice[0].unit_count, 459);
  EXPECT_EQ(alice[1].vintage, 2018);
  EXPECT_EQ(alice[1].serial_first, 460);
  EXPECT_EQ(alice[1].unit_count, 41);
  EXPECT_EQ(bob[0].vintage, 2018);
  EXPECT_EQ(bob[0].serial_first, 501);
  for (const auto& b : {alice[0], alice[1], bob[0]}) {
    EXPECT_EQ(b.cooperative_approach, "CA0004");
    EXPECT_EQ(b.itmo_registry, "MNG01");
    EXPECT_EQ(b.itmo_first, b.serial_first);  // the registry's first ITMO IDs: 1..1000
    EXPECT_EQ(b.issuance_number, 1);
  }
  // The journal carries them (and decodes back to the stored blocks).
  const auto created = out.entry.body.FindAll("created");
  ASSERT_EQ(created.size(), 3u);
  ledger::UnitBlock decoded = *ledger::DecodeBlock(created[1]);
  decoded.created_seq = alice[1].created_seq;
  EXPECT_EQ(decoded, alice[1]);
  EXPECT_NE(std::string(created[1]).find("|ca=CA0004|itmo=MNG01:460|v=2018"), std::string::npos)
      << created[1];
  ExpectAuditClean();
}

TEST_P(ItmoTest, PartialIssuancesContinueTheDecisionsVintages) {
  RecordDecision("D1", "MN", "MN003", kPeriod, 1000);
  ASSERT_FALSE(Must(Issuance({{alice_, 300}}, "D1", false)).rejection);
  ASSERT_FALSE(Must(Issuance({{bob_, 700}}, "D1", false)).rejection);
  const auto alice = *store_->LiveBlocks(alice_);
  const auto bob = *store_->LiveBlocks(bob_);
  ASSERT_EQ(alice.size(), 1u);
  EXPECT_EQ(alice[0].vintage, 2017);
  EXPECT_EQ(alice[0].itmo_first, 0);  // citing no authorisation: no ITMO IDs
  ASSERT_EQ(bob.size(), 2u);
  EXPECT_EQ(bob[0].vintage, 2017);
  EXPECT_EQ(bob[0].unit_count, 159);  // 459 of 2017 in all
  EXPECT_EQ(bob[1].vintage, 2018);
  EXPECT_EQ(bob[1].unit_count, 541);
  ExpectAuditClean();
}

TEST_P(ItmoTest, AmountsPerVintageFromTheMrvReportAreChecked) {
  RecordDecision("D1", "MN", "MN003", kPeriod, 1000);
  ledger::TransactionRequest r = Issuance({{alice_, 1000}}, "D1");
  r.vintages = {{2017, 400}, {2018, 599}};
  ExpectRejected(Must(r), CheckCode::kVintageAmountsMismatch);
  r.vintages = {{2018, 600}, {2017, 400}};
  ExpectRejected(Must(r), CheckCode::kVintageYearsInvalid);
  r.vintages = {{2017, 400}, {2019, 600}};
  ExpectRejected(Must(r), CheckCode::kVintageYearsInvalid);
  r.vintages = {{2017, 1001}, {2018, -1}};
  ExpectRejected(Must(r), CheckCode::kVintageYearsInvalid);
  r.vintages = {{2017, 400}, {2018, 600}};
  ASSERT_FALSE(Must(r).rejection);
  const auto blocks = *store_->LiveBlocks(alice_);
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[0].unit_count, 400);
  EXPECT_EQ(blocks[1].unit_count, 600);
  ExpectAuditClean();
}

TEST_P(ItmoTest, UnitsAuthorisedLaterGetTheNextItmoIds) {
  Issue("MN003", "2019-01-01..2019-12-31", {{alice_, 100}}, ledger::Authorization::kNone);
  ASSERT_FALSE(Must(Authorise(alice_, 30, "41..70")).rejection);
  ASSERT_FALSE(Must(Authorise(alice_, 10, "1..10")).rejection);
  const auto units = Units({alice_});
  EXPECT_EQ(units.at(41), (UnitView{1, 2019, "CA0007"}));
  EXPECT_EQ(units.at(70), (UnitView{30, 2019, "CA0007"}));
  EXPECT_EQ(units.at(1), (UnitView{31, 2019, "CA0007"}));
  EXPECT_EQ(units.at(10), (UnitView{40, 2019, "CA0007"}));
  EXPECT_EQ(units.at(11), (UnitView{0, 2019, ""}));
  // An issuance citing the authorisation continues after them.
  RecordDecision("D2", "MN", "MN003", "2020-01-01..2020-12-31", 5);
  ledger::TransactionRequest r = Issuance({{bob_, 5}}, "D2");
  r.period = "2020-01-01..2020-12-31";
  ASSERT_FALSE(Must(r).rejection);
  EXPECT_EQ(Units({bob_}).at(101), (UnitView{41, 2020, "CA0004"}));
  ExpectAuditClean();
}

// INV-42, INV-43: whatever splits follow, each serial keeps the ITMO ID and vintage it got.
TEST_P(ItmoTest, ItmoIdsAndVintagesSurviveEverySplit) {
  const int sequences = GetParam() ? 40 : 8;
  for (int seed = 0; seed < sequences; ++seed) {
    if (seed > 0) {
      TearDown();
      SetUp();
    }
    std::mt19937_64 random(static_cast<uint64_t>(seed));
    RecordDecision("D1", "MN", "MN003", kPeriod, 200);
    ASSERT_FALSE(Must(Issuance({{alice_, 120}, {bob_, 80}}, "D1", seed % 2 == 0)).rejection);
    if (seed % 2 == 1) {
      const int64_t first = 1 + static_cast<int64_t>(random() % 150);
      const int64_t last = first + static_cast<int64_t>(random() % 50);
      const std::string holder = first <= 120 && last <= 120 ? alice_ : "";
      if (!holder.empty()) {
        ASSERT_FALSE(Must(Authorise(holder, last - first + 1,
                                    std::to_string(first) + ".." + std::to_string(last)))
                         .rejection);
      }
    }
    std::vector<std::string> accounts = {alice_, bob_};
    const std::vector<ledger::Account> mn = store_->ListAccounts("MN").value();
    for (const ledger::Account& a : mn) {
      if (ledger::IsTerminal(a.type)) accounts.push_back(a.number);
    }
    const std::map<int64_t, UnitView> before = Units(accounts);
    ASSERT_EQ(before.size(), 200u);
    for (int step = 0; step < 12; ++step) {
      const bool from_alice = random() % 2 == 0;
      const std::string from = from_alice ? alice_ : bob_;
      const int64_t held = Held(from);
      if (held == 0) continue;
      const int64_t quantity = 1 + static_cast<int64_t>(random() % static_cast<uint64_t>(held));
      switch (random() % 3) {
        case 0:
          Transfer(from, from_alice ? bob_ : alice_, quantity);
          break;
        case 1:
          Retire(from, quantity);
          break;
        default:
          Cancel(from, quantity, "test");
      }
      ASSERT_EQ(Units(accounts), before) << "seed " << seed << " step " << step;
    }
    ExpectAuditClean();
  }
}

INSTANTIATE_TEST_SUITE_P(BothStores, ItmoTest, ::testing::Values(false, true),
                         [](const auto& param) { return param.param ? "memory" : "sqlite"; });

}  // namespace
}  // namespace jcm::store
