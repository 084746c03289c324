#include "mrv/exact_sum.h"

#include "core/check.h"

namespace jcm::mrv {

Int128 Pow10Int128(int n) {
  JCM_CHECK(n >= 0 && n <= 38, "10^n fits in 128 bits");
  Int128 value = 1;
  for (int i = 0; i < n; ++i) value *= 10;
  return value;
}

DecimalParse ParseDecimal(std::string_view text, DecimalValue* out) {
  if (text.empty()) return DecimalParse::kEmpty;
  size_t pos = 0;
  bool negative = false;
  if (text[0] == '-' || text[0] == '+') {
    negative = text[0] == '-';
    ++pos;
  }
  Int128 mantissa = 0;
  int digits = 0, scale = 0;
  bool in_fraction = false;
  for (; pos < text.size(); ++pos) {
    const char c = text[pos];
    if (c >= '0' && c <= '9') {
      // 36 significant digits always fit; beyond that the value is not a meter reading.
      if (digits >= 36) return DecimalParse::kOverflow;
      mantissa = mantissa * 10 + (c - '0');
      if (mantissa != 0) ++digits;
      if (in_fraction && ++scale > kDecimalScaleMax) return DecimalParse::kTooPrecise;
    } else if (c == '.' && !in_fraction) {
      in_fraction = true;
    } else {
      return DecimalParse::kSyntax;
    }
  }
  const size_t digit_count =
      text.size() - (text[0] == '-' || text[0] == '+' ? 1u : 0u) - (in_fraction ? 1u : 0u);
  if (digit_count == 0) return DecimalParse::kSyntax;
  out->mantissa = negative ? -mantissa : mantissa;
  out->scale = scale;
  return DecimalParse::kOk;
}

bool ExactSum::RescaleTo(int scale) {
  JCM_CHECK(scale >= scale_ && scale <= kDecimalScaleMax, "rescale only grows the scale");
  Int128 rescaled = 0;
  if (__builtin_mul_overflow(mantissa_, Pow10Int128(scale - scale_), &rescaled)) return false;
  mantissa_ = rescaled;
  scale_ = scale;
  return true;
}

bool ExactSum::AddRescaled(Int128 mantissa, int scale) {
  JCM_CHECK(scale >= 0 && scale <= kDecimalScaleMax, "a reading's scale is within 0..18");
  const Int128 saved_mantissa = mantissa_;
  const int saved_scale = scale_;
  Int128 term = mantissa;
  if (scale > scale_ && !RescaleTo(scale)) return false;
  if (scale < scale_ && __builtin_mul_overflow(term, Pow10Int128(scale_ - scale), &term)) {
    mantissa_ = saved_mantissa;
    scale_ = saved_scale;
    return false;
  }
  Int128 sum = 0;
  if (__builtin_add_overflow(mantissa_, term, &sum)) {
    mantissa_ = saved_mantissa;
    scale_ = saved_scale;
    return false;
  }
  mantissa_ = sum;
  return true;
}

bool ExactSum::Merge(const ExactSum& other) {
  return Add(DecimalValue{other.mantissa_, other.scale_});
}

}  // namespace jcm::mrv
