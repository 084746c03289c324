// Checking and evaluating Expressions. Check walks the tree once with the symbol table and
// derives a unit (or "condition") for every node; Evaluate walks it with exact Rationals.
#include "mrv/expr.h"

#include <set>
#include <utility>

#include "mrv/expr_node.h"

namespace jcm::mrv {
namespace {

// A name bound by an enclosing sum: an index-set member or an integer of a range.
struct Binding {
  bool is_range = false;
  std::string key;  // member name or integer text
  Rational number;  // the integer, for range variables
};
using Bindings = std::map<std::string, Binding, std::less<>>;

core::Status NodeError(const ExprNode& node, const std::string& message) {
  return core::InvalidArgument("column " + std::to_string(node.column) + ": " + message);
}

bool IsRangeSum(const ExprNode& node) { return node.name == "sum" && node.children.size() == 3; }

class Checker {
 public:
  Checker(const SymbolTable& table, ExprError* error) : table_(table), error_(error) {}

  core::Result<ExprType> Check(const ExprNode& node) {
    switch (node.kind) {
      case ExprKind::kNumber: {
        if (node.unit_text.empty()) return ExprType{};
        auto unit = Unit::Parse(node.unit_text);
        if (!unit.ok()) return Fail(node, unit.status().message());
        return ExprType{false, *unit};
      }
      case ExprKind::kName:
        return CheckName(node);
      case ExprKind::kNegate: {
        JCM_ASSIGN_OR_RETURN(ExprType operand, CheckNumber(*node.children[0]));
        return operand;
      }
      case ExprKind::kBinary:
        return CheckBinary(node);
      case ExprKind::kCompare: {
        JCM_ASSIGN_OR_RETURN(ExprType left, CheckNumber(*node.children[0]));
        JCM_ASSIGN_OR_RETURN(ExprType right, CheckNumber(*node.children[1]));
        if (!(left.unit == right.unit)) {
          return Fail(node,
                      "cannot compare " + left.unit.ToString() + " with " + right.unit.ToString());
        }
        return ExprType{true, Unit()};
      }
      case ExprKind::kCall:
        return CheckCall(node);
    }
    return Fail(node, "unknown node");
  }

 private:
  core::Result<ExprType> CheckNumber(const ExprNode& node) {
    JCM_ASSIGN_OR_RETURN(ExprType type, Check(node));
    if (type.is_condition) return Fail(node, "a condition is used as a number");
    return type;
  }
  core::Result<ExprType> CheckCondition(const ExprNode& node) {
    JCM_ASSIGN_OR_RETURN(ExprType type, Check(node));
    if (!type.is_condition) return Fail(node, "a number is used as a condition");
    return type;
  }

  core::Result<ExprType> CheckName(const ExprNode& node) {
    if (auto bound = bound_.find(node.name); bound != bound_.end()) {
      if (!bound->second || !node.subscripts.empty()) {
        return Fail(node, "index " + node.name + " can only be used as a subscript");
      }
      return ExprType{};  // a range variable is a dimensionless integer
    }
    auto symbol = table_.symbols.find(node.name);
    if (symbol == table_.symbols.end()) return Fail(node, "unknown name " + node.name);
    const Symbol& s = symbol->second;
    if (node.subscripts.size() != s.index_names.size()) {
      return Fail(node, node.name + " takes " + std::to_string(s.index_names.size()) +
                            " subscript(s), got " + std::to_string(node.subscripts.size()));
    }
    for (size_t i = 0; i < node.subscripts.size(); ++i) {
      if (node.subscripts[i] != s.index_names[i]) {
        return Fail(
            node, node.name + " is indexed by " + s.index_names[i] + ", not " + node.subscripts[i]);
      }
      if (!bound_.contains(node.subscripts[i])) {
        return Fail(node, "index " + node.subscripts[i] + " is not bound by an enclosing sum");
      }
    }
    return ExprType{false, s.unit};
  }

  core::Result<ExprType> CheckBinary(const ExprNode& node) {
    JCM_ASSIGN_OR_RETURN(ExprType left, CheckNumber(*node.children[0]));
    JCM_ASSIGN_OR_RETURN(ExprType right, CheckNumber(*node.children[1]));
    if (node.op == "*") return ExprType{false, left.unit.Times(right.unit)};
    if (node.op == "/") return ExprType{false, left.unit.Over(right.unit)};
    if (!(left.unit == right.unit)) {
      return Fail(node, std::string(node.op == "+" ? "cannot add " : "cannot subtract ") +
                            right.unit.ToString() + (node.op == "+" ? " to " : " from ") +
                            left.unit.ToString() + " (convert explicitly)");
    }
    return left;
  }

  core::Result<ExprType> CheckSameUnits(const ExprNode& node, size_t first) {
    JCM_ASSIGN_OR_RETURN(ExprType result, CheckNumber(*node.children[first]));
    for (size_t i = first + 1; i < node.children.size(); ++i) {
      JCM_ASSIGN_OR_RETURN(ExprType other, CheckNumber(*node.children[i]));
      if (!(other.unit == result.unit)) {
        return Fail(
            node, node.name + " mixes " + result.unit.ToString() + " and " + other.unit.ToString());
      }
    }
    return result;
  }

