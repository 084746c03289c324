// JSON codecs of transfers between registries (docs/cli.md, "Transfers between registries").
#pragma once

#include <boost/json.hpp>

#include "service/exchange_peers.h"

namespace jcm::service::json {

// {"code", "url", "public_key" (hex), "added_seq"}
boost::json::object PeerJson(const exchange::PeerRecord& peer);

}  // namespace jcm::service::json
