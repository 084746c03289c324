#include "identity/totp.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/testing/status_matchers.h"

namespace jcm::identity {
namespace {

using jcm_testing::StatusIs;

// RFC 6238 Appendix B: the seeds are the ASCII digits repeated to the hash's block of key
// (20 bytes for SHA-1, 32 for SHA-256); the codes are 8 digits.
const std::string kSha1Key = "12345678901234567890";
const std::string kSha256Key = "12345678901234567890123456789012";

struct Vector {
  int64_t time_s;
  const char* sha1;
  const char* sha256;
};
constexpr Vector kRfc6238Vectors[] = {
    {59, "94287082", "46119246"},         {1111111109, "07081804", "68084774"},
    {1111111111, "14050471", "67062674"}, {1234567890, "89005924", "91819424"},
    {2000000000, "69279037", "90698825"}, {20000000000, "65353130", "77737706"},
};

TEST(Totp, MatchesRfc6238AppendixB) {
  for (const Vector& v : kRfc6238Vectors) {
    EXPECT_EQ(TotpAt(kSha1Key, v.time_s, TotpAlgorithm::kSha1, 8), v.sha1) << v.time_s;
    EXPECT_EQ(TotpAt(kSha256Key, v.time_s, TotpAlgorithm::kSha256, 8), v.sha256) << v.time_s;
    // Six digits are the last six of the eight: the same truncated value modulo 10^6.
    EXPECT_EQ(TotpAt(kSha256Key, v.time_s, TotpAlgorithm::kSha256), std::string(v.sha256 + 2));
  }
}

TEST(Hotp, MatchesRfc4226AppendixD) {
  const char* expected[] = {"755224", "287082", "359152", "969429", "338314",
                            "254676", "287922", "162583", "399871", "520489"};
  for (uint64_t counter = 0; counter < 10; ++counter) {
    EXPECT_EQ(Hotp(kSha1Key, counter, TotpAlgorithm::kSha1), expected[counter]) << counter;
  }
}

TEST(VerifyTotp, AcceptsOneStepEitherSideAndNoMore) {
  const int64_t now = 1'700'000'000;
  const int64_t step = TotpStepAt(now);
  for (int64_t offset : {-1, 0, 1}) {
    const std::string code = TotpAt(kSha256Key, now + offset * 30, TotpAlgorithm::kSha256);
    const auto result = VerifyTotp(kSha256Key, code, now, TotpAlgorithm::kSha256, std::nullopt);
    ASSERT_TRUE(std::holds_alternative<int64_t>(result)) << offset;
    EXPECT_EQ(std::get<int64_t>(result), step + offset);
  }
  for (int64_t offset : {-2, 2}) {
    const std::string code = TotpAt(kSha256Key, now + offset * 30, TotpAlgorithm::kSha256);
    EXPECT_EQ(VerifyTotp(kSha256Key, code, now, TotpAlgorithm::kSha256, std::nullopt),
              (std::variant<int64_t, IdentityCheck>(IdentityCheck::kTotpInvalid)))
        << offset;
  }
}

TEST(VerifyTotp, RefusesTheSameStepTwiceAndAnEarlierOne) {
  const int64_t now = 1'700'000'000;
  const std::string code = TotpAt(kSha1Key, now, TotpAlgorithm::kSha1);
  const auto first = VerifyTotp(kSha1Key, code, now, TotpAlgorithm::kSha1, std::nullopt);
  ASSERT_TRUE(std::holds_alternative<int64_t>(first));
  const int64_t used = std::get<int64_t>(first);
  EXPECT_EQ(VerifyTotp(kSha1Key, code, now + 5, TotpAlgorithm::kSha1, used),
            (std::variant<int64_t, IdentityCheck>(IdentityCheck::kTotpReplayed)));
  const std::string previous = TotpAt(kSha1Key, now - 30, TotpAlgorithm::kSha1);
  EXPECT_EQ(VerifyTotp(kSha1Key, previous, now, TotpAlgorithm::kSha1, used),
            (std::variant<int64_t, IdentityCheck>(IdentityCheck::kTotpReplayed)));
  const std::string next = TotpAt(kSha1Key, now + 30, TotpAlgorithm::kSha1);
  EXPECT_EQ(VerifyTotp(kSha1Key, next, now + 30, TotpAlgorithm::kSha1, used),
            (std::variant<int64_t, IdentityCheck>(used + 1)));
}

TEST(VerifyTotp, RefusesMalformedCodes) {
  const int64_t now = 1'700'000'000;
  const std::string code = TotpAt(kSha1Key, now, TotpAlgorithm::kSha1);
  for (const std::string& bad :
       {std::string(), code + "0", code.substr(1), std::string("abcdef")}) {
    EXPECT_EQ(VerifyTotp(kSha1Key, bad, now, TotpAlgorithm::kSha1, std::nullopt),
              (std::variant<int64_t, IdentityCheck>(IdentityCheck::kTotpInvalid)))
        << bad;
  }
}

TEST(Base32, RoundTripsAndMatchesRfc4648) {
  // RFC 4648 §10 (without padding).
  EXPECT_EQ(Base32Encode("f"), "MY");
  EXPECT_EQ(Base32Encode("foobar"), "MZXW6YTBOI");
  EXPECT_EQ(*Base32Decode("MZXW6YTBOI"), "foobar");
  EXPECT_EQ(*Base32Decode("mzxw 6ytb oi======"), "foobar");
  EXPECT_EQ(*Base32Decode(Base32Encode(kSha256Key)), kSha256Key);
  EXPECT_THAT(Base32Decode("MZ1W"), StatusIs(core::StatusCode::kInvalidArgument));
}

TEST(OtpauthUri, CarriesSecretIssuerAndParameters) {
  EXPECT_EQ(OtpauthUri("JCM Registry", "tanaka@jp", "foobar", TotpAlgorithm::kSha256),
            "otpauth://totp/JCM%20Registry:tanaka%40jp?secret=MZXW6YTBOI&issuer=JCM%20Registry"
            "&algorithm=SHA256&digits=6&period=30");
}

TEST(ParseTotpAlgorithm, KnowsSha1AndSha256Only) {
  EXPECT_EQ(*ParseTotpAlgorithm("SHA1"), TotpAlgorithm::kSha1);
  EXPECT_EQ(*ParseTotpAlgorithm("SHA256"), TotpAlgorithm::kSha256);
  EXPECT_THAT(ParseTotpAlgorithm("SHA512"), StatusIs(core::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace jcm::identity
