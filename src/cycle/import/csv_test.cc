#include "cycle/import/csv.h"

#include <gtest/gtest.h>

namespace jcm::cycle::import {
namespace {

TEST(Csv, QuotedFieldsWithCommasQuotesAndNewlines) {
  auto table = ParseCsv("a,b,c\n1,\"x, y\",\"say \"\"hi\"\"\"\n2,\"two\nlines\",z\r\n3,,\n");
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  ASSERT_EQ(table->rows.size(), 3u);
  EXPECT_EQ(table->rows[0].fields[1], "x, y");
  EXPECT_EQ(table->rows[0].fields[2], "say \"hi\"");
  EXPECT_EQ(table->rows[1].fields[1], "two\nlines");
  EXPECT_EQ(table->rows[1].line, 3);
  EXPECT_EQ(table->rows[2].line, 5);  // the quoted newline advanced the line count
  EXPECT_EQ(table->rows[2].fields, (std::vector<std::string>{"3", "", ""}));
  EXPECT_EQ(table->Column("c"), 2);
  EXPECT_EQ(table->Column("nope"), -1);
}

TEST(Csv, ByteOrderMarkIsSkippedAndRecorded) {
  auto table = ParseCsv("\xEF\xBB\xBFstandard,x\nJCM,1");
  ASSERT_TRUE(table.ok());
  EXPECT_TRUE(table->had_byte_order_mark);
  EXPECT_EQ(table->header[0], "standard");
  ASSERT_EQ(table->rows.size(), 1u);
}

TEST(Csv, MalformedInputIsAnError) {
  EXPECT_EQ(ParseCsv("a\n\"open").status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseCsv("a\n\"x\"y").status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseCsv("").status().code(), core::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace jcm::cycle::import
