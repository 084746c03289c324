#include "service/json/exchange_json.h"

#include "core/text.h"

namespace jcm::service::json {

boost::json::object PeerJson(const exchange::PeerRecord& peer) {
  return {{"code", peer.code.str()},
          {"url", peer.url},
          {"public_key", core::BytesToHex(peer.public_key)},
          {"added_seq", peer.added_seq}};
}

boost::json::object ProposedTransferJson(const ProposedTransfer& proposed) {
  return {{"transaction", proposed.transaction},
          {"reservation_seq", proposed.reservation_seq},
          {"replayed", proposed.replayed}};
}

boost::json::object ExternalTransferStatusJson(const ExternalTransferStatus& status) {
  boost::json::object out{
      {"transaction", status.transaction}, {"peer", status.peer},
      {"direction", status.direction},     {"state", exchange::ReportedStateName(status.state)},
      {"quantity", status.quantity},       {"to_account", status.to_account}};
  if (status.direction == "outgoing") {
    out["from_account"] = status.from_account;
    out["deadline"] = status.deadline_utc;
  }
  if (status.check != 0) {
    out["check"] = status.check;
    out["check_name"] = status.check_name;
  }
  if (status.escalated) out["escalated"] = true;
  return out;
}

boost::json::object DeliveryJson(const DeliveryResult& delivery) {
  return {{"delivered", delivery.delivered},
          {"refused", delivery.refused},
          {"unreachable_peers", delivery.unreachable_peers},
          {"owed", delivery.owed}};
}

boost::json::object TickJson(const TickResult& tick) {
  return {{"failed", tick.failed},
          {"status_requests", tick.status_requests},
          {"escalated", tick.escalated}};
}

}  // namespace jcm::service::json
