// JSON codecs of Article 6.2 authorisations (docs/cli.md, "Article 6"). Controlled values are
// written as the nomenclature spells them ("NDC and OIMP", "Use or Cancellation"); a field that
// does not apply is null.
#pragma once

#include <boost/json.hpp>
#include <vector>

#include "service/article6_service.h"

namespace jcm::service::json {

// {"party", "id", "version", "date", "cooperative_approach", "metric", "sectors": [..],
//  "activity_types": [..], "purposes", "quantity_cap" (tCO2e or null), "timeframe"
//  ("YYYY - YYYY" or null), "entities": [..], "first_transfer" (null for NDC only),
//  "recorded_seq"}
boost::json::object AuthorisationJson(const article6::Authorisation& authorisation);
// AuthorisationJson plus "replayed".
boost::json::object AuthorisationResultJson(const AuthorisationResult& result);
// {"authorisations": [AuthorisationJson…]}
boost::json::object AuthorisationListJson(const std::vector<article6::Authorisation>& all);

}  // namespace jcm::service::json
