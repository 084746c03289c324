// Units citing an Article 6.2 authorisation, through the real stores (memory and SQLite):
// cited at issuance or afterwards by an article6_authorisation transaction that splits blocks
// and leaves the units in their account; the cap (check 620) and units already authorised
// (621); and, over random sequences of transfers, retirements and cancellations that split the
// blocks any way they fall, the serials citing the authorisation are exactly those authorised,
// the stores count them right and the audit stays clean (INV-41).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>

#include "store/testing/ledger_fixture.h"

namespace jcm::store {
namespace {

using ledger::CheckCode;

constexpr const char* kPeriod = "2017-08-26..2018-05-31";
constexpr const char* kReference = "MNG/MN-2026-1";

class Article6UnitsTest : public LedgerFixture, public ::testing::WithParamInterface<bool> {
 protected:
  Article6UnitsTest() { use_memory_store_ = GetParam(); }

  static ledger::TransactionRequest Authorise(const std::string& account, int64_t quantity,
                                              std::string serials = "", int64_t cap = 0) {
    ledger::TransactionRequest r;
    r.type = ledger::TransactionType::kArticle6Authorisation;
    r.from = account;
    r.quantity = quantity;
    r.serials = std::move(serials);
    r.article6_authorisation = kReference;
    r.article6_cap_tco2e = cap;
    r.authorization = ledger::Authorization::kNdcAndOimp;
    return r;
  }

  // Serial → the authorisation its live block cites, over the given accounts.
  std::map<int64_t, std::string> CitedSerials(const std::vector<std::string>& accounts) {
    std::map<int64_t, std::string> cited;
    for (const std::string& account : accounts) {
      const std::vector<ledger::UnitBlock> blocks = store_->LiveBlocks(account).value();
      for (const ledger::UnitBlock& b : blocks) {
        for (int64_t s = b.serial_first; s <= b.serial_last(); ++s) {
          cited[s] = b.article6_authorisation;
        }
      }
    }
    return cited;
  }

  int64_t CountedUnits() {
    int64_t units = 0;
    const ledger::StoredState state = store_->ReadState().value();
    for (const ledger::UnitBlock& b : state.blocks) {
      if (b.live() && b.article6_authorisation == kReference) units += b.unit_count;
    }
    return units;
  }
};

TEST_P(Article6UnitsTest, AnIssuanceCitesItAndTheCapHolds) {
  ledger::TransactionRequest r;
  r.type = ledger::TransactionType::kIssuance;
  r.registry = "MN";
  r.project = "MN003";
  r.period = kPeriod;
  r.authorization = ledger::Authorization::kNdc;
  r.article6_authorisation = kReference;
  r.article6_cap_tco2e = 150;
  r.targets = {{alice_, 100}};
  RecordDecision("MN003:cap", "MN", "MN003", kPeriod, 1000);
  r.decision = "MN003:cap";
  const Outcome first = Must(r);
  ASSERT_FALSE(first.rejection) << first.rejection->message;
  EXPECT_EQ(first.entry.body.Find("article6_authorisation"), kReference);
  const auto blocks = *store_->LiveBlocks(alice_);
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].article6_authorisation, kReference);
  // 100 cited, cap 150: 60 more is check 620; 50 more fits.
  r.targets = {{bob_, 60}};
  ExpectRejected(Must(r), CheckCode::kArticle6CapExceeded);
  r.targets = {{bob_, 50}};
  EXPECT_FALSE(Must(r).rejection);
  ExpectAuditClean();
}

