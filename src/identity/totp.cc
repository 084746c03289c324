#include "identity/totp.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>

#include "core/check.h"

namespace jcm::identity {
namespace {

constexpr std::string_view kBase32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool unreserved = (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
                            (byte >= '0' && byte <= '9') || c == '-' || c == '.' || c == '_' ||
                            c == '~';
    if (unreserved) {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    }
  }
  return out;
}

}  // namespace

std::string_view TotpAlgorithmName(TotpAlgorithm algorithm) {
  return algorithm == TotpAlgorithm::kSha1 ? "SHA1" : "SHA256";
}

core::Result<TotpAlgorithm> ParseTotpAlgorithm(std::string_view name) {
  if (name == "SHA1") return TotpAlgorithm::kSha1;
  if (name == "SHA256") return TotpAlgorithm::kSha256;
  return core::InvalidArgument("TOTP algorithm must be SHA1 or SHA256, not '" + std::string(name) +
                               "'");
}

std::string Hotp(std::string_view key, uint64_t counter, TotpAlgorithm algorithm, int digits) {
  JCM_CHECK(digits >= 1 && digits <= 9, "HOTP digits are 1..9");
  std::array<unsigned char, 8> message{};
  for (size_t i = 0; i < message.size(); ++i) {
    message[7 - i] = static_cast<unsigned char>(counter >> (8 * i));
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int mac_length = 0;
  const EVP_MD* digest = algorithm == TotpAlgorithm::kSha1 ? EVP_sha1() : EVP_sha256();
  const unsigned char* result = HMAC(digest, key.data(), static_cast<int>(key.size()),
                                     message.data(), message.size(), mac.data(), &mac_length);
  JCM_CHECK(result != nullptr && mac_length >= 20, "HMAC over a fixed-size message");
  const size_t offset = mac[mac_length - 1] & 0x0Fu;
  const uint32_t truncated = (static_cast<uint32_t>(mac[offset] & 0x7Fu) << 24) |
                             (static_cast<uint32_t>(mac[offset + 1]) << 16) |
                             (static_cast<uint32_t>(mac[offset + 2]) << 8) |
                             static_cast<uint32_t>(mac[offset + 3]);
  uint32_t modulus = 1;
  for (int i = 0; i < digits; ++i) modulus *= 10;
  std::string code = std::to_string(truncated % modulus);
  return std::string(static_cast<size_t>(digits) - code.size(), '0') + code;
}

int64_t TotpStepAt(int64_t unix_s) {
  return unix_s >= 0 ? unix_s / kTotpStep_s : -((-unix_s + kTotpStep_s - 1) / kTotpStep_s);
}

std::string TotpAt(std::string_view key, int64_t unix_s, TotpAlgorithm algorithm, int digits) {
  return Hotp(key, static_cast<uint64_t>(TotpStepAt(unix_s)), algorithm, digits);
}

std::variant<int64_t, IdentityCheck> VerifyTotp(std::string_view key, std::string_view code,
                                                int64_t now_s, TotpAlgorithm algorithm,
                                                std::optional<int64_t> last_used_step) {
  const int64_t now_step = TotpStepAt(now_s);
  std::optional<int64_t> matched;
  // Every step of the window is computed and compared, whatever matches, so the time taken
  // does not say which step (or whether any) matched.
  for (int64_t step = now_step - kTotpWindowSteps; step <= now_step + kTotpWindowSteps; ++step) {
    if (step < 0) continue;
    const std::string expected = Hotp(key, static_cast<uint64_t>(step), algorithm, kTotpDigits);
    const bool equal = code.size() == expected.size() &&
                       CRYPTO_memcmp(code.data(), expected.data(), expected.size()) == 0;
    if (equal && !matched) matched = step;
  }
  if (!matched) return IdentityCheck::kTotpInvalid;
  if (last_used_step && *matched <= *last_used_step) return IdentityCheck::kTotpReplayed;
  return *matched;
}

std::string Base32Encode(std::string_view bytes) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (const char c : bytes) {
    buffer = (buffer << 8) | static_cast<unsigned char>(c);
    bits += 8;
    while (bits >= 5) {
      out += kBase32Alphabet[(buffer >> (bits - 5)) & 0x1Fu];
      bits -= 5;
    }
    buffer &= (1u << bits) - 1;
  }
  if (bits > 0) out += kBase32Alphabet[(buffer << (5 - bits)) & 0x1Fu];
  return out;
}

core::Result<std::string> Base32Decode(std::string_view text) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (const char raw : text) {
    if (raw == ' ' || raw == '=') continue;
    const char c = (raw >= 'a' && raw <= 'z') ? static_cast<char>(raw - 'a' + 'A') : raw;
    const size_t value = kBase32Alphabet.find(c);
    if (value == std::string_view::npos) {
      return core::InvalidArgument("not base32: the character '" + std::string(1, raw) + "'");
    }
    buffer = (buffer << 5) | static_cast<uint32_t>(value);
    bits += 5;
    if (bits >= 8) {
      out += static_cast<char>((buffer >> (bits - 8)) & 0xFFu);
      bits -= 8;
      buffer &= (1u << bits) - 1;
    }
  }
  return out;
}

std::string OtpauthUri(std::string_view issuer, std::string_view account, std::string_view key,
                       TotpAlgorithm algorithm) {
  return "otpauth://totp/" + PercentEncode(issuer) + ":" + PercentEncode(account) +
         "?secret=" + Base32Encode(key) + "&issuer=" + PercentEncode(issuer) +
         "&algorithm=" + std::string(TotpAlgorithmName(algorithm)) +
         "&digits=" + std::to_string(kTotpDigits) + "&period=" + std::to_string(kTotpStep_s);
}

}  // namespace jcm::identity
