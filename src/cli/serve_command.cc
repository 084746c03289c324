// jcm serve: the HTTP API (docs/api.md) over the store named by --db, until SIGTERM or SIGINT.
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <iostream>
#include <mutex>
#include <ostream>
#include <thread>

#include "cli/commands.h"
#include "cli/serve_exchange.h"
#include "server/api.h"
#include "server/auth.h"
#include "server/http_server.h"
#include "server/openapi_document.h"
#include "server/public_cache.h"
#include "server/rate_limit.h"
#include "server/static_files.h"
#include "service/log_service.h"

namespace jcm::cli {
namespace {

// "HOST:PORT" or "[IPv6]:PORT" into the options.
core::Status ParseListen(const std::string& text, server::ServerOptions* options) {
  const size_t colon = text.rfind(':');
  const std::optional<int64_t> port =
      colon == std::string::npos ? std::nullopt : core::ParseInt64(text.substr(colon + 1));
  if (!port || *port < 0 || *port > 65535 || colon == 0) {
    return core::InvalidArgument("--listen wants HOST:PORT (PORT 0: any free port), got '" + text +
                                 "'");
  }
  std::string host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  options->host = host;
  options->port = static_cast<uint16_t>(*port);
  return core::OkStatus();
}

core::Result<server::ServerOptions> OptionsOf(const Args& args) {
  server::ServerOptions options;
  JCM_RETURN_IF_ERROR(ParseListen(args.Get("listen").value_or("127.0.0.1:8080"), &options));
  options.tls_cert_file = args.Get("tls-cert").value_or("");
  options.tls_key_file = args.Get("tls-key").value_or("");
  if (options.tls_cert_file.empty() != options.tls_key_file.empty()) {
    return core::InvalidArgument("--tls-cert and --tls-key go together");
  }
  options.tls_client_ca_file = args.Get("tls-client-ca").value_or("");
  if (!options.tls_client_ca_file.empty() && options.tls_cert_file.empty()) {
    return core::InvalidArgument("--tls-client-ca needs --tls-cert and --tls-key (mutual TLS)");
  }
  JCM_ASSIGN_OR_RETURN(int64_t threads, args.RequireInt("threads", options.io_threads));
  JCM_ASSIGN_OR_RETURN(int64_t timeout_ms,
                       args.RequireInt("request-timeout-ms", options.request_timeout.count()));
  JCM_ASSIGN_OR_RETURN(int64_t connections, args.RequireInt("connections-max", 256));
  JCM_ASSIGN_OR_RETURN(int64_t writers, args.RequireInt("write-workers", options.write_workers));
  if (threads < 1 || threads > 64 || timeout_ms < 1 || connections < 1 || connections > 100'000 ||
      writers < 0 || writers > 256) {
    return core::InvalidArgument(
        "--threads 1..64, --write-workers 0..256, --request-timeout-ms >= 1, "
        "--connections-max 1..100000");
  }
  options.io_threads = static_cast<int>(threads);
  options.write_workers = static_cast<int>(writers);
  options.request_timeout = std::chrono::milliseconds(timeout_ms);
  options.connections_max = static_cast<int>(connections);
  return options;
}

struct Limits {
  server::RateLimits sign_in = server::kSignInLimitsDefault;
  server::RateLimits requests = server::kRequestLimitsDefault;
};

// --signin-rate-per-min, --signin-burst, --request-rate-per-s, --request-burst (0 rate: off).
core::Result<Limits> LimitsOf(const Args& args) {
  Limits limits;
  JCM_ASSIGN_OR_RETURN(int64_t sign_in_per_min, args.RequireInt("signin-rate-per-min", 30));
  JCM_ASSIGN_OR_RETURN(int64_t sign_in_burst, args.RequireInt("signin-burst", 30));
  JCM_ASSIGN_OR_RETURN(int64_t requests_per_s, args.RequireInt("request-rate-per-s", 100));
  JCM_ASSIGN_OR_RETURN(int64_t requests_burst, args.RequireInt("request-burst", 300));
  constexpr int64_t kMax = 1'000'000;
  for (const int64_t value : {sign_in_per_min, requests_per_s}) {
    if (value < 0 || value > kMax) return core::InvalidArgument("a rate is 0 (off) .. 1000000");
  }
  for (const int64_t value : {sign_in_burst, requests_burst}) {
    if (value < 1 || value > kMax) return core::InvalidArgument("a burst is 1 .. 1000000");
  }
  limits.sign_in = {static_cast<double>(sign_in_per_min) / 60.0,
                    static_cast<double>(sign_in_burst)};
  limits.requests = {static_cast<double>(requests_per_s), static_cast<double>(requests_burst)};
  return limits;
}

// The log signing key (docs/formats/transparency-log.md): --log-key, else beside the registry
// when one was made; without one GET /api/v1/log/sth answers 409.
core::Result<std::optional<core::Ed25519PrivateKey>> LogKeyOf(const Args& args) {
  JCM_ASSIGN_OR_RETURN(std::string db, args.Require("db"));
  const std::string key_path = args.Get("log-key").value_or(service::DefaultLogKeyPath(db));
  core::Result<core::Ed25519PrivateKey> key = service::LoadLogKey(key_path);
  if (key.ok()) return std::optional<core::Ed25519PrivateKey>(std::move(key).value());
  if (args.Get("log-key")) return key.status();
  return std::optional<core::Ed25519PrivateKey>();
}

// The web application beside the API (docs/web.md): --web DIR, else the installed or built one;
// without one, nullopt (noted on stderr) and the API alone is served.
core::Result<std::optional<std::string>> WebDirectoryOf(CommandRun& run) {
  core::Result<std::string> web_dir = server::FindWebDirectory(run.args.Get("web"));
  if (web_dir.ok()) return std::optional<std::string>(*web_dir);
  if (run.args.Get("web")) return web_dir.status();
  run.env.err << "jcm serve: serving the API only: " << web_dir.status().message() << "\n";
  return std::optional<std::string>();
}

// --read-db URL (docs/api.md, "Public reads from a standby"): a second store on a hot standby,
// opened read-only, with an Api and a PublicCache of its own; the public reads
// server::ReadableFromStandby picks are answered from it, everything else from --db.
struct StandbyReads {
  std::unique_ptr<store::Store> store;
  std::unique_ptr<server::Api> api;
  std::unique_ptr<server::PublicCache> cache;
};

core::Result<std::optional<StandbyReads>> StandbyReadsOf(CommandRun& run) {
  const std::optional<std::string> read_db = run.args.Get("read-db");
  if (!read_db) return std::optional<StandbyReads>();
  StandbyReads reads;
  JCM_ASSIGN_OR_RETURN(reads.store, run.env.open_store(*read_db, store::OpenMode::kReadOnly));
  // No clock and no log key: the routes that change the registry or sign never come here.
  reads.api = std::make_unique<server::Api>(*reads.store, server::OpenApiDocument());
  reads.cache = std::make_unique<server::PublicCache>(*reads.store);
  return std::optional<StandbyReads>(std::move(reads));
}

// How often the server runs what four-eyes approval has due (expiries, delayed transfers);
// every transaction request also runs it first, so this only bounds how late an idle server
// writes them.
constexpr std::chrono::seconds kRunDueInterval{60};

// A thread running api.RunDueApprovals() every kRunDueInterval until it is stopped (the
// jthread's destructor requests the stop and joins).
std::jthread RunDueApprovalsEveryInterval(server::Api& api, CommandRun& run) {
  return std::jthread([&api, &run](std::stop_token stop) {
    std::mutex mu;
    std::condition_variable_any wake;
    std::unique_lock lock(mu);
    // wait_for returns early when the stop is requested (Serve returning).
    while (!wake.wait_for(lock, stop, kRunDueInterval, [] { return false; }) &&
           !stop.stop_requested()) {
      if (core::Status status = api.RunDueApprovals(); !status.ok()) {
        run.env.err << "jcm serve: running due transactions: " << status.ToString() << "\n";
      }
    }
  });
}

core::Status Serve(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(server::ServerOptions options, OptionsOf(run.args));
  JCM_ASSIGN_OR_RETURN(const approval::Policy approval_policy, ApprovalPolicyOf(run.args));
  JCM_ASSIGN_OR_RETURN(Limits limits, LimitsOf(run.args));
  server::RateLimit rate_limit(limits.sign_in, limits.requests, run.env.clock);
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run));
  std::ofstream log_file;
  if (const std::optional<std::string> path = run.args.Get("access-log")) {
    log_file.open(*path, std::ios::app);
    if (!log_file) return core::Unavailable("cannot open --access-log " + *path);
  }
  server::AccessLog log(log_file.is_open() ? static_cast<std::ostream&>(log_file) : run.env.err);
  JCM_ASSIGN_OR_RETURN(std::optional<core::Ed25519PrivateKey> log_key, LogKeyOf(run.args));
  server::Api api(*store, server::OpenApiDocument(), &run.env.clock,
                  {log_key ? &*log_key : nullptr, &run.env.clock});
  api.ConfigureApprovals(run.env.clock, approval_policy);
  JCM_ASSIGN_OR_RETURN(const std::optional<ServeExchange> exchange, ServeExchangeOf(run, *store));
  api.ConfigureExchange(exchange ? &exchange->identity : nullptr,
                        exchange ? exchange->cache.get() : nullptr,
                        !options.tls_client_ca_file.empty());
  // Stopped and joined when Serve returns (after the server stopped, before the store closes).
  std::jthread run_due = RunDueApprovalsEveryInterval(api, run);
  std::jthread exchange_loop = exchange ? RunExchangeLoop(*store, *exchange, log) : std::jthread();
  JCM_ASSIGN_OR_RETURN(const std::optional<std::string> web_dir, WebDirectoryOf(run));
  std::optional<server::StaticFiles> web;
  if (web_dir) web.emplace(*web_dir);
  // Public answers kept per journal size (public_cache.h, INV-34).
  server::PublicCache public_cache(*store);
  JCM_ASSIGN_OR_RETURN(std::optional<StandbyReads> standby, StandbyReadsOf(run));
  // Sign-in and the caller's identity before routing (docs/api.md, "Signing in").
  // Rate limits around it (docs/api.md, "Rate limits"): sign-in attempts per client address
  // before Auth, every API request per principal (or address) once Auth has identified it.
  server::Auth auth(
      *store, run.env.clock,
      [&](const server::HttpRequest& request, const server::RequestContext& context) {
        if (auto refused = rate_limit.BeforeApi(request, context)) {
          return std::move(*refused);
        }
        if (standby && server::ReadableFromStandby(request, context)) {
          return standby->cache->Handle(request,
                                        [&] { return standby->api->Handle(request, context); });
        }
        return public_cache.Handle(request, [&] { return api.Handle(request, context); });
      },
      api.identities());
  const std::string scheme = options.tls_cert_file.empty() ? "http" : "https";
  return server::RunServer(
      options,
      [&](const server::HttpRequest& request, const server::RequestContext& context) {
        if (web && server::StaticFiles::IsWebRequest(request)) return web->Handle(request, context);
        if (auto refused = rate_limit.BeforeAuth(request, context)) {
          return std::move(*refused);
        }
        return auth.Handle(request, context);
      },
      log,
      [&](uint16_t port) {
        const std::string url = scheme + "://" + options.host + ":" + std::to_string(port);
        api.set_public_url(run.args.Get("public-url").value_or(url));
        if (standby) standby->api->set_public_url(run.args.Get("public-url").value_or(url));
        if (run.print.json()) {
          run.print.Json(boost::json::object{{"listening", {{"url", url}, {"port", port}}}});
        } else {
          run.print.out() << "jcm serve: listening on " << url << "\n";
        }
        run.print.out().flush();
      });
}

