// The exchange side of `jcm serve` (docs/exchange.md, "Between two servers"; docs/cli.md,
// serve's exchange options): the registry's exchange identity for POST
// /api/v1/exchange/messages, and the delivery loop that runs the time-driven steps
// (service::ExchangeTick) and hands the outbox to the peers over HTTP (service::DeliverOutbox
// with server::HttpExchangeTransport) every --exchange-interval-ms.
//
// The loop is its own thread, never an I/O thread: a delivery waits on a peer for up to its
// timeouts, and the server's own answers must not wait behind it. It is stopped (and joined)
// when its jthread is destroyed, which `jcm serve` does after the server stopped and before the
// store closes.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <thread>

#include "cli/common/command.h"
#include "server/access_log.h"
#include "service/exchange_transfers.h"
#include "store/store.h"

namespace jcm::cli {

struct ServeExchange {
  service::ExchangeIdentity identity;
  service::Transport transport;
  std::chrono::milliseconds interval{1'000};
  // The exchange state kept between calls, shared by the route and the loop.
  std::unique_ptr<service::ExchangeStateCache> cache;
};

// From --exchange-key (default DB.exchange-key.pem when that file exists), --exchange-ca,
// --exchange-client-cert, --exchange-client-key and --exchange-interval-ms; nullopt when there is
// no key (the route then answers 409 and nothing is delivered). `store` names the registry.
core::Result<std::optional<ServeExchange>> ServeExchangeOf(CommandRun& run, store::Store& store);

// One round: the tick, then one delivery of the outbox; each round that did something is one
// "exchange.round" line in `log` (an error is one too).
void RunExchangeRound(store::Store& store, const ServeExchange& exchange, server::AccessLog& log);

// Rounds every exchange.interval, and as soon as a call through exchange.cache queued a message
// (a reply of the receiving route), until the jthread is stopped.
std::jthread RunExchangeLoop(store::Store& store, const ServeExchange& exchange,
                             server::AccessLog& log);

}  // namespace jcm::cli
