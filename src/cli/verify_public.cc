// jcm verify-public: a credit's history checked from a registry's public API alone
// (docs/formats/transparency-log.md, "Verifying a credit"): the signed tree head, its
// consistency with a head remembered from an earlier run, and for each step of the unit's
// lineage (issuance, each transfer, retirement) the journal entry — its hash recomputed from its
// content, the block it created matching the unit look-up — and its inclusion in the head.
#include <fstream>
#include <ostream>
#include <sstream>

#include "cli/commands.h"
#include "ledger/decide.h"
#include "ledger/journal.h"
#include "server/http_client.h"
#include "service/json/log_json.h"
#include "service/log_service.h"

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

// The log now, signed by the trusted key, and consistent with the known head if there is one.
core::Result<service::SignedTreeHead> CurrentHead(
    const std::string& url, const std::optional<service::SignedTreeHead>& known,
    const std::optional<std::string>& trusted_key) {
  JCM_ASSIGN_OR_RETURN(bj::value json, GetJson(url, "/api/v1/log/sth"));
  core::Result<service::SignedTreeHead> head = service::json::TreeHeadFromJson(json);
  if (!head.ok()) return Refuted("the tree head: " + head.status().message());
  JCM_RETURN_IF_ERROR(service::VerifyTreeHead(*head, trusted_key));
  if (!known) return head;
  if (known->tree_size > head->tree_size) {
    return Refuted("the log shrank: " + std::to_string(head->tree_size) + " entries now, " +
                   std::to_string(known->tree_size) + " in the known head");
  }
  std::vector<merkle::Hash> proof;
  if (known->tree_size > 0 && known->tree_size < head->tree_size) {
    JCM_ASSIGN_OR_RETURN(bj::value p, GetJson(url, "/api/v1/log/consistency?from=" +
                                                       std::to_string(known->tree_size) +
                                                       "&to=" + std::to_string(head->tree_size)));
    core::Result<service::ConsistencyProof> parsed = service::json::ConsistencyProofFromJson(p);
    if (!parsed.ok()) return Refuted("the consistency proof: " + parsed.status().message());
    for (const std::string& hex : parsed->proof) proof.push_back(*merkle::FromHex(hex));
  }
  core::Result<merkle::Hash> old_root = merkle::FromHex(known->root_hash);
  core::Result<merkle::Hash> new_root = merkle::FromHex(head->root_hash);
  if (!old_root.ok() || !new_root.ok() ||
      !merkle::VerifyConsistency(known->tree_size, head->tree_size, *old_root, *new_root, proof)) {
    return Refuted("the log was rewritten: the head of " + std::to_string(head->tree_size) +
                   " entries does not extend the known head of " +
                   std::to_string(known->tree_size));
  }
  return head;
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
  JCM_ASSIGN_OR_RETURN(service::SignedTreeHead head, CurrentHead(url, known, trusted));

  const size_t dash = unit_id.rfind('-');
  const std::optional<int64_t> serial =
      dash == std::string::npos ? std::nullopt : core::ParseInt64(unit_id.substr(dash + 1));
  if (!serial) return core::InvalidArgument("--serial is REGISTRY-SERIAL, e.g. MN-1201");
  JCM_ASSIGN_OR_RETURN(bj::value unit, GetJson(url, "/api/v1/units/" + unit_id));
  JCM_ASSIGN_OR_RETURN(std::vector<bj::object> chain, LineageFromIssuance(unit, *serial));
  bj::array steps;
  for (const bj::object& block : chain) {
    const int64_t seq = block.at("created_entry").as_int64();
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

const CommandSpec kVerifyPublicCommands[] = {
    {"verify-public",
     "transparency log",
     "a credit's history checked from a registry's public API alone",
     "jcm verify-public --url http://HOST:PORT --serial REGISTRY-SERIAL [--public-key HEX]\n"
     "          [--known-head FILE] [--json]\n"
     "  Fetches the signed tree head (verified under --public-key, else the known head's key,\n"
     "  else the key it names), the unit's lineage and, for each step from issuance to holder or\n"
     "  retirement, the journal entry (hash recomputed, the block it created matched) and its\n"
     "  inclusion proof. With --known-head FILE: the head must extend the one in FILE\n"
     "  (consistency proof), and FILE then holds the new head. Exit 4 with {\"ok\": false,\n"
     "  \"failure\"} when anything does not verify.\n",
     {"url", "serial", "public-key", "known-head"},
     {},
     VerifyPublic},
};

}  // namespace

std::span<const CommandSpec> VerifyPublicCommands() { return kVerifyPublicCommands; }

}  // namespace jcm::cli
