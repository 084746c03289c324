// jcm exchange keygen|transfer|deliver|tick|status: external transfers between registries
// (docs/cli.md, "Transfers between registries"; docs/exchange.md), on
// service/exchange_transfers.h. `deliver` carries the messages between two database files — the
// protocol without a network: each side's outbox is handed to the other's ReceiveMessage.
#include <cmath>
#include <cstdlib>
#include <ostream>

#include "cli/commands.h"
#include "core/text.h"
#include "service/exchange_transfers.h"
#include "service/json/exchange_json.h"

namespace jcm::cli {
namespace {

namespace bj = boost::json;

// The key of the registry in --db: --exchange-key, or the file beside the database.
core::Result<std::string> KeyPath(CommandRun& run) {
  if (std::optional<std::string> path = run.args.Get("exchange-key")) return *path;
  JCM_ASSIGN_OR_RETURN(std::string db, run.args.Require("db"));
  return service::DefaultExchangeKeyPath(db);
}

core::Result<service::ExchangeIdentity> IdentityOf(store::Store& store, const std::string& key,
                                                   store::Clock& clock) {
  JCM_ASSIGN_OR_RETURN(core::RegistryCode self, service::LocalRegistry(store));
  JCM_ASSIGN_OR_RETURN(core::Ed25519PrivateKey pem, service::LoadExchangeKey(key));
  return service::ExchangeIdentity{std::move(self), std::move(pem), &clock};
}

core::Status Keygen(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(std::string path, KeyPath(run));
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run, store::OpenMode::kReadOnly));  // a registry
  JCM_ASSIGN_OR_RETURN(core::RegistryCode self, service::LocalRegistry(*store));
  JCM_ASSIGN_OR_RETURN(core::Ed25519PrivateKey key, service::CreateExchangeKey(path));
  const std::string public_key = core::BytesToHex(key.PublicKey());
  run.print.Json(
      bj::object{{"registry", self.str()}, {"key_file", path}, {"public_key", public_key}});
  if (!run.print.json()) {
    run.print.out() << "created " << path << " for " << self.str()
                    << " (keep it private)\npublic key " << public_key << "\n";
  }
  return core::OkStatus();
}

// --time-limit-hours: a positive decimal number of hours (default 24), whole seconds.
core::Result<int64_t> TimeLimitSeconds(const Args& args) {
  const std::optional<std::string> hours = args.Get("time-limit-hours");
  if (!hours) return service::kDefaultTransferTimeLimitSeconds;
  char* end = nullptr;
  const double value = std::strtod(hours->c_str(), &end);
  const double seconds = value * 3600;
  if (hours->empty() || *end != '\0' || !std::isfinite(seconds) || seconds < 1 || seconds > 1e9) {
    return core::InvalidArgument("--time-limit-hours is a positive number of hours, not '" +
                                 *hours + "'");
  }
  return static_cast<int64_t>(std::llround(seconds));
}

core::Status Transfer(CommandRun& run) {
  service::ExternalTransferRequest request;
  JCM_ASSIGN_OR_RETURN(request.from_account, run.args.Require("from"));
  JCM_ASSIGN_OR_RETURN(request.to_account, run.args.Require("to"));
  JCM_ASSIGN_OR_RETURN(request.quantity, run.args.RequireInt("quantity"));
  JCM_ASSIGN_OR_RETURN(request.time_limit_s, TimeLimitSeconds(run.args));
  request.idempotency_key = run.args.Get("key").value_or("");
  request.by = "operator";
  JCM_ASSIGN_OR_RETURN(std::string key, KeyPath(run));
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run));
  JCM_ASSIGN_OR_RETURN(auto identity, IdentityOf(*store, key, run.env.clock));
  JCM_ASSIGN_OR_RETURN(auto outcome, service::ProposeExternalTransfer(*store, identity, request));
  run.print.Outcome(outcome, service::json::ProposedTransferJson,
                    [](const service::ProposedTransfer& proposed, std::ostream& out) {
                      out << (proposed.replayed ? "already proposed " : "proposed ")
                          << proposed.transaction << " (units reserved by entry "
                          << proposed.reservation_seq
                          << "); deliver it with jcm exchange deliver\n";
                    });
  return core::OkStatus();
}

// Hands each message to `receiver`'s ReceiveMessage, as a network would to its server.
service::Transport ToRegistry(store::Store& receiver, const service::ExchangeIdentity& identity) {
  return [&receiver, &identity](const exchange::PeerRecord& peer,
                                std::string_view wire) -> core::Result<service::PeerReply> {
    if (peer.code != identity.self) {
      return core::Unavailable("the other database is " + identity.self.str() + ", not " +
                               peer.code.str());
    }
    JCM_ASSIGN_OR_RETURN(auto received, service::ReceiveMessage(receiver, identity, wire));
    service::PeerReply reply{true, std::nullopt};
    if (service::IsRejected(received)) reply.refusal = std::get<service::Rejection>(received);
    return reply;
  };
}

void Add(service::DeliveryResult& total, const service::DeliveryResult& round) {
  total.delivered += round.delivered;
  total.refused += round.refused;
  total.unreachable_peers = round.unreachable_peers;
  total.owed = round.owed;
}

