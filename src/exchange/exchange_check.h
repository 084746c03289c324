// ExchangeCheck: the numbered rules of messages between registries (docs/exchange.md; issue 12).
//
// Persisted and public: a refusal's number is journaled and returned to the peer. DO NOT
// RENUMBER OR REUSE A VALUE; append new checks. 800–849, beside the ledger's (1–99), the
// cycle's (100–199), the service's (200–299), identity's (300–399), approval's (400–439),
// Article 6's (600–649) and the programme's (700–729). 800–809 judge a message as a message
// (who sent it, to whom, signed how, in which order); 810–819 judge what it asks of a transfer;
// 820–829 the configuration of peers; 836–837 who a peer is beyond its signature; 845–849
// reconciliation.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace jcm::exchange {

enum class ExchangeCheck : uint16_t {
  kPeerUnknown = 800,          // the sender is no configured peer
  kNotAddressedHere = 801,     // the message names another registry as its receiver
  kSignatureInvalid = 802,     // the signature does not verify under the peer's key
  kMessageReplayed = 803,      // its sequence number is not above the last one accepted
  kMessageMalformed = 804,     // a field is missing or not of its form
  kTransactionUnknown = 810,   // a reply, completion or status for a transaction never seen
  kTransitionRefused = 811,    // the transaction's state does not admit this message
  kTransactionMismatch = 812,  // a proposal reusing a transaction id with other content
  // A registry's own checks around an external transfer (service/exchange_transfers.h).
  kIncomingSerialsLive = 834,  // (receiver) a proposed serial is held live here already
  kDestinationNotPeer = 835,   // (sender) the destination's registry is no configured peer
  // Who a peer is beyond its signature (peer_auth.h).
  kClientCertificateNotPeer = 836,  // the connection's client certificate names another registry
  kSnapshotRequestStale = 837,      // a snapshot request signed too far from this registry's clock
  // The peers a registry exchanges with (peers.h).
  kPeerExists = 820,         // a peer of this code, or with this key, is configured already
  kPeerIsLocal = 821,        // the code is a registry this database holds itself
  kPeerNotConfigured = 822,  // no peer of this code is configured (to remove)
  // Reconciliation (reconcile.h, reconciliation_book.h).
  kExchangeFrozen = 845,         // an inconsistency with this peer is open: no transfer with it
  kSnapshotInvalid = 846,        // a peer's snapshot not of its form, not signed by it, not for us
  kReconciliationNotOpen = 847,  // resolving when no inconsistency with this peer is open
};

// Stable snake_case name ("message_replayed").
std::string_view ExchangeCheckName(ExchangeCheck check);

struct Refusal {
  ExchangeCheck check = ExchangeCheck::kMessageMalformed;
  std::string message;

  uint16_t number() const { return static_cast<uint16_t>(check); }
  std::string_view name() const { return ExchangeCheckName(check); }
};

}  // namespace jcm::exchange
