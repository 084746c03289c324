#include "service/json/log_json.h"

#include "core/text.h"

namespace jcm::service::json {
namespace bj = boost::json;
namespace {

bj::array HexArray(const std::vector<std::string>& hashes) {
  bj::array out;
  for (const std::string& hash : hashes) out.emplace_back(hash);
  return out;
}

core::Status Bad(std::string_view field) {
  return core::InvalidArgument("the log document has no valid \"" + std::string(field) + "\"");
}

core::Result<const bj::object*> ObjectOf(const bj::value& json) {
  if (!json.is_object()) return core::InvalidArgument("the log document is not a JSON object");
  return &json.as_object();
}

core::Result<int64_t> IntField(const bj::object& o, std::string_view field) {
  const bj::value* v = o.if_contains(field);
  if (v == nullptr || !v->is_int64() || v->as_int64() < 0) return Bad(field);
  return v->as_int64();
}

core::Result<std::string> TextField(const bj::object& o, std::string_view field) {
  const bj::value* v = o.if_contains(field);
  if (v == nullptr || !v->is_string()) return Bad(field);
  return std::string(v->as_string());
}

core::Result<std::vector<std::string>> HexListField(const bj::object& o, std::string_view field) {
  const bj::value* v = o.if_contains(field);
  if (v == nullptr || !v->is_array()) return Bad(field);
  std::vector<std::string> out;
  for (const bj::value& item : v->as_array()) {
    if (!item.is_string() || item.as_string().size() != 64) return Bad(field);
    out.emplace_back(item.as_string());
  }
  return out;
}

}  // namespace

bj::object TreeHeadJson(const SignedTreeHead& head) {
  return {{"tree_size", head.tree_size}, {"root_hash", head.root_hash},
          {"timestamp", head.timestamp}, {"signed_message", core::BytesToHex(head.signed_message)},
          {"signature", head.signature}, {"public_key", head.public_key}};
}

bj::object InclusionProofJson(const InclusionProof& proof) {
  return {{"seq", proof.seq},
          {"leaf_index", proof.leaf_index},
          {"tree_size", proof.tree_size},
          {"leaf_hash", proof.leaf_hash},
          {"audit_path", HexArray(proof.audit_path)}};
}

bj::object ConsistencyProofJson(const ConsistencyProof& proof) {
  return {{"from", proof.from}, {"to", proof.to}, {"proof", HexArray(proof.proof)}};
}

core::Result<SignedTreeHead> TreeHeadFromJson(const bj::value& json) {
  JCM_ASSIGN_OR_RETURN(const bj::object* o, ObjectOf(json));
  SignedTreeHead head;
  JCM_ASSIGN_OR_RETURN(head.tree_size, IntField(*o, "tree_size"));
  JCM_ASSIGN_OR_RETURN(head.root_hash, TextField(*o, "root_hash"));
  JCM_ASSIGN_OR_RETURN(head.timestamp, TextField(*o, "timestamp"));
  JCM_ASSIGN_OR_RETURN(std::string message_hex, TextField(*o, "signed_message"));
  core::Result<std::string> message = core::HexToBytes(message_hex);
  if (!message.ok()) return Bad("signed_message");
  head.signed_message = *message;
  JCM_ASSIGN_OR_RETURN(head.signature, TextField(*o, "signature"));
  JCM_ASSIGN_OR_RETURN(head.public_key, TextField(*o, "public_key"));
  return head;
}

core::Result<InclusionProof> InclusionProofFromJson(const bj::value& json) {
  JCM_ASSIGN_OR_RETURN(const bj::object* o, ObjectOf(json));
  InclusionProof proof;
  JCM_ASSIGN_OR_RETURN(proof.seq, IntField(*o, "seq"));
  JCM_ASSIGN_OR_RETURN(proof.leaf_index, IntField(*o, "leaf_index"));
  JCM_ASSIGN_OR_RETURN(proof.tree_size, IntField(*o, "tree_size"));
  JCM_ASSIGN_OR_RETURN(proof.leaf_hash, TextField(*o, "leaf_hash"));
  JCM_ASSIGN_OR_RETURN(proof.audit_path, HexListField(*o, "audit_path"));
  return proof;
}

core::Result<ConsistencyProof> ConsistencyProofFromJson(const bj::value& json) {
  JCM_ASSIGN_OR_RETURN(const bj::object* o, ObjectOf(json));
  ConsistencyProof proof;
  JCM_ASSIGN_OR_RETURN(proof.from, IntField(*o, "from"));
  JCM_ASSIGN_OR_RETURN(proof.to, IntField(*o, "to"));
  JCM_ASSIGN_OR_RETURN(proof.proof, HexListField(*o, "proof"));
  return proof;
}

bj::object CosignatureJson(const Cosignature& cosignature) {
  return {{"tree_head", TreeHeadJson(cosignature.head)},
          {"witness_key", cosignature.witness_key},
          {"cosignature", cosignature.cosignature}};
}

bj::object AcceptedCosignatureJson(const AcceptedCosignature& accepted) {
  bj::object out = CosignatureJson(accepted.cosignature);
  out["witness"] = accepted.witness;
  out["seq"] = accepted.seq;
  out["replayed"] = accepted.replayed;
  return out;
}

bj::value CosignedHeadJson(const std::optional<CosignedHead>& cosigned) {
  if (!cosigned) return nullptr;
  bj::array cosignatures;
  for (const AcceptedCosignature& accepted : cosigned->cosignatures) {
    cosignatures.push_back({{"witness", accepted.witness},
                            {"witness_key", accepted.cosignature.witness_key},
                            {"cosignature", accepted.cosignature.cosignature},
                            {"seq", accepted.seq}});
  }
  return bj::object{{"tree_head", TreeHeadJson(cosigned->head)},
                    {"cosignatures", std::move(cosignatures)}};
}

bj::object WitnessJson(const Witness& witness) {
  return {{"witness", witness.name},
          {"public_key", witness.public_key},
          {"seq", witness.seq},
          {"replayed", witness.replayed},
          {"removed_seq",
           witness.removed_seq == 0 ? bj::value(nullptr) : bj::value(witness.removed_seq)},
          {"removal_reason",
           witness.removed_seq == 0 ? bj::value(nullptr) : bj::value(witness.removal_reason)}};
}

core::Result<Cosignature> CosignatureFromJson(const bj::value& json) {
  JCM_ASSIGN_OR_RETURN(const bj::object* o, ObjectOf(json));
  const bj::value* head = o->if_contains("tree_head");
  if (head == nullptr) return Bad("tree_head");
  Cosignature out;
  JCM_ASSIGN_OR_RETURN(out.head, TreeHeadFromJson(*head));
  JCM_ASSIGN_OR_RETURN(out.witness_key, TextField(*o, "witness_key"));
  JCM_ASSIGN_OR_RETURN(out.cosignature, TextField(*o, "cosignature"));
  return out;
}

core::Result<CosignedHead> CosignedHeadFromJson(const bj::value& json) {
  JCM_ASSIGN_OR_RETURN(const bj::object* o, ObjectOf(json));
  const bj::value* head = o->if_contains("tree_head");
  const bj::value* list = o->if_contains("cosignatures");
  if (head == nullptr) return Bad("tree_head");
  if (list == nullptr || !list->is_array()) return Bad("cosignatures");
  CosignedHead out;
  JCM_ASSIGN_OR_RETURN(out.head, TreeHeadFromJson(*head));
  for (const bj::value& item : list->as_array()) {
    JCM_ASSIGN_OR_RETURN(const bj::object* c, ObjectOf(item));
    AcceptedCosignature accepted;
    accepted.cosignature.head = out.head;
    JCM_ASSIGN_OR_RETURN(accepted.cosignature.witness_key, TextField(*c, "witness_key"));
    JCM_ASSIGN_OR_RETURN(accepted.cosignature.cosignature, TextField(*c, "cosignature"));
    out.cosignatures.push_back(std::move(accepted));
  }
  return out;
}

}  // namespace jcm::service::json
