// Recursive-descent parser for the equation language (grammar in expr.h). Depth and node
// count are bounded (kExprDepthMax, kExprNodesMax) so hostile input cannot exhaust the stack.
// `depth` counts nesting as a reader sees it: one level per parenthesis, function call or
// unary minus — not per grammar rule (each level is five parser frames: compare, sum,
// product, unary, primary), so 64 levels of parentheses parse, and the 65th is an error.
#include <cctype>
#include <string>
#include <utility>

#include "mrv/expr.h"
#include "mrv/expr_node.h"

namespace jcm::mrv {
namespace {

bool IsNameStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IsNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

class Parser {
 public:
  Parser(std::string_view text, ExprError* error) : text_(text), error_(error) {}

  core::Result<std::unique_ptr<ExprNode>> ParseAll() {
    auto node = ParseCompare(0);
    if (!node.ok()) return node;
    SkipSpace();
    if (pos_ != text_.size()) return Error("unexpected '" + std::string(1, text_[pos_]) + "'");
    return node;
  }

 private:
  using NodeResult = core::Result<std::unique_ptr<ExprNode>>;

  core::Status Error(const std::string& message) const {
    if (error_ != nullptr) *error_ = ExprError{static_cast<int>(pos_) + 1, message};
    return core::InvalidArgument("column " + std::to_string(pos_ + 1) + ": " + message);
  }

  void SkipSpace() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  bool Accept(std::string_view token) {
    SkipSpace();
    if (text_.substr(pos_, token.size()) != token) return false;
    pos_ += token.size();
    return true;
  }

  std::unique_ptr<ExprNode> NewNode(ExprKind kind, int column) {
    auto node = std::make_unique<ExprNode>();
    node->kind = kind;
    node->column = column;
    ++node_count_;
    return node;
  }

  NodeResult Guard(int depth) {
    if (depth > kExprDepthMax) {
      return Error("expression nested too deeply (more than " + std::to_string(kExprDepthMax) +
                   " levels of parentheses, calls or unary minus)");
    }
    if (node_count_ > kExprNodesMax) return Error("expression too long");
    return std::unique_ptr<ExprNode>();
  }

  NodeResult ParseCompare(int depth) {
    JCM_RETURN_IF_ERROR(Guard(depth).status());
    JCM_ASSIGN_OR_RETURN(auto left, ParseSum(depth));
    SkipSpace();
    static constexpr std::string_view kOps[] = {"<=", ">=", "==", "!=", "<", ">"};
    for (std::string_view op : kOps) {
      const int column = static_cast<int>(pos_) + 1;
      if (Accept(op)) {
        JCM_ASSIGN_OR_RETURN(auto right, ParseSum(depth));
        auto node = NewNode(ExprKind::kCompare, column);
        node->op = std::string(op);
        node->children.push_back(std::move(left));
        node->children.push_back(std::move(right));
        return node;
      }
    }
    return left;
  }

  NodeResult ParseSum(int depth) {
    return ParseLeftAssociative(depth, '+', '-', &Parser::ParseProduct);
  }

  NodeResult ParseProduct(int depth) {
    return ParseLeftAssociative(depth, '*', '/', &Parser::ParseUnary);
  }

  // operand { (op_a | op_b) operand }, grouped to the left: a - b - c is (a - b) - c.
  NodeResult ParseLeftAssociative(int depth, char op_a, char op_b,
                                  NodeResult (Parser::*operand)(int)) {
    JCM_RETURN_IF_ERROR(Guard(depth).status());
    JCM_ASSIGN_OR_RETURN(auto left, (this->*operand)(depth));
    while (true) {
      SkipSpace();
      const int column = static_cast<int>(pos_) + 1;
      std::string op;
      if (Accept(std::string(1, op_a))) {
        op = std::string(1, op_a);
      } else if (Accept(std::string(1, op_b))) {
        op = std::string(1, op_b);
      } else {
        return left;
      }
      JCM_ASSIGN_OR_RETURN(auto right, (this->*operand)(depth));
      auto node = NewNode(ExprKind::kBinary, column);
      node->op = op;
      node->children.push_back(std::move(left));
      node->children.push_back(std::move(right));
      left = std::move(node);
      JCM_RETURN_IF_ERROR(Guard(depth).status());
    }
  }

