// Random bytes for secrets (salts, TOTP keys, API tokens) from OpenSSL's CSPRNG (RAND_bytes).
#pragma once

#include <cstddef>
#include <string>

#include "core/status.h"

namespace jcm::identity {

// `count` random bytes; Internal when the generator cannot be seeded.
core::Result<std::string> RandomBytes(size_t count);

}  // namespace jcm::identity
