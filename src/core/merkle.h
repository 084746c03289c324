// The transparency log's Merkle tree (docs/formats/transparency-log.md), with the hashing and the
// proof algorithms of RFC 9162 §2.1 (Certificate Transparency 2.0):
//
//   MTH({})        = SHA-256()                     (the empty tree)
//   leaf hash      = SHA-256(0x00 ‖ leaf data)     (the log's leaf data: a journal entry's
//                                                   32-byte hash)
//   node hash      = SHA-256(0x01 ‖ left ‖ right)
//   MTH(D[n]), n>1 = node(MTH(D[0:k]), MTH(D[k:n])), k the largest power of two below n
//
// Every node of that tree covers an aligned range: [i·2^j, (i+1)·2^j) when complete ("perfect",
// named by level j and index i), or a range ending at the tree's last leaf. A log keeps the
// perfect subtrees only (AppendLeaf: amortised two, at most log2(n)+1, per leaf); any other
// node is rebuilt from O(log n) of them, so a root, an inclusion proof (§2.1.3.1) or a
// consistency proof (§2.1.4.1) reads O(log n) stored hashes whatever the tree's size.
//
// Verification (§2.1.3.2, §2.1.4.2) needs only the proof and the two roots: that is what a
// public verifier runs. Pure code; no I/O beyond the SubtreeSource the caller provides.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/sha256.h"
#include "core/status.h"

namespace jcm::core::merkle {

using Hash = Sha256Digest;

std::string ToHex(const Hash& hash);
// Exactly 64 hex digits (either case); InvalidArgument otherwise.
Result<Hash> FromHex(std::string_view hex);

Hash EmptyTreeHash();                                // SHA-256 of nothing
Hash LeafHash(std::string_view leaf_data);           // SHA-256(0x00 ‖ leaf_data)
Hash NodeHash(const Hash& left, const Hash& right);  // SHA-256(0x01 ‖ left ‖ right)

// Where the perfect subtrees' hashes are kept (a store, or a vector in tests).
class SubtreeSource {
 public:
  virtual ~SubtreeSource() = default;
  // The hash of leaves [index·2^level, (index+1)·2^level). REQUIRES: those leaves exist.
  virtual Result<Hash> PerfectSubtree(int level, int64_t index) = 0;
};

// One perfect subtree's hash, as AppendLeaf produces them for a store to keep.
struct PerfectNode {
  int level = 0;
  int64_t index = 0;
  Hash hash{};
};

// The perfect subtrees a tree of `tree_size` leaves gains when `leaf_hash` is appended: the
// leaf (level 0, index tree_size) and each subtree it completes, bottom-up. Reads the left
// sibling of each completed subtree from `source` (which must already hold the tree's nodes).
Result<std::vector<PerfectNode>> AppendLeaf(SubtreeSource& source, int64_t tree_size,
                                            const Hash& leaf_hash);

// MTH of the first `tree_size` leaves. InvalidArgument for a negative size.
Result<Hash> RootHash(SubtreeSource& source, int64_t tree_size);

// PATH(leaf_index, D[tree_size]) of §2.1.3.1, bottom-up. InvalidArgument unless
// 0 <= leaf_index < tree_size.
Result<std::vector<Hash>> InclusionProof(SubtreeSource& source, int64_t leaf_index,
                                         int64_t tree_size);

// PROOF(old_size, D[new_size]) of §2.1.4.1. InvalidArgument unless 1 <= old_size <= new_size
// (the proof between equal sizes is empty).
Result<std::vector<Hash>> ConsistencyProof(SubtreeSource& source, int64_t old_size,
                                           int64_t new_size);

// §2.1.3.2: true when `proof` shows that the leaf `leaf_hash` is at `leaf_index` in the tree of
// `tree_size` leaves whose root is `root`.
bool VerifyInclusion(int64_t leaf_index, int64_t tree_size, const Hash& leaf_hash,
                     const std::vector<Hash>& proof, const Hash& root);

// §2.1.4.2: true when `proof` shows that the tree of `old_size` leaves with root `old_root` is a
// prefix of the tree of `new_size` leaves with root `new_root`. Equal sizes: the proof must be
// empty and the roots equal. The empty tree (size 0, root EmptyTreeHash) is a prefix of any
// tree, with an empty proof.
bool VerifyConsistency(int64_t old_size, int64_t new_size, const Hash& old_root,
                       const Hash& new_root, const std::vector<Hash>& proof);

}  // namespace jcm::core::merkle
