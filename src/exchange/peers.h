// The peers a registry exchanges with (docs/exchange.md, "Peers"; issue 12 §1): each the other
// registry's code, the URL its messages are sent to, and its Ed25519 public key, configured by
// a journaled command and replayed from the journal's "exchange.*" entries (no table), as
// authorisations are. A peer's key is what the gate (envelope.h, check 802) verifies its
// messages with, so changing it is a new record, never an edit: removing a peer and adding it
// again with another key leaves both in the journal.
//
// DecideAddPeer and DecideRemovePeer are pure: the record to journal, or the first failing check
// of 820–823.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/record.h"
#include "core/registry_code.h"
#include "core/status.h"
#include "exchange/envelope.h"
#include "exchange/exchange_check.h"

namespace jcm::exchange {

// Event kinds. Persisted: never rename one.
inline constexpr std::string_view kEventKindPrefix = "exchange.";
inline constexpr std::string_view kEventPeerAdded = "exchange.peer_added";
inline constexpr std::string_view kEventPeerRemoved = "exchange.peer_removed";

inline constexpr size_t kPeerUrlBytesMax = 500;

struct PeerRecord {
  core::RegistryCode code;
  std::string url;         // https://… (http:// for loopback tests)
  std::string public_key;  // 32 raw bytes
  int64_t added_seq = 0;

  core::Record ToRecord() const;  // public_key as hex
  static core::Result<PeerRecord> FromRecord(const core::Record& body);
  friend bool operator==(const PeerRecord&, const PeerRecord&) = default;
};

class PeerBook {
 public:
  // Applies one journal entry of the exchange.* family (other kinds are skipped). DataLoss on a
  // malformed body, or a removal of a peer that is not configured.
  core::Status Apply(std::string_view kind, const core::Record& body, int64_t seq);
  // The peers configured now, by code.
  const std::map<core::RegistryCode, PeerRecord>& peers() const { return peers_; }
  // The same, as the gate takes them.
  std::map<core::RegistryCode, Peer> GatePeers() const;
  int64_t last_seq() const { return last_seq_; }
  friend bool operator==(const PeerBook&, const PeerBook&) = default;

 private:
  std::map<core::RegistryCode, PeerRecord> peers_;
  int64_t last_seq_ = 0;
};

struct PeerRequest {
  std::string code;
  std::string url;
  std::string public_key_hex;
};

// 804 for a code, URL or key not of its form; 821 when the code is a registry this database
// holds (`local`); 820 when a peer of that code, or with that key, is configured.
std::variant<PeerRecord, Refusal> DecideAddPeer(const PeerBook& book,
                                                const std::vector<std::string>& local,
                                                const PeerRequest& request);
// 822 when no peer of that code is configured. The record to journal as kEventPeerRemoved.
std::variant<core::Record, Refusal> DecideRemovePeer(const PeerBook& book, std::string_view code,
                                                     std::string_view reason);

}  // namespace jcm::exchange
