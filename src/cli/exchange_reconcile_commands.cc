// jcm exchange snapshot|reconcile|resolve: reconciliation with a peer registry (docs/cli.md,
// "Transfers between registries"; docs/exchange.md, "Reconciliation"), on
// service/exchange_reconcile.h.
#include <fstream>
#include <ostream>
#include <sstream>

#include "cli/commands.h"
#include "service/exchange_reconcile.h"
#include "service/json/exchange_reconcile_json.h"

namespace jcm::cli {
namespace {

namespace bj = boost::json;

core::Result<std::string> ReadFile(const std::string& path, std::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::InvalidArgument("cannot read " + std::string(what) + " " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The registry a database exchanges as: --registry, or the one registry it holds; its key:
// --exchange-key FILE, or the file beside the database (DB.exchange-key.pem).
core::Result<service::ExchangeIdentity> IdentityOf(store::Store& store, const std::string& db,
                                                   const std::optional<std::string>& registry,
                                                   const std::optional<std::string>& key_path) {
  core::RegistryCode self;
  if (registry) {
    JCM_ASSIGN_OR_RETURN(self, core::RegistryCode::Parse(*registry));
  } else {
    JCM_ASSIGN_OR_RETURN(self, service::LocalRegistry(store));
  }
  JCM_ASSIGN_OR_RETURN(
      core::Ed25519PrivateKey key,
      service::LoadExchangeKey(key_path ? *key_path : service::DefaultExchangeKeyPath(db)));
  return service::ExchangeIdentity{self, std::move(key), nullptr};
}

core::Status Snapshot(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(const std::string peer_text, run.args.Require("peer"));
  JCM_ASSIGN_OR_RETURN(const core::RegistryCode peer, core::RegistryCode::Parse(peer_text));
  JCM_ASSIGN_OR_RETURN(const std::string db, run.args.Require("db"));
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run, store::OpenMode::kReadOnly));
  JCM_ASSIGN_OR_RETURN(auto identity, IdentityOf(*store, db, run.args.Get("registry"),
                                                 run.args.Get("exchange-key")));
  JCM_ASSIGN_OR_RETURN(exchange::ReconcileSnapshot snapshot,
                       service::BuildSnapshot(*store, identity, peer, run.env.clock));
  const std::optional<std::string> out = run.args.Get("out");
  if (!out || *out == "-") {
    run.print.out() << snapshot.Encode();  // the snapshot itself is the document
    return core::OkStatus();
  }
  std::ofstream file(*out, std::ios::binary | std::ios::trunc);
  file << snapshot.Encode();
  if (!file.flush()) return core::Unavailable("cannot write " + *out);
  const std::string digest = snapshot.Digest();
  bj::object doc = service::json::SnapshotJson(snapshot, digest);
  doc["out"] = *out;
  run.print.Json(doc);
  if (!run.print.json()) {
    run.print.out() << snapshot.registry.str() << "'s snapshot for " << peer.str() << " at entry "
                    << snapshot.journal_seq << ": " << snapshot.trail.size() << " transfers, "
                    << snapshot.live.size() << " live runs, digest " << digest << ", written to "
                    << *out << "\n";
  }
  return core::OkStatus();
}

void ReportText(const service::ReconciliationResult& result, std::ostream& out) {
  const exchange::ReconcileReport& r = result.report;
  out << "reconciliation of " << r.registry.str() << " (entry " << r.registry_seq << ") with "
      << r.peer.str() << " (entry " << r.peer_seq
      << "): " << (r.consistent() ? "consistent" : "inconsistent") << " ("
      << exchange::ItlStatusName(r.itl_status()) << "), " << r.transactions << " transfers, "
      << r.in_flight << " in flight; journaled as entry " << result.journal_seq << "\n";
  for (const exchange::Difference& d : r.differences) {
    out << "  " << exchange::PhaseName(d.phase) << ": " << d.text << "\n";
  }
  if (r.differences_omitted > 0) out << "  … and " << r.differences_omitted << " more\n";
  if (result.frozen) out << "transfers with " << r.peer.str() << " are frozen until resolved\n";
}

core::Status Reconcile(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(const std::string db, run.args.Require("db"));
  const std::optional<std::string> peer_db = run.args.Get("peer-db");
  const std::optional<std::string> peer_file = run.args.Get("peer-snapshot");
  if (peer_db.has_value() == peer_file.has_value()) {
    return core::InvalidArgument("give the peer as --peer-db FILE or --peer-snapshot FILE");
  }
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run));
  JCM_ASSIGN_OR_RETURN(auto identity, IdentityOf(*store, db, run.args.Get("registry"),
                                                 run.args.Get("exchange-key")));
  std::string wire;
  if (peer_file) {
    JCM_ASSIGN_OR_RETURN(wire, ReadFile(*peer_file, "the peer's snapshot"));
  } else {
    JCM_ASSIGN_OR_RETURN(auto peer_store, run.env.open_store(*peer_db, store::OpenMode::kReadOnly));
    JCM_ASSIGN_OR_RETURN(auto peer, IdentityOf(*peer_store, *peer_db, std::nullopt,
                                               run.args.Get("peer-exchange-key")));
    JCM_ASSIGN_OR_RETURN(exchange::ReconcileSnapshot theirs,
                         service::BuildSnapshot(*peer_store, peer, identity.self, run.env.clock));
    wire = theirs.Encode();
  }
  JCM_ASSIGN_OR_RETURN(auto outcome,
                       service::Reconcile(*store, identity, wire, run.env.clock, "operator"));
  run.print.Outcome(outcome, service::json::ReconciliationJson, ReportText);
  const auto* result = std::get_if<service::ReconciliationResult>(&outcome);
  if (result && !result->report.consistent()) run.print.Fail(kExitAuditFailed);
  return core::OkStatus();
}

