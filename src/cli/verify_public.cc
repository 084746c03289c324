// jcm verify-public: a credit's history checked from a registry's public API alone
// (docs/formats/transparency-log.md, "Verifying a credit"): the signed tree head, its
// consistency with a head remembered from an earlier run, and for each step of the unit's
// lineage (issuance, each transfer, retirement) the journal entry — its hash recomputed from its
// content, the block it created matching the unit look-up — and its inclusion in the head.
#include <fstream>
#include <ostream>
#include <sstream>

#include "cli/commands.h"
#include "core/text.h"
#include "ledger/decide.h"
#include "ledger/journal.h"
#include "server/http_client.h"
#include "service/json/log_json.h"
#include "service/log_service.h"
#include "service/log_witness.h"

namespace jcm::cli {
namespace {

namespace bj = boost::json;
namespace merkle = core::merkle;

// A failed verification (exit 4, {"ok": false, "failure"}), told apart from a failure to ask.
core::Status Refuted(std::string message) { return core::DataLoss(std::move(message)); }

core::Result<bj::value> GetJson(const std::string& url, const std::string& target) {
  JCM_ASSIGN_OR_RETURN(server::HttpGetResult got, server::HttpGet(url, target));
  if (got.status == 404) return core::NotFound("GET " + target + ": 404 " + got.body);
  if (got.status != 200) {
    return core::Unavailable("GET " + target + ": HTTP " + std::to_string(got.status));
  }
  boost::system::error_code error;
  bj::value json = bj::parse(got.body, error);
  if (error) return Refuted("GET " + target + " did not answer JSON");
  return json;
}

core::Result<service::SignedTreeHead> ReadKnownHead(const std::string& path) {
  std::ifstream in(path);
  if (!in) return core::NotFound("no known head at " + path);
  std::ostringstream text;
  text << in.rdbuf();
  boost::system::error_code error;
  bj::value json = bj::parse(text.str(), error);
  if (error) return core::InvalidArgument("--known-head " + path + " is not JSON");
  return service::json::TreeHeadFromJson(json);
}

// The server's consistency proof from `old_size` to `new_size` (empty between equal sizes or
// from the empty tree), hex.
core::Result<std::vector<std::string>> FetchConsistency(const std::string& url, int64_t old_size,
                                                        int64_t new_size) {
  if (old_size <= 0 || old_size >= new_size) return std::vector<std::string>();
  JCM_ASSIGN_OR_RETURN(bj::value json,
                       GetJson(url, "/api/v1/log/consistency?from=" + std::to_string(old_size) +
                                        "&to=" + std::to_string(new_size)));
  core::Result<service::ConsistencyProof> parsed = service::json::ConsistencyProofFromJson(json);
  if (!parsed.ok()) return Refuted("the consistency proof: " + parsed.status().message());
  return parsed->proof;
}

// OK when the head `to` extends `from` (a consistency proof from the server); else a refutation
// naming `from_what`.
core::Status ProveExtends(const std::string& url, const service::SignedTreeHead& from,
                          const service::SignedTreeHead& to, const std::string& from_what) {
  if (from.tree_size > to.tree_size) {
    return Refuted("the log shrank: " + std::to_string(to.tree_size) + " entries now, " +
                   std::to_string(from.tree_size) + " in " + from_what);
  }
  JCM_ASSIGN_OR_RETURN(std::vector<std::string> hex,
                       FetchConsistency(url, from.tree_size, to.tree_size));
  std::vector<merkle::Hash> proof;
  for (const std::string& h : hex) proof.push_back(*merkle::FromHex(h));
  core::Result<merkle::Hash> old_root = merkle::FromHex(from.root_hash);
  core::Result<merkle::Hash> new_root = merkle::FromHex(to.root_hash);
  if (!old_root.ok() || !new_root.ok() ||
      !merkle::VerifyConsistency(from.tree_size, to.tree_size, *old_root, *new_root, proof)) {
    return Refuted("the log was rewritten: the head of " + std::to_string(to.tree_size) +
                   " entries does not extend " + from_what + " of " +
                   std::to_string(from.tree_size));
  }
  return core::OkStatus();
}

// The log now (from GET /api/v1/log/sth's `sth`), signed by the trusted key, and consistent with
// the known head if there is one.
core::Result<service::SignedTreeHead> CurrentHead(
    const std::string& url, const bj::value& sth,
    const std::optional<service::SignedTreeHead>& known,
    const std::optional<std::string>& trusted_key) {
  core::Result<service::SignedTreeHead> head = service::json::TreeHeadFromJson(sth);
  if (!head.ok()) return Refuted("the tree head: " + head.status().message());
  JCM_RETURN_IF_ERROR(service::VerifyTreeHead(*head, trusted_key));
  if (known) JCM_RETURN_IF_ERROR(ProveExtends(url, *known, *head, "the known head"));
  return head;
}

// With --witness-key (INV-33): the latest head the server says was co-signed is signed by the
// registry's key, co-signed by that witness, and extended by the head now. Its tree size: every
// step must be within it, i.e. in the log the witness saw.
core::Result<int64_t> WitnessedSize(const std::string& url, const bj::value& sth,
                                    const service::SignedTreeHead& head,
                                    const std::string& witness_key) {
  const bj::value* cosigned = sth.is_object() ? sth.as_object().if_contains("cosigned") : nullptr;
  if (cosigned == nullptr || cosigned->is_null()) {
    return Refuted("no tree head of this registry is co-signed by a witness");
  }
  core::Result<service::CosignedHead> parsed = service::json::CosignedHeadFromJson(*cosigned);
  if (!parsed.ok()) return Refuted("the co-signed head: " + parsed.status().message());
  JCM_RETURN_IF_ERROR(service::VerifyTreeHead(parsed->head, head.public_key));
  core::Result<std::string> key_bytes = core::HexToBytes(witness_key);
  if (!key_bytes.ok()) return core::InvalidArgument("--witness-key is 64 hex digits");
  const std::string key = core::BytesToHex(*key_bytes);  // lower case, as the server prints it
  bool witnessed = false;
  for (const service::AcceptedCosignature& c : parsed->cosignatures) {
    witnessed =
        witnessed || (c.cosignature.witness_key == key &&
                      service::CosignatureVerifies(parsed->head, key, c.cosignature.cosignature));
  }
  if (!witnessed) {
    return Refuted("the co-signed head of " + std::to_string(parsed->head.tree_size) +
                   " entries has no valid co-signature by witness " + key);
  }
  JCM_RETURN_IF_ERROR(ProveExtends(url, parsed->head, head, "the co-signed head"));
  return parsed->head.tree_size;
}

// Entry `seq` from the journal feed, its hash recomputed from what the feed says it holds.
core::Result<ledger::JournalEntry> FetchEntry(const std::string& url, int64_t seq) {
  JCM_ASSIGN_OR_RETURN(
      bj::value json,
      GetJson(url, "/api/v1/journal?since=" + std::to_string(seq - 1) + "&limit=1"));
  const bj::array* entries = json.is_object() && json.as_object().contains("entries")
                                 ? json.as_object().at("entries").if_array()
                                 : nullptr;
  if (entries == nullptr || entries->empty() || !entries->front().is_object()) {
    return Refuted("the journal feed has no entry " + std::to_string(seq));
  }
  const bj::object& e = entries->front().as_object();
  ledger::JournalEntry entry;
  try {
    entry.seq = e.at("seq").as_int64();
    entry.time = std::string(e.at("time").as_string());
    entry.kind = std::string(e.at("kind").as_string());
    entry.prev_hash = std::string(e.at("prev_hash").as_string());
    entry.hash = std::string(e.at("hash").as_string());
    core::Result<core::Record> body = core::Record::Decode(e.at("body").as_string());
    if (!body.ok()) return Refuted("entry " + std::to_string(seq) + ": its body does not decode");
    entry.body = std::move(body).value();
  } catch (const std::exception&) {
    return Refuted("the journal feed's entry " + std::to_string(seq) + " is malformed");
  }
  if (entry.seq != seq || ledger::ComputeEntryHash(entry) != entry.hash) {
    return Refuted("journal entry " + std::to_string(seq) +
                   " is not what its hash says (content altered)");
  }
  return entry;
}

core::Status ProveIncluded(const std::string& url, const ledger::JournalEntry& entry,
                           const service::SignedTreeHead& head) {
  JCM_ASSIGN_OR_RETURN(bj::value json,
                       GetJson(url, "/api/v1/log/proof?seq=" + std::to_string(entry.seq) +
                                        "&tree_size=" + std::to_string(head.tree_size)));
  core::Result<service::InclusionProof> proof = service::json::InclusionProofFromJson(json);
  if (!proof.ok()) return Refuted("the inclusion proof: " + proof.status().message());
  std::vector<merkle::Hash> path;
  for (const std::string& hex : proof->audit_path) path.push_back(*merkle::FromHex(hex));
  JCM_ASSIGN_OR_RETURN(merkle::Hash leaf, ledger::LogLeafHash(entry.hash));
  JCM_ASSIGN_OR_RETURN(merkle::Hash root, merkle::FromHex(head.root_hash));
  if (!merkle::VerifyInclusion(entry.seq - 1, head.tree_size, leaf, path, root)) {
    return Refuted("journal entry " + std::to_string(entry.seq) +
                   " is not in the signed tree head of " + std::to_string(head.tree_size));
  }
  return core::OkStatus();
}

// The entry created this block of the lineage (same id, serials, account and parent).
core::Status CheckCreates(const ledger::JournalEntry& entry, const bj::object& block) {
  core::Result<std::vector<ledger::UnitBlock>> created = ledger::CreatedBlocks(entry);
  if (created.ok()) {
    for (const ledger::UnitBlock& b : *created) {
      if (b.id == block.at("block_id").as_int64() &&
          b.serial_first == block.at("serial_first").as_int64() &&
          b.unit_count == block.at("quantity").as_int64() &&
          b.account == block.at("account").as_string() &&
          b.parent_id == block.at("parent_block_id").as_int64()) {
        return core::OkStatus();
      }
    }
  }
  return Refuted("journal entry " + std::to_string(entry.seq) + " did not create block " +
                 std::to_string(block.at("block_id").as_int64()) + " as the unit look-up says");
}

// The lineage from the unit look-up, issuance first, after checking that it is one chain that
// holds the serial: each block the child of the next, created by the entry that ended its parent.
core::Result<std::vector<bj::object>> LineageFromIssuance(const bj::value& unit, int64_t serial) {
  std::vector<bj::object> chain;
  try {
    for (const bj::value& block : unit.at("lineage").as_array()) {
      chain.insert(chain.begin(), block.as_object());
    }
    if (chain.empty() || chain.front().at("parent_block_id").as_int64() != 0) {
      return Refuted("the unit's lineage does not start at an issuance");
    }
    for (size_t i = 0; i < chain.size(); ++i) {
      const bj::object& block = chain[i];
      if (serial < block.at("serial_first").as_int64() ||
          serial > block.at("serial_last").as_int64()) {
        return Refuted("block " + std::to_string(block.at("block_id").as_int64()) +
                       " of the lineage does not hold the serial");
      }
      if (i + 1 < chain.size() &&
          (chain[i + 1].at("parent_block_id").as_int64() != block.at("block_id").as_int64() ||
           chain[i].at("ended_entry") != chain[i + 1].at("created_entry"))) {
        return Refuted("the unit's lineage is not one chain of blocks");
      }
    }
  } catch (const std::exception&) {
    return Refuted("the unit look-up is malformed");
  }
  return chain;
}

core::Result<bj::object> VerifyUnit(CommandRun& run, const std::string& url,
                                    const std::string& unit_id) {
  const std::optional<std::string> known_path = run.args.Get("known-head");
  std::optional<service::SignedTreeHead> known;
  if (known_path) {
    core::Result<service::SignedTreeHead> read = ReadKnownHead(*known_path);
    if (read.ok()) known = *read;
    if (!read.ok() && read.status().code() != core::StatusCode::kNotFound) return read.status();
  }
  std::optional<std::string> trusted = run.args.Get("public-key");
  if (!trusted && known) trusted = known->public_key;
  if (known) JCM_RETURN_IF_ERROR(service::VerifyTreeHead(*known, trusted));
  JCM_ASSIGN_OR_RETURN(bj::value sth, GetJson(url, "/api/v1/log/sth"));
  JCM_ASSIGN_OR_RETURN(service::SignedTreeHead head, CurrentHead(url, sth, known, trusted));
  const std::optional<std::string> witness_key = run.args.Get("witness-key");
  std::optional<int64_t> witnessed;
  if (witness_key) {
    JCM_ASSIGN_OR_RETURN(witnessed, WitnessedSize(url, sth, head, *witness_key));
  }

  const size_t dash = unit_id.rfind('-');
  const std::optional<int64_t> serial =
      dash == std::string::npos ? std::nullopt : core::ParseInt64(unit_id.substr(dash + 1));
  if (!serial) return core::InvalidArgument("--serial is REGISTRY-SERIAL, e.g. MN-1201");
  JCM_ASSIGN_OR_RETURN(bj::value unit, GetJson(url, "/api/v1/units/" + unit_id));
  JCM_ASSIGN_OR_RETURN(std::vector<bj::object> chain, LineageFromIssuance(unit, *serial));
  bj::array steps;
  for (const bj::object& block : chain) {
    const int64_t seq = block.at("created_entry").as_int64();
    if (witnessed && seq > *witnessed) {
      return Refuted("journal entry " + std::to_string(seq) +
                     " is after the latest head the witness co-signed (" +
                     std::to_string(*witnessed) + " entries)");
    }
    JCM_ASSIGN_OR_RETURN(ledger::JournalEntry entry, FetchEntry(url, seq));
    JCM_RETURN_IF_ERROR(CheckCreates(entry, block));
    JCM_RETURN_IF_ERROR(ProveIncluded(url, entry, head));
    steps.push_back(bj::object{{"seq", seq},
                               {"time", entry.time},
                               {"kind", entry.kind},
                               {"hash", entry.hash},
                               {"block_id", block.at("block_id")},
                               {"account", block.at("account")}});
  }
  if (known_path) {
    std::ofstream out(*known_path, std::ios::trunc);
    out << bj::serialize(service::json::TreeHeadJson(head)) << "\n";
    if (!out) return core::Unavailable("cannot write --known-head " + *known_path);
  }
  return bj::object{{"ok", true},
                    {"unit", unit_id},
                    {"status", unit.at("status")},
                    {"holder", unit.at("holder").at("id")},
                    {"tree_head", service::json::TreeHeadJson(head)},
                    {"known_head_size", known ? bj::value(known->tree_size) : bj::value(nullptr)},
                    {"key_pinned", trusted.has_value()},
                    {"witnessed_size", witnessed ? bj::value(*witnessed) : bj::value(nullptr)},
                    {"steps", std::move(steps)}};
}

core::Status VerifyPublic(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(std::string url, run.args.Require("url"));
  JCM_ASSIGN_OR_RETURN(std::string unit_id, run.args.Require("serial"));
  core::Result<bj::object> verified = VerifyUnit(run, url, unit_id);
  if (!verified.ok() && verified.status().code() != core::StatusCode::kDataLoss) {
    return verified.status();
  }
  if (!verified.ok()) {
    run.print.Json(
        bj::object{{"ok", false}, {"unit", unit_id}, {"failure", verified.status().message()}});
    run.print.Fail(kExitAuditFailed);
    if (!run.print.json()) run.print.out() << "FAILED: " << verified.status().message() << "\n";
    return core::OkStatus();
  }
  run.print.Json(*verified);
  if (!run.print.json()) {
    std::ostream& out = run.print.out();
    for (const bj::value& step : verified->at("steps").as_array()) {
      out << "entry " << step.at("seq").as_int64() << " " << step.at("kind").as_string() << " -> "
          << step.at("account").as_string() << ": hash ok, included\n";
    }
    out << "ok: " << unit_id << " " << verified->at("status").as_string() << ", held by "
        << verified->at("holder").as_string() << "; tree head of "
        << verified->at("tree_head").at("tree_size").as_int64() << " entries verified"
        << (verified->at("key_pinned").as_bool() ? "" : " (key not pinned: trust on first use)")
        << "\n";
  }
  return core::OkStatus();
}

// The head to co-sign and, when the witness co-signed one before, the proof that it extends it:
// from the registry's public API (--url) or from files (--head, --consistency).
core::Status HeadToCosign(CommandRun& run, const std::optional<service::SignedTreeHead>& last,
                          service::SignedTreeHead& head, std::vector<std::string>& proof) {
  const std::optional<std::string> url = run.args.Get("url");
  const std::optional<std::string> head_file = run.args.Get("head");
  if (url.has_value() == head_file.has_value()) {
    return core::InvalidArgument("give the head to co-sign by --url or by --head FILE");
  }
  if (url) {
    JCM_ASSIGN_OR_RETURN(bj::value sth, GetJson(*url, "/api/v1/log/sth"));
    JCM_ASSIGN_OR_RETURN(head, service::json::TreeHeadFromJson(sth));
    if (last) {
      JCM_ASSIGN_OR_RETURN(proof, FetchConsistency(*url, last->tree_size, head.tree_size));
    }
    return core::OkStatus();
  }
  JCM_ASSIGN_OR_RETURN(head, ReadKnownHead(*head_file));
  if (const std::optional<std::string> file = run.args.Get("consistency"); file && last) {
    std::ifstream in(*file);
    std::ostringstream text;
    text << in.rdbuf();
    boost::system::error_code error;
    const bj::value json = bj::parse(text.str(), error);
    if (!in || error) return core::InvalidArgument("--consistency " + *file + " is not JSON");
    JCM_ASSIGN_OR_RETURN(service::ConsistencyProof parsed,
                         service::json::ConsistencyProofFromJson(json));
    proof = parsed.proof;
  }
  return core::OkStatus();
}

core::Status LogCosign(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(std::string registry_key, run.args.Require("registry-key"));
  JCM_ASSIGN_OR_RETURN(std::string witness_pem, run.args.Require("witness-key"));
  JCM_ASSIGN_OR_RETURN(core::Ed25519PrivateKey witness, service::LoadLogKey(witness_pem));
  const std::optional<std::string> state = run.args.Get("state");
  std::optional<service::SignedTreeHead> last;
  if (state) {
    core::Result<service::SignedTreeHead> read = ReadKnownHead(*state);
    if (read.ok()) last = *read;
    if (!read.ok() && read.status().code() != core::StatusCode::kNotFound) return read.status();
  }
  service::SignedTreeHead head;
  std::vector<std::string> proof;
  JCM_RETURN_IF_ERROR(HeadToCosign(run, last, head, proof));
  core::Result<std::string> registry_key_bytes = core::HexToBytes(registry_key);
  if (!registry_key_bytes.ok() || registry_key_bytes->size() != core::kEd25519PublicKeyBytes) {
    return core::InvalidArgument("--registry-key is the registry's public key, 64 hex digits");
  }
  JCM_ASSIGN_OR_RETURN(
      auto outcome,
      service::CosignHead(head, core::BytesToHex(*registry_key_bytes), last, proof, witness));
  if (state && std::holds_alternative<service::Cosignature>(outcome)) {
    std::ofstream out(*state, std::ios::trunc);
    out << bj::serialize(service::json::TreeHeadJson(head)) << "\n";
    if (!out) return core::Unavailable("cannot write --state " + *state);
  }
  run.print.Outcome(outcome, service::json::CosignatureJson,
                    [](const service::Cosignature& c, std::ostream& out) {
                      out << "co-signed the head of " << c.head.tree_size << " entries\n"
                          << "witness_key " << c.witness_key << "\ncosignature " << c.cosignature
                          << "\n";
                    });
  return core::OkStatus();
}

const CommandSpec kVerifyPublicCommands[] = {
    {"verify-public",
     "transparency log",
     "a credit's history checked from a registry's public API alone",
     "jcm verify-public --url http://HOST:PORT --serial REGISTRY-SERIAL [--public-key HEX]\n"
     "          [--known-head FILE] [--witness-key HEX] [--json]\n"
     "  Fetches the signed tree head (verified under --public-key, else the known head's key,\n"
     "  else the key it names), the unit's lineage and, for each step from issuance to holder or\n"
     "  retirement, the journal entry (hash recomputed, the block it created matched) and its\n"
     "  inclusion proof. With --known-head FILE: the head must extend the one in FILE\n"
     "  (consistency proof), and FILE then holds the new head. With --witness-key HEX: the\n"
     "  latest co-signed head must carry that witness's valid co-signature, the head now must\n"
     "  extend it, and every step must be within it. Exit 4 with {\"ok\": false,\n"
     "  \"failure\"} when anything does not verify.\n",
     {"url", "serial", "public-key", "known-head", "witness-key"},
     {},
     VerifyPublic},
    {"log cosign",
     "transparency log",
     "",
     "jcm log cosign (--url http://HOST:PORT | --head FILE [--consistency FILE])\n"
     "          --registry-key HEX --witness-key PEM [--state FILE] [--json]\n"
     "  The witness's side of co-signing: takes the registry's signed tree head (GET\n"
     "  /api/v1/log/sth, or a file of `jcm log sth --json`), checks it is signed by\n"
     "  --registry-key (check 444) and extends the last head co-signed, kept in --state FILE\n"
     "  (a consistency proof from the server, or --consistency FILE of `jcm log consistency\n"
     "  --json`; check 445), and signs its signed_message with the witness's Ed25519 key (a\n"
     "  PKCS#8 PEM, e.g. `openssl genpkey -algorithm ed25519`). Prints {tree_head,\n"
     "  witness_key, cosignature}: the body of POST /api/v1/log/cosignatures. FILE then holds\n"
     "  the head.\n",
     {"url", "head", "consistency", "registry-key", "witness-key", "state"},
     {},
     LogCosign},
};

}  // namespace

std::span<const CommandSpec> VerifyPublicCommands() { return kVerifyPublicCommands; }

}  // namespace jcm::cli
