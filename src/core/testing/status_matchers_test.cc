#include "core/testing/status_matchers.h"

#include <gmock/gmock.h>
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "core/status.h"

namespace jcm::core {
namespace {

using ::jcm_testing::IsOk;
using ::jcm_testing::StatusIs;
using ::testing::AnyOf;
using ::testing::HasSubstr;
using ::testing::Not;

Result<int> Half(int x) {
  if (x % 2 != 0) return InvalidArgument("odd: " + std::to_string(x));
  return x / 2;
}

TEST(StatusIsTest, MatchesTheCodeOfAStatusAndOfAResult) {
  EXPECT_THAT(NotFound("no row"), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(Half(3), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(NotFound("no row"), Not(StatusIs(StatusCode::kInvalidArgument)));
  EXPECT_THAT(Half(3), Not(StatusIs(StatusCode::kDataLoss)));
  EXPECT_THAT(Half(3), StatusIs(AnyOf(StatusCode::kInvalidArgument, StatusCode::kNotFound)));
}

TEST(StatusIsTest, MatchesTheMessageWithAStringOrAMatcher) {
  EXPECT_THAT(Half(3), StatusIs(StatusCode::kInvalidArgument, "odd: 3"));
  EXPECT_THAT(Half(3), StatusIs(StatusCode::kInvalidArgument, HasSubstr("odd")));
  EXPECT_THAT(Half(3), Not(StatusIs(StatusCode::kInvalidArgument, "odd: 5")));
  EXPECT_THAT(Half(3), Not(StatusIs(StatusCode::kNotFound, "odd: 3")));
}

TEST(StatusIsTest, OkIsACodeLikeAnyOther) {
  EXPECT_THAT(OkStatus(), StatusIs(StatusCode::kOk));
  EXPECT_THAT(Half(4), StatusIs(StatusCode::kOk));
  EXPECT_THAT(Half(4), Not(StatusIs(StatusCode::kInvalidArgument)));
}

TEST(StatusIsTest, DescribesItselfAndExplainsAMismatch) {
  const ::testing::Matcher<const Result<int>&> matcher =
      StatusIs(StatusCode::kNotFound, HasSubstr("row"));
  EXPECT_EQ(::testing::DescribeMatcher<const Result<int>&>(matcher),
            "has a status code that is equal to NOT_FOUND, and a message that has substring "
            "\"row\"");
  ::testing::StringMatchResultListener listener;
  EXPECT_FALSE(matcher.MatchAndExplain(Half(3), &listener));
  EXPECT_EQ(listener.str(), "whose status is INVALID_ARGUMENT: odd: 3");
}

TEST(StatusIsTest, AFailedExpectationPrintsTheActualStatus) {
  EXPECT_NONFATAL_FAILURE(EXPECT_THAT(Half(3), StatusIs(StatusCode::kNotFound)),
                          "whose status is INVALID_ARGUMENT: odd: 3");
  EXPECT_NONFATAL_FAILURE(EXPECT_THAT(Half(4), StatusIs(StatusCode::kNotFound)),
                          "whose status is OK");
}

TEST(IsOkTest, MatchesOkStatusesAndResultsWithAValue) {
  EXPECT_THAT(OkStatus(), IsOk());
  EXPECT_THAT(Half(4), IsOk());
  EXPECT_THAT(Internal("disk"), Not(IsOk()));
  EXPECT_THAT(Half(3), Not(IsOk()));
  EXPECT_NONFATAL_FAILURE(EXPECT_THAT(Half(3), IsOk()), "whose status is INVALID_ARGUMENT: odd: 3");
}

TEST(StatusPrintTest, StatusesAndCodesPrintByName) {
  std::ostringstream out;
  out << StatusCode::kFailedPrecondition << " | " << DataLoss("torn page") << " | " << OkStatus();
  EXPECT_EQ(out.str(), "FAILED_PRECONDITION | DATA_LOSS: torn page | OK");
}

}  // namespace
}  // namespace jcm::core
