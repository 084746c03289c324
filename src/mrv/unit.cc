#include "mrv/unit.h"

#include <utility>

namespace jcm::mrv {
namespace {

struct Atom {
  std::string_view name;
  Dimension dimension;
  int8_t power;            // exponent of `dimension` (kW = energy^1 time^-1 handled below)
  std::string_view scale;  // relative to the base unit, as an exact fraction
  bool per_hour;           // power units: energy per hour
};

// The catalogue of unit atoms. Scales are exact: 1 GJ = 1/3.6 MWh = 5/18 MWh.
constexpr Atom kAtoms[] = {
    {"Wh", Dimension::kEnergy, 1, "1/1000000", false},
    {"kWh", Dimension::kEnergy, 1, "1/1000", false},
    {"MWh", Dimension::kEnergy, 1, "1", false},
    {"GWh", Dimension::kEnergy, 1, "1000", false},
    {"GJ", Dimension::kEnergy, 1, "5/18", false},
    {"TJ", Dimension::kEnergy, 1, "2500/9", false},
    {"W", Dimension::kEnergy, 1, "1/1000000", true},
    {"kW", Dimension::kEnergy, 1, "1/1000", true},
    {"MW", Dimension::kEnergy, 1, "1", true},
    {"h", Dimension::kTime, 1, "1", false},
    {"d", Dimension::kTime, 1, "24", false},
    {"t", Dimension::kMass, 1, "1", false},
    {"kg", Dimension::kMass, 1, "1/1000", false},
    {"tCO2", Dimension::kCo2e, 1, "1", false},
    {"tCO2e", Dimension::kCo2e, 1, "1", false},
    {"kgCO2", Dimension::kCo2e, 1, "1/1000", false},
    {"kgCO2e", Dimension::kCo2e, 1, "1/1000", false},
    {"tCH4", Dimension::kCh4, 1, "1", false},
    {"tC", Dimension::kCarbon, 1, "1", false},
    {"kL", Dimension::kVolume, 1, "1", false},
    {"m3", Dimension::kVolume, 1, "1", false},
    {"L", Dimension::kVolume, 1, "1/1000", false},
};

const Atom* FindAtom(std::string_view name) {
  for (const Atom& atom : kAtoms) {
    if (atom.name == name) return &atom;
  }
  return nullptr;
}

}  // namespace

Unit::Unit() : scale_(Rational::FromInt(1)), text_("1") {}

core::Result<Unit> Unit::Parse(std::string_view text) {
  Unit unit;
  unit.text_ = std::string(text);
  if (text == "1" || text == "-" || text == "") return unit;
  if (text == "%") {
    unit.scale_ = *Rational::Parse("1/100");
    return unit;
  }
  size_t pos = 0;
  bool dividing = false;
  while (pos < text.size()) {
    size_t end = pos;
    while (end < text.size() && text[end] != '*' && text[end] != '/' && text[end] != '^') ++end;
    const std::string_view name = text.substr(pos, end - pos);
    int power = 1;
    if (end < text.size() && text[end] == '^') {
      size_t digits_end = end + 1;
      bool negative = digits_end < text.size() && text[digits_end] == '-';
      if (negative) ++digits_end;
      if (digits_end >= text.size() || text[digits_end] < '1' || text[digits_end] > '4') {
        return core::InvalidArgument("bad power in unit \"" + std::string(text) + "\"");
      }
      power = (text[digits_end] - '0') * (negative ? -1 : 1);
      end = digits_end + 1;
    }
    if (dividing) power = -power;
    if (name == "1" && power < 0)
      return core::InvalidArgument("bad unit \"" + std::string(text) + "\"");
    if (name != "1") {
      const Atom* atom = FindAtom(name);
      if (atom == nullptr) {
        return core::InvalidArgument("unknown unit \"" + std::string(name) + "\" in \"" +
                                     std::string(text) + "\"");
      }
      Rational atom_scale = *Rational::Parse(atom->scale);
      for (int i = 0; i < (power < 0 ? -power : power); ++i) {
        unit.scale_ = power < 0 ? *unit.scale_.DividedBy(atom_scale) : unit.scale_ * atom_scale;
      }
      unit.exponents_[static_cast<size_t>(atom->dimension)] =
          static_cast<int8_t>(unit.exponents_[static_cast<size_t>(atom->dimension)] + power);
      if (atom->per_hour) {
        const size_t time = static_cast<size_t>(Dimension::kTime);
        unit.exponents_[time] = static_cast<int8_t>(unit.exponents_[time] - power);
      }
    }
    if (end < text.size()) {
      if (text[end] == '/') {
        if (dividing) return core::InvalidArgument("two '/' in unit \"" + std::string(text) + "\"");
        dividing = true;
      } else if (text[end] != '*') {
        return core::InvalidArgument("bad unit \"" + std::string(text) + "\"");
      }
      ++end;
      if (end == text.size())
        return core::InvalidArgument("bad unit \"" + std::string(text) + "\"");
    }
    pos = end;
  }
  return unit;
}

Unit Unit::Times(const Unit& other) const {
  Unit result;
  for (size_t i = 0; i < exponents_.size(); ++i) {
    result.exponents_[i] = static_cast<int8_t>(exponents_[i] + other.exponents_[i]);
  }
  result.scale_ = scale_ * other.scale_;
  result.text_.clear();
  return result;
}

Unit Unit::Over(const Unit& other) const {
  Unit result;
  for (size_t i = 0; i < exponents_.size(); ++i) {
    result.exponents_[i] = static_cast<int8_t>(exponents_[i] - other.exponents_[i]);
  }
  result.scale_ = *scale_.DividedBy(other.scale_);  // scales are never zero
  result.text_.clear();
  return result;
}

Rational Unit::FactorTo(const Unit& target) const {
  JCM_CHECK(SameDimension(target), "unit conversion only within one dimension");
  return *scale_.DividedBy(target.scale_);
}

std::string Unit::ToString() const {
  if (!text_.empty()) return text_;
  static constexpr std::string_view kBase[] = {"MWh", "h", "t", "tCO2e", "tCH4", "tC", "kL"};
  std::string text;
  if (!(scale_ == Rational::FromInt(1))) text = scale_.ToDecimalString(12);
  for (size_t i = 0; i < exponents_.size(); ++i) {
    if (exponents_[i] == 0) continue;
    if (!text.empty()) text += "*";
    text += kBase[i];
    if (exponents_[i] != 1) {
      text += '^';
      text += std::to_string(exponents_[i]);
    }
  }
  return text.empty() ? "1" : text;
}

}  // namespace jcm::mrv
