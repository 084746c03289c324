#include "cli/common/args.h"

#include <gtest/gtest.h>

namespace jcm::cli {
namespace {

TEST(ArgsTest, ParsesValuesSwitchesAndRepeats) {
  std::vector<std::string_view> argv = {"open", "--db", "x.db",  "--to=A:1",
                                        "--to", "B:2",  "--json"};
  auto args = Args::Parse(argv, {"db", "to"});
  ASSERT_TRUE(args.ok());
  EXPECT_EQ(args->positional(), std::vector<std::string>{"open"});
  EXPECT_EQ(*args->Get("db"), "x.db");
  EXPECT_EQ(args->GetAll("to"), (std::vector<std::string>{"A:1", "B:2"}));
  EXPECT_TRUE(args->Has("json"));
}

TEST(ArgsTest, UnknownOptionAndMissingValueAreUsageErrors) {
  std::vector<std::string_view> typo = {"--qantity", "5"};
  EXPECT_EQ(Args::Parse(typo, {"quantity"}).status().code(), core::StatusCode::kInvalidArgument);
  std::vector<std::string_view> dangling = {"--quantity"};
  EXPECT_EQ(Args::Parse(dangling, {"quantity"}).status().code(),
            core::StatusCode::kInvalidArgument);
  std::vector<std::string_view> bad_int = {"--quantity", "5x"};
  EXPECT_EQ(Args::Parse(bad_int, {"quantity"})->RequireInt("quantity").status().code(),
            core::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace jcm::cli
