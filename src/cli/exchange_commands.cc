// jcm exchange …: transfers between registries (docs/cli.md, "Transfers between registries";
// docs/exchange.md) — for now the peers this registry exchanges with, on
// service/exchange_peers.h.
#include <ostream>

#include "cli/commands.h"
#include "core/text.h"
#include "service/exchange_peers.h"
#include "service/json/exchange_json.h"

namespace jcm::cli {
namespace {

namespace bj = boost::json;

using service::json::PeerJson;

void PeerText(const exchange::PeerRecord& peer, std::ostream& out) {
  out << "peer " << peer.code.str() << " at " << peer.url << ", key "
      << core::BytesToHex(peer.public_key) << " (entry " << peer.added_seq << ")\n";
}

core::Status PeerAdd(CommandRun& run) {
  exchange::PeerRequest request;
  JCM_ASSIGN_OR_RETURN(request.code, run.args.Require("code"));
  JCM_ASSIGN_OR_RETURN(request.url, run.args.Require("url"));
  JCM_ASSIGN_OR_RETURN(request.public_key_hex, run.args.Require("public-key"));
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run));
  JCM_ASSIGN_OR_RETURN(auto outcome, service::AddPeer(*store, request, "operator"));
  run.print.Outcome(outcome, PeerJson, PeerText);
  return core::OkStatus();
}

core::Status PeerRemove(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(const std::string code, run.args.Require("code"));
  JCM_ASSIGN_OR_RETURN(const std::string reason, run.args.Require("reason"));
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run));
  JCM_ASSIGN_OR_RETURN(auto outcome, service::RemovePeer(*store, code, reason, "operator"));
  run.print.Outcome(outcome, PeerJson, [](const exchange::PeerRecord& peer, std::ostream& out) {
    out << "removed ";
    PeerText(peer, out);
  });
  return core::OkStatus();
}

core::Status PeerList(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run, store::OpenMode::kReadOnly));
  JCM_ASSIGN_OR_RETURN(std::vector<exchange::PeerRecord> peers, service::ListPeers(*store));
  bj::array items;
  for (const exchange::PeerRecord& peer : peers) {
    items.push_back(PeerJson(peer));
    if (!run.print.json()) PeerText(peer, run.print.out());
  }
  run.print.Json(bj::object{{"peers", std::move(items)}});
  return core::OkStatus();
}

const CommandSpec kExchangeCommands[] = {
    {"exchange peer add",
     "transfers between registries",
     "peer add|remove|list: the registries this one exchanges with",
     "jcm exchange peer add --db FILE --code CC --url URL --public-key HEX [--json]\n"
     "  Configures a peer registry: its code (MN, …), the URL its messages go to and its Ed25519\n"
     "  public key; journaled as exchange.peer_added. Checks 804 (malformed), 820 (a peer of\n"
     "  that code or key exists), 821 (the code is a registry of this database).\n",
     {"db", "code", "url", "public-key"},
     {},
     PeerAdd},
    {"exchange peer remove",
     "transfers between registries",
     "",
     "jcm exchange peer remove --db FILE --code CC --reason TEXT [--json]\n"
     "  Removes a peer (journaled exchange.peer_removed); check 822 when none of that code is\n"
     "  configured. Add it again to change its URL or key.\n",
     {"db", "code", "reason"},
     {},
     PeerRemove},
    {"exchange peer list",
     "transfers between registries",
     "",
     "jcm exchange peer list --db FILE [--json]\n"
     "  The peers configured now: {peers: [{code, url, public_key, added_seq}]}.\n",
     {"db"},
     {},
     PeerList},
};

}  // namespace

std::span<const CommandSpec> ExchangeCommands() { return kExchangeCommands; }

}  // namespace jcm::cli
