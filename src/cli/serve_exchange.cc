#include "cli/serve_exchange.h"

#include <filesystem>

#include "server/exchange_transport.h"

namespace jcm::cli {
namespace {

constexpr int64_t kIntervalMsMax = 3'600'000;

core::Result<server::ExchangeClientOptions> ClientOptionsOf(const Args& args) {
  server::ExchangeClientOptions options;
  options.ca_file = args.Get("exchange-ca").value_or("");
  options.client_cert_file = args.Get("exchange-client-cert").value_or("");
  options.client_key_file = args.Get("exchange-client-key").value_or("");
  return options;
}

}  // namespace

core::Result<std::optional<ServeExchange>> ServeExchangeOf(CommandRun& run, store::Store& store) {
  JCM_ASSIGN_OR_RETURN(const std::string db, run.args.Require("db"));
  JCM_ASSIGN_OR_RETURN(const int64_t interval_ms,
                       run.args.RequireInt("exchange-interval-ms", 1000));
  if (interval_ms < 1 || interval_ms > kIntervalMsMax) {
    return core::InvalidArgument("--exchange-interval-ms is 1..3600000");
  }
  const std::optional<std::string> key_flag = run.args.Get("exchange-key");
  const std::string key_path = key_flag.value_or(service::DefaultExchangeKeyPath(db));
  if (!key_flag && !std::filesystem::exists(key_path)) return std::optional<ServeExchange>();
  JCM_ASSIGN_OR_RETURN(core::Ed25519PrivateKey key, service::LoadExchangeKey(key_path));
  JCM_ASSIGN_OR_RETURN(const core::RegistryCode self, service::LocalRegistry(store));
  JCM_ASSIGN_OR_RETURN(const server::ExchangeClientOptions client, ClientOptionsOf(run.args));
  JCM_ASSIGN_OR_RETURN(service::Transport transport, server::HttpExchangeTransport(client));
  return std::optional<ServeExchange>(ServeExchange{
      service::ExchangeIdentity{self, std::move(key), &run.env.clock}, std::move(transport),
      std::chrono::milliseconds(interval_ms), std::make_unique<service::ExchangeStateCache>()});
}

void RunExchangeRound(store::Store& store, const ServeExchange& exchange, server::AccessLog& log) {
  server::EventRecord record{"exchange.round", {}, {}};
  core::Result<service::TickResult> tick =
      service::ExchangeTick(store, exchange.identity, exchange.cache.get());
  if (tick.ok()) {
    if (tick->failed + tick->status_requests + tick->escalated > 0) {
      record.counts = {{"failed", tick->failed},
                       {"status_requests", tick->status_requests},
                       {"escalated", tick->escalated}};
    }
  } else {
    record.error = "tick: " + tick.status().ToString();
  }
  // Delivered even when the tick failed: what is owed already does not depend on it.
  core::Result<service::DeliveryResult> delivery =
      service::DeliverOutbox(store, exchange.transport, exchange.cache.get());
  if (delivery.ok()) {
    if (delivery->delivered + delivery->refused + delivery->unreachable_peers > 0) {
      record.counts.insert(record.counts.end(), {{"delivered", delivery->delivered},
                                                 {"refused", delivery->refused},
                                                 {"unreachable_peers", delivery->unreachable_peers},
                                                 {"owed", delivery->owed}});
    }
  } else {
    record.error += (record.error.empty() ? "" : "; ") + std::string("deliver: ") +
                    delivery.status().ToString();
  }
  if (!record.counts.empty() || !record.error.empty()) log.Write(record);
}

std::jthread RunExchangeLoop(store::Store& store, const ServeExchange& exchange,
                             server::AccessLog& log) {
  return std::jthread([&store, &exchange, &log](std::stop_token stop) {
    // A round every interval, and at once when the receiving route queued a reply; the wait
    // ends early when the stop is requested (Serve returning).
    while (exchange.cache->WaitForOwedMessages(stop, exchange.interval)) {
      RunExchangeRound(store, exchange, log);
    }
  });
}

}  // namespace jcm::cli
