// jcm log keygen|sth|prove|consistency and jcm journal: the transparency log
// (docs/formats/transparency-log.md) and the journal feed, as the public API serves them.
#include <ostream>

#include "cli/commands.h"
#include "core/text.h"
#include "service/json/log_json.h"
#include "service/json/public_json.h"
#include "service/log_service.h"
#include "service/log_witness.h"
#include "service/public_queries.h"

namespace jcm::cli {
namespace {

namespace bj = boost::json;

core::Result<std::string> KeyPath(CommandRun& run) {
  if (std::optional<std::string> path = run.args.Get("log-key")) return *path;
  JCM_ASSIGN_OR_RETURN(std::string db, run.args.Require("db"));
  return service::DefaultLogKeyPath(db);
}

core::Status LogKeygen(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(std::string path, KeyPath(run));
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run, store::OpenMode::kReadOnly));  // a registry
  JCM_ASSIGN_OR_RETURN(core::Ed25519PrivateKey key, service::CreateLogKey(path));
  const std::string public_key = core::BytesToHex(key.PublicKey());
  run.print.Json(bj::object{{"key_file", path}, {"public_key", public_key}});
  if (!run.print.json()) {
    run.print.out() << "created " << path << " (keep it private)\npublic key " << public_key
                    << "\n";
  }
  return core::OkStatus();
}

core::Status LogSth(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(std::string path, KeyPath(run));
  JCM_ASSIGN_OR_RETURN(core::Ed25519PrivateKey key, service::LoadLogKey(path));
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run));  // read-write: the head is stored
  JCM_ASSIGN_OR_RETURN(service::SignedTreeHead head,
                       service::PublishTreeHead(*store, key, run.env.clock.NowUtc()));
  JCM_ASSIGN_OR_RETURN(std::optional<service::CosignedHead> cosigned,
                       service::LatestCosignedHead(*store));
  bj::object json = service::json::TreeHeadJson(head);
  json["cosigned"] = service::json::CosignedHeadJson(cosigned);  // as GET /api/v1/log/sth
  run.print.Json(json);
  if (!run.print.json()) {
    run.print.out() << "tree_size " << head.tree_size << "\nroot_hash " << head.root_hash
                    << "\ntimestamp " << head.timestamp << "\nsignature " << head.signature
                    << "\npublic_key " << head.public_key << "\n";
    if (cosigned) {
      run.print.out() << "co-signed head: " << cosigned->head.tree_size << " entries, by "
                      << cosigned->cosignatures.size() << " witness(es)\n";
    }
  }
  return core::OkStatus();
}

core::Result<std::optional<int64_t>> OptionalInt(CommandRun& run, std::string_view flag) {
  if (!run.args.Has(flag)) return std::optional<int64_t>();
  JCM_ASSIGN_OR_RETURN(int64_t value, run.args.RequireInt(flag));
  return std::optional<int64_t>(value);
}

void PrintHashes(std::ostream& out, const std::vector<std::string>& hashes) {
  for (const std::string& hash : hashes) out << "  " << hash << "\n";
}

core::Status LogProve(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(int64_t seq, run.args.RequireInt("seq"));
  JCM_ASSIGN_OR_RETURN(std::optional<int64_t> tree_size, OptionalInt(run, "tree-size"));
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run, store::OpenMode::kReadOnly));
  JCM_ASSIGN_OR_RETURN(service::InclusionProof proof,
                       service::ProveInclusion(*store, seq, tree_size));
  run.print.Json(service::json::InclusionProofJson(proof));
  if (!run.print.json()) {
    run.print.out() << "entry " << proof.seq << " (leaf " << proof.leaf_index << ") in tree size "
                    << proof.tree_size << "\nleaf_hash " << proof.leaf_hash << "\naudit_path\n";
    PrintHashes(run.print.out(), proof.audit_path);
  }
  return core::OkStatus();
}

core::Status LogConsistency(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(int64_t from, run.args.RequireInt("from"));
  JCM_ASSIGN_OR_RETURN(int64_t to, run.args.RequireInt("to"));
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run, store::OpenMode::kReadOnly));
  JCM_ASSIGN_OR_RETURN(service::ConsistencyProof proof,
                       service::ProveConsistency(*store, from, to));
  run.print.Json(service::json::ConsistencyProofJson(proof));
  if (!run.print.json()) {
    run.print.out() << "tree size " << proof.from << " -> " << proof.to << "\nproof\n";
    PrintHashes(run.print.out(), proof.proof);
  }
  return core::OkStatus();
}

core::Status Journal(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(int64_t since, run.args.RequireInt("since", 0));
  JCM_ASSIGN_OR_RETURN(int64_t limit, run.args.RequireInt("limit", 100));
  if (since < 0 || limit < 1 || limit > service::kJournalPageEntriesMax) {
    return core::InvalidArgument("--since >= 0, --limit 1..1000");
  }
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run, store::OpenMode::kReadOnly));
  JCM_ASSIGN_OR_RETURN(service::JournalPage page, service::ReadJournalPage(*store, since, limit));
  bj::array entries;
  for (const ledger::JournalEntry& entry : page.entries) {
    entries.push_back(service::json::JournalEntryJson(entry));
  }
  const int64_t next_since = page.entries.empty() ? since : page.entries.back().seq;
  run.print.Json(
      bj::object{{"entries", std::move(entries)}, {"next_since", next_since}, {"more", page.more}});
  if (!run.print.json()) {
    for (const ledger::JournalEntry& entry : page.entries) {
      run.print.out() << entry.seq << " " << entry.time << " " << entry.kind << " " << entry.hash
                      << "\n  " << entry.body.Encode() << "\n";
    }
    if (page.more) run.print.out() << "more: --since " << next_since << "\n";
  }
  return core::OkStatus();
}

