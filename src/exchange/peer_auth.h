// How a peer registry proves who it is beyond a message's signature (docs/exchange.md, "Between
// two servers"; issue 12 §2 "mutual TLS"):
//
// - The connection's certificate. Under mutual TLS the client CA vouches for a name: the
//   certificate's subject commonName is the registry code of the peer it was issued to ("JP").
//   A message, or a snapshot request, that claims to come from another registry than the one
//   its connection's certificate names is refused (836): stealing one registry's TLS key then
//   sends nothing in another's name, and a registry's Ed25519 key alone no longer suffices where
//   mutual TLS is configured.
// - The snapshot request. A reconciliation snapshot reveals holdings, so only the peer it is
//   for may fetch it: the request is signed with that peer's exchange key (the envelopes' key)
//   over its names and time, so it is authenticated without TLS too (loopback, tests), and a
//   captured request is good for kSnapshotRequestSkewSeconds only. It changes nothing, so it
//   needs no sequence number: a replay within that window fetches what the original fetched.
//
// Pure: the checks take the configured peers and the time; the service supplies them.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/ed25519.h"
#include "core/registry_code.h"
#include "exchange/envelope.h"
#include "exchange/exchange_check.h"

namespace jcm::exchange {

// Check 836 when the connection carries a verified client certificate (`certified_as`: its
// subject commonName, "" when it has none) that does not name `claimed`; nullopt otherwise,
// including when there is no certificate (plain HTTP, or no client CA configured: the
// signature alone names the sender).
std::optional<Refusal> CheckCertificateNames(const std::optional<std::string>& certified_as,
                                             const core::RegistryCode& claimed);

inline constexpr std::string_view kSnapshotRequestProtocol = "jcm-snapshot-request/1";
// How far a snapshot request's time may be from the asked registry's clock (both ways).
inline constexpr int64_t kSnapshotRequestSkewSeconds = 300;

struct SnapshotRequest {
  core::RegistryCode from;  // the peer asking: the snapshot is for it
  core::RegistryCode to;    // the registry asked
  int64_t at_s = 0;         // when it was signed, seconds since 1970 UTC
  std::string signature;    // Ed25519, 64 raw bytes

  // kSnapshotRequestProtocol, a newline, then the Record encoding of from, to and at.
  std::string SignedBytes() const;
  void Sign(const core::Ed25519PrivateKey& key);
};

// Asked of registry `self` at `now_s`, in this order: 800 unless `from` is a configured peer,
// 801 unless `to` is `self`, 837 when `at_s` is more than kSnapshotRequestSkewSeconds from
// `now_s`, 802 unless the signature verifies under the peer's key.
std::optional<Refusal> CheckSnapshotRequest(const SnapshotRequest& request,
                                            const core::RegistryCode& self,
                                            const std::map<core::RegistryCode, Peer>& peers,
                                            int64_t now_s);

}  // namespace jcm::exchange
