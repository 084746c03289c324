// JSON codecs of the transparency log (service/log_service.h), for `jcm log …` and the API's
// /api/v1/log/* (docs/api.md, docs/formats/transparency-log.md), and the readers `jcm
// verify-public` uses on what a server sent (InvalidArgument naming the first bad field).
// Hashes, keys, signatures and the signed message are lower-case hex.
#pragma once

#include <boost/json.hpp>

#include "service/log_service.h"

namespace jcm::service::json {

// {"tree_size", "root_hash", "timestamp", "signed_message", "signature", "public_key"}
boost::json::object TreeHeadJson(const SignedTreeHead& head);
// {"seq", "leaf_index", "tree_size", "leaf_hash", "audit_path": [hex…]}
boost::json::object InclusionProofJson(const InclusionProof& proof);
// {"from", "to", "proof": [hex…]}
boost::json::object ConsistencyProofJson(const ConsistencyProof& proof);

core::Result<SignedTreeHead> TreeHeadFromJson(const boost::json::value& json);
core::Result<InclusionProof> InclusionProofFromJson(const boost::json::value& json);
core::Result<ConsistencyProof> ConsistencyProofFromJson(const boost::json::value& json);

}  // namespace jcm::service::json
