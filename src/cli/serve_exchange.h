// The exchange side of `jcm serve` (docs/exchange.md, "Between two servers"; docs/cli.md,
// serve's exchange options): the registry's exchange identity for POST
// /api/v1/exchange/messages, and the delivery loop that runs the time-driven steps
// (service::ExchangeTick) and hands the outbox to the peers over HTTP (service::DeliverOutbox
// with server::HttpExchangeTransport) every --exchange-interval-ms, and after it the daily
// reconciliation with each peer once --reconcile-at has passed (service::ReconcileDue, each
// peer's snapshot fetched with server::HttpSnapshotFetch over the same client).
//
// A peer's snapshot is fetched at most once per kSnapshotFetchInterval: a peer that is down, or
// whose snapshot is refused, costs a round one bounded attempt (connect 3 s, answer 60 s) that
// often, never one per round, so the deliveries to the others go on.
//
// The loop is its own thread, never an I/O thread: a delivery waits on a peer for up to its
// timeouts, and the server's own answers must not wait behind it. It is stopped (and joined)
// when its jthread is destroyed, which `jcm serve` does after the server stopped and before the
// store closes.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "cli/common/command.h"
#include "server/access_log.h"
#include "server/exchange_transport.h"
#include "service/exchange_reconcile.h"
#include "service/exchange_transfers.h"
#include "store/store.h"

namespace jcm::cli {

struct ServeExchange {
  service::ExchangeIdentity identity;
  service::Transport transport;
  std::chrono::milliseconds interval{1'000};
  server::ExchangeClientOptions client;   // the messages' client, which fetches snapshots too
  std::optional<int64_t> reconcile_at_s;  // seconds after 00:00 UTC; nullopt: "off"
  // The exchange state kept between calls, shared by the route and the loop.
  std::unique_ptr<service::ExchangeStateCache> cache;
};

// "HH:MM" or "HH:MM:SS" (UTC) as seconds after midnight, or nullopt for "off";
// InvalidArgument otherwise.
core::Result<std::optional<int64_t>> ParseReconcileAt(std::string_view text);

// From --exchange-key (default DB.exchange-key.pem when that file exists), --exchange-ca,
// --exchange-client-cert, --exchange-client-key, --exchange-interval-ms and --reconcile-at
// (default 00:30); nullopt when there is no key (the routes then answer 409 and nothing is
// delivered). `store` names the registry.
core::Result<std::optional<ServeExchange>> ServeExchangeOf(CommandRun& run, store::Store& store);

inline constexpr std::chrono::minutes kSnapshotFetchInterval{5};

// The loop's own state for the schedule: the fetch, and when each peer may be asked again.
struct SnapshotFetches {
  service::SnapshotFetch fetch;
  std::map<core::RegistryCode, std::chrono::steady_clock::time_point> next_at;
  int attempts = 0;  // in this round
};

// One round: the tick, one delivery of the outbox, then the reconciliations due (when the
// schedule is on); each round that did something — a reconciliation or a snapshot fetch
// attempted included — is one "exchange.round" line in `log` (an error is one too).
void RunExchangeRound(store::Store& store, const ServeExchange& exchange, SnapshotFetches& fetches,
                      server::AccessLog& log);

// Rounds every exchange.interval, and as soon as a call through exchange.cache queued a message
// (a reply of the receiving route), until the jthread is stopped.
std::jthread RunExchangeLoop(store::Store& store, const ServeExchange& exchange,
                             server::AccessLog& log);

}  // namespace jcm::cli
