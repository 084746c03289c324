// Authorisations: every check of 600–616 fires on the value it names, the journal form round
// trips, a retry of a recorded version is a replay, and replay refuses a journal whose versions
// are out of order (INV-40).
#include <gtest/gtest.h>

#include "article6/book.h"

namespace jcm::article6 {
namespace {

AuthorisationRequest Valid() {
  AuthorisationRequest r;
  r.party = "JPN";
  r.id = "JP-MN-2026-001";
  r.version = 1;
  r.date = core::Date::FromCivil(2026, 3, 1);
  r.cooperative_approach = "CA0004";
  r.sectors = {"Energy generation"};
  r.activity_types = {"Solar", "C02 usage"};
  r.purposes = "NDC and OIMP";
  r.quantity_cap_tco2e = 1000;
  r.timeframe = "2021 - 2030";
  r.entities = {"Sharp Energy Solutions"};
  r.first_transfer = "Authorisation";
  return r;
}

int CheckOf(const Verdict& verdict) {
  const auto* rejection = std::get_if<Rejection>(&verdict);
  return rejection == nullptr ? 0 : rejection->number();
}

int CheckOf(AuthorisationRequest r) { return CheckOf(DecideAdd(AuthorisationBook(), r)); }

void Record(AuthorisationBook& book, const Authorisation& a, int64_t seq) {
  ASSERT_TRUE(book.Apply(kEventAuthorisation, a.ToRecord(), seq).ok());
}

TEST(Authorisation, ValidRequestRoundTripsThroughItsJournalForm) {
  const Verdict verdict = DecideAdd(AuthorisationBook(), Valid());
  ASSERT_TRUE(std::holds_alternative<Authorisation>(verdict));
  const Authorisation& a = std::get<Authorisation>(verdict);
  EXPECT_EQ(a.purposes, Purpose::kNdcAndOimp);
  EXPECT_EQ(a.first_transfer, FirstTransferDefinition::kAuthorisation);
  EXPECT_EQ(a.timeframe->ToString(), "2021 - 2030");
  auto back = Authorisation::FromRecord(a.ToRecord());
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_TRUE(back->SameContent(a));
  EXPECT_EQ(a.ToRecord().Find("first_transfer"), "Authorisation");
}

TEST(Authorisation, OptionalFieldsAreAbsentFromTheRecordWhenUnset) {
  AuthorisationRequest r = Valid();
  r.purposes = "NDC";
  r.first_transfer.clear();
  r.quantity_cap_tco2e.reset();
  r.timeframe.clear();
  const Authorisation a = std::get<Authorisation>(DecideAdd(AuthorisationBook(), r));
  const core::Record body = a.ToRecord();
  EXPECT_FALSE(body.Find("quantity_cap"));
  EXPECT_FALSE(body.Find("timeframe"));
  EXPECT_FALSE(body.Find("first_transfer"));
  EXPECT_TRUE(Authorisation::FromRecord(body)->SameContent(a));
}

TEST(Authorisation, EachControlledValueHasItsCheck) {
  auto with = [](auto change) {
    AuthorisationRequest r = Valid();
    change(r);
    return CheckOf(r);
  };
  EXPECT_EQ(with([](auto& r) { r.party = "JP"; }), 600);
  EXPECT_EQ(with([](auto& r) { r.party = "jpn"; }), 600);
  EXPECT_EQ(with([](auto& r) { r.id = "JP/1"; }), 601);
  EXPECT_EQ(with([](auto& r) { r.id = std::string(101, 'A'); }), 601);
  EXPECT_EQ(with([](auto& r) { r.id = ""; }), 601);
  EXPECT_EQ(with([](auto& r) { r.cooperative_approach = "CA004"; }), 602);
  EXPECT_EQ(with([](auto& r) { r.cooperative_approach = "CA-0004"; }), 602);
  EXPECT_EQ(with([](auto& r) { r.metric = "tCO2e"; }), 603);
  EXPECT_EQ(with([](auto& r) { r.sectors.clear(); }), 604);
  EXPECT_EQ(with([](auto& r) { r.sectors = {"Energy"}; }), 604);
  EXPECT_EQ(with([](auto& r) { r.activity_types = {"CO2 usage"}; }), 605);  // letter O
  EXPECT_EQ(with([](auto& r) { r.purposes = "NDC+OIMP"; }), 606);
  EXPECT_EQ(with([](auto& r) { r.first_transfer = "Authorization"; }), 607);  // with a z
  EXPECT_EQ(with([](auto& r) { r.first_transfer.clear(); }), 608);
  EXPECT_EQ(with([](auto& r) { r.purposes = "OP", r.first_transfer.clear(); }), 608);
  EXPECT_EQ(with([](auto& r) { r.purposes = "NDC"; }), 609);
  EXPECT_EQ(with([](auto& r) { r.quantity_cap_tco2e = 0; }), 610);
  EXPECT_EQ(with([](auto& r) { r.timeframe = "2030 - 2021"; }), 611);
  EXPECT_EQ(with([](auto& r) { r.timeframe = "2021-2030"; }), 611);
  EXPECT_EQ(with([](auto& r) { r.entities = {""}; }), 612);
  EXPECT_EQ(with([](auto& r) { r.entities = {"a\nb"}; }), 612);
  EXPECT_EQ(with([](auto& r) { r.version = 2; }), 614);
  EXPECT_EQ(with([](auto& r) { r.version = 0; }), 614);
  EXPECT_EQ(with([](auto&) {}), 0);
}

TEST(Authorisation, EveryNomenclatureValueIsAccepted) {
  for (std::string_view sector : Sectors()) {
    AuthorisationRequest r = Valid();
    r.sectors = {std::string(sector)};
    EXPECT_EQ(CheckOf(r), 0) << sector;
  }
  AuthorisationRequest all = Valid();
  all.activity_types.assign(ActivityTypes().begin(), ActivityTypes().end());
  EXPECT_EQ(ActivityTypes().size(), 27u);
  EXPECT_EQ(CheckOf(all), 0);
  for (std::string_view purpose :
       {"NDC", "OIMP", "IMP", "OP", "NDC and OIMP", "NDC and IMP", "NDC and OP"}) {
    AuthorisationRequest r = Valid();
    r.purposes = std::string(purpose);
    if (purpose == "NDC") r.first_transfer.clear();
    EXPECT_EQ(CheckOf(r), 0) << purpose;
    EXPECT_EQ(PurposeName(*PurposeFromName(purpose)), purpose);
  }
}

TEST(AuthorisationBook, VersionsSupersedeInOrderAndNeverChange) {
  AuthorisationBook book;
  const Authorisation v1 = std::get<Authorisation>(DecideAdd(book, Valid()));
  Record(book, v1, 5);
  // The same version again: a replay; with other content: 613.
  EXPECT_TRUE(std::holds_alternative<Replay>(DecideAdd(book, Valid())));
  AuthorisationRequest changed = Valid();
  changed.quantity_cap_tco2e = 2000;
  EXPECT_EQ(CheckOf(DecideAdd(book, changed)), 613);
  // Version 3 skips 2: 614. Version 2 dated before 1: 615; another approach: 616.
  changed.version = 3;
  EXPECT_EQ(CheckOf(DecideAdd(book, changed)), 614);
  changed.version = 2;
  changed.date = core::Date::FromCivil(2026, 2, 28);
  EXPECT_EQ(CheckOf(DecideAdd(book, changed)), 615);
  changed.date = core::Date::FromCivil(2026, 4, 1);
  changed.cooperative_approach = "CA0005";
  EXPECT_EQ(CheckOf(DecideAdd(book, changed)), 616);
  changed.cooperative_approach = "CA0004";
  const Verdict v2 = DecideAdd(book, changed);
  ASSERT_TRUE(std::holds_alternative<Authorisation>(v2));
  Record(book, std::get<Authorisation>(v2), 9);
  ASSERT_EQ(book.Versions("JPN", "JP-MN-2026-001")->size(), 2u);
  EXPECT_EQ(book.Latest("JPN", "JP-MN-2026-001")->quantity_cap_tco2e, 2000);
  EXPECT_EQ(book.Latest("JPN", "JP-MN-2026-001")->recorded_seq, 9);
  EXPECT_EQ(book.Versions("JPN", "JP-MN-2026-001")->front().quantity_cap_tco2e, 1000);
  EXPECT_EQ(book.LatestAll("JPN").size(), 1u);
  EXPECT_TRUE(book.LatestAll("MNG").empty());
  EXPECT_EQ(book.last_seq(), 9);
}

// INV-40: a journal whose versions skip or repeat is refused on replay.
TEST(AuthorisationBook, ReplayRefusesVersionsOutOfOrder) {
  Authorisation a = std::get<Authorisation>(DecideAdd(AuthorisationBook(), Valid()));
  a.version = 2;
  AuthorisationBook book;
  const core::Status skipped = book.Apply(kEventAuthorisation, a.ToRecord(), 3);
  EXPECT_EQ(skipped.code(), core::StatusCode::kDataLoss);
  a.version = 1;
  Record(book, a, 4);
  EXPECT_EQ(book.Apply(kEventAuthorisation, a.ToRecord(), 5).code(), core::StatusCode::kDataLoss);
  // A malformed stored body is DataLoss too; an unknown article6.* kind is skipped.
  core::Record broken = a.ToRecord();
  broken.Add("sector", "Energy");
  EXPECT_EQ(book.Apply(kEventAuthorisation, broken, 6).code(), core::StatusCode::kDataLoss);
  EXPECT_TRUE(book.Apply("article6.future_event", core::Record(), 7).ok());
}

}  // namespace
}  // namespace jcm::article6
