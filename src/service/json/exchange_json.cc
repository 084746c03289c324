#include "service/json/exchange_json.h"

#include "core/text.h"

namespace jcm::service::json {

boost::json::object PeerJson(const exchange::PeerRecord& peer) {
  return {{"code", peer.code.str()},
          {"url", peer.url},
          {"public_key", core::BytesToHex(peer.public_key)},
          {"added_seq", peer.added_seq}};
}

}  // namespace jcm::service::json