  core::Result<ExprType> CheckCall(const ExprNode& node) {
    const std::string& f = node.name;
    const size_t n = node.children.size();
    if (f == "min" || f == "max") {
      if (n < 2) return Fail(node, f + " needs at least two arguments");
      return CheckSameUnits(node, 0);
    }
    if (f == "if") {
      if (n != 3) return Fail(node, "if needs (condition, then, else)");
      JCM_RETURN_IF_ERROR(CheckCondition(*node.children[0]).status());
      return CheckSameUnits(node, 1);
    }
    if (f == "and" || f == "or" || f == "not") {
      if ((f == "not") != (n == 1)) return Fail(node, "wrong number of arguments for " + f);
      for (const auto& child : node.children) JCM_RETURN_IF_ERROR(CheckCondition(*child).status());
      return ExprType{true, Unit()};
    }
    if (f == "exp" || f == "exp_up") {
      if (n != 1) return Fail(node, f + " takes one argument");
      JCM_ASSIGN_OR_RETURN(ExprType argument, CheckNumber(*node.children[0]));
      if (!(argument.unit == Unit())) {
        return Fail(node, f + " needs a dimensionless argument, got " + argument.unit.ToString());
      }
      return ExprType{};
    }
    if (f == "sum") return CheckSum(node);
    return Fail(node, "unknown function " + f);
  }

  core::Result<ExprType> CheckSum(const ExprNode& node) {
    const std::string& bound = node.subscripts[0];
    if (bound_.contains(bound)) return Fail(node, "index " + bound + " is already bound");
    const bool is_range = IsRangeSum(node);
    if (!is_range && node.children.size() != 1) {
      return Fail(node, "sum takes (j, expr) or (x, low, high, expr)");
    }
    if (is_range) {
      for (size_t i = 0; i < 2; ++i) {
        JCM_ASSIGN_OR_RETURN(ExprType bound_type, CheckNumber(*node.children[i]));
        if (!(bound_type.unit == Unit())) return Fail(node, "sum bounds must be dimensionless");
      }
    } else if (!table_.index_sets.contains(bound)) {
      return Fail(node, "unknown index set " + bound);
    }
    bound_[bound] = is_range;
    auto body = CheckNumber(*node.children.back());
    bound_.erase(bound);
    return body;
  }

  // NodeError, with the position recorded in *error_ as fields.
  core::Status Fail(const ExprNode& node, const std::string& message) const {
    if (error_ != nullptr) *error_ = ExprError{node.column, message};
    return NodeError(node, message);
  }

  const SymbolTable& table_;
  ExprError* error_;                                // may be null
  std::map<std::string, bool, std::less<>> bound_;  // name -> is range variable
};

class Evaluator {
 public:
  Evaluator(const SymbolTable& table, const ValueResolver& resolver)
      : table_(table), resolver_(resolver) {}

  core::Result<Rational> Eval(const ExprNode& node) {
    steps_ += node.kind == ExprKind::kCall && node.name.starts_with("exp") ? 100 : 1;
    if (steps_ > kEvalStepsMax) {
      return core::ResourceExhausted("column " + std::to_string(node.column) +
                                     ": evaluation exceeds " + std::to_string(kEvalStepsMax) +
                                     " steps");
    }
    JCM_ASSIGN_OR_RETURN(Rational value, EvalNode(node));
    if (value.bits() > kRationalBitsMax) {
      return core::ResourceExhausted("column " + std::to_string(node.column) +
                                     ": intermediate value exceeds " +
                                     std::to_string(kRationalBitsMax) + " bits");
    }
    return value;
  }

 private:
  static Rational Truth(bool b) { return Rational::FromInt(b ? 1 : 0); }

  core::Result<Rational> EvalNode(const ExprNode& node) {
    switch (node.kind) {
      case ExprKind::kNumber:
        return node.value;
      case ExprKind::kName:
        return EvalName(node);
      case ExprKind::kNegate: {
        JCM_ASSIGN_OR_RETURN(Rational operand, Eval(*node.children[0]));
        return -operand;
      }
      case ExprKind::kBinary: {
        JCM_ASSIGN_OR_RETURN(Rational left, Eval(*node.children[0]));
        JCM_ASSIGN_OR_RETURN(Rational right, Eval(*node.children[1]));
        if (node.op == "+") return left + right;
        if (node.op == "-") return left - right;
        if (node.op == "*") return left * right;
        auto quotient = left.DividedBy(right);
        if (!quotient.ok()) return NodeError(node, "division by zero");
        return quotient;
      }
      case ExprKind::kCompare: {
        JCM_ASSIGN_OR_RETURN(Rational left, Eval(*node.children[0]));
        JCM_ASSIGN_OR_RETURN(Rational right, Eval(*node.children[1]));
        const auto order = left <=> right;
        if (node.op == "<") return Truth(order < 0);
        if (node.op == "<=") return Truth(order <= 0);
        if (node.op == ">") return Truth(order > 0);
        if (node.op == ">=") return Truth(order >= 0);
        if (node.op == "==") return Truth(order == 0);
        return Truth(order != 0);
      }
      case ExprKind::kCall:
        return EvalCall(node);
    }
    return NodeError(node, "unknown node");
  }

