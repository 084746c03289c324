// Methodology: an approved JCM methodology loaded from its definition file (data, not code).
//
// A definition file (docs/formats/methodology.md) holds the identity, eligibility criteria,
// parameters and equations of one version of one methodology. LoadMethodology parses it,
// parses every expression once and checks names and units, so a methodology that would add
// kWh to MWh never loads. Equations are evaluated per monitoring point; the period totals are
// the sums over points, and only the period ER is rounded, once, by `rounding`.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "mrv/expr.h"
#include "mrv/rational.h"
#include "mrv/unit.h"

namespace jcm::mrv {

enum class ParameterKind : uint8_t {
  kDefault,    // fixed ex ante by the methodology (may be overridden if `configurable`)
  kExAnte,     // fixed ex ante by the project (project parameter file), optional default
  kMonitored,  // measured ex post: summed over the monitoring period from monitoring data
};

// Which side a reading errs on when data quality forces a choice: kLow for quantities that
// increase reference emissions (take them low), kHigh for ones that increase project
// emissions (take them high). docs/mrv.md "Conservative treatment".
enum class Conservative : uint8_t { kLow, kHigh };

enum class Rounding : uint8_t { kFloor, kHalfUp, kNone };

struct ParameterDef {
  std::string name;
  Unit unit;
  std::string description;
  ParameterKind kind = ParameterKind::kDefault;
  std::vector<std::string> index_names;              // e.g. {"j"}
  std::optional<Rational> default_value;             // unindexed default
  std::map<std::string, Rational> indexed_defaults;  // "food" -> 0.15
  std::string options;                               // allowed monitoring options, e.g. "B, C"
  std::string frequency;
  std::optional<Rational> range_min, range_max;
  Conservative conservative = Conservative::kLow;
  bool missing_is_zero = false;  // monitored: no data means 0 (with a finding), else an error
  bool configurable = false;     // a project may override the default (with its source)
  std::string source;            // where the default comes from
  std::string provisional;       // non-empty: provisional, with the source relied on
};

struct Criterion {
  std::string id;
  std::string text;
  Expression condition;
  std::string message;  // shown when the criterion fails
};

struct Equation {
  std::string name;  // RE, PE, ER or an intermediate name usable by later equations
  Unit unit;
  // "MN_AM003 v2.0 Eq.1" only where the approved text numbers the equation; otherwise
  // "MN_AM003 v2.0 RE (derived)" and `derived` names the source. Repeated in docs and tests.
  std::string tag;
  std::string derived;  // non-empty: not numbered in the approved text; where it comes from
  Expression expression;
  std::string provisional;
};

struct Methodology {
  std::string id, version, title, technology, country, sectoral_scope, status, source;
  Rounding rounding = Rounding::kFloor;
  std::map<std::string, std::vector<std::string>, std::less<>> index_sets;
  std::vector<ParameterDef> parameters;
  std::vector<Criterion> eligibility;
  std::vector<Equation> equations;  // in evaluation order; includes RE, PE and ER
  SymbolTable symbols;              // parameters and equations, for Check/Evaluate

  const ParameterDef* FindParameter(std::string_view name) const;
  std::string ref() const { return id + "@" + version; }
};

// Parses a definition. `file_name` is used in error messages "FILE:LINE:COLUMN: message".
core::Result<Methodology> ParseMethodology(std::string_view text, std::string_view file_name);

// Reads and parses a file.
core::Result<Methodology> LoadMethodologyFile(const std::string& path);

// Technologies a methodology may declare.
bool IsKnownTechnology(std::string_view technology);

}  // namespace jcm::mrv
