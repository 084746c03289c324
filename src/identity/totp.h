// One-time passwords: HOTP (RFC 4226) and TOTP (RFC 6238) on OpenSSL's HMAC, the base32 secret
// (RFC 4648 §6, no padding) and the otpauth:// URI authenticator apps read from a QR code.
//
// The numbers are the UK ETS registry's (its Keycloak realm: HmacSHA256, 6 digits, 30 s,
// look-ahead 1): a code is accepted for the step it names or one step either side (clock drift
// of up to 30 s), and a user's step is never accepted twice (RFC 6238 §5.2: "the verifier MUST
// NOT accept the second attempt of the OTP after the successful validation has been issued").
// Pure: times are Unix seconds handed in by the caller.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "core/status.h"
#include "identity/identity_check.h"

namespace jcm::identity {

enum class TotpAlgorithm : uint8_t { kSha1, kSha256 };

inline constexpr int kTotpDigits = 6;
inline constexpr int64_t kTotpStep_s = 30;
inline constexpr int64_t kTotpWindowSteps = 1;  // steps accepted either side of now
inline constexpr size_t kTotpSecretBytes = 32;  // RFC 4226 §4 asks for at least 16
inline constexpr TotpAlgorithm kTotpAlgorithm = TotpAlgorithm::kSha256;

std::string_view TotpAlgorithmName(TotpAlgorithm algorithm);  // "SHA1", "SHA256" (otpauth)
core::Result<TotpAlgorithm> ParseTotpAlgorithm(std::string_view name);

// RFC 4226 §5.3: HMAC of the 8-byte big-endian counter, dynamic truncation, modulo 10^digits,
// zero-padded. REQUIRES: 1 <= digits <= 9.
std::string Hotp(std::string_view key, uint64_t counter, TotpAlgorithm algorithm,
                 int digits = kTotpDigits);

// The time step of `unix_s` (RFC 6238 §4.2, T0 = 0): floor(unix_s / 30).
int64_t TotpStepAt(int64_t unix_s);

// The code for `unix_s`: Hotp at TotpStepAt(unix_s).
std::string TotpAt(std::string_view key, int64_t unix_s, TotpAlgorithm algorithm,
                   int digits = kTotpDigits);

// The step `code` was accepted for, or the check it fails: 313 when it matches no step within
// kTotpWindowSteps of now (compared in constant time), 314 when the step it matches is not after
// `last_used_step` (the user's last accepted step). The caller records the step as used.
std::variant<int64_t, IdentityCheck> VerifyTotp(std::string_view key, std::string_view code,
                                                int64_t now_s, TotpAlgorithm algorithm,
                                                std::optional<int64_t> last_used_step);

// RFC 4648 base32 (A–Z, 2–7) without padding, as authenticator apps expect.
std::string Base32Encode(std::string_view bytes);
// Decodes upper or lower case, ignoring spaces and '=' padding; InvalidArgument otherwise.
core::Result<std::string> Base32Decode(std::string_view text);

// otpauth://totp/ISSUER:ACCOUNT?secret=…&issuer=…&algorithm=…&digits=6&period=30
// (the Key Uri Format of Google Authenticator), with issuer and account percent-encoded.
std::string OtpauthUri(std::string_view issuer, std::string_view account, std::string_view key,
                       TotpAlgorithm algorithm);

}  // namespace jcm::identity