void PrintWitness(const service::Witness& witness, std::ostream& out) {
  out << "witness " << witness.name << " (" << witness.public_key << ") journaled as entry "
      << witness.seq;
  if (witness.removed_seq != 0) {
    out << ", removed by entry " << witness.removed_seq << ": " << witness.removal_reason;
  }
  out << "\n";
}

core::Status LogWitness(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(std::string name, run.args.Require("name"));
  JCM_ASSIGN_OR_RETURN(std::string public_key, run.args.Require("public-key"));
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run));
  JCM_ASSIGN_OR_RETURN(auto outcome, service::AddWitness(*store, name, public_key, "operator"));
  run.print.Outcome(outcome, service::json::WitnessJson, PrintWitness);
  return core::OkStatus();
}

core::Status LogWitnessRemove(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(std::string name, run.args.Require("name"));
  JCM_ASSIGN_OR_RETURN(std::string reason, run.args.Require("reason"));
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run));
  JCM_ASSIGN_OR_RETURN(auto outcome, service::RemoveWitness(*store, name, reason, "operator"));
  run.print.Outcome(outcome, service::json::WitnessJson, PrintWitness);
  return core::OkStatus();
}

core::Status LogWitnesses(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run, store::OpenMode::kReadOnly));
  JCM_ASSIGN_OR_RETURN(std::vector<service::Witness> witnesses, service::ListWitnesses(*store));
  bj::array items;
  for (const service::Witness& witness : witnesses) {
    items.push_back(service::json::WitnessJson(witness));
    if (!run.print.json()) PrintWitness(witness, run.print.out());
  }
  run.print.Json(bj::object{{"witnesses", std::move(items)}});
  return core::OkStatus();
}

const CommandSpec kLogCommands[] = {
    {"log keygen",
     "transparency log",
     "keygen/sth/prove/consistency: the signed Merkle log over the journal",
     "jcm log keygen --db FILE [--log-key PEM] [--json]\n"
     "  Creates the registry's Ed25519 log signing key in --log-key (default FILE.log-key.pem),\n"
     "  mode 0600; refuses to overwrite one. The key never enters the database or the journal.\n",
     {"db", "log-key"},
     {},
     LogKeygen},
    {"log sth",
     "transparency log",
     "",
     "jcm log sth --db FILE [--log-key PEM] [--json]\n"
     "  The signed tree head of the log now: {tree_size, root_hash, timestamp, signed_message,\n"
     "  signature, public_key, cosigned} (docs/formats/transparency-log.md). A tree size keeps\n"
     "  the first head signed for it; cosigned: the latest head witnesses co-signed, or null.\n",
     {"db", "log-key"},
     {},
     LogSth},
    {"log prove",
     "transparency log",
     "",
     "jcm log prove --db FILE --seq N [--tree-size M] [--json]\n"
     "  The inclusion proof of journal entry N in the tree of M entries (default: the whole log):\n"
     "  {seq, leaf_index, tree_size, leaf_hash, audit_path} (RFC 9162 §2.1.3).\n",
     {"db", "seq", "tree-size"},
     {},
     LogProve},
    {"log consistency",
     "transparency log",
     "",
     "jcm log consistency --db FILE --from M --to N [--json]\n"
     "  The proof that the tree of M entries is a prefix of the tree of N: {from, to, proof}\n"
     "  (RFC 9162 §2.1.4).\n",
     {"db", "from", "to"},
     {},
     LogConsistency},
    {"log witness",
     "transparency log",
     "",
     "jcm log witness --db FILE --name NAME --public-key HEX [--json]\n"
     "  Names a witness (the partner registry, or anyone) whose Ed25519 co-signatures of tree\n"
     "  heads the registry accepts (POST /api/v1/log/cosignatures); journaled as\n"
     "  log.witness_added. Check 440 when the name or key is a witness's already.\n",
     {"db", "name", "public-key"},
     {},
     LogWitness},
    {"log witness-remove",
     "transparency log",
     "",
     "jcm log witness-remove --db FILE --name NAME --reason TEXT [--json]\n"
     "  Removes a witness (its key lost or retired); journaled as log.witness_removed. Its later\n"
     "  co-signatures are refused (441); those kept before stay valid. Check 446 when no witness\n"
     "  of that name is configured.\n",
     {"db", "name", "reason"},
     {},
     LogWitnessRemove},
    {"log witnesses",
     "transparency log",
     "",
     "jcm log witnesses --db FILE [--json]\n"
     "  The witnesses configured now: {witnesses: [{witness, public_key, seq, ...}]}.\n",
     {"db"},
     {},
     LogWitnesses},
    {"journal",
     "transparency log",
     "the journal's entries after --since, as the public feed serves them",
     "jcm journal --db FILE [--since SEQ] [--limit N] [--json]\n"
     "  At most N (1..1000, default 100) entries with seq > SEQ (default 0): {entries: [{seq,\n"
     "  time, kind, prev_hash, hash, body, fields}], next_since, more}.\n",
     {"db", "since", "limit"},
     {},
     Journal},
};

}  // namespace

std::span<const CommandSpec> LogCommands() { return kLogCommands; }

}  // namespace jcm::cli
