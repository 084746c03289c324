// Ed25519 signatures (RFC 8032) for the transparency log's signed tree heads
// (docs/formats/transparency-log.md). Backed by OpenSSL, linked privately: no OpenSSL type
// appears here. Keys are kept as PKCS#8 PEM text (what `openssl genpkey -algorithm ed25519`
// writes), public keys and signatures travel as raw bytes (32 and 64) or their hex.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

namespace jcm::core {

inline constexpr size_t kEd25519PublicKeyBytes = 32;
inline constexpr size_t kEd25519SignatureBytes = 64;

class Ed25519PrivateKey {
 public:
  // A fresh key from the operating system's random source (OpenSSL's DRBG).
  static Result<Ed25519PrivateKey> Generate();
  // InvalidArgument unless `pem` is a PKCS#8 PEM Ed25519 private key.
  static Result<Ed25519PrivateKey> FromPem(std::string_view pem);

  Ed25519PrivateKey(Ed25519PrivateKey&&) noexcept;
  Ed25519PrivateKey& operator=(Ed25519PrivateKey&&) noexcept;
  ~Ed25519PrivateKey();

  std::string ToPem() const;                         // PKCS#8 "-----BEGIN PRIVATE KEY-----"
  std::string PublicKey() const;                     // 32 raw bytes
  std::string Sign(std::string_view message) const;  // 64 raw bytes

 private:
  struct State;
  explicit Ed25519PrivateKey(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// True when `signature` (64 raw bytes) is `public_key`'s (32 raw bytes) over `message`; false for
// any malformed input.
bool Ed25519Verify(std::string_view public_key, std::string_view message,
                   std::string_view signature);

}  // namespace jcm::core
