#include "cli/serve_exchange.h"

#include <cctype>
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

void AppendError(server::EventRecord& record, std::string_view what, const core::Status& status) {
  record.error += (record.error.empty() ? "" : "; ") + std::string(what) + ": " + status.ToString();
}

// The time-driven steps, then one delivery of the outbox.
void TickAndDeliver(store::Store& store, const ServeExchange& exchange,
                    server::EventRecord& record) {
  core::Result<service::TickResult> tick =
      service::ExchangeTick(store, exchange.identity, exchange.cache.get());
  if (tick.ok()) {
    if (tick->failed + tick->status_requests + tick->escalated > 0) {
      record.counts = {{"failed", tick->failed},
                       {"status_requests", tick->status_requests},
                       {"escalated", tick->escalated}};
    }
  } else {
    AppendError(record, "tick", tick.status());
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
    AppendError(record, "deliver", delivery.status());
  }
}

// The reconciliations due, each peer's snapshot asked for at most once per
// kSnapshotFetchInterval; a peer not asked this round counts as unreachable to ReconcileDue
// (tried again at a later round) but writes no line by itself.
void ReconcileScheduled(store::Store& store, const ServeExchange& exchange,
                        SnapshotFetches& fetches, server::EventRecord& record) {
  fetches.attempts = 0;
  const auto now = std::chrono::steady_clock::now();
  const service::SnapshotFetch paced =
      [&](const exchange::PeerRecord& peer) -> core::Result<std::string> {
    auto next = fetches.next_at.find(peer.code);
    if (next != fetches.next_at.end() && now < next->second) {
      return core::Unavailable("asked less than " + std::to_string(kSnapshotFetchInterval.count()) +
                               " minutes ago");
    }
    fetches.next_at[peer.code] = now + kSnapshotFetchInterval;
    ++fetches.attempts;
    return fetches.fetch(peer);
  };
  core::Result<service::ScheduledReconciliations> done =
      service::ReconcileDue(store, exchange.identity, *exchange.identity.clock,
                            *exchange.reconcile_at_s, paced, exchange.cache.get());
  if (!done.ok()) return AppendError(record, "reconcile", done.status());
  if (fetches.attempts == 0) return;
  record.counts.insert(record.counts.end(), {{"reconciled", done->reconciled},
                                             {"inconsistent", done->inconsistent},
                                             {"reconcile_unreachable", done->unreachable},
                                             {"snapshots_refused", done->refused}});
}

}  // namespace

core::Result<std::optional<int64_t>> ParseReconcileAt(std::string_view text) {
  if (text == "off") return std::optional<int64_t>();
  const auto part = [&](size_t at, int64_t max) -> std::optional<int64_t> {
    if (text.size() < at + 2 || !std::isdigit(static_cast<unsigned char>(text[at])) ||
        !std::isdigit(static_cast<unsigned char>(text[at + 1]))) {
      return std::nullopt;
    }
    const int64_t value = (text[at] - '0') * 10 + (text[at + 1] - '0');
    return value <= max ? std::optional<int64_t>(value) : std::nullopt;
  };
  const std::optional<int64_t> hours = part(0, 23), minutes = part(3, 59);
  const bool with_seconds = text.size() == 8;
  const std::optional<int64_t> seconds = with_seconds ? part(6, 59) : std::optional<int64_t>(0);
  if ((text.size() != 5 && !with_seconds) || text[2] != ':' || (with_seconds && text[5] != ':') ||
      !hours || !minutes || !seconds) {
    return core::InvalidArgument("--reconcile-at is HH:MM or HH:MM:SS (UTC), or off; got '" +
                                 std::string(text) + "'");
  }
  return std::optional<int64_t>(*hours * 3600 + *minutes * 60 + *seconds);
}

core::Result<std::optional<ServeExchange>> ServeExchangeOf(CommandRun& run, store::Store& store) {
  JCM_ASSIGN_OR_RETURN(const std::string db, run.args.Require("db"));
  JCM_ASSIGN_OR_RETURN(const int64_t interval_ms,
                       run.args.RequireInt("exchange-interval-ms", 1000));
  if (interval_ms < 1 || interval_ms > kIntervalMsMax) {
    return core::InvalidArgument("--exchange-interval-ms is 1..3600000");
  }
  JCM_ASSIGN_OR_RETURN(const std::optional<int64_t> reconcile_at_s,
                       ParseReconcileAt(run.args.Get("reconcile-at").value_or("00:30")));
  const std::optional<std::string> key_flag = run.args.Get("exchange-key");
  const std::string key_path = key_flag.value_or(service::DefaultExchangeKeyPath(db));
  if (!key_flag && !std::filesystem::exists(key_path)) return std::optional<ServeExchange>();
  JCM_ASSIGN_OR_RETURN(core::Ed25519PrivateKey key, service::LoadExchangeKey(key_path));
  JCM_ASSIGN_OR_RETURN(const core::RegistryCode self, service::LocalRegistry(store));
  JCM_ASSIGN_OR_RETURN(const server::ExchangeClientOptions client, ClientOptionsOf(run.args));
  JCM_ASSIGN_OR_RETURN(service::Transport transport, server::HttpExchangeTransport(client));
  return std::optional<ServeExchange>(
      ServeExchange{service::ExchangeIdentity{self, std::move(key), &run.env.clock},
                    std::move(transport), std::chrono::milliseconds(interval_ms), client,
                    reconcile_at_s, std::make_unique<service::ExchangeStateCache>()});
}

void RunExchangeRound(store::Store& store, const ServeExchange& exchange, SnapshotFetches& fetches,
                      server::AccessLog& log) {
  server::EventRecord record{"exchange.round", {}, {}};
  TickAndDeliver(store, exchange, record);
  // After the delivery, so a snapshot fetch never delays what is owed by more than one
  // bounded attempt per peer and kSnapshotFetchInterval.
  if (exchange.reconcile_at_s && fetches.fetch) {
    ReconcileScheduled(store, exchange, fetches, record);
  }
  if (!record.counts.empty() || !record.error.empty()) log.Write(record);
}

std::jthread RunExchangeLoop(store::Store& store, const ServeExchange& exchange,
                             server::AccessLog& log) {
  return std::jthread([&store, &exchange, &log](std::stop_token stop) {
    SnapshotFetches fetches;
    // The identity's address is stable from here (the fetch signs with it); the client's files
    // are read again, checked already when the transport was made.
    core::Result<service::SnapshotFetch> fetch =
        server::HttpSnapshotFetch(exchange.client, exchange.identity);
    if (fetch.ok()) {
      fetches.fetch = *std::move(fetch);
    } else {
      log.Write(
          server::EventRecord{"exchange.round", {}, "reconcile: " + fetch.status().ToString()});
    }
    // A round every interval, and at once when the receiving route queued a reply; the wait
    // ends early when the stop is requested (Serve returning).
    while (exchange.cache->WaitForOwedMessages(stop, exchange.interval)) {
      RunExchangeRound(store, exchange, fetches, log);
    }
  });
}

}  // namespace jcm::cli
