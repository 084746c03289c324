// JCM_CHECK: always-on checks for programmer errors, tagged with what they protect
// (an invariant number from docs/invariants.md, e.g. "INV-2", or a sentence).
// A failed check prints the condition, place and tag to stderr and aborts: a broken invariant
// in a registry must stop the process rather than commit a wrong state. Never use it on input.
#pragma once

namespace jcm::core {
[[noreturn]] void CheckFailed(const char* condition, const char* file, int line, const char* tag);
}  // namespace jcm::core

#define JCM_CHECK(condition, tag)                                                    \
  do {                                                                               \
    if (!(condition)) ::jcm::core::CheckFailed(#condition, __FILE__, __LINE__, tag); \
  } while (false)
