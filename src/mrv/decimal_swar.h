// Word-at-a-time pieces of the wide-form ingest hot loop, in a header so that the unit tests
// can compare them with the exact scalar parser (ParseDecimal) on the same bytes.
//
// Why: with one reading every ~7 bytes, the scalar digit loop costs a branch per byte, its
// exits are mispredicted whenever a field's length differs from the previous one, and the
// next field's start waits for the loop to stop. Here the commas of a whole 64-byte block are
// found first (CommaMask), so every field's bounds are known before it is parsed, and a field
// of the column's usual shape is checked and summed with a few word operations and no
// data-dependent branch. Anything unusual goes to the exact scalar path unchanged.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace jcm::mrv::internal {

inline constexpr uint64_t kSwarOnes = 0x0101010101010101ULL;
inline constexpr uint64_t kSwarHigh = 0x8080808080808080ULL;
inline constexpr uint64_t kSwarEvenBytes = 0x00ff00ff00ff00ffULL;

// Bit i is set when block[i] == ','. REQUIRES: 64 readable bytes at `block`.
inline uint64_t CommaMask(const char* block) {
#if defined(__SSE2__)
  const __m128i comma = _mm_set1_epi8(',');
  uint64_t mask = 0;
  for (int i = 0; i < 4; ++i) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 16 * i));
    const auto bits = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, comma)));
    mask |= uint64_t{bits} << (16 * i);
  }
  return mask;
#else
  uint64_t mask = 0;
  for (int i = 0; i < 64; ++i) mask |= uint64_t{block[i] == ','} << i;
  return mask;
#endif
}

// The 8 bytes that end at `last` + 1, as a little-endian word: the field's last byte is the
// word's top byte, whatever the field's length. REQUIRES: last - 7 .. last readable.
inline uint64_t LoadEndingAt(const char* end_of_field) {
  uint64_t x;
  std::memcpy(&x, end_of_field - 8, 8);
  if constexpr (std::endian::native != std::endian::little) x = __builtin_bswap64(x);
  return x;
}

// What a field of `scale` decimals looks like once right-aligned in a word: the '.' byte.
struct FixedScaleKey {
  uint64_t dot_byte = 0;       // 0xff in the '.' byte
  uint64_t min_length = 1000;  // "d.ddd": one integer digit at least; 1000 = never matches
};

// Only 1 to 6 decimals leave room for an integer digit in 8 bytes.
inline FixedScaleKey FixedScaleKeyFor(int scale) {
  FixedScaleKey key;
  if (scale < 1 || scale > 6) return key;
  key.dot_byte = uint64_t{0xff} << (8 * (7 - scale));
  key.min_length = static_cast<uint64_t>(scale) + 2;
  return key;
}

// Matches a field of `length` bytes ending at the top of `x` (LoadEndingAt) against the shape
// digits '.' `scale` digits, at most 8 bytes, at least one integer digit: no sign, no other
// byte. On a match returns true with the digit values in the field's bytes (0 in the '.' byte
// and in the bytes before the field), whose weighted sum (LaneValue) is exactly the mantissa
// ParseDecimal gives at that scale (leading zeros included). No branch on the data: the
// result is one flag the caller tests once.
inline bool MatchFixedScale(uint64_t x, uint64_t length, const FixedScaleKey& key,
                            uint64_t* digits) {
  const bool bad_length = length < key.min_length || length > 8;
  const uint64_t keep = ~uint64_t{0} << ((64 - 8 * length) & 63);
  // Byte value minus '0' for digits: XOR maps exactly '0'..'9' to 0..9; the bytes before the
  // field become 0, a harmless leading zero digit.
  const uint64_t y = (x ^ (kSwarOnes * '0')) & keep;
  // High bit of a byte set when it is not a digit (>= 10 after the XOR). Clearing the high bit
  // first keeps the per-byte additions from carrying into the next byte.
  const uint64_t non_digit = (((y & ~kSwarHigh) + kSwarOnes * (0x80 - 10)) | y) & kSwarHigh;
  const uint64_t dot_value = key.dot_byte & (kSwarOnes * ('.' ^ '0'));
  // The only non-digit is the '.' byte, and it is a '.'.
  const uint64_t mismatch =
      (non_digit ^ (key.dot_byte & kSwarHigh)) | ((y ^ dot_value) & key.dot_byte);
  *digits = y ^ dot_value;
  return (mismatch | static_cast<uint64_t>(bad_length)) == 0;
}

// Adds a matched field's digits to two words of 16-bit lanes, one per byte position (even and
// odd bytes). A lane gains at most 9 per field, so kLaneAddsMax fields fit.
inline void AddToLanes(uint64_t digits, uint64_t* even, uint64_t* odd) {
  *even += digits & kSwarEvenBytes;
  *odd += (digits >> 8) & kSwarEvenBytes;
}
inline constexpr int64_t kLaneAddsMax = 65535 / 9;

// The exact sum of the fields added to the lanes, as a mantissa at `scale` (as keyed): byte 7
// holds units of the last decimal, each byte below ten times more, skipping the '.' byte.
// At most kLaneAddsMax × 99,999,999 < 2^63.
inline int64_t LaneValue(uint64_t even, uint64_t odd, const FixedScaleKey& key) {
  int64_t value = 0, weight = 1;
  for (int byte = 7; byte >= 0; --byte) {
    if (((key.dot_byte >> (8 * byte)) & 0xff) != 0) continue;
    const uint64_t lanes = byte % 2 == 0 ? even : odd;
    value += static_cast<int64_t>((lanes >> (16 * (byte / 2))) & 0xffff) * weight;
    weight *= 10;
  }
  return value;
}

}  // namespace jcm::mrv::internal
