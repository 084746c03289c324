// Fuzz target: methodology definition files (the line format, sections, units, defaults,
// ranges and every expression they contain).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "mrv/methodology.h"
#include "mrv/project_params.h"

#ifndef JCM_FUZZ_ENTRY
#define JCM_FUZZ_ENTRY LLVMFuzzerTestOneInput
#endif

extern "C" int JCM_FUZZ_ENTRY(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto methodology = jcm::mrv::ParseMethodology(text, "fuzz");
  if (methodology.ok()) (void)methodology->ref();
  auto project = jcm::mrv::ParseProjectParams(text, "fuzz");
  (void)project.ok();
  return 0;
}
