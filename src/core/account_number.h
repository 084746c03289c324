// Account numbers: "<registry>-<type code>-<sequence>-<check>", e.g. "JP-121-0000007-63".
//
// | part      | width | meaning                                                           |
// |-----------|-------|-------------------------------------------------------------------|
// | registry  | 2     | RegistryCode of the registry that keeps the account               |
// | type code | 3     | account type (Kyoto-style codes, docs/formats/accounts.md)        |
// | sequence  | 7     | per-registry counter, never reused                                |
// | check     | 2     | ISO 7064 MOD 97-10 over the other parts (letters as A=10 … Z=35)   |
//
// MOD 97-10 (as in IBAN) detects every single-character substitution and every transposition
// of adjacent characters, so a mistyped number is rejected as mistyped, never misdirected.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/registry_code.h"
#include "core/status.h"

namespace jcm::core {

struct AccountNumber {
  RegistryCode registry;
  int type_code = 0;     // 100..999
  int64_t sequence = 0;  // 1..9'999'999

  // REQUIRES: 100 <= type_code <= 999, 1 <= sequence <= 9'999'999.
  std::string ToString() const;
  // InvalidArgument with a message saying whether the shape or the check digits are wrong.
  static Result<AccountNumber> Parse(std::string_view text);

  friend bool operator==(const AccountNumber&, const AccountNumber&) = default;
};

// The two check digits of ISO 7064 MOD 97-10 for `payload` (digits and upper-case letters).
int AccountCheckDigits(std::string_view payload);

}  // namespace jcm::core
