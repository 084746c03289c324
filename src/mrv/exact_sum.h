// ExactSum: the hot-path accumulator for monitored values, and the decimal parser that feeds it.
//
// A reading such as "12.345" is parsed into a DecimalValue {mantissa 12345, scale 3} with no
// allocation and no floating point. ExactSum adds DecimalValues exactly in a 128-bit mantissa
// at the largest scale seen so far (rescaling when a reading has more decimals), so a sum is
// independent of the order of its terms. Overflow is detected and reported, never wrapped:
// 128 bits hold ±1.7·10^38, i.e. 10^20 kWh at 18 decimals.
#pragma once

#include <cstdint>
#include <string_view>

#include "mrv/int128.h"
#include "mrv/rational.h"

namespace jcm::mrv {

// Readings carry at most this many decimals (a meter reading never needs more).
inline constexpr int kDecimalScaleMax = 18;

struct DecimalValue {
  Int128 mantissa = 0;
  int scale = 0;  // value = mantissa × 10^-scale, 0 <= scale <= kDecimalScaleMax
};

enum class DecimalParse : uint8_t { kOk, kEmpty, kSyntax, kTooPrecise, kOverflow };

// Parses [+-]digits[.digits] (no exponent, no separators) into `out`. `text` is the whole
// field. Writes `out` only on kOk.
DecimalParse ParseDecimal(std::string_view text, DecimalValue* out);

class ExactSum {
 public:
  // Adds `value`; returns false (and leaves the sum unchanged) on 128-bit overflow.
  bool Add(const DecimalValue& value) { return AddScaled(value.mantissa, value.scale); }
  // The same for mantissa × 10^-scale. Inline: the ingest hot path adds every reading here, and
  // a reading with the sum's scale is one overflow-checked 128-bit add.
  bool AddScaled(Int128 mantissa, int scale) {
    if (scale == scale_) {
      Int128 sum;
      if (__builtin_add_overflow(mantissa_, mantissa, &sum)) return false;
      mantissa_ = sum;
      return true;
    }
    return AddRescaled(mantissa, scale);
  }
  // Adds another sum; false on overflow.
  bool Merge(const ExactSum& other);

  Rational ToRational() const { return Rational::FromScaled(mantissa_, scale_); }
  Int128 mantissa() const { return mantissa_; }
  int scale() const { return scale_; }

 private:
  bool RescaleTo(int scale);
  bool AddRescaled(Int128 mantissa, int scale);
  Int128 mantissa_ = 0;
  int scale_ = 0;
};

// 10^n as a 128-bit integer. REQUIRES: 0 <= n <= 38.
Int128 Pow10Int128(int n);

}  // namespace jcm::mrv
