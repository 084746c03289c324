#include "ledger/types.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

#include "ledger/check_code.h"
#include "ledger/jc_decision.h"
#include "ledger/journal.h"
#include "ledger/serial_identifier.h"
#include "ledger/transaction_table.h"

namespace jcm::ledger {
namespace {

TEST(UnitBlockTest, EncodeDecodeRoundTrips) {
  UnitBlock b;
  b.id = 12;
  b.registry = core::RegistryCode::FromTrusted("JP");
  b.serial_first = 501;
  b.unit_count = 99;
  b.account = "JP-121-0000004-28";
  b.project = "MN003";
  b.monitoring_period = *core::Period::Parse("2017-08-26..2018-05-31");
  b.issuance_number = 2;
  b.authorization = Authorization::kNdcAndOimp;
  b.parent_id = 3;
  auto decoded = DecodeBlock(EncodeBlock(b));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, b);
  EXPECT_EQ(SerialIdentifier(b), "JCM-JPMN.JP.MN.MN003.2018.000000000501-000000000599");
  EXPECT_EQ(DecodeBlock("1|JP|x").status().code(), core::StatusCode::kDataLoss);
  // An imported block carries a twelfth part; a block of an earlier journal has eleven.
  const std::string before_imports = EncodeBlock(b);
  b.imported = true;
  EXPECT_EQ(EncodeBlock(b), before_imports + "|imported");
  EXPECT_EQ(*DecodeBlock(EncodeBlock(b)), b);
  EXPECT_FALSE(DecodeBlock(before_imports)->imported);
  EXPECT_EQ(DecodeBlock(before_imports + "|1").status().code(), core::StatusCode::kDataLoss);
  EXPECT_FALSE(b.SameAttributes(*DecodeBlock(before_imports))) << "imported is inherited";
  // Units citing an Article 6.2 authorisation carry "a6=PARTY/ID" last; the encodings of
  // earlier journals decode as before (no authorisation).
  const std::string imported = EncodeBlock(b);
  b.article6_authorisation = "JPN/JP-MN 2026-1";
  EXPECT_EQ(EncodeBlock(b), imported + "|a6=JPN/JP-MN 2026-1");
  EXPECT_EQ(*DecodeBlock(EncodeBlock(b)), b);
  b.imported = false;
  EXPECT_EQ(EncodeBlock(b), before_imports + "|a6=JPN/JP-MN 2026-1");
  EXPECT_EQ(*DecodeBlock(EncodeBlock(b)), b);
  EXPECT_EQ(DecodeBlock(before_imports)->article6_authorisation, "");
  EXPECT_EQ(DecodeBlock(imported)->article6_authorisation, "");
  EXPECT_FALSE(b.SameAttributes(*DecodeBlock(before_imports))) << "the authorisation is inherited";
  for (const std::string bad : {"|a6=", "|a6=X|imported", "|a6=X|a6=Y", "|imported|imported"}) {
    EXPECT_EQ(DecodeBlock(before_imports + bad).status().code(), core::StatusCode::kDataLoss)
        << bad;
  }
}

// The ITMO identifier parts and the vintage are optional tagged parts after "a6=": blocks of
// journals before them decode with none (vintage 0, no ITMO IDs).
TEST(UnitBlockTest, ItmoPartsAndVintageEncodeAsOptionalTaggedParts) {
  UnitBlock b;
  b.id = 7;
  b.registry = core::RegistryCode::FromTrusted("MN");
  b.serial_first = 460;
  b.unit_count = 41;
  b.account = "MN-121-0000004-28";
  b.project = "MN003";
  b.monitoring_period = *core::Period::Parse("2017-08-26..2018-05-31");
  b.issuance_number = 1;
  const std::string plain = EncodeBlock(b);
  b.article6_authorisation = "MNG/MN-2026-1";
  b.cooperative_approach = "CA0004";
  b.itmo_registry = "MNG01";
  b.itmo_first = 1460;
  b.first_transferring_party = "MNG";
  b.vintage = 2018;
  const std::string full = EncodeBlock(b);
  EXPECT_EQ(full, plain + "|a6=MNG/MN-2026-1|ca=CA0004|itmo=MNG01:1460|ftp=MNG|v=2018");
  EXPECT_EQ(*DecodeBlock(full), b);
  EXPECT_EQ(b.itmo_last(), 1500);
  const UnitBlock old = *DecodeBlock(plain + "|a6=MNG/MN-2026-1");
  EXPECT_EQ(old.vintage, 0);
  EXPECT_EQ(old.itmo_first, 0);
  EXPECT_EQ(DecodeBlock(plain + "|v=2019")->vintage, 2019);
  EXPECT_FALSE(b.SameAttributes(old)) << "ITMO parts and vintage are inherited";
  UnitBlock sibling = b;
  sibling.serial_first += 10;
  sibling.itmo_first += 10;
  EXPECT_TRUE(b.SameAttributes(sibling)) << "ITMO IDs are a position, like serials";
  for (const std::string bad : {"|v=2018|a6=X", "|itmo=MNG01", "|itmo=MNG01:0", "|itmo=:5", "|v=0",
                                "|v=x", "|ftp=", "|v=2018|v=2019"}) {
    EXPECT_EQ(DecodeBlock(plain + bad).status().code(), core::StatusCode::kDataLoss) << bad;
  }
}

// Vintages by days: the years of the period in order, exact sums, the largest remainders
// first (earlier year on a tie).
TEST(SplitByDaysTest, SumsExactlyWithLargestRemainders) {
  const auto period = *core::Period::Parse("2017-08-26..2018-05-31");  // 128 + 151 days
  EXPECT_EQ(SplitByDays(period, 1000), (std::vector<VintageAmount>{{2017, 459}, {2018, 541}}));
  EXPECT_EQ(SplitByDays(period, 0), (std::vector<VintageAmount>{{2017, 0}, {2018, 0}}));
  EXPECT_EQ(SplitByDays(*core::Period::Parse("2019-03-01..2019-03-31"), 77),
            (std::vector<VintageAmount>{{2019, 77}}));
  // Two equal halves of a day each side: 2023-12-31..2024-01-01, 1 unit goes to 2023.
  EXPECT_EQ(SplitByDays(*core::Period::Parse("2023-12-31..2024-01-01"), 1),
            (std::vector<VintageAmount>{{2023, 1}, {2024, 0}}));
  std::mt19937_64 random(11);
  for (int i = 0; i < 2000; ++i) {
    const int64_t start = core::DaysFromCivil(2013, 1, 1) + static_cast<int64_t>(random() % 4000);
    const int64_t length = 1 + static_cast<int64_t>(random() % 2000);
    const core::Period p{core::Date::FromDaysSinceEpoch(start),
                         core::Date::FromDaysSinceEpoch(start + length - 1)};
    const int64_t total = static_cast<int64_t>(random() % 1'000'000'000);
    const auto years = SplitByDays(p, total);
    int64_t sum = 0;
    for (size_t y = 0; y < years.size(); ++y) {
      EXPECT_EQ(years[y].year, p.start.year() + static_cast<int>(y));
      sum += years[y].tco2e;
    }
    EXPECT_EQ(years.back().year, p.end.year());
    EXPECT_EQ(sum, total);
  }
}

TEST(JcDecisionTest, EncodeDecodeRoundTripsAndRejectsGarbage) {
  JcDecision d;
  d.id = "MN003:2017-08-26..2018-05-31@2018-11-06";
  d.registry = core::RegistryCode::FromTrusted("MN");
  d.project = "MN003";
  d.period = *core::Period::Parse("2017-08-26..2018-05-31");
  d.notified_tco2e = 8000;
  EXPECT_EQ(EncodeJcDecision(d),
            "MN003:2017-08-26..2018-05-31@2018-11-06|MN|MN003|2017-08-26..2018-05-31|8000");
  EXPECT_EQ(*DecodeJcDecision(EncodeJcDecision(d)), d);
  for (const char* bad : {"", "a|MN|MN003|2017-08-26..2018-05-31", "a|ZZ|MN003|x|1",
                          "a|MN|MN003|2017-08-26..2018-05-31|many", "a|MN|P|bad|1|extra"}) {
    EXPECT_EQ(DecodeJcDecision(bad).status().code(), core::StatusCode::kDataLoss) << bad;
  }
}

TEST(RegistryPolicyTest, OnlyJapanRequiresNdcAuthorisationByDefault) {
  EXPECT_TRUE(
      DefaultPolicy(core::RegistryCode::FromTrusted("JP")).retirement_needs_ndc_authorization);
  for (const char* partner : {"MN", "VN", "TH", "ID"}) {
    EXPECT_FALSE(
        DefaultPolicy(core::RegistryCode::FromTrusted(partner)).retirement_needs_ndc_authorization)
        << partner;
  }
}

TEST(CheckCodeTest, NamesAreUniqueAndStable) {
  std::set<std::string_view> names;
  for (int code = 1; code <= 27; ++code) {
    const auto name = CheckName(static_cast<CheckCode>(code));
    EXPECT_NE(name, "unknown_check") << code;
    EXPECT_TRUE(names.insert(name).second) << name;
  }
  EXPECT_EQ(CheckName(CheckCode::kUnitsInsufficient), "units_insufficient");  // persisted
  EXPECT_EQ(CheckName(CheckCode::kDecisionUnknown), "decision_unknown");
  EXPECT_EQ(static_cast<int>(CheckCode::kDecisionExceeded), 26);
}

TEST(TransactionTableTest, TerminalAccountsNeverSend) {
  for (const TransactionTypeRow& row : TransactionTypeTable()) {
    EXPECT_FALSE(Contains(row.source_types, AccountType::kRetirement)) << row.code;
    EXPECT_FALSE(Contains(row.source_types, AccountType::kCancellation)) << row.code;
  }
  EXPECT_TRUE(RowFor(TransactionType::kRetirement).needs_ndc_authorization);
  EXPECT_TRUE(RowFor(TransactionType::kCancellation).needs_reason);
}

TEST(JournalTest, EntriesChainAndAnyChangeAltersTheHash) {
  core::Record body;
  body.Add("type", "transfer").AddInt("quantity", 5);
  JournalEntry first = NextEntry(std::nullopt, "2026-01-01T00:00:00Z", "transaction", body);
  EXPECT_EQ(first.seq, 1);
  EXPECT_EQ(first.prev_hash, kGenesisHash);
  JournalEntry second =
      NextEntry(JournalHead{first.seq, first.hash}, "2026-01-01T00:00:01Z", "transaction", body);
  EXPECT_EQ(second.prev_hash, first.hash);
  JournalEntry altered = second;
  altered.time = "2026-01-01T00:00:02Z";
  EXPECT_NE(ComputeEntryHash(altered), second.hash);
}

}  // namespace
}  // namespace jcm::ledger
