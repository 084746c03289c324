// A peer's request for this registry's snapshot, and this registry's request for a peer's
// (exchange_reconcile.h, SnapshotAsk): the signed request of exchange/peer_auth.h in the texts
// an HTTP request carries.
#include <map>

#include "core/record.h"
#include "core/text.h"
#include "exchange/peer_auth.h"
#include "service/exchange_peers.h"
#include "service/exchange_reconcile.h"
#include "service/internal/exchange_state.h"
#include "service/internal/utc_seconds.h"

namespace jcm::service {
namespace {

Rejection Malformed(std::string message) {
  return FromExchange({exchange::ExchangeCheck::kMessageMalformed, std::move(message)});
}

// The ask as a signed request to `self`, or 804 naming the field not of its form.
std::variant<exchange::SnapshotRequest, Rejection> ParseAsk(const SnapshotAsk& ask,
                                                            const core::RegistryCode& self) {
  core::Result<core::RegistryCode> from = core::RegistryCode::Parse(ask.peer);
  if (!from.ok()) return Malformed("peer '" + ask.peer + "' is no registry code");
  const std::optional<int64_t> at_s = core::ParseInt64(ask.at);
  if (!at_s) return Malformed("the request's time '" + ask.at + "' is not an integer");
  core::Result<std::string> signature = core::HexToBytes(ask.signature_hex);
  if (!signature.ok() || signature->size() != core::kEd25519SignatureBytes) {
    return Malformed("the request's signature is not 128 hex digits");
  }
  return exchange::SnapshotRequest{*from, self, *at_s, *std::move(signature)};
}

}  // namespace

core::Result<SnapshotAsk> SignSnapshotAsk(const ExchangeIdentity& identity,
                                          const core::RegistryCode& peer) {
  JCM_ASSIGN_OR_RETURN(const int64_t now_s, internal::UtcSeconds(identity.clock->NowUtc()));
  // Signed as the request the peer will check: from this registry, to the peer.
  exchange::SnapshotRequest request{identity.self, peer, now_s, ""};
  request.Sign(identity.key);
  return SnapshotAsk{identity.self.str(), std::to_string(now_s),
                     core::BytesToHex(request.signature), std::nullopt};
}

core::Result<OrRejection<std::string>> SnapshotForPeer(store::Store& store,
                                                       const ExchangeIdentity& identity,
                                                       const SnapshotAsk& ask,
                                                       ExchangeStateCache* cache) {
  using Out = OrRejection<std::string>;
  auto parsed = ParseAsk(ask, identity.self);
  if (auto* malformed = std::get_if<Rejection>(&parsed)) return Out(*malformed);
  const exchange::SnapshotRequest& request = std::get<exchange::SnapshotRequest>(parsed);
  std::vector<exchange::PeerRecord> records;
  if (cache != nullptr) {
    JCM_ASSIGN_OR_RETURN(records, internal::ReadCached(store, *cache, [](const auto& state) {
                           return PeerRecordsOf(state.peers);
                         }));
  } else {
    JCM_ASSIGN_OR_RETURN(records, ListPeers(store));
  }
  std::map<core::RegistryCode, exchange::Peer> peers;
  for (const exchange::PeerRecord& p : records) peers[p.code] = {p.code, p.public_key};
  JCM_ASSIGN_OR_RETURN(const int64_t now_s, internal::UtcSeconds(identity.clock->NowUtc()));
  // Every check before the snapshot is built: refusing costs a signature check, not a scan.
  if (auto refusal = exchange::CheckSnapshotRequest(request, identity.self, peers, now_s)) {
    return Out(FromExchange(*refusal));
  }
  if (auto relayed = exchange::CheckCertificateNames(ask.certified_as, request.from)) {
    return Out(FromExchange(*relayed));
  }
  JCM_ASSIGN_OR_RETURN(exchange::ReconcileSnapshot snapshot,
                       BuildSnapshot(store, identity, request.from, *identity.clock));
  return Out(snapshot.Encode());
}

}  // namespace jcm::service
