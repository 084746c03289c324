// JSON codecs of the transparency log (service/log_service.h), for `jcm log …` and the API's
// /api/v1/log/* (docs/api.md, docs/formats/transparency-log.md), and the readers `jcm
// verify-public` uses on what a server sent (InvalidArgument naming the first bad field).
// Hashes, keys, signatures and the signed message are lower-case hex.
#pragma once

#include <boost/json.hpp>

#include "service/log_service.h"
#include "service/log_witness.h"

namespace jcm::service::json {

// {"tree_size", "root_hash", "timestamp", "signed_message", "signature", "public_key"}
boost::json::object TreeHeadJson(const SignedTreeHead& head);
// {"seq", "leaf_index", "tree_size", "leaf_hash", "audit_path": [hex…]}
boost::json::object InclusionProofJson(const InclusionProof& proof);
// {"from", "to", "proof": [hex…]}
boost::json::object ConsistencyProofJson(const ConsistencyProof& proof);

// A witness's co-signature (jcm log cosign, POST /api/v1/log/cosignatures):
// {"tree_head": TreeHeadJson, "witness_key", "cosignature"}
boost::json::object CosignatureJson(const Cosignature& cosignature);
// Accepted: CosignatureJson and {"witness", "seq", "replayed"}
boost::json::object AcceptedCosignatureJson(const AcceptedCosignature& accepted);
// {"tree_head": TreeHeadJson, "cosignatures": [{"witness", "witness_key", "cosignature", "seq"}]}
// or null: what GET /api/v1/log/sth serves as "cosigned" beside the head.
boost::json::value CosignedHeadJson(const std::optional<CosignedHead>& cosigned);
// {"witness", "public_key", "seq", "replayed"}
boost::json::object WitnessJson(const Witness& witness);

core::Result<Cosignature> CosignatureFromJson(const boost::json::value& json);
// CosignedHeadJson's non-null form (cosignatures without "witness" and "seq" are accepted).
core::Result<CosignedHead> CosignedHeadFromJson(const boost::json::value& json);

core::Result<SignedTreeHead> TreeHeadFromJson(const boost::json::value& json);
core::Result<InclusionProof> InclusionProofFromJson(const boost::json::value& json);
core::Result<ConsistencyProof> ConsistencyProofFromJson(const boost::json::value& json);

}  // namespace jcm::service::json