  NodeResult ParseUnary(int depth) {
    JCM_RETURN_IF_ERROR(Guard(depth).status());
    SkipSpace();
    const int column = static_cast<int>(pos_) + 1;
    if (Accept("-")) {
      JCM_ASSIGN_OR_RETURN(auto operand, ParseUnary(depth + 1));
      auto node = NewNode(ExprKind::kNegate, column);
      node->children.push_back(std::move(operand));
      return node;
    }
    return ParsePrimary(depth);
  }

  NodeResult ParsePrimary(int depth) {
    JCM_RETURN_IF_ERROR(Guard(depth).status());
    SkipSpace();
    const int column = static_cast<int>(pos_) + 1;
    if (pos_ >= text_.size()) return Error("expression ends too early");
    const char c = text_[pos_];
    if (c == '(') {
      ++pos_;
      JCM_ASSIGN_OR_RETURN(auto inner, ParseCompare(depth + 1));
      if (!Accept(")")) return Error("expected ')'");
      return inner;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') return ParseNumber(column);
    if (IsNameStart(c)) return ParseNameOrCall(depth, column);
    return Error("unexpected '" + std::string(1, c) + "'");
  }

  NodeResult ParseNumber(int column) {
    const size_t start = pos_;
    while (pos_ < text_.size() &&
           (std::isdigit(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '.')) {
      ++pos_;
    }
    auto value = Rational::Parse(text_.substr(start, pos_ - start));
    if (!value.ok()) return Error(value.status().message());
    auto node = NewNode(ExprKind::kNumber, column);
    node->value = std::move(value).value();
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == '[') {
      const size_t close = text_.find(']', pos_);
      if (close == std::string_view::npos) return Error("expected ']' after unit");
      node->unit_text = std::string(text_.substr(pos_ + 1, close - pos_ - 1));
      pos_ = close + 1;
    }
    return node;
  }

  std::string ReadName() {
    SkipSpace();
    const size_t start = pos_;
    if (pos_ < text_.size() && IsNameStart(text_[pos_])) {
      while (pos_ < text_.size() && IsNameChar(text_[pos_])) ++pos_;
    }
    return std::string(text_.substr(start, pos_ - start));
  }

  NodeResult ParseNameOrCall(int depth, int column) {
    std::string name = ReadName();
    if (Accept("(")) {
      auto node = NewNode(ExprKind::kCall, column);
      node->name = name;
      if (name == "sum") {
        std::string bound = ReadName();
        if (bound.empty() || !Accept(",")) return Error("sum needs a bound name: sum(j, expr)");
        node->subscripts.push_back(bound);
      }
      do {
        JCM_ASSIGN_OR_RETURN(auto argument, ParseCompare(depth + 1));
        node->children.push_back(std::move(argument));
        if (node->children.size() > 64) return Error("too many arguments");
      } while (Accept(","));
      if (!Accept(")")) return Error("expected ')' or ',' in call of " + name);
      return node;
    }
    auto node = NewNode(ExprKind::kName, column);
    node->name = name;
    if (Accept("[")) {
      do {
        std::string subscript = ReadName();
        if (subscript.empty()) return Error("expected an index name in [ ]");
        node->subscripts.push_back(subscript);
      } while (Accept(","));
      if (!Accept("]")) return Error("expected ']'");
    }
    return node;
  }

  std::string_view text_;
  ExprError* error_;  // may be null
  size_t pos_ = 0;
  int node_count_ = 0;
};

}  // namespace

core::Result<std::unique_ptr<ExprNode>> ParseExprTree(std::string_view text, ExprError* error) {
  return Parser(text, error).ParseAll();
}

}  // namespace jcm::mrv
