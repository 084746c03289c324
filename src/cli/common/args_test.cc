#include "cli/common/args.h"

#include <gtest/gtest.h>

namespace jcm::cli {
namespace {

TEST(ArgsTest, ParsesValuesSwitchesAndRepeats) {
  std::vector<std::string_view> argv = {"open", "--db", "x.db",  "--to=A:1",
                                        "--to", "B:2",  "--json"};
  auto args = Args::Parse(argv, {"db", "to...", "<WHAT>"});
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

// The message of the usage error Parse returns for `argv`.
std::string Refusal(std::vector<std::string_view> argv,
                    std::initializer_list<std::string_view> value_flags) {
  auto args = Args::Parse(argv, value_flags);
  EXPECT_EQ(args.status().code(), core::StatusCode::kInvalidArgument);
  return std::string(args.status().message());
}

TEST(ArgsTest, RefusesWhatTheCommandDoesNotDeclare) {
  // "-key k1" would drop the idempotency key: a retry would apply twice.
  EXPECT_EQ(Refusal({"--db", "x", "-key", "k1"}, {"db", "key"}),
            "unexpected argument '-key': options start with -- (e.g. --key K)");
  EXPECT_EQ(Refusal({"--db", "x", "stray"}, {"db"}),
            "unexpected argument 'stray': this command takes only --options");
  EXPECT_EQ(Refusal({"--db", "x", "A", "B"}, {"db", "<REF>"}),
            "unexpected argument 'B': too many arguments");
  EXPECT_EQ(Refusal({"--to", "x"}, {"from", "quantity"}), "unknown option --to");
  EXPECT_EQ(Refusal({"--key", "a", "--key=b"}, {"key"}), "--key is given more than once");
  EXPECT_EQ(Refusal({"--json", "--json"}, {}), "--json is given more than once");
  EXPECT_EQ(Refusal({"--", "x"}, {}),
            "unexpected argument '--': options start with -- (e.g. --key K)");
}

TEST(ArgsTest, RefusesInvalidUtf8) {
  EXPECT_EQ(Refusal({"--holder-name", "Caf\xe9"}, {"holder-name"}),
            "the value of --holder-name is not valid UTF-8");
  EXPECT_EQ(Refusal({"--holder-name=\xff"}, {"holder-name"}),
            "the value of --holder-name is not valid UTF-8");
  EXPECT_EQ(Refusal({"\xff"}, {"<REF>"}), "an argument is not valid UTF-8");
  auto ok =
      Args::Parse(std::vector<std::string_view>{"--holder-name", "株式会社"}, {"holder-name"});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok->Get("holder-name"), "株式会社");
}

TEST(ArgsTest, DeclarationsNameRepeatablesAndPositionals) {
  EXPECT_EQ(DeclaredName("to..."), "to");
  EXPECT_TRUE(IsRepeatable("to..."));
  EXPECT_FALSE(IsRepeatable("to"));
  EXPECT_TRUE(IsPositional("<REF>"));
  EXPECT_EQ(DeclaredName("<REF>"), "");
}

}  // namespace
}  // namespace jcm::cli
