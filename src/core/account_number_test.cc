#include "core/account_number.h"

#include <gtest/gtest.h>

namespace jcm::core {
namespace {

TEST(AccountNumberTest, RoundTripsThroughText) {
  AccountNumber n{RegistryCode::FromTrusted("JP"), 121, 7};
  auto parsed = AccountNumber::Parse(n.ToString());
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(*parsed, n);
}

TEST(AccountNumberTest, EverySingleDigitSubstitutionIsRejected) {
  const std::string good = AccountNumber{RegistryCode::FromTrusted("MN"), 100, 1234567}.ToString();
  for (size_t i = 0; i < good.size(); ++i) {
    if (good[i] < '0' || good[i] > '9') continue;
    for (char d = '0'; d <= '9'; ++d) {
      if (d == good[i]) continue;
      std::string typo = good;
      typo[i] = d;
      EXPECT_FALSE(AccountNumber::Parse(typo).ok()) << typo;
    }
  }
}

TEST(AccountNumberTest, EveryAdjacentTranspositionIsRejected) {
  const std::string good = AccountNumber{RegistryCode::FromTrusted("VN"), 121, 9081726}.ToString();
  for (size_t i = 0; i + 1 < good.size(); ++i) {
    if (good[i] == good[i + 1] || good[i] == '-' || good[i + 1] == '-') continue;
    std::string typo = good;
    std::swap(typo[i], typo[i + 1]);
    EXPECT_FALSE(AccountNumber::Parse(typo).ok()) << typo;
  }
}

TEST(AccountNumberTest, MistypedNumberSaysSo) {
  std::string good = AccountNumber{RegistryCode::FromTrusted("JP"), 300, 1}.ToString();
  good[10] = good[10] == '9' ? '8' : '9';
  auto r = AccountNumber::Parse(good);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("mistyped"), std::string::npos);
  EXPECT_FALSE(AccountNumber::Parse("JP-1-2-3").ok());
  EXPECT_FALSE(AccountNumber::Parse("XX-121-0000001-00").ok());
}

}  // namespace
}  // namespace jcm::core
