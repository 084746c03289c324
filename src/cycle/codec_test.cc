#include "cycle/codec.h"

#include <gtest/gtest.h>

#include <type_traits>

namespace jcm::cycle {
namespace {

// Fills every field with a value distinct from its default, derived from the field's key, so a
// round trip that drops or swaps a field fails.
struct Filler {
  int seed = 0;
  void operator()(std::string_view key, std::string& v) {
    v = std::string(key) + "-value\\with=odd\nchars" + std::to_string(seed);
  }
  void operator()(std::string_view key, int64_t& v) {
    v = static_cast<int64_t>(key.size()) * 1000 + seed;
  }
  void operator()(std::string_view, bool& v) { v = true; }
  void operator()(std::string_view key, core::Date& v) {
    v = core::Date::FromCivil(2020, 1 + static_cast<int>(key.size() % 12), 1 + seed % 28);
  }
  void operator()(std::string_view, core::Period& v) {
    v = {core::Date::FromCivil(2017, 8, 26), core::Date::FromCivil(2018, 5, 31)};
  }
  template <typename E>
  requires std::is_enum_v<E>
  void operator()(std::string_view, E& v) { v = static_cast<E>(1); }
  void operator()(std::string_view key, std::vector<std::string>& v) {
    v = {std::string(key) + "-a", std::string(key) + "-b"};
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
  void operator()(std::string_view, S& v) {
    Filler nested{seed + 1};
    v.Visit(nested);
  }
  template <typename S>
  requires requires(S s) {
    s.Visit([](std::string_view, auto&) {});
  }
  void operator()(std::string_view, std::vector<S>& v) {
    v.resize(3);
    for (size_t i = 0; i < v.size(); ++i) {
      Filler nested{seed + static_cast<int>(i) + 2};
      v[i].Visit(nested);
    }
  }
};

template <size_t I>
void RoundTripAlternative() {
  using P = std::variant_alternative_t<I, Payload>;
  P payload;
  Filler filler;
  payload.Visit(filler);
  Event event{Actor{Role::kSecretariat, "MN"}, payload};
  EncodedEvent encoded = EncodeEvent(event);
  EXPECT_EQ(encoded.kind, "cycle." + std::string(P::kKind));
  // Through the text form too: what the journal stores and hashes.
  auto reparsed = core::Record::Decode(encoded.body.Encode());
  ASSERT_TRUE(reparsed.ok()) << reparsed.status().ToString();
  auto decoded = DecodeEvent(encoded.kind, *reparsed);
  ASSERT_TRUE(decoded.ok()) << P::kKind << ": " << decoded.status().ToString();
  EXPECT_TRUE(*decoded == event) << P::kKind;
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
  EXPECT_FALSE(DecodeEvent("cycle.organisation_registered", bad_role).ok());
}

}  // namespace
}  // namespace jcm::cycle
