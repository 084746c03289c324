// Expression: the small, safe equation language of methodology files.
//
// Grammar (docs/formats/methodology.md has the full description):
//   expr    := compare
//   compare := sum [('<' | '<=' | '>' | '>=' | '==' | '!=') sum]
//   sum     := product (('+' | '-') product)*
//   product := unary (('*' | '/') unary)*
//   unary   := '-' unary | primary
//   primary := NUMBER ['[' UNIT ']'] | NAME ['[' NAME (',' NAME)* ']'] | '(' expr ')'
//            | NAME '(' expr (',' expr)* ')'            -- a function call
// Functions: min(a, b, …), max(a, b, …), if(cond, a, b), and(c, …), or(c, …), not(c),
//   exp(x) (rounded down), exp_up(x) (rounded up), sum(j, e) over the members of index set j,
//   sum(x, lo, hi, e) over the integers lo..hi.
//
// An Expression is parsed once (Parse), checked once against the symbols of its methodology
// (Check: names, subscripts and units), and evaluated many times (Evaluate) with exact
// Rationals. There are no loops other than bounded sums, no assignment and no I/O, so a
// methodology file cannot do anything but compute a number.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "mrv/rational.h"
#include "mrv/unit.h"

namespace jcm::mrv {

// Limits that keep evaluation bounded whatever the file says.
inline constexpr int kExprDepthMax = 64;
inline constexpr int kExprNodesMax = 4096;
inline constexpr int64_t kRangeSumLengthMax = 1000;
// Nodes visited by one evaluation (an exp counts 100): nested sums cannot run away.
inline constexpr int64_t kEvalStepsMax = 2'000'000;

struct ExprNode;

// What a name means to the checker.
struct Symbol {
  Unit unit;
  std::vector<std::string> index_names;  // subscripts it takes, by index-set/variable name
};

struct SymbolTable {
  std::map<std::string, Symbol, std::less<>> symbols;
  // Index sets: name -> members (e.g. "j" -> {"food", "paper"}). Range variables are not here.
  std::map<std::string, std::vector<std::string>, std::less<>> index_sets;
};

// Type of a checked expression: a number with a unit, or a condition.
struct ExprType {
  bool is_condition = false;
  Unit unit;
};

// Resolves a parameter (with its subscript values, e.g. {"food"} or {"3"}) to a value.
using ValueResolver =
    std::function<core::Result<Rational>(std::string_view name, std::span<const std::string> keys)>;

// Where a Parse or Check error is, as fields (so a caller maps it to a file position without
// reading the message): the 1-based column in the expression text and the bare message.
struct ExprError {
  int column = 0;
  std::string message;
};

class Expression {
 public:
  Expression();
  ~Expression();
  Expression(Expression&&) noexcept;
  Expression& operator=(Expression&&) noexcept;

  // Parses `text`; InvalidArgument "column C: message" on a syntax error or a limit exceeded,
  // with the column and message in *error when given.
  static core::Result<Expression> Parse(std::string_view text, ExprError* error = nullptr);

  // Checks names, subscripts and units; InvalidArgument "column C: message" naming the
  // offending units (e.g. "cannot add kWh and MWh"). REQUIRES: parsed.
  core::Result<ExprType> Check(const SymbolTable& table, ExprError* error = nullptr) const;

  // Evaluates with exact arithmetic. Conditions evaluate to 1 or 0. Fails on division by
  // zero, exp out of range, a non-integer range bound or an unresolvable value.
  // REQUIRES: Check succeeded with `table`.
  core::Result<Rational> Evaluate(const SymbolTable& table, const ValueResolver& resolver) const;

  // The parameter names the expression reads (for dependency and eligibility checks).
  std::vector<std::string> ReferencedNames() const;
  const std::string& text() const { return text_; }

 private:
  std::unique_ptr<ExprNode> root_;
  std::string text_;
};

}  // namespace jcm::mrv