core::Status Deliver(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(std::string key, KeyPath(run));
  JCM_ASSIGN_OR_RETURN(std::string other_db, run.args.Require("to-db"));
  const std::string other_key =
      run.args.Get("to-exchange-key").value_or(service::DefaultExchangeKeyPath(other_db));
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run));
  JCM_ASSIGN_OR_RETURN(auto other, run.env.open_store(other_db, store::OpenMode::kReadWrite));
  JCM_ASSIGN_OR_RETURN(auto identity, IdentityOf(*store, key, run.env.clock));
  JCM_ASSIGN_OR_RETURN(auto other_identity, IdentityOf(*other, other_key, run.env.clock));
  service::DeliveryResult sent, returned;
  int rounds = 0;
  for (; rounds < 100; ++rounds) {  // until both outboxes are empty or nothing moves
    JCM_ASSIGN_OR_RETURN(auto there,
                         service::DeliverOutbox(*store, ToRegistry(*other, other_identity)));
    JCM_ASSIGN_OR_RETURN(auto back, service::DeliverOutbox(*other, ToRegistry(*store, identity)));
    Add(sent, there);
    Add(returned, back);
    if (there.delivered + there.refused + back.delivered + back.refused == 0) break;
  }
  run.print.Json(bj::object{{"rounds", rounds},
                            {"sent", service::json::DeliveryJson(sent)},
                            {"returned", service::json::DeliveryJson(returned)}});
  if (!run.print.json()) {
    run.print.out() << identity.self.str() << " -> " << other_identity.self.str() << ": "
                    << sent.delivered << " delivered, " << sent.refused << " refused, " << sent.owed
                    << " owed; " << other_identity.self.str() << " -> " << identity.self.str()
                    << ": " << returned.delivered << " delivered, " << returned.refused
                    << " refused, " << returned.owed << " owed\n";
  }
  return core::OkStatus();
}

core::Status Tick(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(std::string key, KeyPath(run));
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run));
  JCM_ASSIGN_OR_RETURN(auto identity, IdentityOf(*store, key, run.env.clock));
  JCM_ASSIGN_OR_RETURN(service::TickResult tick, service::ExchangeTick(*store, identity));
  run.print.Json(service::json::TickJson(tick));
  if (!run.print.json()) {
    run.print.out() << tick.failed << " failed at their time limit, " << tick.status_requests
                    << " status requests queued, " << tick.escalated << " escalated\n";
  }
  return core::OkStatus();
}

void StatusText(const service::ExternalTransferStatus& s, std::ostream& out) {
  out << s.transaction << " " << s.direction << (s.direction == "outgoing" ? " to " : " from ")
      << s.peer << ": " << exchange::ReportedStateName(s.state) << ", " << s.quantity
      << " units to " << s.to_account;
  if (s.direction == "outgoing") out << " from " << s.from_account << ", limit " << s.deadline_utc;
  if (s.check != 0) out << ", check " << s.check << " " << s.check_name;
  if (s.escalated) out << ", escalated for reconciliation";
  out << "\n";
}

core::Status Status(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run, store::OpenMode::kReadOnly));
  JCM_ASSIGN_OR_RETURN(auto transfers, service::ListExternalTransfers(*store));
  bj::array items;
  for (const service::ExternalTransferStatus& s : transfers) {
    items.push_back(service::json::ExternalTransferStatusJson(s));
    if (!run.print.json()) StatusText(s, run.print.out());
  }
  run.print.Json(bj::object{{"transfers", std::move(items)}});
  return core::OkStatus();
}

const CommandSpec kCommands[] = {
    {"exchange keygen",
     "transfers between registries",
     "keygen/transfer/deliver/tick/status: external transfers to and from peer registries",
     "jcm exchange keygen --db FILE [--exchange-key PEM] [--json]\n"
     "  Creates the registry's Ed25519 exchange signing key in --exchange-key (default\n"
     "  FILE.exchange-key.pem), mode 0600, and prints its public key for the peer's\n"
     "  `jcm exchange peer add`. Refuses to overwrite one; the key never enters the database.\n",
     {"db", "exchange-key"},
     {},
     Keygen},
    {"exchange transfer",
     "transfers between registries",
     "",
     "jcm exchange transfer --db FILE --from ACC --to ACC --quantity N [--key K]\n"
     "    [--time-limit-hours H] [--exchange-key PEM] [--json]\n"
     "  Reserves N units of ACC for an account of a peer registry and queues the signed\n"
     "  proposal: {transaction, reservation_seq, replayed}. Checks as a transfer (6-10, 17-20),\n"
     "  830, 831, 835 (the destination's registry is no peer). It completes, or fails and the\n"
     "  units come back, on the peer's answer or after H hours (default 24).\n",
     {"db", "from", "to", "quantity", "key", "time-limit-hours", "exchange-key"},
     {},
     Transfer},
    {"exchange deliver",
     "transfers between registries",
     "",
     "jcm exchange deliver --db FILE --to-db FILE2 [--exchange-key PEM] [--to-exchange-key PEM]\n"
     "    [--json]\n"
     "  Carries messages between two registry databases (each with its key file): FILE's outbox\n"
     "  to FILE2, FILE2's back, until both are empty or nothing moves: {rounds, sent, returned},\n"
     "  each {delivered, refused, unreachable_peers, owed}.\n",
     {"db", "to-db", "exchange-key", "to-exchange-key"},
     {},
     Deliver},
    {"exchange tick",
     "transfers between registries",
     "",
     "jcm exchange tick --db FILE [--exchange-key PEM] [--json]\n"
     "  The time-driven steps at the clock's now: fails transfers past their time limit (units\n"
     "  back), queues status requests due, escalates long-pending incoming transfers:\n"
     "  {failed, status_requests, escalated}.\n",
     {"db", "exchange-key"},
     {},
     Tick},
    {"exchange status",
     "transfers between registries",
     "",
     "jcm exchange status --db FILE [--json]\n"
     "  Every external transfer this registry sent or received: {transfers: [{transaction, peer,\n"
     "  direction, state, quantity, from_account, to_account, deadline, check, check_name}]}.\n",
     {"db"},
     {},
     Status},
};

}  // namespace

std::span<const CommandSpec> ExchangeTransferCommands() { return kCommands; }

}  // namespace jcm::cli
