#include "exchange/exchange_check.h"

namespace jcm::exchange {

// A switch (not a table) so that -Wswitch fails the build when a check has no name.
std::string_view ExchangeCheckName(ExchangeCheck check) {
  switch (check) {
    // clang-format off
    case ExchangeCheck::kPeerUnknown: return "peer_unknown";
    case ExchangeCheck::kNotAddressedHere: return "not_addressed_here";
    case ExchangeCheck::kSignatureInvalid: return "signature_invalid";
    case ExchangeCheck::kMessageReplayed: return "message_replayed";
    case ExchangeCheck::kMessageMalformed: return "message_malformed";
    case ExchangeCheck::kTransactionUnknown: return "transaction_unknown";
    case ExchangeCheck::kTransitionRefused: return "transition_refused";
    case ExchangeCheck::kTransactionMismatch: return "transaction_mismatch";
    case ExchangeCheck::kIncomingSerialsLive: return "incoming_serials_live";
    case ExchangeCheck::kDestinationNotPeer: return "destination_not_peer";
    case ExchangeCheck::kClientCertificateNotPeer: return "client_certificate_not_peer";
    case ExchangeCheck::kSnapshotRequestStale: return "snapshot_request_stale";
    case ExchangeCheck::kPeerExists: return "peer_exists";
    case ExchangeCheck::kPeerIsLocal: return "peer_is_local";
    case ExchangeCheck::kPeerNotConfigured: return "peer_not_configured";
    case ExchangeCheck::kExchangeFrozen: return "exchange_frozen";
    case ExchangeCheck::kSnapshotInvalid: return "snapshot_invalid";
    case ExchangeCheck::kReconciliationNotOpen: return "reconciliation_not_open";
      // clang-format on
  }
  return "unknown_exchange_check";
}

}  // namespace jcm::exchange
