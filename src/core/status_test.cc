#include "core/status.h"

#include <gtest/gtest.h>

namespace jcm::core {
namespace {

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
  auto r = Quarter(6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().ToString(), "INVALID_ARGUMENT: odd");
}

TEST(StatusTest, CheckAbortsOnBrokenInvariant) {
  EXPECT_DEATH(JCM_CHECK(1 + 1 == 3, "INV-0"), "INV-0");
}

}  // namespace
}  // namespace jcm::core
