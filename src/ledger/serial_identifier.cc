#include "ledger/serial_identifier.h"

#include <cstdio>

namespace jcm::ledger {

std::string SerialIdentifier(const UnitBlock& block) {
  const std::string host = block.project.substr(0, 2);
  char serials[40];
  std::snprintf(serials, sizeof serials, "%012lld-%012lld",
                static_cast<long long>(block.serial_first),
                static_cast<long long>(block.serial_last()));
  return "JCM-JP" + host + "." + block.registry.str() + "." + host + "." + block.project + "." +
         std::to_string(block.monitoring_period.end.year()) + "." + serials;
}

}  // namespace jcm::ledger
