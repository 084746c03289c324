// Internal: the syntax tree of an Expression (expr.h). Only expr*.cc include this.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "mrv/rational.h"

namespace jcm::mrv {

enum class ExprKind : uint8_t {
  kNumber,   // value (and optional unit_text)
  kName,     // name, subscripts
  kNegate,   // children[0]
  kBinary,   // op in + - * /, children[0..1]
  kCompare,  // op in < <= > >= == !=, children[0..1]
  kCall,     // name = function, children = arguments (sum: children[0] is the bound name)
};

struct ExprNode {
  ExprKind kind = ExprKind::kNumber;
  int column = 1;
  Rational value;
  std::string unit_text;
  std::string name;
  std::string op;
  std::vector<std::string> subscripts;
  std::vector<std::unique_ptr<ExprNode>> children;
};

// Parses `text` into a tree (expr_parse.cc).
core::Result<std::unique_ptr<ExprNode>> ParseExprTree(std::string_view text,
                                                      ExprError* error = nullptr);

}  // namespace jcm::mrv
