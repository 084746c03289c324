#include "exchange/peer_auth.h"

#include "core/record.h"

namespace jcm::exchange {

std::optional<Refusal> CheckCertificateNames(const std::optional<std::string>& certified_as,
                                             const core::RegistryCode& claimed) {
  if (!certified_as || *certified_as == claimed.str()) return std::nullopt;
  const std::string named = certified_as->empty() ? "no registry" : "'" + *certified_as + "'";
  return Refusal{ExchangeCheck::kClientCertificateNotPeer,
                 "the connection's client certificate names " + named + ", not " + claimed.str()};
}

std::string SnapshotRequest::SignedBytes() const {
  core::Record record;
  record.Add("from", from.str()).Add("to", to.str()).AddInt("at", at_s);
  return std::string(kSnapshotRequestProtocol) + "\n" + record.Encode();
}

void SnapshotRequest::Sign(const core::Ed25519PrivateKey& key) {
  signature = key.Sign(SignedBytes());
}

std::optional<Refusal> CheckSnapshotRequest(const SnapshotRequest& request,
                                            const core::RegistryCode& self,
                                            const std::map<core::RegistryCode, Peer>& peers,
                                            int64_t now_s) {
  const auto peer = peers.find(request.from);
  if (peer == peers.end()) {
    return Refusal{ExchangeCheck::kPeerUnknown,
                   "registry " + request.from.str() + " is no configured peer"};
  }
  if (request.to != self) {
    return Refusal{ExchangeCheck::kNotAddressedHere,
                   "the request is for registry " + request.to.str() + ", this is " + self.str()};
  }
  const int64_t skew_s = request.at_s > now_s ? request.at_s - now_s : now_s - request.at_s;
  if (skew_s > kSnapshotRequestSkewSeconds) {
    return Refusal{ExchangeCheck::kSnapshotRequestStale,
                   "the request was signed " + std::to_string(skew_s) +
                       " s from this registry's clock; at most " +
                       std::to_string(kSnapshotRequestSkewSeconds) + " s is accepted"};
  }
  if (!core::Ed25519Verify(peer->second.public_key, request.SignedBytes(), request.signature)) {
    return Refusal{
        ExchangeCheck::kSignatureInvalid,
        "the request's signature does not verify under " + request.from.str() + "'s key"};
  }
  return std::nullopt;
}

}  // namespace jcm::exchange