TEST_P(Article6UnitsTest, UnitsHeldAreAuthorisedLaterAndStayInTheirAccount) {
  // One vintage, so one block: serials 1..100.
  Issue("MN003", "2019-01-01..2019-12-31", {{alice_, 100}}, ledger::Authorization::kNone);
  const Outcome named = Must(Authorise(alice_, 30, "41..70"));
  ASSERT_FALSE(named.rejection) << named.rejection->message;
  EXPECT_EQ(Held(alice_), 100);
  const auto blocks = *store_->LiveBlocks(alice_);
  ASSERT_EQ(blocks.size(), 3u);
  EXPECT_EQ(blocks[0].article6_authorisation, "");
  EXPECT_EQ(blocks[1].article6_authorisation, kReference);
  EXPECT_EQ(blocks[1].serial_first, 41);
  EXPECT_EQ(blocks[1].unit_count, 30);
  EXPECT_EQ(blocks[1].authorization, ledger::Authorization::kNdcAndOimp);
  EXPECT_EQ(blocks[2].authorization, ledger::Authorization::kNone);
  // Named serials already cited: 621. By quantity, the oldest units citing none go: 1..40, then
  // 71..80.
  ExpectRejected(Must(Authorise(alice_, 10, "61..70")), CheckCode::kArticle6UnitsAlreadyAuthorised);
  EXPECT_FALSE(Must(Authorise(alice_, 50)).rejection);
  EXPECT_EQ(CitedSerials({alice_})[40], kReference);
  EXPECT_EQ(CitedSerials({alice_})[1], kReference);
  EXPECT_EQ(CitedSerials({alice_})[80], kReference);
  EXPECT_EQ(CitedSerials({alice_})[81], "");
  // 80 cited; a cap of 90 lets 10 more through, not 11. Only 20 uncited remain: 21 is 17.
  ExpectRejected(Must(Authorise(alice_, 11, "", 90)), CheckCode::kArticle6CapExceeded);
  ExpectRejected(Must(Authorise(alice_, 21)), CheckCode::kUnitsInsufficient);
  EXPECT_FALSE(Must(Authorise(alice_, 10, "", 90)).rejection);
  EXPECT_EQ(CountedUnits(), 90);
  // A retirement account never sends (check 10) — retired units are not authorised afterwards.
  ExpectRejected(Must(Authorise(retirement_, 1)), CheckCode::kSourceAccountMayNotSend);
  ExpectAuditClean();
}

// INV-41: whatever splits follow, the serials citing the authorisation are those authorised.
TEST_P(Article6UnitsTest, TheAuthorisationSurvivesEverySplit) {
  const int sequences = GetParam() ? 60 : 12;
  for (int seed = 0; seed < sequences; ++seed) {
    if (seed > 0) {
      TearDown();
      SetUp();
    }
    std::mt19937_64 random(static_cast<uint64_t>(seed));
    Issue("MN003", kPeriod, {{alice_, 200}}, ledger::Authorization::kNone);
    const int64_t first = 1 + static_cast<int64_t>(random() % 150);
    const int64_t last = first + static_cast<int64_t>(random() % 50);
    ASSERT_FALSE(Must(Authorise(alice_, last - first + 1,
                                std::to_string(first) + ".." + std::to_string(last)))
                     .rejection);
    std::vector<std::string> accounts = {alice_, bob_};
    const std::vector<ledger::Account> mn = store_->ListAccounts("MN").value();
    for (const ledger::Account& a : mn) {
      if (ledger::IsTerminal(a.type)) accounts.push_back(a.number);
    }
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
      const auto cited = CitedSerials(accounts);
      ASSERT_EQ(cited.size(), 200u);
      for (const auto& [serial, reference] : cited) {
        ASSERT_EQ(reference, serial >= first && serial <= last ? kReference : "")
            << "seed " << seed << " step " << step << " serial " << serial;
      }
      ASSERT_EQ(CountedUnits(), last - first + 1);
    }
    // The store's own count (what check 620 reads) agrees: at the cap one more unit is refused.
    const int64_t authorised = last - first + 1;
    for (const std::string& holder : {alice_, bob_}) {
      const auto cited = CitedSerials({holder});
      if (std::none_of(cited.begin(), cited.end(), [](const auto& c) { return c.second.empty(); }))
        continue;
      ExpectRejected(Must(Authorise(holder, 1, "", authorised)), CheckCode::kArticle6CapExceeded);
      ASSERT_FALSE(Must(Authorise(holder, 1, "", authorised + 1)).rejection);
      break;
    }
    ExpectAuditClean();
  }
}

INSTANTIATE_TEST_SUITE_P(BothStores, Article6UnitsTest, ::testing::Values(false, true),
                         [](const auto& param) { return param.param ? "memory" : "sqlite"; });

}  // namespace
}  // namespace jcm::store
