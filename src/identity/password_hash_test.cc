#include "identity/password_hash.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/testing/status_matchers.h"

namespace jcm::identity {
namespace {

using jcm_testing::StatusIs;
using ::testing::StartsWith;

const std::string kSalt = "0123456789abcdef";

TEST(PasswordHash, IsArgon2idPhcWithTheMinimumParameters) {
  const auto phc = HashPassword("correct horse battery", kSalt);
  ASSERT_TRUE(phc.ok()) << phc.status();
  // 19 MiB = 19,456 KiB, 2 iterations, 1 lane; salt "0123456789abcdef" in unpadded base64.
  EXPECT_THAT(*phc, StartsWith("$argon2id$v=19$m=19456,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$"));
  EXPECT_TRUE(VerifyPassword(*phc, "correct horse battery"));
  EXPECT_FALSE(VerifyPassword(*phc, "correct horse batterY"));
  EXPECT_FALSE(VerifyPassword(*phc, ""));
}

TEST(PasswordHash, IsDeterministicForASaltAndDiffersAcrossSalts) {
  EXPECT_EQ(*HashPassword("pw-twelve-chars", kSalt), *HashPassword("pw-twelve-chars", kSalt));
  EXPECT_NE(*HashPassword("pw-twelve-chars", kSalt),
            *HashPassword("pw-twelve-chars", "fedcba9876543210"));
  const auto a = HashPasswordWithRandomSalt("pw-twelve-chars");
  const auto b = HashPasswordWithRandomSalt("pw-twelve-chars");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(VerifyPassword(*a, "pw-twelve-chars"));
}

TEST(PasswordHash, RefusesASaltOfTheWrongLength) {
  EXPECT_THAT(HashPassword("x", "short"), StatusIs(core::StatusCode::kInvalidArgument));
}

TEST(VerifyPassword, IsFalseForMalformedOrOtherVariantStrings) {
  EXPECT_FALSE(VerifyPassword("", "x"));
  EXPECT_FALSE(VerifyPassword("plain text", "plain text"));
  EXPECT_FALSE(VerifyPassword("$argon2id$v=19$m=19456,t=2,p=1$garbage", "x"));
  auto phc = *HashPassword("some password", kSalt);
  phc.replace(0, 10, "$argon2i$");  // another variant is not accepted
  EXPECT_FALSE(VerifyPassword(phc, "some password"));
}

TEST(DecoyPasswordHash, IsAValidHashOfNoOrdinaryPassword) {
  EXPECT_THAT(DecoyPasswordHash(), StartsWith("$argon2id$v=19$m=19456,t=2,p=1$"));
  EXPECT_FALSE(VerifyPassword(DecoyPasswordHash(), ""));
}

}  // namespace
}  // namespace jcm::identity