const CommandSpec kServeCommands[] = {
    {"serve",
     "server",
     "the HTTP API over a registry database, until SIGTERM or SIGINT (docs/api.md)",
     "jcm serve --db FILE [--read-db URL] [--listen HOST:PORT] [--tls-cert PEM --tls-key PEM]\n"
     "          [--tls-client-ca PEM] [--exchange-key PEM] [--exchange-ca PEM]\n"
     "          [--exchange-client-cert PEM --exchange-client-key PEM]\n"
     "          [--exchange-interval-ms MS] [--reconcile-at HH:MM|off]\n"
     "          [--access-log FILE] [--threads N] [--write-workers N] [--request-timeout-ms MS]\n"
     "          [--connections-max N] [--web DIR] [--public-url URL] [--trusted-delay S]\n"
     "          [--transfer-delay S] [--proposal-lifetime S] [--log-key PEM]\n"
     "          [--signin-rate-per-min N] [--signin-burst N] [--request-rate-per-s N]\n"
     "          [--request-burst N] [--json]\n"
     "  Serves /healthz, /readyz, sign-in and the API under /api/v1 (docs/api.md) on HOST:PORT\n"
     "  and the web application (docs/web.md) from --web DIR (default: the installed\n"
     "  share/jcm/web, or the build's web/dist; none found: the API only, noted on stderr)\n"
     "  (default 127.0.0.1:8080; PORT 0 picks a free port). Prints `jcm serve: listening on URL`\n"
     "  (with --json: {\"listening\": {\"url\", \"port\"}}) once bound. Access log: JSON lines on\n"
     "  stderr or --access-log FILE. Reads run on the --threads I/O threads (default 4), writes\n"
     "  on --write-workers threads (default 32; 0: on the I/O threads), so that concurrent\n"
     "  writes share the store's group commit. SIGTERM/SIGINT: stops accepting, finishes the\n"
     "  requests in flight, exits 0. Retirement certificates link to the public look-up under "
     "--public-url\n"
     "  (default: the listening URL; set it to the address the public uses). Four eyes: a\n"
     "  trusted account counts after --trusted-delay (604800 s),\n"
     "  a transfer to another waits --transfer-delay (93600 s), a proposal expires after\n"
     "  --proposal-lifetime (1209600 s); what is due runs every minute. Signs the transparency\n"
     "  log's heads with --log-key (default FILE.log-key.pem, if it exists;\n"
     "  docs/formats/transparency-log.md). Rate limits (429 with Retry-After): sign-in attempts\n"
     "  per client address (default 30 a minute, bursts of 30), API requests per user or, for\n"
     "  the public, per address (default 100/s, bursts of 300); a rate of 0 turns a limit off.\n"
     "  --read-db URL: the public's GETs (not the log's head) are read from that database, a\n"
     "  hot standby of --db; writes and signed-in reads stay on --db.\n"
     "  Transfers between registries (docs/exchange.md): with --exchange-key (default\n"
     "  FILE.exchange-key.pem, if it exists) POST /api/v1/exchange/messages receives peers'\n"
     "  messages and every --exchange-interval-ms (1000) a thread runs the time limits and\n"
     "  delivers the outbox to each peer's URL, presenting --exchange-client-cert/-key to https\n"
     "  peers, whose certificates must chain to --exchange-ca (default: the system's CAs).\n"
     "  Once a day after --reconcile-at (UTC, HH:MM or HH:MM:SS; default 00:30; off: never) that\n"
     "  thread reconciles with each peer, fetching its snapshot from GET\n"
     "  /api/v1/exchange/snapshot (a peer at most once per 5 minutes while it fails).\n"
     "  --tls-client-ca PEM: mutual TLS; clients are asked for a certificate issued by it, and\n"
     "  the exchange routes refuse (403) a request without one, or with one whose commonName\n"
     "  is not the registry the request claims to come from (check 836).\n",
     {"db",
      "read-db",
      "listen",
      "tls-cert",
      "tls-key",
      "access-log",
      "threads",
      "write-workers",
      "request-timeout-ms",
      "connections-max",
      "web",
      "public-url",
      "trusted-delay",
      "transfer-delay",
      "proposal-lifetime",
      "log-key",
      "signin-rate-per-min",
      "signin-burst",
      "request-rate-per-s",
      "request-burst",
      "tls-client-ca",
      "exchange-key",
      "exchange-ca",
      "exchange-client-cert",
      "exchange-client-key",
      "exchange-interval-ms",
      "reconcile-at"},
     {},
     Serve},
};

}  // namespace

std::span<const CommandSpec> ServeCommands() { return kServeCommands; }

}  // namespace jcm::cli
