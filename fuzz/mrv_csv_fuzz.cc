// Fuzz target: monitoring CSV ingest (long and wide form, quoting, timestamps, decimals,
// range splitting across workers) followed by the calculation. Any input must end in a report
// or a clean error; sanitizers catch the rest.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "mrv/calculator.h"
#include "mrv/monitoring_csv.h"

#ifndef JCM_FUZZ_ENTRY
#define JCM_FUZZ_ENTRY LLVMFuzzerTestOneInput
#endif

namespace {

constexpr const char* kMethodology = R"(
[methodology]
id = FUZZ_PV
version = 1.0
title = fuzz
technology = solar_pv
[parameter EG]
unit = MWh
kind = monitored
range = 0 .. 100000
conservative = low
missing = zero
[parameter EG_aux]
unit = MWh
kind = monitored
range = 0 ..
conservative = high
missing = zero
[parameter EF]
unit = tCO2/MWh
kind = default
default = 0.797
[equation RE]
unit = tCO2e
expr = EG * EF
[equation PE]
unit = tCO2e
expr = EG_aux * EF
[equation ER]
unit = tCO2e
expr = RE - PE
)";

constexpr const char* kProject = R"(
[project]
id = fuzz
interval_minutes = 15
reported = 2022-12-01..2022-12-31
[point PV01]
calibration = 2023-01-05..2023-01-20
[point PV02]
[point PV00]
calibration = 2022-01-01..2024-12-31
)";

}  // namespace

extern "C" int JCM_FUZZ_ENTRY(const uint8_t* data, size_t size) {
  static const jcm::mrv::Methodology methodology =
      jcm::mrv::ParseMethodology(kMethodology, "fuzz").value();
  static const jcm::mrv::ProjectParams project = *jcm::mrv::ParseProjectParams(kProject, "fuzz");
  static const std::vector<jcm::core::Period> periods =
      *jcm::mrv::ParsePeriodList("2023-01-01..2023-01-15, 2023-01-16..2023-01-31");
  const int fd = memfd_create("jcm-fuzz-csv", MFD_CLOEXEC);
  if (fd < 0) return 0;
  size_t written = 0;
  while (written < size) {
    const ssize_t n = write(fd, data + written, size - written);
    if (n <= 0) break;
    written += static_cast<size_t>(n);
  }
  const std::vector<std::string> paths{"/proc/self/fd/" + std::to_string(fd)};
  jcm::mrv::IngestOptions options;
  options.threads = 3;
  options.bytes_per_thread_min = 16;
  auto result = jcm::mrv::IngestMonitoringCsv(paths, methodology, project, periods, options);
  if (result.ok()) {
    auto report = jcm::mrv::Calculate(methodology, project, *result);
    (void)report;
  }
  close(fd);
  return 0;
}
