#include "identity/password_policy.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace jcm::identity {
namespace {

std::optional<IdentityCheck> CheckOf(std::string_view user, std::string_view password) {
  const auto rejection = CheckPasswordPolicy(user, password);
  if (!rejection) return std::nullopt;
  return rejection->check;
}

TEST(CountCodePoints, CountsCharactersNotBytes) {
  EXPECT_EQ(CountCodePoints("abc"), 3u);
  EXPECT_EQ(CountCodePoints("\xE6\x97\xA5\xE6\x9C\xAC"), 2u);  // 日本: 6 bytes, 2 characters
  EXPECT_EQ(CountCodePoints("\xF0\x9F\x94\x91"), 1u);          // U+1F511, 4 bytes
}

TEST(CountCodePoints, RefusesInvalidUtf8) {
  EXPECT_EQ(CountCodePoints("\xC0\xAF"), std::nullopt);      // overlong '/'
  EXPECT_EQ(CountCodePoints("\xED\xA0\x80"), std::nullopt);  // a surrogate
  EXPECT_EQ(CountCodePoints("\xE6\x97"), std::nullopt);      // truncated
  EXPECT_EQ(CountCodePoints("\xFF"), std::nullopt);
}

TEST(PasswordPolicy, ElevenCharactersAreTooShortTwelveAreEnough) {
  EXPECT_EQ(CheckOf("alice", "Zq7#vX2!pL9"), IdentityCheck::kPasswordTooShort);
  EXPECT_EQ(CheckOf("alice", "Zq7#vX2!pL9m"), std::nullopt);
}

TEST(PasswordPolicy, LengthCountsCodePoints) {
  // Twelve Japanese characters are 36 bytes and exactly twelve characters: accepted.
  std::string twelve;
  for (int i = 0; i < 12; ++i) twelve += "\xE6\x9C\xA8";  // 木
  EXPECT_EQ(CheckOf("alice", twelve), std::nullopt);
  // Eleven are 33 bytes, more than 12 bytes but fewer than 12 characters: refused.
  EXPECT_EQ(CheckOf("alice", twelve.substr(3)), IdentityCheck::kPasswordTooShort);
}

TEST(PasswordPolicy, RefusesCommonPasswordsInAnyCase) {
  EXPECT_TRUE(IsCommonPassword("1qaz2wsx3edc"));
  EXPECT_EQ(CheckOf("alice", "1qaz2wsx3edc"), IdentityCheck::kPasswordCommon);
  EXPECT_EQ(CheckOf("alice", "1QAZ2WSX3EDC"), IdentityCheck::kPasswordCommon);
  EXPECT_FALSE(IsCommonPassword("Zq7#vX2!pL9m"));
}

TEST(PasswordPolicy, RefusesThePasswordContainingTheUserName) {
  EXPECT_EQ(CheckOf("tanaka.k", "my-Tanaka.K-secret"), IdentityCheck::kPasswordContainsUserName);
  EXPECT_EQ(CheckOf("tanaka.k", "my-tanaka-secret!"), std::nullopt);
}

TEST(PasswordPolicy, RefusesInvalidUtf8AndOverlongPasswords) {
  EXPECT_EQ(CheckOf("alice", "abcdefghijk\xFF"), IdentityCheck::kPasswordNotUtf8);
  EXPECT_EQ(CheckOf("alice", std::string(kPasswordBytesMax + 1, 'x')),
            IdentityCheck::kPasswordTooLong);
  EXPECT_EQ(CheckOf("alice", std::string(kPasswordBytesMax, 'x')), std::nullopt);
}

TEST(IdentityCheckName, NamesAreSnakeCase) {
  EXPECT_EQ(IdentityCheckName(IdentityCheck::kPasswordTooShort), "password_too_short");
  EXPECT_EQ((Rejection{IdentityCheck::kTotpReplayed, ""}.number()), 314);
}

}  // namespace
}  // namespace jcm::identity
