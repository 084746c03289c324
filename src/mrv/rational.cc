#include "mrv/rational.h"

#include <boost/multiprecision/cpp_int.hpp>
#include <utility>

namespace jcm::mrv {
namespace {

namespace bmp = boost::multiprecision;
using BigInt = bmp::cpp_int;
using BigRational = bmp::cpp_rational;

BigInt Pow10(int exponent) {
  JCM_CHECK(exponent >= 0, "Pow10 takes a non-negative exponent");
  return bmp::pow(BigInt(10), static_cast<unsigned>(exponent));
}

BigInt FromInt128(Int128 value) {
  const bool negative = value < 0;
  UInt128 magnitude =
      negative ? UInt128(0) - static_cast<UInt128>(value) : static_cast<UInt128>(value);
  BigInt result = static_cast<uint64_t>(magnitude >> 64);
  result <<= 64;
  result += static_cast<uint64_t>(magnitude);
  return negative ? BigInt(-result) : result;
}

// Floor division for a positive divisor.
BigInt FloorDiv(const BigInt& a, const BigInt& b) {
  BigInt q = a / b;  // truncates toward zero
  if (a < 0 && q * b != a) q -= 1;
  return q;
}

BigInt CeilDiv(const BigInt& a, const BigInt& b) { return -FloorDiv(-a, b); }

int BitsOf(const BigInt& value) {
  if (value == 0) return 0;
  return static_cast<int>(bmp::msb(bmp::abs(value))) + 1;
}

}  // namespace

struct Rational::Rep {
  BigRational value;
};

Rational::Rational() : rep_(std::make_unique<Rep>()) {}
Rational::~Rational() = default;
Rational::Rational(const Rational& other) : rep_(std::make_unique<Rep>(*other.rep_)) {}
Rational& Rational::operator=(const Rational& other) {
  if (this != &other) rep_ = std::make_unique<Rep>(*other.rep_);
  return *this;
}
// A moved-from Rational is zero, not empty, so every method stays valid on it.
Rational::Rational(Rational&& other) noexcept : rep_(std::make_unique<Rep>()) {
  std::swap(rep_, other.rep_);
}
Rational& Rational::operator=(Rational&& other) noexcept {
  std::swap(rep_, other.rep_);
  return *this;
}
Rational::Rational(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}

Rational Rational::FromInt(int64_t value) {
  return Rational(std::make_unique<Rep>(Rep{BigRational(value)}));
}

Rational Rational::FromScaled(Int128 mantissa, int scale) {
  JCM_CHECK(scale >= 0 && scale <= 60, "FromScaled scale within 0..60");
  return Rational(std::make_unique<Rep>(Rep{BigRational(FromInt128(mantissa), Pow10(scale))}));
}

core::Result<Rational> Rational::Parse(std::string_view text) {
  const std::string original(text);
  auto bad = [&]() { return core::InvalidArgument("not an exact decimal: \"" + original + "\""); };
  if (auto slash = text.find('/'); slash != std::string_view::npos) {
    auto p = Parse(text.substr(0, slash));
    auto q = Parse(text.substr(slash + 1));
    if (!p.ok() || !q.ok() || !p->is_integer() || !q->is_integer()) return bad();
    auto r = p->DividedBy(*q);
    if (!r.ok()) return bad();
    return r;
  }
  bool negative = false;
  size_t pos = 0;
  if (pos < text.size() && (text[pos] == '-' || text[pos] == '+')) negative = text[pos++] == '-';
  BigInt mantissa = 0;
  int digits = 0, fraction_digits = 0;
  bool in_fraction = false;
  for (; pos < text.size(); ++pos) {
    const char c = text[pos];
    if (c == '.' && !in_fraction) {
      in_fraction = true;
    } else if (c >= '0' && c <= '9') {
      if (digits >= 200) return bad();
      mantissa = mantissa * 10 + (c - '0');
      ++digits;
      if (in_fraction) ++fraction_digits;
    } else {
      break;
    }
  }
  if (digits == 0) return bad();
  int exponent = 0;
  if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
    ++pos;
    bool exponent_negative = false;
    if (pos < text.size() && (text[pos] == '-' || text[pos] == '+')) {
      exponent_negative = text[pos++] == '-';
    }
    int exponent_digits = 0;
    for (; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos) {
      exponent = exponent * 10 + (text[pos] - '0');
      if (++exponent_digits > 2) return bad();
    }
    if (exponent_digits == 0 || exponent > 60) return bad();
    if (exponent_negative) exponent = -exponent;
  }
  if (pos != text.size()) return bad();
  if (negative) mantissa = -mantissa;
  const int scale = fraction_digits - exponent;
  BigRational value =
      scale >= 0 ? BigRational(mantissa, Pow10(scale)) : BigRational(mantissa * Pow10(-scale));
  return Rational(std::make_unique<Rep>(Rep{std::move(value)}));
}