core::Status Resolve(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(const std::string peer, run.args.Require("peer"));
  JCM_ASSIGN_OR_RETURN(const std::string reason, run.args.Require("reason"));
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run));
  JCM_ASSIGN_OR_RETURN(auto outcome,
                       service::ResolveReconciliation(*store, peer, reason, "operator"));
  run.print.Outcome(
      outcome,
      [&](int64_t seq) {
        return bj::object{{"peer", peer}, {"journal_seq", seq}};
      },
      [&](int64_t seq, std::ostream& out) {
        out << "resolved the inconsistency with " << peer << " (entry " << seq
            << "); transfers with it may go on\n";
      });
  return core::OkStatus();
}

const CommandSpec kReconcileCommands[] = {
    {"exchange snapshot",
     "transfers between registries",
     "snapshot/reconcile/resolve: reconciliation with a peer registry",
     "jcm exchange snapshot --db FILE --peer CC [--out FILE] [--registry CC] [--exchange-key PEM]\n"
     "                      [--json]\n"
     "  This registry described for the peer CC at its last journal entry (docs/exchange.md,\n"
     "  \"Reconciliation\"): totals by origin, the transfers between the two with their serial\n"
     "  runs, the live runs of both registries' serials; signed with the exchange key\n"
     "  (default DB.exchange-key.pem). Written to FILE (then a summary is printed), or to\n"
     "  standard output.\n",
     {"db", "peer", "out", "registry", "exchange-key"},
     {},
     Snapshot},
    {"exchange reconcile",
     "transfers between registries",
     "",
     "jcm exchange reconcile --db FILE (--peer-db FILE | --peer-snapshot FILE) [--registry CC]\n"
     "                       [--exchange-key PEM] [--peer-exchange-key PEM] [--json]\n"
     "  Compares this registry with the peer's snapshot (read from a file, or built from the\n"
     "  peer's database with its key) in three phases — totals, unit blocks, trail — and\n"
     "  journals the report. Exit status 4 when it names a difference: transfers with that\n"
     "  peer are then frozen (check 845) until `jcm exchange resolve`. Checks 846 (the\n"
     "  snapshot is not the configured peer's, signed, for this registry), 800 (no peer).\n",
     {"db", "peer-db", "peer-snapshot", "registry", "exchange-key", "peer-exchange-key"},
     {},
     Reconcile},
    {"exchange resolve",
     "transfers between registries",
     "",
     "jcm exchange resolve --db FILE --peer CC --reason TEXT [--json]\n"
     "  An operator's decision that the inconsistency with CC is resolved (journaled\n"
     "  exchange.reconciliation_resolved): transfers with it may go on. Check 847 when none\n"
     "  is open.\n",
     {"db", "peer", "reason"},
     {},
     Resolve},
};

}  // namespace

std::span<const CommandSpec> ExchangeReconcileCommands() { return kReconcileCommands; }

}  // namespace jcm::cli
