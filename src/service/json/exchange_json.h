// JSON codecs of transfers between registries (docs/cli.md, "Transfers between registries").
#pragma once

#include <boost/json.hpp>

#include "service/exchange_peers.h"
#include "service/exchange_transfers.h"

namespace jcm::service::json {

// {"code", "url", "public_key" (hex), "added_seq"}
boost::json::object PeerJson(const exchange::PeerRecord& peer);

// {"transaction", "reservation_seq", "replayed"}
boost::json::object ProposedTransferJson(const ProposedTransfer& proposed);
// {"transaction", "peer", "direction", "state", "quantity", "from_account" (outgoing),
//  "to_account", "deadline" (outgoing, UTC), "check", "check_name" (rejected), "escalated"}
boost::json::object ExternalTransferStatusJson(const ExternalTransferStatus& status);
// {"delivered", "refused", "unreachable_peers", "owed"}
boost::json::object DeliveryJson(const DeliveryResult& delivery);
// {"failed", "status_requests", "escalated"}
boost::json::object TickJson(const TickResult& tick);

}  // namespace jcm::service::json
