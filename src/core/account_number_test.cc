#include "core/account_number.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/testing/status_matchers.h"

namespace jcm::core {
namespace {

using ::jcm_testing::StatusIs;
using ::testing::AnyOf;
using ::testing::HasSubstr;

const auto kMistyped = StatusIs(StatusCode::kInvalidArgument, HasSubstr("it is mistyped"));

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
      EXPECT_THAT(AccountNumber::Parse(typo), kMistyped) << typo;
    }
  }
}

TEST(AccountNumberTest, EveryAdjacentTranspositionIsRejected) {
  const std::string good = AccountNumber{RegistryCode::FromTrusted("VN"), 121, 9081726}.ToString();
  for (size_t i = 0; i + 1 < good.size(); ++i) {
    if (good[i] == good[i + 1] || good[i] == '-' || good[i + 1] == '-') continue;
    std::string typo = good;
    std::swap(typo[i], typo[i + 1]);
    // Swapping the registry letters (VN -> NV) names another registry, which may not exist.
    EXPECT_THAT(AccountNumber::Parse(typo),
                StatusIs(StatusCode::kInvalidArgument,
                         AnyOf(HasSubstr("it is mistyped"), HasSubstr("unknown registry code"))))
        << typo;
  }
}

TEST(AccountNumberTest, MistypedNumberSaysSo) {
  std::string good = AccountNumber{RegistryCode::FromTrusted("JP"), 300, 1}.ToString();
  good[10] = good[10] == '9' ? '8' : '9';
  EXPECT_THAT(AccountNumber::Parse(good), kMistyped);
  EXPECT_THAT(AccountNumber::Parse("JP-1-2-3"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("is not an account number")));
  EXPECT_THAT(AccountNumber::Parse("XX-121-0000001-00"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("unknown registry code 'XX'")));
}

}  // namespace
}  // namespace jcm::core
