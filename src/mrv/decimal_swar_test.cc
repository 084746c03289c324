#include "mrv/decimal_swar.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "mrv/exact_sum.h"

namespace jcm::mrv::internal {
namespace {

// Runs MatchFixedScale on `field` placed at the very end of an exactly sized heap buffer (so
// ASan catches any read past it), after 8 bytes of other text as in a CSV row.
bool Match(const std::string& field, int scale, int64_t* mantissa) {
  const std::string row = "17:15,9," + field;
  std::vector<char> buffer(row.begin(), row.end());
  const char* end = buffer.data() + buffer.size();
  uint64_t digits = 0;
  const FixedScaleKey key = FixedScaleKeyFor(scale);
  if (!MatchFixedScale(LoadEndingAt(end), field.size(), key, &digits)) return false;
  uint64_t even = 0, odd = 0;
  AddToLanes(digits, &even, &odd);
  *mantissa = LaneValue(even, odd, key);
  return true;
}

// The fast path must agree with the exact parser whenever it accepts a field, and accept every
// plain field of its shape: [digits, at least one].[exactly `scale` digits], at most 8 bytes.
void CheckAgainstParseDecimal(const std::string& field) {
  DecimalValue exact;
  const DecimalParse parse = ParseDecimal(field, &exact);
  const size_t dot = field.find('.');
  for (int scale = -1; scale <= 9; ++scale) {
    int64_t mantissa = 0;
    const bool matched = Match(field, scale, &mantissa);
    const bool plain = parse == DecimalParse::kOk && field.size() <= 8 &&
                       dot != std::string::npos && dot >= 1 && field[0] != '+' && field[0] != '-' &&
                       field.size() - dot - 1 == static_cast<size_t>(scale) && scale >= 1;
    EXPECT_EQ(matched, plain) << '"' << field << "\" scale " << scale;
    if (matched && parse == DecimalParse::kOk) {
      EXPECT_EQ(exact.scale, scale) << field;
      EXPECT_TRUE(exact.mantissa == Int128(mantissa)) << field;
    }
  }
}

TEST(DecimalSwarTest, EdgeCasesAgreeWithParseDecimal) {
  for (const char* field : {"",
                            ".",
                            "5",
                            "5.",
                            ".5",
                            "0.0",
                            "00.000",
                            "0000.000",
                            "20.190",
                            "9999.999",
                            "1.234567",
                            "9.999999",
                            "12.345678",
                            "+1.5",
                            "-1.5",
                            "1.-5",
                            "1..5",
                            "1.5.",
                            "1,5",
                            "1 .5",
                            " 1.5",
                            "1.5 ",
                            "a.bc",
                            "1.2e3",
                            "999999.9",
                            "1234567.8",
                            "99999999",
                            "123456789012345678",
                            "1234567890123456789",
                            "0.000000000000000001",
                            "000000000000000001.5",
                            "1.:",
                            "1./",
                            "/.5",
                            ":.5",
                            "1\x80.5",
                            "1.\xff"}) {
    CheckAgainstParseDecimal(field);
  }
}

TEST(DecimalSwarTest, RandomFieldsAgreeWithParseDecimal) {
  std::mt19937_64 random(20261129);
  const std::string alphabet = "0123456789.+-,e /:";
  for (int i = 0; i < 200000; ++i) {
    std::string field;
    const size_t length = random() % 11;
    for (size_t k = 0; k < length; ++k) {
      // Mostly digits and one '.', sometimes anything: all bytes 0..255 are tried.
      const uint64_t pick = random() % 100;
      if (pick < 80)
        field += static_cast<char>('0' + random() % 10);
      else if (pick < 90)
        field += '.';
      else if (pick < 95)
        field += alphabet[random() % alphabet.size()];
      else
        field += static_cast<char>(random() % 256);
    }
    CheckAgainstParseDecimal(field);
  }
}

// The lanes hold the exact sum of up to kLaneAddsMax fields, the largest ones included.
TEST(DecimalSwarTest, LanesSumExactly) {
  std::mt19937_64 random(7);
  for (int scale = 1; scale <= 6; ++scale) {
    const FixedScaleKey key = FixedScaleKeyFor(scale);
    uint64_t even = 0, odd = 0;
    int64_t expected = 0;
    for (int64_t i = 0; i < kLaneAddsMax; ++i) {
      // Every third field the largest of its shape (7 - scale integer digits, all nines), the
      // others with 1 to 7 - scale integer digits (leading zeros included).
      const size_t integer_digits = static_cast<size_t>(7 - scale);
      std::string field = i % 3 == 0 ? std::string(integer_digits, '9') : "";
      for (size_t k = 0, n = 1 + random() % integer_digits; i % 3 != 0 && k < n; ++k)
        field += static_cast<char>('0' + random() % 10);
      field += '.';
      for (int k = 0; k < scale; ++k)
        field += i % 3 == 0 ? '9' : static_cast<char>('0' + random() % 10);
      const std::string row = "12345678" + field;
      uint64_t digits = 0;
      ASSERT_TRUE(
          MatchFixedScale(LoadEndingAt(row.data() + row.size()), field.size(), key, &digits))
          << field;
      AddToLanes(digits, &even, &odd);
      DecimalValue exact;
      ASSERT_EQ(ParseDecimal(field, &exact), DecimalParse::kOk);
      expected += static_cast<int64_t>(exact.mantissa);
    }
    EXPECT_EQ(LaneValue(even, odd, key), expected) << "scale " << scale;
  }
}

TEST(DecimalSwarTest, CommaMaskMarksEveryComma) {
  std::mt19937_64 random(3);
  for (int i = 0; i < 1000; ++i) {
    std::string block(64, 'x');
    for (char& c : block) c = random() % 4 == 0 ? ',' : static_cast<char>(random() % 256);
    uint64_t expected = 0;
    for (size_t k = 0; k < 64; ++k) expected |= uint64_t{block[k] == ','} << k;
    EXPECT_EQ(CommaMask(block.data()), expected);
  }
}

}  // namespace
}  // namespace jcm::mrv::internal
