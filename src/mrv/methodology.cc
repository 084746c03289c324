#include "mrv/methodology.h"

#include <set>
#include <utility>

#include "mrv/keyed_text.h"

namespace jcm::mrv {
namespace {

constexpr std::string_view kTechnologies[] = {"solar_pv", "chiller", "transformer",
                                              "waste_to_energy"};

std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> items;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t comma = text.find(',', pos);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view item = text.substr(pos, comma - pos);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) items.emplace_back(item);
    pos = comma + 1;
  }
  return items;
}

class Loader {
 public:
  explicit Loader(std::string_view file_name) : file_(file_name) {}

  core::Result<Methodology> Load(const std::vector<KeyedSection>& sections) {
    bool saw_header = false;
    for (const KeyedSection& section : sections) {
      core::Status status;
      if (section.kind == "methodology") {
        saw_header = true;
        status = LoadHeader(section);
      } else if (section.kind == "index") {
        status = LoadIndex(section);
      } else if (section.kind == "parameter") {
        status = LoadParameter(section);
      } else if (section.kind == "eligibility") {
        status = LoadCriterion(section);
      } else if (section.kind == "equation") {
        status = LoadEquation(section);
      } else {
        status = PositionError(file_, section.line, 1, "unknown section [" + section.kind + "]");
      }
      JCM_RETURN_IF_ERROR(status);
    }
    if (!saw_header) return PositionError(file_, 1, 1, "missing [methodology] section");
    JCM_RETURN_IF_ERROR(CheckEquations());
    return std::move(m_);
  }

 private:
  core::Status At(const KeyedEntry& entry, const std::string& message) const {
    return PositionError(file_, entry.line, entry.value_column, message);
  }
  // An expression's error at its file position: the value's column plus the error's column.
  core::Status AtExpression(const KeyedEntry& entry, const core::Status& status,
                            const ExprError& error) const {
    if (error.column == 0) return At(entry, status.message());  // not a positioned error
    return PositionError(file_, entry.line, entry.value_column + error.column - 1, error.message);
  }

  core::Result<const KeyedEntry*> Require(const KeyedSection& section, std::string_view key) {
    const KeyedEntry* entry = section.Find(key);
    if (entry == nullptr) {
      return PositionError(
          file_, section.line, 1,
          "[" + section.kind + " " + section.name + "] needs '" + std::string(key) + "'");
    }
    return entry;
  }

  std::string Value(const KeyedSection& section, std::string_view key) {
    const KeyedEntry* entry = section.Find(key);
    return entry == nullptr ? std::string() : entry->value;
  }

  core::Status LoadHeader(const KeyedSection& s) {
    for (std::string_view key : {"id", "version", "title", "technology"}) {
      JCM_RETURN_IF_ERROR(Require(s, key).status());
    }
    m_.id = Value(s, "id");
    m_.version = Value(s, "version");
    m_.title = Value(s, "title");
    m_.technology = Value(s, "technology");
    m_.country = Value(s, "country");
    m_.sectoral_scope = Value(s, "sectoral_scope");
    m_.status = Value(s, "status");
    m_.source = Value(s, "source");
    if (!IsKnownTechnology(m_.technology)) {
      return At(*s.Find("technology"),
                "technology must be solar_pv, chiller, transformer or "
                "waste_to_energy");
    }
    if (const KeyedEntry* rounding = s.Find("rounding")) {
      if (rounding->value == "floor")
        m_.rounding = Rounding::kFloor;
      else if (rounding->value == "half_up")
        m_.rounding = Rounding::kHalfUp;
      else if (rounding->value == "none")
        m_.rounding = Rounding::kNone;
      else
        return At(*rounding, "rounding must be floor, half_up or none");
    }
    return core::OkStatus();
  }

  core::Status LoadIndex(const KeyedSection& s) {
    JCM_ASSIGN_OR_RETURN(const KeyedEntry* members, Require(s, "members"));
    std::vector<std::string> items = SplitList(members->value);
    if (items.empty()) return At(*members, "an index set needs members");
    m_.index_sets[s.name] = items;
    m_.symbols.index_sets[s.name] = std::move(items);
    return core::OkStatus();
  }

  core::Result<Rational> Number(const KeyedEntry& entry, std::string_view text) {
    auto value = Rational::Parse(text);
    if (!value.ok()) return At(entry, value.status().message());
    return value;
  }

