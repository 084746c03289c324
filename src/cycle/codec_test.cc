#include "cycle/codec.h"

#include <gtest/gtest.h>

#include <boost/pfr.hpp>
#include <set>
#include <type_traits>

namespace jcm::cycle {
namespace {

// Fills every field, nested ones included, with a value derived from the field's position
// among all the fields filled (`index`) and from the round:
//  - text, integers, dates and periods carry the index, so no two fields hold the same value
//    and none holds its default;
//  - a bool or an enum has few values, so over the rounds its value spells the field's index in
//    base 2 or in the enum's size: two such fields differ in some round (a decoder that reads
//    one field's key for another fails), and each field takes a non-default value in some round
//    (a codec that always writes "true", or one enum name, fails).
// A round trip driven by Visit cannot see a field that Visit leaves out (it stays at its
// default on both sides): FieldsVisitedMatchTheStruct below catches that.
struct Filler {
  int round = 0;
  int64_t index = 0;

  int64_t Next() { return ++index; }
  // The `round`-th digit of `i` in `base`.
  int64_t Digit(int64_t i, int64_t base) const {
    for (int r = 0; r < round; ++r) i /= base;
    return i % base;
  }
  void operator()(std::string_view key, std::string& v) {
    v = std::string(key) + "-" + std::to_string(Next()) + "\\with=odd\nchars" +
        std::to_string(round);
  }
  void operator()(std::string_view, int64_t& v) { v = Next() * 1009 + round; }
  void operator()(std::string_view, bool& v) { v = Digit(Next(), 2) == 1; }
  void operator()(std::string_view, core::Date& v) {
    v = core::Date::FromCivil(2001, 1, 1).PlusDays(Next() * 31 + round);
  }
  void operator()(std::string_view, core::Period& v) {
    const int64_t i = Next();
    const core::Date start = core::Date::FromCivil(2010, 1, 1).PlusDays(i * 53 + round);
    v = {start, start.PlusDays(i)};
  }
  template <typename E>
  requires std::is_enum_v<E>
  void operator()(std::string_view, E& v) { v = static_cast<E>(Digit(Next(), EnumSize<E>())); }
  void operator()(std::string_view key, std::vector<std::string>& v) {
    const std::string i = std::to_string(Next());
    v = {std::string(key) + "-" + i + "-a", std::string(key) + "-" + i + "-b"};
  }
  template <typename T>
  void operator()(std::string_view key, std::optional<T>& v) {
    T inner{};
    (*this)(key, inner);
    v = inner;
  }
  template <typename S>
  requires requires(S s) {
    s.Visit([](std::string_view, auto&) {});
  }
  void operator()(std::string_view, S& v) { v.Visit(*this); }
  template <typename S>
  requires requires(S s) {
    s.Visit([](std::string_view, auto&) {});
  }
  void operator()(std::string_view, std::vector<S>& v) {
    v.resize(3);
    for (S& element : v) element.Visit(*this);
  }

