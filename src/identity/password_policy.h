// The password rule (docs/identity.md): at least 12 characters counted as Unicode code points
// (NIST SP 800-63B §5.1.1.2 counts characters, not bytes), not in the bundled list of common
// passwords (data/identity/common-passwords.txt, compiled in), and not containing the user name.
// Pure: no I/O, the list is part of the binary.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "identity/identity_check.h"

namespace jcm::identity {

inline constexpr size_t kPasswordCodePointsMin = 12;
// Argon2 accepts longer input, but a bound keeps a sign-in request's cost bounded.
inline constexpr size_t kPasswordBytesMax = 1024;

// The number of code points of `utf8`, or nullopt when it is not valid UTF-8 (overlong forms,
// surrogates and values above U+10FFFF are invalid).
std::optional<size_t> CountCodePoints(std::string_view utf8);

// True when `password`, with ASCII letters lower-cased, is in the bundled list. The list holds
// only entries of 12 or more characters: shorter ones are refused by length already.
bool IsCommonPassword(std::string_view password);

// The first rule `password` breaks for `user_name`, checked in this order: 304 not UTF-8, 303
// too long, 300 too short, 301 common, 302 contains the user name; nullopt when acceptable.
std::optional<Rejection> CheckPasswordPolicy(std::string_view user_name, std::string_view password);

}  // namespace jcm::identity
