#include "core/text.h"

#include <gtest/gtest.h>

#include "core/split.h"

namespace jcm::core {
namespace {

TEST(TextTest, AcceptsWellFormedUtf8) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("Ulaanbaatar Solar LLC"));
  EXPECT_TRUE(IsValidUtf8("株式会社 \xF0\x9F\x8C\x8F"));  // 3- and 4-byte sequences
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));           // U+10FFFF
}

TEST(TextTest, RefusesMalformedUtf8) {
  EXPECT_FALSE(IsValidUtf8("\xFF"));
  EXPECT_FALSE(IsValidUtf8("abc\x80"));           // a lone continuation byte
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // overlong, 3 bytes
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // a surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xE6\xA0"));          // truncated
  EXPECT_FALSE(IsValidUtf8(std::string_view("\xE6\xA0\x0A", 3)));
}

TEST(TextTest, FindsControlCharacters) {
  EXPECT_FALSE(HasControlCharacter("Acme Co., Ltd. 株式会社"));
  EXPECT_TRUE(HasControlCharacter("Acme\nMN-100-0000001-63  holding"));
  EXPECT_TRUE(HasControlCharacter("tab\there"));
  EXPECT_TRUE(
      HasControlCharacter("PV\x1f"
                          "01"));
  EXPECT_TRUE(HasControlCharacter("del\x7f"));
  EXPECT_TRUE(HasControlCharacter("c1 \xC2\x85"));  // U+0085 NEXT LINE
  EXPECT_TRUE(HasControlCharacter(std::string_view("nul\0", 4)));
}

TEST(TextTest, UndoesADoubleEncoding) {
  // The public JCM data holds "–" (E2 80 93) read as Latin-1 and encoded again.
  EXPECT_EQ(UndoDoubleEncoding("Philippines \xC3\xA2\xC2\x80\xC2\x93 Los Ba\xC3\x83\xC2\xB1os"),
            "Philippines \xE2\x80\x93 Los Ba\xC3\xB1os");
  EXPECT_EQ(UndoDoubleEncoding("plain ASCII"), std::nullopt);  // nothing to undo
  EXPECT_EQ(UndoDoubleEncoding("Caf\xC3\xA9"), std::nullopt);  // é: E9 alone is not UTF-8
  EXPECT_EQ(UndoDoubleEncoding("株式会社"), std::nullopt);     // above U+00FF
}

TEST(TextTest, TextProblemNamesTheField) {
  EXPECT_EQ(TextProblem("ok", "--reason", 1000, true), std::nullopt);
  EXPECT_EQ(TextProblem(std::string(1001, 'a'), "--reason", 1000, false),
            "--reason is longer than 1000 bytes");
  EXPECT_EQ(TextProblem("\xFF", "--key", 1000, false), "--key is not valid UTF-8");
  EXPECT_EQ(TextProblem("a\nb", "the holder name", 1000, true),
            "the holder name contains a control character (e.g. a newline or tab)");
  EXPECT_EQ(TextProblem("a\nb", "a description", 1000, false), std::nullopt);
}

TEST(SplitFieldsTest, KeepsEveryPartIncludingEmptyOnes) {
  using V = std::vector<std::string_view>;
  EXPECT_EQ(SplitFields("MN|1|40|2019"), (V{"MN", "1", "40", "2019"}));
  EXPECT_EQ(SplitFields(""), (V{""}));
  EXPECT_EQ(SplitFields("a|"), (V{"a", ""}));
  EXPECT_EQ(SplitFields("|b||"), (V{"", "b", "", ""}));
  EXPECT_EQ(SplitFields("a;b", ';'), (V{"a", "b"}));
}

}  // namespace
}  // namespace jcm::core
