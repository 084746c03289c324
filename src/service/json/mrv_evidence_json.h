// The JSON of a monitoring report's recomputation from its stored evidence (`jcm mrv recompute
// --json`, docs/cli.md "MRV"; service/mrv_evidence.h). Add fields freely, never rename one.
#pragma once

#include <boost/json.hpp>

#include "service/mrv_evidence.h"

namespace jcm::service::json {

boost::json::object MrvRecomputationJson(const MrvRecomputation& recomputation);

}  // namespace jcm::service::json
