#include "core/check.h"

#include <cstdio>
#include <cstdlib>

namespace jcm::core {

void CheckFailed(const char* condition, const char* file, int line, const char* tag) {
  std::fprintf(stderr, "jcm: check failed at %s:%d: %s [%s]\n", file, line, condition, tag);
  std::abort();
}

}  // namespace jcm::core
