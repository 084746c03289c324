// Internal to src/cli/mrv: JSON renderings (Boost.JSON stays inside this directory).
#pragma once

#include <string>
#include <vector>

#include "mrv/calculator.h"
#include "mrv/methodology.h"
#include "mrv/methodology_catalog.h"

namespace jcm::cli::mrv_internal {

struct HashedInput {
  std::string role;  // methodology, params, data
  std::string path;
  uint64_t bytes = 0;
  std::string sha256;
};

std::string MethodologyListJson(const std::vector<mrv::Methodology>& methodologies);
std::string MethodologyJson(const mrv::Methodology& methodology);
std::string ReportJson(const mrv::CalcReport& report, const std::vector<HashedInput>& inputs);

}  // namespace jcm::cli::mrv_internal
