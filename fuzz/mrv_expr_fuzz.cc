// Fuzz target: the equation language. Parses the input as an expression, checks it against a
// fixed symbol table (units, subscripts, index sets) and evaluates it exactly.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "mrv/expr.h"

#ifndef JCM_FUZZ_ENTRY
#define JCM_FUZZ_ENTRY LLVMFuzzerTestOneInput
#endif

namespace {

jcm::mrv::SymbolTable MakeTable() {
  using jcm::mrv::Symbol;
  using jcm::mrv::Unit;
  jcm::mrv::SymbolTable table;
  table.symbols["EG"] = Symbol{*Unit::Parse("MWh"), {}};
  table.symbols["EK"] = Symbol{*Unit::Parse("kWh"), {}};
  table.symbols["EF"] = Symbol{*Unit::Parse("tCO2/MWh"), {}};
  table.symbols["P"] = Symbol{*Unit::Parse("kW"), {}};
  table.symbols["T"] = Symbol{*Unit::Parse("h"), {}};
  table.symbols["c"] = Symbol{Unit(), {}};
  table.symbols["y"] = Symbol{Unit(), {}};
  table.symbols["k"] = Symbol{Unit(), {"j"}};
  table.symbols["DOC"] = Symbol{*Unit::Parse("tC/t"), {"j"}};
  table.symbols["W"] = Symbol{*Unit::Parse("t"), {"x"}};
  table.index_sets["j"] = {"food", "paper", "wood"};
  return table;
}

}  // namespace

extern "C" int JCM_FUZZ_ENTRY(const uint8_t* data, size_t size) {
  static const jcm::mrv::SymbolTable table = MakeTable();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto expression = jcm::mrv::Expression::Parse(text);
  if (!expression.ok()) return 0;
  if (!expression->Check(table).ok()) return 0;
  auto value = expression->Evaluate(
      table,
      [](std::string_view name,
         std::span<const std::string> keys) -> jcm::core::Result<jcm::mrv::Rational> {
        if (name == "y") return jcm::mrv::Rational::FromInt(3);
        if (name == "k") return *jcm::mrv::Rational::Parse(keys[0] == "food" ? "0.4" : "0.07");
        return *jcm::mrv::Rational::Parse(name.size() % 2 == 0 ? "1234.5" : "0.797");
      });
  if (value.ok()) (void)value->ToDecimalString(40);
  return 0;
}