  // The number of enumerators: the first value whose name does not parse back to it (names
  // are dense from 0; FundingSource's 0 is itself named "unknown").
  template <typename E>
  static int64_t EnumSize() {
    for (int64_t n = 0;; ++n) {
      E parsed{};
      if (!ParseEnum(ToString(static_cast<E>(n)), &parsed) || parsed != static_cast<E>(n)) {
        return n;
      }
    }
  }
};

// Enough rounds for every bool and enum to spell its index (fields per payload < 2^7).
constexpr int kRounds = 8;

template <size_t I>
void RoundTripAlternative() {
  using P = std::variant_alternative_t<I, Payload>;
  for (int round = 0; round < kRounds; ++round) {
    P payload;
    Filler filler{round};
    payload.Visit(filler);
    ASSERT_LT(filler.index, 1 << (kRounds - 1)) << P::kKind;
    Event event{Actor{static_cast<Role>(round % 7), "MN"}, payload};
    EncodedEvent encoded = EncodeEvent(event);
    EXPECT_EQ(encoded.kind, "cycle." + std::string(P::kKind));
    // Through the text form too: what the journal stores and hashes.
    auto reparsed = core::Record::Decode(encoded.body.Encode());
    ASSERT_TRUE(reparsed.ok()) << reparsed.status().ToString();
    auto decoded = DecodeEvent(encoded.kind, *reparsed);
    ASSERT_TRUE(decoded.ok()) << P::kKind << ": " << decoded.status().ToString();
    EXPECT_TRUE(*decoded == event) << P::kKind << " round " << round;
  }
  // Defaults (empty optionals and lists) round-trip as well.
  Event plain{Actor{Role::kTpe, "jqa"}, P{}};
  auto plain_decoded = DecodeEvent(EncodeEvent(plain).kind, EncodeEvent(plain).body);
  ASSERT_TRUE(plain_decoded.ok()) << P::kKind << ": " << plain_decoded.status().ToString();
  EXPECT_TRUE(*plain_decoded == plain) << P::kKind;
}

template <size_t... I>
void RoundTripAll(std::index_sequence<I...>) {
  (RoundTripAlternative<I>(), ...);
}

TEST(Codec, EveryPayloadKindRoundTrips) {
  RoundTripAll(std::make_index_sequence<std::variant_size_v<Payload>>());
}

// Counts the fields a struct's Visit lists and collects their keys.
struct FieldCounter {
  size_t count = 0;
  std::set<std::string> keys;
  template <typename T>
  void operator()(std::string_view key, T&) {
    ++count;
    keys.insert(std::string(key));
  }
};

// A field left out of Visit is neither encoded nor decoded, so every round trip still compares
// equal (default on both sides). This can fail instead: Boost.PFR counts the aggregate's
// members from the struct definition itself, independently of Visit, and the two counts must
// agree; and two fields under one key (one would decode the other's value) must not exist.
template <typename S>
void ExpectVisitListsEveryField(std::string_view name) {
  static_assert(std::is_aggregate_v<S>, "Boost.PFR counts the fields of aggregates");
  S value{};
  FieldCounter counter;
  value.Visit(counter);
  EXPECT_EQ(counter.count, boost::pfr::tuple_size_v<S>)
      << name << ": Visit does not list every field exactly once";
  EXPECT_EQ(counter.keys.size(), counter.count) << name << ": two fields share a key";
}

TEST(Codec, FieldsVisitedMatchTheStruct) {
  [&]<size_t... I>(std::index_sequence<I...>) {
    (ExpectVisitListsEveryField<std::variant_alternative_t<I, Payload>>(
         std::variant_alternative_t<I, Payload>::kKind),
     ...);
  }
  (std::make_index_sequence<std::variant_size_v<Payload>>());
  ExpectVisitListsEveryField<Actor>("Actor");
  ExpectVisitListsEveryField<Document>("Document");
  ExpectVisitListsEveryField<Share>("Share");
  ExpectVisitListsEveryField<SideAmount>("SideAmount");
}

TEST(Codec, KindsAreDistinct) {
  std::set<std::string_view> kinds;
  [&]<size_t... I>(std::index_sequence<I...>) {
    (kinds.insert(std::variant_alternative_t<I, Payload>::kKind), ...);
  }
  (std::make_index_sequence<std::variant_size_v<Payload>>());
  EXPECT_EQ(kinds.size(), std::variant_size_v<Payload>);
}

TEST(Codec, BodyIsStableText) {
  Event event{
      Actor{Role::kRegistryManager, "JP"},
      ExecuteIssuance{"MN003",
                      {core::Date::FromCivil(2017, 8, 26), core::Date::FromCivil(2018, 5, 31)},
                      "JP",
                      "tx-7",
                      core::Date::FromCivil(2018, 12, 14)}};
  EncodedEvent encoded = EncodeEvent(event);
  EXPECT_EQ(encoded.kind, "cycle.issuance_executed");
  EXPECT_EQ(encoded.body.Encode(),
            "actor.role=registry_manager\nactor.org=JP\nproject=MN003\n"
            "period=2017-08-26..2018-05-31\nside=JP\nledger_transaction=tx-7\n"
            "date=2018-12-14\n");
}

TEST(Codec, RejectsUnknownKindsAndBrokenFields) {
  core::Record body;
  body.Add("actor.role", "participant").Add("actor.org", "x");
  EXPECT_EQ(DecodeEvent("cycle.no_such_thing", body).status().code(), core::StatusCode::kDataLoss);
  EXPECT_EQ(DecodeEvent("ledger.issue", body).status().code(), core::StatusCode::kDataLoss);
  core::Record bad = body;
  bad.Add("project", "MN003").Add("period", "2018-05-31..2017-08-26").Add("date", "2018-12-14");
  EXPECT_EQ(DecodeEvent("cycle.project_withdrawn", bad).status().code(),
            core::StatusCode::kOk);  // extra keys are ignored
  auto broken = DecodeEvent("cycle.issuance_request_withdrawn", bad);
  EXPECT_EQ(broken.status().code(), core::StatusCode::kDataLoss);
  EXPECT_NE(broken.status().message().find("period"), std::string::npos);
  core::Record bad_role;
  bad_role.Add("actor.role", "king").Add("actor.org", "x");
  EXPECT_EQ(DecodeEvent("cycle.organisation_registered", bad_role).status().code(),
            core::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace jcm::cycle