  core::Result<Rational> EvalName(const ExprNode& node) {
    if (auto bound = bindings_.find(node.name); bound != bindings_.end()) {
      return bound->second.number;
    }
    std::vector<std::string> keys;
    for (const std::string& subscript : node.subscripts)
      keys.push_back(bindings_.at(subscript).key);
    return resolver_(node.name, keys);
  }

  core::Result<Rational> EvalCall(const ExprNode& node) {
    const std::string& f = node.name;
    if (f == "min" || f == "max") {
      JCM_ASSIGN_OR_RETURN(Rational best, Eval(*node.children[0]));
      for (size_t i = 1; i < node.children.size(); ++i) {
        JCM_ASSIGN_OR_RETURN(Rational other, Eval(*node.children[i]));
        if (f == "min" ? other < best : other > best) best = std::move(other);
      }
      return best;
    }
    if (f == "if") {
      JCM_ASSIGN_OR_RETURN(Rational condition, Eval(*node.children[0]));
      return Eval(*node.children[condition.is_zero() ? 2 : 1]);
    }
    if (f == "and" || f == "or") {
      for (const auto& child : node.children) {
        JCM_ASSIGN_OR_RETURN(Rational condition, Eval(*child));
        if (f == "and" && condition.is_zero()) return Truth(false);
        if (f == "or" && !condition.is_zero()) return Truth(true);
      }
      return Truth(f == "and");
    }
    if (f == "not") {
      JCM_ASSIGN_OR_RETURN(Rational condition, Eval(*node.children[0]));
      return Truth(condition.is_zero());
    }
    if (f == "exp" || f == "exp_up") {
      JCM_ASSIGN_OR_RETURN(Rational argument, Eval(*node.children[0]));
      auto result = Exp(argument, f == "exp" ? RoundDirection::kDown : RoundDirection::kUp);
      if (!result.ok()) return NodeError(node, result.status().message());
      return result;
    }
    return EvalSum(node);
  }

  core::Result<Rational> EvalSum(const ExprNode& node) {
    const std::string& bound = node.subscripts[0];
    Rational total;
    if (!IsRangeSum(node)) {
      for (const std::string& member : table_.index_sets.find(bound)->second) {
        bindings_[bound] = Binding{false, member, Rational()};
        auto term = Eval(*node.children[0]);
        if (!term.ok()) return term;
        total = total + *term;
      }
      bindings_.erase(bound);
      return total;
    }
    JCM_ASSIGN_OR_RETURN(Rational low, Eval(*node.children[0]));
    JCM_ASSIGN_OR_RETURN(Rational high, Eval(*node.children[1]));
    if (!low.is_integer() || !high.is_integer())
      return NodeError(node, "sum bounds must be integers");
    JCM_ASSIGN_OR_RETURN(int64_t first, low.FloorToInteger());
    JCM_ASSIGN_OR_RETURN(int64_t last, high.FloorToInteger());
    if (last - first >= kRangeSumLengthMax) return NodeError(node, "sum range too long");
    for (int64_t x = first; x <= last; ++x) {
      bindings_[bound] = Binding{true, std::to_string(x), Rational::FromInt(x)};
      auto term = Eval(*node.children.back());
      if (!term.ok()) return term;
      total = total + *term;
    }
    bindings_.erase(bound);
    return total;
  }

  const SymbolTable& table_;
  const ValueResolver& resolver_;
  Bindings bindings_;
  int64_t steps_ = 0;
};

void CollectNames(const ExprNode& node, std::set<std::string>* names) {
  if (node.kind == ExprKind::kName) names->insert(node.name);
  for (const auto& child : node.children) CollectNames(*child, names);
}

}  // namespace

Expression::Expression() = default;
Expression::~Expression() = default;
Expression::Expression(Expression&&) noexcept = default;
Expression& Expression::operator=(Expression&&) noexcept = default;

core::Result<Expression> Expression::Parse(std::string_view text, ExprError* error) {
  JCM_ASSIGN_OR_RETURN(auto root, ParseExprTree(text, error));
  Expression expression;
  expression.root_ = std::move(root);
  expression.text_ = std::string(text);
  return expression;
}

core::Result<ExprType> Expression::Check(const SymbolTable& table, ExprError* error) const {
  JCM_CHECK(root_ != nullptr, "Check needs a parsed expression");
  return Checker(table, error).Check(*root_);
}

core::Result<Rational> Expression::Evaluate(const SymbolTable& table,
                                            const ValueResolver& resolver) const {
  JCM_CHECK(root_ != nullptr, "Evaluate needs a parsed expression");
  return Evaluator(table, resolver).Eval(*root_);
}

std::vector<std::string> Expression::ReferencedNames() const {
  std::set<std::string> names;
  if (root_ != nullptr) CollectNames(*root_, &names);
  return {names.begin(), names.end()};
}

}  // namespace jcm::mrv
