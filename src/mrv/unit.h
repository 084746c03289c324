// Unit: a physical unit as a dimension vector plus an exact scale relative to the base units.
//
// Base units: MWh (energy), h (time), t (mass of material), tCO2e (CO2-equivalent; "tCO2" is
// the same dimension), tCH4 (methane), tC (carbon), kL (volume). "kWh" is energy with scale
// 1/1000, "kW" is energy/time with scale 1/1000, "%" is dimensionless with scale 1/100.
//
// The expression checker (expr.h) uses units to reject at load time what would otherwise be a
// wrong number: adding kWh to MWh (same dimension, different scale) or assigning
// tCO2/MWh × kWh (= 0.001 tCO2e) to an equation declared in tCO2e. Monitoring readings, in
// contrast, are converted exactly between units of the same dimension (kWh ↔ MWh).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"
#include "mrv/rational.h"

namespace jcm::mrv {

enum class Dimension : uint8_t { kEnergy, kTime, kMass, kCo2e, kCh4, kCarbon, kVolume };
inline constexpr int kDimensionCount = 7;

class Unit {
 public:
  Unit();  // dimensionless, scale 1
  // Parses products and quotients of known atoms with optional integer powers:
  // "tCO2/MWh", "kW", "kW*h", "tCO2e/tCH4", "1/h", "m3", "%", "1", "-".
  // InvalidArgument naming the unknown atom.
  static core::Result<Unit> Parse(std::string_view text);
  static Unit Dimensionless() { return Unit(); }

  Unit Times(const Unit& other) const;
  Unit Over(const Unit& other) const;

  bool SameDimension(const Unit& other) const { return exponents_ == other.exponents_; }
  bool IsDimensionless() const { return exponents_ == std::array<int8_t, kDimensionCount>{}; }
  // Same dimension and same scale: the only units that may be added or compared.
  bool operator==(const Unit& other) const {
    return SameDimension(other) && scale_ == other.scale_;
  }
  const Rational& scale() const { return scale_; }
  // Factor f such that a value in this unit times f is the value in `target`.
  // REQUIRES: SameDimension(target).
  Rational FactorTo(const Unit& target) const;

  // The text it was parsed from, or a canonical form ("0.001·tCO2e·MWh^-1") for derived units.
  std::string ToString() const;

 private:
  std::array<int8_t, kDimensionCount> exponents_{};
  Rational scale_;
  std::string text_;
};

}  // namespace jcm::mrv
