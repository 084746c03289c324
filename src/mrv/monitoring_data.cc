#include "mrv/monitoring_data.h"

namespace jcm::mrv {

std::string_view SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kInfo:
      return "info";
    case Severity::kWarning:
      return "warning";
    case Severity::kError:
      return "error";
  }
  return "unknown";
}

const SeriesTotal* MonitoringData::Find(size_t period_index, std::string_view point,
                                        std::string_view parameter) const {
  auto found = series.find(SeriesKey{period_index, std::string(point), std::string(parameter)});
  return found == series.end() ? nullptr : &found->second;
}

}  // namespace jcm::mrv