  core::Status LoadRange(const KeyedEntry& entry, ParameterDef* p) {
    const size_t dots = entry.value.find("..");
    if (dots == std::string::npos)
      return At(entry, "range must be 'MIN .. MAX' (either may be empty)");
    std::string low = entry.value.substr(0, dots), high = entry.value.substr(dots + 2);
    auto trim = [](std::string& t) {
      while (!t.empty() && t.front() == ' ') t.erase(0, 1);
      while (!t.empty() && t.back() == ' ') t.pop_back();
    };
    trim(low);
    trim(high);
    if (!low.empty()) {
      JCM_ASSIGN_OR_RETURN(p->range_min, Number(entry, low));
    }
    if (!high.empty()) {
      JCM_ASSIGN_OR_RETURN(p->range_max, Number(entry, high));
    }
    if (p->range_min && p->range_max && *p->range_min > *p->range_max) {
      return At(entry, "range minimum " + p->range_min->ToDecimalString() +
                           " is above its maximum " + p->range_max->ToDecimalString());
    }
    return core::OkStatus();
  }

  core::Status LoadParameterKind(const KeyedSection& s, ParameterDef* p) {
    JCM_ASSIGN_OR_RETURN(const KeyedEntry* kind, Require(s, "kind"));
    if (kind->value == "default")
      p->kind = ParameterKind::kDefault;
    else if (kind->value == "ex_ante")
      p->kind = ParameterKind::kExAnte;
    else if (kind->value == "monitored")
      p->kind = ParameterKind::kMonitored;
    else
      return At(*kind, "kind must be default, ex_ante or monitored");
    if (const KeyedEntry* side = s.Find("conservative")) {
      if (side->value == "low")
        p->conservative = Conservative::kLow;
      else if (side->value == "high")
        p->conservative = Conservative::kHigh;
      else
        return At(*side, "conservative must be low or high");
    }
    if (const KeyedEntry* missing = s.Find("missing")) {
      if (missing->value != "zero" && missing->value != "error")
        return At(*missing, "missing must be zero or error");
      p->missing_is_zero = missing->value == "zero";
    }
    if (const KeyedEntry* configurable = s.Find("configurable")) {
      if (configurable->value != "yes" && configurable->value != "no")
        return At(*configurable, "configurable must be yes or no");
      p->configurable = configurable->value == "yes";
    }
    return core::OkStatus();
  }

  core::Status LoadParameter(const KeyedSection& s) {
    if (s.name.empty() || m_.symbols.symbols.contains(s.name)) {
      return PositionError(file_, s.line, 1, "parameter needs a new name: [parameter NAME]");
    }
    ParameterDef p;
    p.name = s.name;
    JCM_ASSIGN_OR_RETURN(const KeyedEntry* unit, Require(s, "unit"));
    auto parsed_unit = Unit::Parse(unit->value);
    if (!parsed_unit.ok()) return At(*unit, parsed_unit.status().message());
    p.unit = *parsed_unit;
    JCM_RETURN_IF_ERROR(LoadParameterKind(s, &p));
    p.description = Value(s, "description");
    p.options = Value(s, "options");
    p.frequency = Value(s, "frequency");
    p.source = Value(s, "source");
    p.provisional = Value(s, "provisional");
    if (const KeyedEntry* index = s.Find("index")) p.index_names = SplitList(index->value);
    if (const KeyedEntry* range = s.Find("range")) JCM_RETURN_IF_ERROR(LoadRange(*range, &p));
    for (const KeyedEntry& entry : s.entries) {
      if (entry.key == "default") {
        JCM_ASSIGN_OR_RETURN(p.default_value, Number(entry, entry.value));
      } else if (entry.key.rfind("default[", 0) == 0) {
        const std::string member = entry.key.substr(8, entry.key.size() - 9);
        JCM_ASSIGN_OR_RETURN(p.indexed_defaults[member], Number(entry, entry.value));
      }
    }
    if (p.kind == ParameterKind::kDefault && !p.default_value && p.indexed_defaults.empty()) {
      return PositionError(file_, s.line, 1, "default parameter " + p.name + " needs a default");
    }
    m_.symbols.symbols[p.name] = Symbol{p.unit, p.index_names};
    m_.parameters.push_back(std::move(p));
    return core::OkStatus();
  }

  core::Status LoadCriterion(const KeyedSection& s) {
    Criterion criterion;
    criterion.id = s.name;
    criterion.text = Value(s, "text");
    criterion.message = Value(s, "message");
    JCM_ASSIGN_OR_RETURN(const KeyedEntry* condition, Require(s, "condition"));
    ExprError error;
    auto parsed = Expression::Parse(condition->value, &error);
    if (!parsed.ok()) return AtExpression(*condition, parsed.status(), error);
    criterion.condition = std::move(parsed).value();
    pending_criteria_.push_back(condition);
    m_.eligibility.push_back(std::move(criterion));
    return core::OkStatus();
  }