Rational Rational::operator+(const Rational& other) const {
  return Rational(std::make_unique<Rep>(Rep{rep_->value + other.rep_->value}));
}
Rational Rational::operator-(const Rational& other) const {
  return Rational(std::make_unique<Rep>(Rep{rep_->value - other.rep_->value}));
}
Rational Rational::operator*(const Rational& other) const {
  return Rational(std::make_unique<Rep>(Rep{rep_->value * other.rep_->value}));
}
Rational Rational::operator-() const { return Rational(std::make_unique<Rep>(Rep{-rep_->value})); }

core::Result<Rational> Rational::DividedBy(const Rational& divisor) const {
  if (divisor.is_zero()) return core::InvalidArgument("division by zero");
  return Rational(std::make_unique<Rep>(Rep{rep_->value / divisor.rep_->value}));
}

std::strong_ordering Rational::operator<=>(const Rational& other) const {
  if (rep_->value < other.rep_->value) return std::strong_ordering::less;
  if (rep_->value > other.rep_->value) return std::strong_ordering::greater;
  return std::strong_ordering::equal;
}
bool Rational::operator==(const Rational& other) const { return rep_->value == other.rep_->value; }

bool Rational::is_zero() const { return rep_->value == 0; }
bool Rational::is_negative() const { return rep_->value < 0; }
bool Rational::is_integer() const { return bmp::denominator(rep_->value) == 1; }
int Rational::bits() const {
  return std::max(BitsOf(bmp::numerator(rep_->value)), BitsOf(bmp::denominator(rep_->value)));
}

core::Result<int64_t> Rational::FloorToInteger() const {
  const BigInt q = FloorDiv(bmp::numerator(rep_->value), bmp::denominator(rep_->value));
  if (q > std::numeric_limits<int64_t>::max() || q < std::numeric_limits<int64_t>::min()) {
    return core::ResourceExhausted("value " + ToDecimalString(6) + " does not fit in 64 bits");
  }
  return static_cast<int64_t>(q);
}

core::Result<int64_t> Rational::CeilToInteger() const {
  JCM_ASSIGN_OR_RETURN(int64_t negated, (-*this).FloorToInteger());
  return -negated;
}

namespace {

bool ToInt128(const BigInt& value, Int128* out) {
  static const BigInt kMax = (BigInt(1) << 127) - 1;
  if (value > kMax || value < -kMax) return false;
  const BigInt magnitude = bmp::abs(value);
  const UInt128 high = static_cast<uint64_t>(magnitude >> 64);
  const UInt128 low = static_cast<uint64_t>(magnitude & BigInt(UINT64_MAX));
  const Int128 result = static_cast<Int128>((high << 64) | low);
  *out = value < 0 ? -result : result;
  return true;
}

}  // namespace

bool Rational::FloorToInt128(Int128* out) const {
  return ToInt128(FloorDiv(bmp::numerator(rep_->value), bmp::denominator(rep_->value)), out);
}

bool Rational::CeilToInt128(Int128* out) const {
  return ToInt128(CeilDiv(bmp::numerator(rep_->value), bmp::denominator(rep_->value)), out);
}

Rational Rational::RoundedTo(int digits, RoundDirection direction) const {
  JCM_CHECK(digits >= 0 && digits <= 400, "RoundedTo digits within 0..400");
  const BigInt scale = Pow10(digits);
  const BigInt scaled_numerator = bmp::numerator(rep_->value) * scale;
  const BigInt& denominator = bmp::denominator(rep_->value);
  BigInt q = direction == RoundDirection::kDown ? FloorDiv(scaled_numerator, denominator)
                                                : CeilDiv(scaled_numerator, denominator);
  return Rational(std::make_unique<Rep>(Rep{BigRational(q, scale)}));
}

