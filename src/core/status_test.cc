#include "core/status.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/testing/status_matchers.h"

namespace jcm::core {
namespace {

using ::jcm_testing::StatusIs;

Result<int> Half(int x) {
  if (x % 2 != 0) return InvalidArgument("odd");
  return x / 2;
}

Result<int> Quarter(int x) {
  JCM_ASSIGN_OR_RETURN(int h, Half(x));
  return Half(h);
}

TEST(StatusTest, AssignOrReturnPropagatesTheFirstError) {
  EXPECT_EQ(*Quarter(8), 2);
  EXPECT_THAT(Quarter(6), StatusIs(StatusCode::kInvalidArgument, "odd"));
}

TEST(StatusTest, CheckAbortsOnBrokenInvariant) {
  EXPECT_DEATH(JCM_CHECK(1 + 1 == 3, "INV-0"), "INV-0");
}

}  // namespace
}  // namespace jcm::core
