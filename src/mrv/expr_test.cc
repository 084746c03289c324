#include "mrv/expr.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <pthread.h>

#include "core/testing/status_matchers.h"

namespace jcm::mrv {
namespace {

using core::StatusCode;
using ::jcm_testing::StatusIs;
using ::testing::HasSubstr;

Rational R(std::string_view text) { return *Rational::Parse(text); }

SymbolTable Table() {
  SymbolTable table;
  table.symbols["EG"] = Symbol{*Unit::Parse("MWh"), {}};
  table.symbols["EG_kWh"] = Symbol{*Unit::Parse("kWh"), {}};
  table.symbols["EF"] = Symbol{*Unit::Parse("tCO2/MWh"), {}};
  table.symbols["COP"] = Symbol{Unit(), {}};
  table.symbols["DOC"] = Symbol{*Unit::Parse("tC/t"), {"j"}};
  table.symbols["W"] = Symbol{*Unit::Parse("t"), {"x"}};
  table.symbols["y"] = Symbol{Unit(), {}};
  table.index_sets["j"] = {"food", "paper"};
  return table;
}

core::Result<Rational> Resolve(std::string_view name, std::span<const std::string> keys) {
  if (name == "EG") return R("1500.5");
  if (name == "EG_kWh") return R("1500500");
  if (name == "EF") return R("0.797");
  if (name == "COP") return R("6.2");
  if (name == "y") return R("3");
  if (name == "DOC") return keys[0] == "food" ? R("0.15") : R("0.4");
  if (name == "W") return R(keys[0] == "1" ? "100" : "10");
  return core::NotFound(std::string(name));
}

core::Result<Rational> Eval(std::string_view text) {
  JCM_ASSIGN_OR_RETURN(Expression e, Expression::Parse(text));
  const SymbolTable table = Table();
  JCM_RETURN_IF_ERROR(e.Check(table).status());
  return e.Evaluate(table, Resolve);
}

std::string CheckError(std::string_view text) {
  auto e = Expression::Parse(text);
  if (!e.ok()) return e.status().message();
  auto type = e->Check(Table());
  return type.ok() ? "" : type.status().message();
}

TEST(ExpressionTest, EvaluatesArithmeticExactly) {
  EXPECT_EQ(*Eval("EG * EF"), R("1195.8985"));
  EXPECT_EQ(*Eval("EG_kWh * 0.001[MWh/kWh] * EF"), R("1195.8985"));
  EXPECT_EQ(*Eval("(1 + 2) * 3 - 4 / 8"), R("8.5"));
  EXPECT_EQ(*Eval("-COP + 1"), R("-5.2"));
  EXPECT_EQ(*Eval("max(COP, 7, 3)"), R("7"));
  EXPECT_EQ(*Eval("if(COP > 6.0, 1, 0)"), R("1"));
  EXPECT_EQ(*Eval("if(and(COP > 6, not(COP >= 7)), 2, 3)"), R("2"));
}

TEST(ExpressionTest, SumsOverIndexSetsAndRanges) {
  EXPECT_EQ(*Eval("sum(j, DOC[j])"), R("0.55"));
  EXPECT_EQ(*Eval("sum(x, 1, y, W[x])"), R("120"));
  EXPECT_EQ(*Eval("sum(x, 1, y, x)"), R("6"));
  EXPECT_EQ(*Eval("sum(x, 1, y, W[x] * sum(j, DOC[j]))"), R("66"));
}

TEST(ExpressionTest, UnitErrorsAreLoadErrors) {
  EXPECT_EQ(CheckError("EG + EG_kWh"), "column 4: cannot add kWh to MWh (convert explicitly)");
  EXPECT_NE(CheckError("EG > 5").find("cannot compare MWh with 1"), std::string::npos);
  EXPECT_NE(CheckError("exp(EG)").find("dimensionless"), std::string::npos);
  EXPECT_NE(CheckError("min(EG, EG_kWh)").find("mixes"), std::string::npos);
  EXPECT_NE(CheckError("DOC[x]").find("indexed by j"), std::string::npos);
  EXPECT_NE(CheckError("DOC[j]").find("not bound"), std::string::npos);
  EXPECT_NE(CheckError("nope * 2").find("unknown name nope"), std::string::npos);
  EXPECT_NE(CheckError("if(EG, 1, 2)").find("condition"), std::string::npos);
}

TEST(ExpressionTest, SyntaxErrorsNameTheColumn) {
  EXPECT_EQ(CheckError("EG * (EF"), "column 9: expected ')'");
  EXPECT_EQ(CheckError("EG $ EF"), "column 4: unexpected '$'");
  EXPECT_EQ(CheckError(""), "column 1: expression ends too early");
  EXPECT_NE(CheckError(std::string(200, '(') + "1" + std::string(200, ')')).find("deeply"),
            std::string::npos);
}

// Issue 8 item 14: the documented limit is 64 levels of nesting, but 14 parentheses failed
// (the depth counted grammar rules, five per parenthesis).
TEST(ExpressionTest, SixtyFourLevelsOfNestingParseAndTheSixtyFifthIsAnError) {
  auto nested = [](int levels, const std::string& open, const std::string& close) {
    std::string text;
    for (int i = 0; i < levels; ++i) text += open;
    text += "COP";
    for (int i = 0; i < levels; ++i) text += close;
    return text;
  };
  EXPECT_EQ(*Eval(nested(64, "(", ")")), R("6.2"));
  EXPECT_EQ(*Eval(nested(64, "max(1, ", ")")), R("6.2"));
  EXPECT_EQ(*Eval(nested(32, "-(", ")")), R("6.2"));  // 32 minus signs, 32 parentheses
  EXPECT_EQ(*Eval("(" + nested(63, "(1 + ", ") * 1") + ")"), R("69.2"));
  const std::string too_deep =
      "column 66: expression nested too deeply (more than 64 levels of parentheses, calls or "
      "unary minus)";
  EXPECT_EQ(CheckError(nested(65, "(", ")")), too_deep);
  EXPECT_EQ(CheckError(nested(65, "-", "")), too_deep);
}

// The deepest expression the parser accepts (64 levels: 21 × minus, call and parenthesis, plus
// one parenthesis), parsed, checked and evaluated on a 1 MiB thread stack under the test
// build's ASan: the depth limit keeps the recursion far inside any thread's stack.
TEST(ExpressionTest, DeepestExpressionFitsASmallStack) {
  struct Job {
    std::string text;
    core::Result<Rational> result = Rational();
  } job;
  for (int i = 0; i < 21; ++i) job.text += "-max(1, (";
  job.text += "(COP)";
  for (int i = 0; i < 21; ++i) job.text += "))";
  pthread_attr_t attributes;
  pthread_attr_init(&attributes);
  pthread_attr_setstacksize(&attributes, 1024 * 1024);
  pthread_t thread;
  auto run = [](void* argument) -> void* {
    auto* j = static_cast<Job*>(argument);
    j->result = Eval(j->text);
    return nullptr;
  };
  ASSERT_EQ(pthread_create(&thread, &attributes, run, &job), 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attributes);
  ASSERT_TRUE(job.result.ok()) << job.result.status().message();
  EXPECT_EQ(*job.result, R("-1"));  // -max(1, -max(1, … 6.2)) = -1 from the second level out
}

TEST(ExpressionTest, DivisionByZeroFailsAtEvaluation) {
  EXPECT_THAT(Eval("COP / (COP - COP)"),
              StatusIs(StatusCode::kInvalidArgument, "column 5: division by zero"));
}

}  // namespace
}  // namespace jcm::mrv