std::string Rational::ToDecimalString(int digits_max, bool* exact) const {
  const BigInt& numerator = bmp::numerator(rep_->value);
  const BigInt& denominator = bmp::denominator(rep_->value);
  // Find the fewest fractional digits that represent the value exactly, up to digits_max.
  int digits = 0;
  BigInt scale = 1;
  while (digits < digits_max && (numerator * scale) % denominator != 0) {
    scale *= 10;
    ++digits;
  }
  const BigInt scaled = numerator * scale;
  if (exact != nullptr) *exact = scaled % denominator == 0;
  const BigInt magnitude = bmp::abs(scaled) / denominator;  // truncation toward zero
  // Built by appending only: GCC 12 at -O3 reports a false -Wrestrict on string::insert.
  const std::string digits_text = magnitude.str();
  std::string text = numerator < 0 && magnitude != 0 ? "-" : "";
  if (digits == 0) return text.append(digits_text);
  const size_t fraction = static_cast<size_t>(digits);
  const std::string padded =
      digits_text.size() <= fraction
          ? std::string(fraction + 1 - digits_text.size(), '0').append(digits_text)
          : digits_text;
  text.append(padded, 0, padded.size() - fraction);
  text.push_back('.');
  text.append(padded, padded.size() - fraction, fraction);
  return text;
}

std::string Rational::ToFractionString() const {
  if (is_integer()) return bmp::numerator(rep_->value).str();
  return bmp::numerator(rep_->value).str() + "/" + bmp::denominator(rep_->value).str();
}

namespace {

// Fixed-point arithmetic at scale P = 10^kWork: every operation truncates toward zero and
// so loses less than one unit in the last place (ulp). See docs/mrv.md "Exactness" for the
// bound these functions keep: relative error below (202·k + 202)/P for e^x with k = floor(x).
constexpr int kGuardDigits = 25;
constexpr int kWorkDigits = kExpDigits + kGuardDigits;

// e^f for 0 <= f < 1 given as num/den, at scale P, truncated: error < 2·N ulp (N terms).
BigInt ExpFraction(const BigInt& num, const BigInt& den, const BigInt& p) {
  BigInt sum = p;
  BigInt term = p;
  for (int n = 1; n < 400; ++n) {
    term = term * num / (den * n);
    if (term == 0) break;
    sum += term;
  }
  return sum;
}

}  // namespace

core::Result<Rational> Exp(const Rational& x, RoundDirection direction) {
  if (x > Rational::FromInt(1000) || x < Rational::FromInt(-1000)) {
    return core::InvalidArgument("exp argument out of range -1000..1000: " + x.ToDecimalString(6));
  }
  if (x.is_zero()) return Rational::FromInt(1);
  const bool negative = x.is_negative();
  const BigRational magnitude = bmp::abs(x.rep_->value);
  const BigInt num = bmp::numerator(magnitude);
  const BigInt den = bmp::denominator(magnitude);
  const BigInt whole = num / den;
  const BigInt fraction_num = num - whole * den;
  const BigInt p = Pow10(kWorkDigits);
  // A = e^|x| at scale p: e^whole by repeated multiplication with e, times e^fraction.
  const BigInt e = ExpFraction(1, 1, p);  // the same series at f = 1
  BigInt approx = ExpFraction(fraction_num, den, p);
  const int64_t whole_count = static_cast<int64_t>(whole);
  for (int64_t k = 0; k < whole_count; ++k) approx = approx * e / p;
  // Relative error bound of approx, rounded up generously: (202·k + 202) ulp relative to p.
  const BigInt error_ulps = BigInt(202) * (whole_count + 1) + 1;
  // Bounds on e^|x| as rationals: [approx·(1 - r), approx·(1 + r)] with r = error_ulps / p.
  BigRational lower = BigRational(approx, p) * BigRational(p - error_ulps, p);
  BigRational upper = BigRational(approx, p) * BigRational(p + error_ulps, p);
  if (negative) {
    BigRational inverse_lower = 1 / upper;
    BigRational inverse_upper = 1 / lower;
    lower = inverse_lower;
    upper = inverse_upper;
  }
  Rational bound(std::make_unique<Rational::Rep>(
      Rational::Rep{direction == RoundDirection::kDown ? lower : upper}));
  return bound.RoundedTo(kExpDigits, direction);
}

}  // namespace jcm::mrv
