// The HTTP transport of messages between registries (docs/exchange.md, "Between two servers"):
// a service::Transport that POSTs one signed envelope's wire form to the peer's
// URL + kExchangeMessagesPath over HTTP/1.1, plain or TLS (the peer's certificate verified, and
// this registry's client certificate presented for mutual TLS), and says what the peer's answer
// means for the message:
//
//   2xx                                     delivered
//   a problem with check 803 (replayed)     delivered: the peer has it already
//   another 4xx problem with a check        refused (PeerReply::refusal): resending cannot help
//     (but check 23, "another entry was journaled meanwhile": resent, it is decided again; and
//     check 836, this registry's client certificate names another registry: fixed here)
//   any other answer (a 4xx without a check: the peer's configuration — no key, no client
//   certificate accepted —, a 5xx), no answer in time, no connection
//                                           Unavailable: the message stays owed and is retried
//
// A 4xx without a check is not a refusal of the message: it is fixed on the peer's side (a key,
// a certificate), after which the same message is delivered; refusing it would drop it.
//
// One connection per peer is kept alive between messages (HTTP/1.1 keep-alive; TLS shakes hands
// once), opened again after a failure; a message on a kept connection that fails other than by
// a timeout is sent once more on a new one. The timeouts bound every step: connect (with TLS
// handshake) `connect_timeout`, writing the request and reading the answer `read_timeout`.
//
// Beast stays in exchange_transport.cc (the transport target, as http_server.cc).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"
#include "service/exchange_reconcile.h"
#include "service/exchange_transfers.h"

namespace jcm::server {

inline constexpr std::string_view kExchangeMessagesPath = "/api/v1/exchange/messages";
// GET {peer}/api/v1/exchange/snapshot?peer={self}: the peer's reconciliation snapshot for this
// registry, asked with a request signed by this registry's exchange key (service::SnapshotAsk)
// in these two headers.
inline constexpr std::string_view kExchangeSnapshotPath = "/api/v1/exchange/snapshot";
inline constexpr std::string_view kExchangeTimeHeader = "Jcm-Exchange-Time";
inline constexpr std::string_view kExchangeSignatureHeader = "Jcm-Exchange-Signature";

struct ExchangeClientOptions {
  std::string ca_file;           // PEM CAs an https peer's certificate must chain to; empty: the
                                 // system's default CAs
  std::string client_cert_file;  // PEM certificate presented to https peers (mutual TLS)
  std::string client_key_file;   // its PEM private key
  std::chrono::milliseconds connect_timeout{3'000};  // resolving, connecting, TLS handshake
  std::chrono::milliseconds read_timeout{10'000};    // writing the request, reading the answer
};

// What an HTTP answer (status and body) to a delivered message means, as the table above says.
core::Result<service::PeerReply> PeerReplyFor(int status, std::string_view body);

// The transport; InvalidArgument when a certificate, key or CA file cannot be loaded (checked
// here, once, rather than at the first delivery). Not for concurrent use by several threads
// (copies share the connections).
core::Result<service::Transport> HttpExchangeTransport(const ExchangeClientOptions& options);

// How long a snapshot may take to come: the peer builds it first (about 3 s at 10^6 blocks,
// docs/exchange.md) and it is about 23 bytes a run; and how large it may be.
inline constexpr std::chrono::milliseconds kSnapshotReadTimeout{60'000};
inline constexpr uint64_t kSnapshotBytesMax = uint64_t{1} << 30;

// The schedule's fetch (service::ReconcileDue): one GET of the peer's snapshot for
// `identity`'s registry at kExchangeSnapshotPath, signed with its key (service::SignSnapshotAsk),
// over the same client as the messages (options' CA and client certificate; connect within
// options.connect_timeout, the answer within kSnapshotReadTimeout). Unavailable for anything but
// a 200, naming the status and the problem's check if any. `identity` must outlive the fetch;
// InvalidArgument as HttpExchangeTransport.
core::Result<service::SnapshotFetch> HttpSnapshotFetch(const ExchangeClientOptions& options,
                                                       const service::ExchangeIdentity& identity);

}  // namespace jcm::server
