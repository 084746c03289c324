// The Government of Japan's share of a subsidised project's credits (docs/programme.md,
// "Delivery to the Government of Japan"): an MOEJ subsidy obliges the project to deliver at least
// half of the credits issued to the GoJ (MOFA page22_002709, jcm-domain.md §2.6). Pure.
//
// An issuance is one JC decision's monitoring period of one project, counted over every
// registry it was issued in; the GoJ received the units issued into the Japanese registry's
// government holding accounts. The obligation is met when 2 × goj ≥ total (exact integers).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace jcm::programme {

// Units an issuance transaction put into one account.
struct IssuedUnits {
  std::string project;  // reference, e.g. MN003
  std::string period;   // monitoring period "START..END"
  std::string registry;
  bool to_government_of_japan = false;  // registry JP, government holding account
  int64_t units = 0;
};

struct IssuanceDelivery {
  std::string project;
  std::string period;
  int64_t issued_tco2e = 0;     // over every registry
  int64_t delivered_tco2e = 0;  // to the Government of Japan
  int64_t required_tco2e = 0;   // ceil(issued / 2)
  int64_t shortfall_tco2e = 0;  // max(0, required - delivered)
};

struct ProjectDelivery {
  std::string project;
  int64_t issued_tco2e = 0;
  int64_t delivered_tco2e = 0;
  int64_t required_tco2e = 0;               // the sum of the issuances' requirements
  int64_t shortfall_tco2e = 0;              // the sum of the issuances' shortfalls
  std::vector<IssuanceDelivery> issuances;  // by period
};

// One row per project in `subsidised` that has issued units, by project then period; projects
// not in `subsidised` are left out (no obligation).
std::vector<ProjectDelivery> GojDelivery(const std::vector<IssuedUnits>& issued,
                                         const std::vector<std::string>& subsidised);

}  // namespace jcm::programme
