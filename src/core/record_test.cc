#include "core/record.h"

#include <gtest/gtest.h>

#include <random>

namespace jcm::core {
namespace {

TEST(RecordTest, EncodesInInsertionOrderWithEscapes) {
  Record r;
  r.Add("kind", "transfer").AddInt("quantity", 42).Add("note", "a\\b\nc=d");
  EXPECT_EQ(r.Encode(), "kind=transfer\nquantity=42\nnote=a\\\\b\\nc=d\n");
}

TEST(RecordTest, DecodeInvertsEncodeForArbitraryBytes) {
  std::mt19937 random(7);
  for (int round = 0; round < 500; ++round) {
    Record r;
    const int fields = static_cast<int>(random() % 6);
    for (int f = 0; f < fields; ++f) {
      std::string value;
      const int length = static_cast<int>(random() % 12);
      for (int i = 0; i < length; ++i) value += static_cast<char>(random() % 256);
      r.Add("k" + std::to_string(random() % 3), value);
    }
    auto decoded = Record::Decode(r.Encode());
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(*decoded, r);
  }
}

TEST(RecordTest, RepeatedKeysFormLists) {
  Record r;
  r.Add("block", "1").Add("other", "x").Add("block", "2");
  auto all = r.FindAll("block");
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1], "2");
  EXPECT_EQ(*r.GetInt("block"), 1);
  EXPECT_EQ(r.GetInt("other").status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(r.Get("missing").status().code(), StatusCode::kDataLoss);
}

TEST(RecordTest, CorruptTextIsDataLoss) {
  for (const char* bad : {"novalue\n", "k=v", "K=v\n", "k=bad\\escape\n", "=v\n"}) {
    EXPECT_EQ(Record::Decode(bad).status().code(), StatusCode::kDataLoss) << bad;
  }
}

TEST(ParseInt64Test, AcceptsWholeIntegersOnly) {
  EXPECT_EQ(ParseInt64("-12"), -12);
  EXPECT_EQ(ParseInt64("9223372036854775807"), INT64_MAX);
  EXPECT_FALSE(ParseInt64("9223372036854775808"));
  EXPECT_FALSE(ParseInt64("12a"));
  EXPECT_FALSE(ParseInt64(""));
}

}  // namespace
}  // namespace jcm::core
