// The peers this registry exchanges with (docs/exchange.md, "Peers"; issue 12 §1), for every
// front end: the rules are src/exchange's (peers.h); this gives them the state replayed from the
// journal's "exchange.*" entries and appends with the family head as the lock (check 23), so
// two processes never both add a peer of one code.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "exchange/peers.h"
#include "service/errors.h"
#include "store/store.h"

namespace jcm::service {

Rejection FromExchange(const exchange::Refusal& refusal);

// Checks 804, 820, 821: the peer as journaled (exchange.peer_added).
core::Result<OrRejection<exchange::PeerRecord>> AddPeer(store::Store& store,
                                                        const exchange::PeerRequest& request,
                                                        const std::string& by);
// Check 822; InvalidArgument unless `reason` is 1–500 printable characters.
core::Result<OrRejection<exchange::PeerRecord>> RemovePeer(store::Store& store,
                                                           const std::string& code,
                                                           const std::string& reason,
                                                           const std::string& by);
// The peers configured now, by code.
core::Result<std::vector<exchange::PeerRecord>> ListPeers(store::Store& store);
// The peers of `book`, by code.
std::vector<exchange::PeerRecord> PeerRecordsOf(const exchange::PeerBook& book);

}  // namespace jcm::service
