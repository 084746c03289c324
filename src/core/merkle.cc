#include "core/merkle.h"

#include <bit>
#include <cstring>

#include "core/text.h"

namespace jcm::core::merkle {
namespace {

// The largest power of two strictly below n. REQUIRES: n >= 2.
int64_t SplitPoint(int64_t n) {
  return int64_t{1} << (std::bit_width(static_cast<uint64_t>(n - 1)) - 1);
}

bool IsPerfect(int64_t begin, int64_t end) {
  const uint64_t width = static_cast<uint64_t>(end - begin);
  return std::has_single_bit(width) && static_cast<uint64_t>(begin) % width == 0;
}

// MTH(D[begin:end]) of an aligned node of the tree (RFC 9162 only ever splits into those): a
// perfect range is one read; the others descend the right edge, one read per level.
Result<Hash> RangeHash(SubtreeSource& source, int64_t begin, int64_t end) {
  if (IsPerfect(begin, end)) {
    const int level = std::countr_zero(static_cast<uint64_t>(end - begin));
    return source.PerfectSubtree(level, begin >> level);
  }
  const int64_t k = SplitPoint(end - begin);
  JCM_ASSIGN_OR_RETURN(Hash left, RangeHash(source, begin, begin + k));
  JCM_ASSIGN_OR_RETURN(Hash right, RangeHash(source, begin + k, end));
  return NodeHash(left, right);
}

// PATH(m, D[begin:end]) appended to `proof` bottom-up.
Status AppendPath(SubtreeSource& source, int64_t m, int64_t begin, int64_t end,
                  std::vector<Hash>& proof) {
  if (end - begin <= 1) return OkStatus();
  const int64_t k = SplitPoint(end - begin);
  if (m < k) {
    JCM_RETURN_IF_ERROR(AppendPath(source, m, begin, begin + k, proof));
    JCM_ASSIGN_OR_RETURN(Hash sibling, RangeHash(source, begin + k, end));
    proof.push_back(sibling);
  } else {
    JCM_RETURN_IF_ERROR(AppendPath(source, m - k, begin + k, end, proof));
    JCM_ASSIGN_OR_RETURN(Hash sibling, RangeHash(source, begin, begin + k));
    proof.push_back(sibling);
  }
  return OkStatus();
}

// SUBPROOF(m, D[begin:end], whole) appended to `proof`.
Status AppendSubproof(SubtreeSource& source, int64_t m, int64_t begin, int64_t end, bool whole,
                      std::vector<Hash>& proof) {
  const int64_t n = end - begin;
  if (m == n) {
    if (whole) return OkStatus();
    JCM_ASSIGN_OR_RETURN(Hash subtree, RangeHash(source, begin, end));
    proof.push_back(subtree);
    return OkStatus();
  }
  const int64_t k = SplitPoint(n);
  if (m <= k) {
    JCM_RETURN_IF_ERROR(AppendSubproof(source, m, begin, begin + k, whole, proof));
    JCM_ASSIGN_OR_RETURN(Hash right, RangeHash(source, begin + k, end));
    proof.push_back(right);
  } else {
    JCM_RETURN_IF_ERROR(AppendSubproof(source, m - k, begin + k, end, false, proof));
    JCM_ASSIGN_OR_RETURN(Hash left, RangeHash(source, begin, begin + k));
    proof.push_back(left);
  }
  return OkStatus();
}

bool Lsb(uint64_t value) { return (value & 1u) != 0; }

}  // namespace

std::string ToHex(const Hash& hash) {
  return BytesToHex(std::string_view(reinterpret_cast<const char*>(hash.data()), hash.size()));
}

Result<Hash> FromHex(std::string_view hex) {
  Hash hash{};
  if (hex.size() != 2 * hash.size()) {
    return InvalidArgument("a hash is 64 hex digits, got " + std::to_string(hex.size()) +
                           " characters");
  }
  JCM_ASSIGN_OR_RETURN(std::string bytes, HexToBytes(hex));
  std::memcpy(hash.data(), bytes.data(), hash.size());
  return hash;
}

Hash EmptyTreeHash() { return Sha256Bytes(""); }

Hash LeafHash(std::string_view leaf_data) {
  std::string input(1, '\x00');
  input.append(leaf_data);
  return Sha256Bytes(input);
}

Hash NodeHash(const Hash& left, const Hash& right) {
  char input[1 + 2 * sizeof(Hash)];
  input[0] = '\x01';
  std::memcpy(input + 1, left.data(), left.size());
  std::memcpy(input + 1 + left.size(), right.data(), right.size());
  return Sha256Bytes(std::string_view(input, sizeof input));
}

Result<std::vector<PerfectNode>> AppendLeaf(SubtreeSource& source, int64_t tree_size,
                                            const Hash& leaf_hash) {
  if (tree_size < 0) return InvalidArgument("a tree size is never negative");
  std::vector<PerfectNode> nodes{{0, tree_size, leaf_hash}};
  int level = 0;
  int64_t index = tree_size;
  Hash hash = leaf_hash;
  while (Lsb(static_cast<uint64_t>(index))) {  // a right child: its parent is now complete
    JCM_ASSIGN_OR_RETURN(Hash left, source.PerfectSubtree(level, index - 1));
    hash = NodeHash(left, hash);
    ++level;
    index >>= 1;
    nodes.push_back({level, index, hash});
  }
  return nodes;
}

Result<Hash> RootHash(SubtreeSource& source, int64_t tree_size) {
  if (tree_size < 0) return InvalidArgument("a tree size is never negative");
  if (tree_size == 0) return EmptyTreeHash();
  return RangeHash(source, 0, tree_size);
}

Result<std::vector<Hash>> InclusionProof(SubtreeSource& source, int64_t leaf_index,
                                         int64_t tree_size) {
  if (leaf_index < 0 || leaf_index >= tree_size) {
    return InvalidArgument("leaf " + std::to_string(leaf_index) + " is not in a tree of " +
                           std::to_string(tree_size) + " leaves");
  }
  std::vector<Hash> proof;
  JCM_RETURN_IF_ERROR(AppendPath(source, leaf_index, 0, tree_size, proof));
  return proof;
}

Result<std::vector<Hash>> ConsistencyProof(SubtreeSource& source, int64_t old_size,
                                           int64_t new_size) {
  if (old_size < 1 || old_size > new_size) {
    return InvalidArgument("a consistency proof needs 1 <= from <= to, got from " +
                           std::to_string(old_size) + ", to " + std::to_string(new_size));
  }
  std::vector<Hash> proof;
  JCM_RETURN_IF_ERROR(AppendSubproof(source, old_size, 0, new_size, true, proof));
  return proof;
}

bool VerifyInclusion(int64_t leaf_index, int64_t tree_size, const Hash& leaf_hash,
                     const std::vector<Hash>& proof, const Hash& root) {
  if (leaf_index < 0 || leaf_index >= tree_size) return false;
  uint64_t fn = static_cast<uint64_t>(leaf_index);
  uint64_t sn = static_cast<uint64_t>(tree_size - 1);
  Hash r = leaf_hash;
  for (const Hash& p : proof) {
    if (sn == 0) return false;
    if (Lsb(fn) || fn == sn) {
      r = NodeHash(p, r);
      while (!Lsb(fn) && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

bool VerifyConsistency(int64_t old_size, int64_t new_size, const Hash& old_root,
                       const Hash& new_root, const std::vector<Hash>& proof) {
  if (old_size < 0 || old_size > new_size) return false;
  if (old_size == 0) return proof.empty() && old_root == EmptyTreeHash();
  if (old_size == new_size) return proof.empty() && old_root == new_root;
  if (proof.empty()) return false;
  std::vector<Hash> path;
  if (std::has_single_bit(static_cast<uint64_t>(old_size))) path.push_back(old_root);
  path.insert(path.end(), proof.begin(), proof.end());
  uint64_t fn = static_cast<uint64_t>(old_size - 1);
  uint64_t sn = static_cast<uint64_t>(new_size - 1);
  while (Lsb(fn)) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = path[0];
  Hash sr = path[0];
  for (size_t i = 1; i < path.size(); ++i) {
    const Hash& c = path[i];
    if (sn == 0) return false;
    if (Lsb(fn) || fn == sn) {
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
      while (!Lsb(fn) && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = NodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return fr == old_root && sr == new_root && sn == 0;
}

}  // namespace jcm::core::merkle
