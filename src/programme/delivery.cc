#include "programme/delivery.h"

#include <algorithm>
#include <map>
#include <utility>

namespace jcm::programme {

std::vector<ProjectDelivery> GojDelivery(const std::vector<IssuedUnits>& issued,
                                         const std::vector<std::string>& subsidised) {
  std::map<std::string, std::map<std::string, IssuanceDelivery>> by_project;
  for (const IssuedUnits& u : issued) {
    if (std::find(subsidised.begin(), subsidised.end(), u.project) == subsidised.end()) continue;
    IssuanceDelivery& d = by_project[u.project][u.period];
    d.project = u.project;
    d.period = u.period;
    d.issued_tco2e += u.units;
    if (u.to_government_of_japan) d.delivered_tco2e += u.units;
  }
  std::vector<ProjectDelivery> out;
  for (auto& [project, periods] : by_project) {
    ProjectDelivery p;
    p.project = project;
    for (auto& [period, d] : periods) {
      d.required_tco2e = (d.issued_tco2e + 1) / 2;
      d.shortfall_tco2e = std::max<int64_t>(0, d.required_tco2e - d.delivered_tco2e);
      p.issued_tco2e += d.issued_tco2e;
      p.delivered_tco2e += d.delivered_tco2e;
      p.required_tco2e += d.required_tco2e;
      p.shortfall_tco2e += d.shortfall_tco2e;
      p.issuances.push_back(std::move(d));
    }
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace jcm::programme