  core::Status LoadEquation(const KeyedSection& s) {
    Equation equation;
    equation.name = s.name;
    equation.tag = Value(s, "tag");
    equation.derived = Value(s, "derived");
    equation.provisional = Value(s, "provisional");
    // A tag cites an equation number of the approved text; an equation the text does not
    // number is `derived`, with its source, and gets its tag from its name (CheckEquations).
    if (!equation.tag.empty() && !equation.derived.empty()) {
      return At(*s.Find("derived"), "an equation cites its number (tag) or is derived, not both");
    }
    JCM_ASSIGN_OR_RETURN(const KeyedEntry* unit, Require(s, "unit"));
    auto parsed_unit = Unit::Parse(unit->value);
    if (!parsed_unit.ok()) return At(*unit, parsed_unit.status().message());
    equation.unit = *parsed_unit;
    JCM_ASSIGN_OR_RETURN(const KeyedEntry* expr, Require(s, "expr"));
    ExprError error;
    auto parsed = Expression::Parse(expr->value, &error);
    if (!parsed.ok()) return AtExpression(*expr, parsed.status(), error);
    equation.expression = std::move(parsed).value();
    // An equation sees the parameters and the equations above it, never itself or later ones.
    auto type = equation.expression.Check(m_.symbols, &error);
    if (!type.ok()) return AtExpression(*expr, type.status(), error);
    if (type->is_condition || !(type->unit == equation.unit)) {
      return At(*expr,
                "equation " + equation.name + " computes " +
                    (type->is_condition ? std::string("a condition") : type->unit.ToString()) +
                    " but declares " + equation.unit.ToString());
    }
    if (m_.symbols.symbols.contains(equation.name)) {
      return PositionError(file_, s.line, 1, "name " + equation.name + " is already defined");
    }
    m_.symbols.symbols[equation.name] = Symbol{equation.unit, {}};
    m_.equations.push_back(std::move(equation));
    return core::OkStatus();
  }

  core::Status CheckEquations() {
    const Unit tco2e = *Unit::Parse("tCO2e");
    for (std::string_view name : {"RE", "PE", "ER"}) {
      const Equation* found = nullptr;
      for (const Equation& e : m_.equations) {
        if (e.name == name) found = &e;
      }
      if (found == nullptr) {
        return PositionError(file_, 1, 1, "missing [equation " + std::string(name) + "]");
      }
      if (!(found->unit == tco2e)) {
        return PositionError(file_, 1, 1, "equation " + std::string(name) + " must be in tCO2e");
      }
    }
    for (Equation& e : m_.equations) {
      if (!e.derived.empty()) e.tag = m_.id + " v" + m_.version + " " + e.name + " (derived)";
    }
    for (size_t i = 0; i < m_.eligibility.size(); ++i) {
      const KeyedEntry& entry = *pending_criteria_[i];
      ExprError error;
      auto type = m_.eligibility[i].condition.Check(m_.symbols, &error);
      if (!type.ok()) return AtExpression(entry, type.status(), error);
      if (!type->is_condition) return At(entry, "an eligibility condition must be a comparison");
      for (const std::string& name : m_.eligibility[i].condition.ReferencedNames()) {
        const ParameterDef* p = m_.FindParameter(name);
        if (p != nullptr && p->kind == ParameterKind::kMonitored) {
          return At(entry, "eligibility may not depend on monitored parameter " + name);
        }
      }
    }
    return core::OkStatus();
  }

  std::string file_;
  Methodology m_;
  std::vector<const KeyedEntry*> pending_criteria_;
};

}  // namespace

const ParameterDef* Methodology::FindParameter(std::string_view name) const {
  for (const ParameterDef& p : parameters) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

bool IsKnownTechnology(std::string_view technology) {
  for (std::string_view known : kTechnologies) {
    if (known == technology) return true;
  }
  return false;
}

core::Result<Methodology> ParseMethodology(std::string_view text, std::string_view file_name) {
  JCM_ASSIGN_OR_RETURN(std::vector<KeyedSection> sections, ParseKeyedText(text, file_name));
  return Loader(file_name).Load(sections);
}

core::Result<Methodology> LoadMethodologyFile(const std::string& path) {
  JCM_ASSIGN_OR_RETURN(std::string text, ReadSmallFile(path, kKeyedFileBytesMax));
  return ParseMethodology(text, path);
}

}  // namespace jcm::mrv
