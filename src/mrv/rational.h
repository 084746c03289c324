// Rational: exact arbitrary-precision rational numbers for the MRV equations.
//
// Every value on the path from a monitoring reading to an issued credit is a Rational (or an
// exact fixed-point sum converted into one), so sums and products are exact and the only
// rounding is the one the methodology names, applied once at the end (FloorToInteger).
// Division is exact too; only Exp is an approximation, with a documented precision and an
// explicit rounding direction (docs/mrv.md "Exactness").
//
// The representation is hidden (an arbitrary-precision integer pair, always reduced, positive
// denominator), so no third-party type appears here. Values are immutable-style: operators
// return new values. `bits()` lets callers bound growth (kRationalBitsMax): an evaluation that
// would exceed it is an error, never a wrapped number.
#pragma once

#include <compare>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"
#include "mrv/int128.h"

namespace jcm::mrv {

// Numerator or denominator larger than this many bits makes an evaluation fail
// (ResourceExhausted). 4096 bits is ~1233 decimal digits: far beyond any physical quantity.
inline constexpr int kRationalBitsMax = 4096;

// Digits after the decimal point that Exp computes (see Exp).
inline constexpr int kExpDigits = 40;

enum class RoundDirection : uint8_t { kDown, kUp };

class Rational {
 public:
  Rational();  // zero
  ~Rational();
  Rational(const Rational& other);
  Rational& operator=(const Rational& other);
  Rational(Rational&& other) noexcept;
  Rational& operator=(Rational&& other) noexcept;

  static Rational FromInt(int64_t value);
  // mantissa × 10^-scale. REQUIRES: 0 <= scale <= 60.
  static Rational FromScaled(Int128 mantissa, int scale);
  // Parses an exact decimal: optional sign, digits, optional '.' and digits, optional
  // exponent (e/E followed by an integer, |exponent| <= 60), or a fraction "P/Q".
  // InvalidArgument on anything else (no "inf", "nan", hex, or thousands separators).
  static core::Result<Rational> Parse(std::string_view text);

  Rational operator+(const Rational& other) const;
  Rational operator-(const Rational& other) const;
  Rational operator*(const Rational& other) const;
  Rational operator-() const;
  // InvalidArgument when `divisor` is zero.
  core::Result<Rational> DividedBy(const Rational& divisor) const;

  std::strong_ordering operator<=>(const Rational& other) const;
  bool operator==(const Rational& other) const;

  bool is_zero() const;
  bool is_negative() const;
  bool is_integer() const;
  // Bits of the larger of |numerator| and denominator.
  int bits() const;

  // Largest integer <= value; ResourceExhausted if it does not fit in int64_t.
  core::Result<int64_t> FloorToInteger() const;
  core::Result<int64_t> CeilToInteger() const;
  // floor/ceil as a 128-bit integer; false if it does not fit.
  bool FloorToInt128(Int128* out) const;
  bool CeilToInt128(Int128* out) const;
  // Value rounded to `digits` decimals in `direction` (down = toward -inf).
  Rational RoundedTo(int digits, RoundDirection direction) const;

  // The exact decimal expansion when the denominator has only factors 2 and 5 (and at most
  // `digits_max` fractional digits); otherwise the expansion truncated toward zero at
  // `digits_max` digits. `exact` (if non-null) says which.
  std::string ToDecimalString(int digits_max = 60, bool* exact = nullptr) const;
  // "P/Q" (or "P" for integers): always exact.
  std::string ToFractionString() const;

 private:
  struct Rep;
  explicit Rational(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
  friend core::Result<Rational> Exp(const Rational& x, RoundDirection direction);
};

// e^x rounded to kExpDigits decimals in `direction`: for kDown the result is <= e^x, for kUp
// >= e^x, and the two differ from e^x by less than 10^-kExpDigits. The error analysis is in
// docs/mrv.md. InvalidArgument when |x| > 1000 (no physical decay model needs more).
core::Result<Rational> Exp(const Rational& x, RoundDirection direction);

}  // namespace jcm::mrv
