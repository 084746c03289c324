// The transparency log's use cases (docs/formats/transparency-log.md): signed tree heads over the
// journal's Merkle tree, inclusion and consistency proofs, the registry's signing key, and the
// checks a public verifier makes with what the public API serves.
//
// The signing key is an Ed25519 key in a PEM file of its own (by default DB.log-key.pem beside
// the registry), created once by CreateLogKey with mode 0600 and never written to the registry
// database or the journal (INV-27): only its public key is published, in every head.
//
// Errors: InvalidArgument for a malformed request (sizes out of order, a negative seq),
// NotFound for a seq or tree size the log does not have yet, FailedPrecondition for a missing or
// unreadable key file; any store error as it came.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ed25519.h"
#include "core/merkle.h"
#include "core/status.h"
#include "store/store.h"

namespace jcm::service {

// The exact bytes a tree head's signature covers (docs/formats/transparency-log.md):
//   "jcm-tree-head-v1\n" "tree_size " N "\n" "root_hash " HEX "\n" "timestamp " TIME "\n"
std::string TreeHeadMessage(int64_t tree_size, std::string_view root_hash_hex,
                            std::string_view timestamp);

struct SignedTreeHead {
  int64_t tree_size = 0;
  std::string root_hash;       // hex
  std::string timestamp;       // ISO 8601 UTC, when it was signed
  std::string signed_message;  // TreeHeadMessage(...), as text (printed as hex)
  std::string signature;       // hex, Ed25519 over signed_message
  std::string public_key;      // hex, the registry's log key
};

SignedTreeHead HeadFromStored(const store::LogHead& stored);

// The head of the log as it is now: the stored head for the current tree size, or a new one
// signed with `key` at `now` and stored (so a size has one head across processes and restarts).
core::Result<SignedTreeHead> PublishTreeHead(store::Store& store,
                                             const core::Ed25519PrivateKey& key,
                                             const std::string& now);

// OK when `head`'s message is the one its fields make and its signature verifies under its
// public key, and that key is `trusted_public_key` (hex) when one is given; otherwise DataLoss
// saying which.
core::Status VerifyTreeHead(const SignedTreeHead& head,
                            const std::optional<std::string>& trusted_public_key);

struct InclusionProof {
  int64_t seq = 0;
  int64_t leaf_index = 0;  // seq - 1
  int64_t tree_size = 0;
  std::string leaf_hash;                // hex
  std::vector<std::string> audit_path;  // hex, bottom-up (RFC 9162 §2.1.3.1)
};

// The proof that journal entry `seq` is in the tree of `tree_size` leaves (default: the current
// tree). NotFound unless 1 <= seq <= tree_size <= the log's size.
core::Result<InclusionProof> ProveInclusion(store::Store& store, int64_t seq,
                                            std::optional<int64_t> tree_size);

// Journal entry `seq` proven in the signed head of the log now (PublishTreeHead): what a
// retirement certificate carries, so that its reader needs only the registry's public key.
struct SignedInclusion {
  SignedTreeHead head;
  InclusionProof proof;  // at head.tree_size
};
core::Result<SignedInclusion> ProveInSignedHead(store::Store& store,
                                                const core::Ed25519PrivateKey& key,
                                                const std::string& now, int64_t seq);

struct ConsistencyProof {
  int64_t from = 0;
  int64_t to = 0;
  std::vector<std::string> proof;  // hex (RFC 9162 §2.1.4.1)
};

// InvalidArgument unless 1 <= from <= to; NotFound when `to` exceeds the log's size.
core::Result<ConsistencyProof> ProveConsistency(store::Store& store, int64_t from, int64_t to);

// The root of the first `tree_size` leaves, hex.
core::Result<std::string> LogRoot(store::Store& store, int64_t tree_size);

// The key file's default place: beside the registry database.
std::string DefaultLogKeyPath(const std::string& db_path);
// Creates a new key in `path` (mode 0600, refusing to overwrite: AlreadyExists) and returns it.
core::Result<core::Ed25519PrivateKey> CreateLogKey(const std::string& path);
// FailedPrecondition naming the file and `jcm log keygen` when it is absent or not a key.
core::Result<core::Ed25519PrivateKey> LoadLogKey(const std::string& path);

}  // namespace jcm::service
