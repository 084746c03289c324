// Password hashing with Argon2id (RFC 9106) through Debian's libargon2, as PHC strings:
//   $argon2id$v=19$m=19456,t=2,p=1$<salt base64>$<hash base64>
// The parameters are OWASP's minimum for Argon2id (19 MiB, 2 iterations, 1 lane); they are in the
// string, so a later raise of kArgon2Parameters still verifies older hashes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace jcm::identity {

struct Argon2Parameters {
  uint32_t iterations = 2;
  uint32_t memory_kib = 19 * 1024;
  uint32_t lanes = 1;
};
inline constexpr Argon2Parameters kArgon2Parameters{};
inline constexpr size_t kPasswordSaltBytes = 16;
inline constexpr size_t kPasswordHashBytes = 32;

// The PHC string of `password` under `salt` (kPasswordSaltBytes bytes; tests fix it).
// InvalidArgument for a salt of another length; Internal when libargon2 fails (out of memory).
core::Result<std::string> HashPassword(std::string_view password, std::string_view salt,
                                       const Argon2Parameters& parameters = kArgon2Parameters);

// HashPassword with a fresh random salt from OpenSSL's CSPRNG.
core::Result<std::string> HashPasswordWithRandomSalt(std::string_view password);

// True when `phc` is an Argon2id string and `password` hashes to it; the final comparison is in
// constant time (libargon2's argon2_verify). A malformed `phc` is false, never an error, so the
// caller's answer to a sign-in does not depend on what is stored.
bool VerifyPassword(std::string_view phc, std::string_view password);

// A valid PHC string of no known password: verified against when the user name is unknown, so
// an unknown user costs the same time as a wrong password (no user enumeration by timing).
const std::string& DecoyPasswordHash();

}  // namespace jcm::identity
