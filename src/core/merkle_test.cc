#include "core/merkle.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <utility>

#include "core/text.h"

namespace jcm::core::merkle {
namespace {

// A log kept in a map, filled only through AppendLeaf (as a store fills its table).
class MapLog : public SubtreeSource {
 public:
  Result<Hash> PerfectSubtree(int level, int64_t index) override {
    auto found = nodes_.find({level, index});
    if (found == nodes_.end()) return NotFound("no such subtree");
    ++reads_;
    return found->second;
  }
  void Append(const Hash& leaf) {
    Result<std::vector<PerfectNode>> added = AppendLeaf(*this, size_, leaf);
    ASSERT_TRUE(added.ok());
    for (const PerfectNode& node : *added) nodes_[{node.level, node.index}] = node.hash;
    ++size_;
  }
  int64_t size() const { return size_; }
  int64_t reads_ = 0;

 private:
  std::map<std::pair<int, int64_t>, Hash> nodes_;
  int64_t size_ = 0;
};

// ---- An independent reading of RFC 9162 §2.1, from its recursive definitions only: the tree
// hash MTH, PATH and PROOF over the whole leaf list, and verifiers that rebuild the roots by
// following the same recursion over (index, size) instead of the RFC's bit arithmetic.
int64_t LargestPowerOfTwoBelow(int64_t n) {
  int64_t k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
std::string Raw(const Hash& h) { return std::string(h.begin(), h.end()); }
Hash H(std::string_view bytes) { return Sha256Bytes(bytes); }
// MTH, PATH and PROOF's SUBPROOF over the leaf list D[n], as the RFC defines them. MTH is
// memoised per (b, e): the function is pure, so the cache changes no result, but without it each
// PATH and SUBPROOF recomputes its siblings from the leaves, O(n) hashes per proof and O(n^2) per
// tree (60 CPU-s under the sanitizers for the sizes below; docs/testing.md).
class Reference {
 public:
  explicit Reference(const std::vector<Hash>& leaves) : d_(leaves) {}

  Hash Mth(size_t b, size_t e) {
    if (e == b) return H("");
    if (e - b == 1) return d_[b];
    if (auto known = mth_.find({b, e}); known != mth_.end()) return known->second;
    const size_t k = static_cast<size_t>(LargestPowerOfTwoBelow(static_cast<int64_t>(e - b)));
    const Hash hash = H("\x01" + Raw(Mth(b, b + k)) + Raw(Mth(b + k, e)));
    mth_.emplace(std::make_pair(b, e), hash);
    return hash;
  }
  std::vector<Hash> Path(size_t m, size_t b, size_t e) {
    if (e - b <= 1) return {};
    const size_t k = static_cast<size_t>(LargestPowerOfTwoBelow(static_cast<int64_t>(e - b)));
    std::vector<Hash> out = m < k ? Path(m, b, b + k) : Path(m - k, b + k, e);
    out.push_back(m < k ? Mth(b + k, e) : Mth(b, b + k));
    return out;
  }
  std::vector<Hash> Subproof(size_t m, size_t b, size_t e, bool whole) {
    if (m == e - b) return whole ? std::vector<Hash>{} : std::vector<Hash>{Mth(b, e)};
    const size_t k = static_cast<size_t>(LargestPowerOfTwoBelow(static_cast<int64_t>(e - b)));
    std::vector<Hash> out =
        m <= k ? Subproof(m, b, b + k, whole) : Subproof(m - k, b + k, e, false);
    out.push_back(m <= k ? Mth(b + k, e) : Mth(b, b + k));
    return out;
  }

 private:
  const std::vector<Hash>& d_;
  std::map<std::pair<size_t, size_t>, Hash> mth_;
};
// The root an inclusion proof implies, or nullopt when its length does not fit (m, n).
std::optional<Hash> RootFromPath(int64_t m, int64_t n, const Hash& leaf, std::vector<Hash> path) {
  if (n == 1) return path.empty() ? std::optional<Hash>(leaf) : std::nullopt;
  if (path.empty()) return std::nullopt;
  const Hash last = path.back();
  path.pop_back();
  const int64_t k = LargestPowerOfTwoBelow(n);
  if (m < k) {
    auto left = RootFromPath(m, k, leaf, path);
    if (!left) return std::nullopt;
    return H("\x01" + Raw(*left) + Raw(last));
  }
  auto right = RootFromPath(m - k, n - k, leaf, path);
  if (!right) return std::nullopt;
  return H("\x01" + Raw(last) + Raw(*right));
}
// The (old root, new root) a consistency proof implies for SUBPROOF(m, D[n], whole); `old` is
// the old subtree's hash when it is known to the verifier (whole == true at the top).
std::optional<std::pair<Hash, Hash>> RootsFromSubproof(int64_t m, int64_t n, bool whole,
                                                       const Hash& old_root,
                                                       std::vector<Hash>& proof) {
  if (m == n) {
    if (whole) return std::make_pair(old_root, old_root);
    if (proof.empty()) return std::nullopt;
    const Hash h = proof.back();
    proof.pop_back();
    return std::make_pair(h, h);
  }
  if (proof.empty()) return std::nullopt;
  const Hash last = proof.back();
  proof.pop_back();
  const int64_t k = LargestPowerOfTwoBelow(n);
  if (m <= k) {
    auto inner = RootsFromSubproof(m, k, whole, old_root, proof);
    if (!inner) return std::nullopt;
    return std::make_pair(inner->first, H("\x01" + Raw(inner->second) + Raw(last)));
  }
  auto inner = RootsFromSubproof(m - k, n - k, false, old_root, proof);
  if (!inner) return std::nullopt;
  return std::make_pair(H("\x01" + Raw(last) + Raw(inner->first)),
                        H("\x01" + Raw(last) + Raw(inner->second)));
}
bool IndependentConsistency(int64_t m, int64_t n, const Hash& old_root, const Hash& new_root,
                            std::vector<Hash> proof) {
  // The proof is consumed from its end, outermost sibling first.
  auto roots = RootsFromSubproof(m, n, true, old_root, proof);
  return roots && proof.empty() && roots->first == old_root && roots->second == new_root;
}
// ---- end of the independent reading.

const Hash& At(const std::vector<Hash>& hashes, int64_t i) {
  return hashes.at(static_cast<size_t>(i));
}

// The leaves and roots of the Certificate Transparency reference tests (RFC 6962's
// merkle_tree_test: leaf i's data, the root of the first n leaves).
TEST(MerkleTest, RootsMatchTheCertificateTransparencyReferenceVectors) {
  const std::vector<std::string> data = {"",
                                         "00",
                                         "10",
                                         "2021",
                                         "3031",
                                         "40414243",
                                         "5051525354555657",
                                         "606162636465666768696a6b6c6d6e6f"};
  const std::vector<std::string> roots = {
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
      "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
      "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
      "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
      "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
      "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};
  MapLog log;
  EXPECT_EQ(ToHex(*RootHash(log, 0)),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  for (size_t i = 0; i < data.size(); ++i) {
    log.Append(LeafHash(*HexToBytes(data[i])));
    EXPECT_EQ(ToHex(*RootHash(log, log.size())), roots[i]) << "tree size " << log.size();
  }
}

TEST(MerkleTest, ProofsEqualTheRfcDefinitionsAndVerifyBothWays) {
  std::mt19937_64 random(16);
  for (int tree = 0; tree < 60; ++tree) {
    const int64_t n =
        tree < 40 ? tree + 1 : std::uniform_int_distribution<int64_t>(41, 700)(random);
    MapLog log;
    std::vector<Hash> leaves;
    for (int64_t i = 0; i < n; ++i) {
      leaves.push_back(LeafHash(Raw(H(std::to_string(random())))));
      log.Append(leaves.back());
    }
    const Hash root = *RootHash(log, n);
    Reference rfc(leaves);
    ASSERT_EQ(root, rfc.Mth(0, leaves.size())) << n;
    for (int64_t m = 0; m < n; ++m) {
      Result<std::vector<Hash>> proof = InclusionProof(log, m, n);
      ASSERT_TRUE(proof.ok());
      ASSERT_EQ(*proof, rfc.Path(static_cast<size_t>(m), 0, leaves.size())) << m << "/" << n;
      EXPECT_TRUE(VerifyInclusion(m, n, At(leaves, m), *proof, root)) << m << "/" << n;
      EXPECT_EQ(RootFromPath(m, n, At(leaves, m), *proof), root);
    }
    for (int64_t m = 1; m <= n; ++m) {
      const Hash old_root = rfc.Mth(0, static_cast<size_t>(m));
      Result<std::vector<Hash>> proof = ConsistencyProof(log, m, n);
      ASSERT_TRUE(proof.ok());
      ASSERT_EQ(*proof, m == n ? std::vector<Hash>{}
                               : rfc.Subproof(static_cast<size_t>(m), 0, leaves.size(), true));
      EXPECT_TRUE(VerifyConsistency(m, n, old_root, root, *proof)) << m << "->" << n;
      EXPECT_TRUE(m == n || IndependentConsistency(m, n, old_root, root, *proof));
    }
  }
}

// Any change to a proof, a leaf, an index, a size or a root is refused.
TEST(MerkleTest, TamperedProofsFail) {
  std::mt19937_64 random(9162);
  for (int tree = 0; tree < 40; ++tree) {
    const int64_t n = std::uniform_int_distribution<int64_t>(2, 300)(random);
    MapLog log;
    std::vector<Hash> leaves;
    for (int64_t i = 0; i < n; ++i) {
      leaves.push_back(LeafHash(std::to_string(i) + "/" + std::to_string(tree)));
      log.Append(leaves.back());
    }
    const Hash root = *RootHash(log, n);
    const int64_t m = std::uniform_int_distribution<int64_t>(0, n - 1)(random);
    const std::vector<Hash> proof = *InclusionProof(log, m, n);
    for (size_t i = 0; i < proof.size(); ++i) {
      std::vector<Hash> bad = proof;
      bad[i][random() % 32] ^= static_cast<uint8_t>(1u << (random() % 8));
      EXPECT_FALSE(VerifyInclusion(m, n, At(leaves, m), bad, root));
      EXPECT_NE(RootFromPath(m, n, At(leaves, m), bad), root);
    }
    std::vector<Hash> longer = proof;
    longer.push_back(root);
    EXPECT_FALSE(VerifyInclusion(m, n, At(leaves, m), longer, root));
    if (!proof.empty()) {
      EXPECT_FALSE(VerifyInclusion(m, n, At(leaves, m), {proof.begin(), proof.end() - 1}, root));
    }
    EXPECT_FALSE(VerifyInclusion(m, n, At(leaves, (m + 1) % n), proof, root));
    EXPECT_FALSE(VerifyInclusion((m + 1) % n, n, At(leaves, m), proof, root));
    EXPECT_FALSE(VerifyInclusion(m, n, At(leaves, m), proof, At(leaves, m)));
    EXPECT_FALSE(VerifyInclusion(n, n, At(leaves, m), proof, root));

    const int64_t old_size = std::uniform_int_distribution<int64_t>(1, n - 1)(random);
    const Hash old_root = *RootHash(log, old_size);
    const std::vector<Hash> consistency = *ConsistencyProof(log, old_size, n);
    ASSERT_TRUE(VerifyConsistency(old_size, n, old_root, root, consistency));
    for (size_t i = 0; i < consistency.size(); ++i) {
      std::vector<Hash> bad = consistency;
      bad[i][random() % 32] ^= 0x80;
      EXPECT_FALSE(VerifyConsistency(old_size, n, old_root, root, bad));
      EXPECT_FALSE(IndependentConsistency(old_size, n, old_root, root, bad));
    }
    Hash other_old = old_root;
    other_old[0] ^= 1;
    EXPECT_FALSE(VerifyConsistency(old_size, n, other_old, root, consistency));
    EXPECT_FALSE(VerifyConsistency(old_size, n, old_root, other_old, consistency));
    EXPECT_FALSE(VerifyConsistency(old_size, n, old_root, root, {}));
    EXPECT_FALSE(VerifyConsistency(n, old_size, root, old_root, consistency));
  }
}

// A history rewritten anywhere before the old size is not an extension of the old tree.
TEST(MerkleTest, ARewrittenPrefixIsInconsistentWithTheOldHead) {
  MapLog honest, rewritten;
  for (int i = 0; i < 100; ++i) {
    honest.Append(LeafHash("entry " + std::to_string(i)));
    rewritten.Append(LeafHash(i == 37 ? "forged" : "entry " + std::to_string(i)));
  }
  for (int i = 100; i < 150; ++i) rewritten.Append(LeafHash("entry " + std::to_string(i)));
  const Hash old_root = *RootHash(honest, 100);
  const Hash new_root = *RootHash(rewritten, 150);
  EXPECT_FALSE(
      VerifyConsistency(100, 150, old_root, new_root, *ConsistencyProof(rewritten, 100, 150)));
}

// O(log n): a proof reads a bounded number of stored subtrees, and an append writes two on
// average (one leaf plus the subtrees it completes).
TEST(MerkleTest, ProofsAndAppendsReadLogarithmicallyManyNodes) {
  MapLog log;
  for (int i = 0; i < 5000; ++i) log.Append(LeafHash(std::to_string(i)));
  EXPECT_LT(log.reads_, 5000 * 2);
  log.reads_ = 0;
  ASSERT_TRUE(InclusionProof(log, 1234, 5000).ok());
  EXPECT_LE(log.reads_, 2 * 13);
  log.reads_ = 0;
  ASSERT_TRUE(ConsistencyProof(log, 1234, 5000).ok());
  EXPECT_LE(log.reads_, 3 * 13);
}

TEST(MerkleTest, BadArgumentsAreRefused) {
  MapLog log;
  log.Append(LeafHash("a"));
  EXPECT_EQ(InclusionProof(log, 1, 1).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(InclusionProof(log, -1, 1).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ConsistencyProof(log, 0, 1).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ConsistencyProof(log, 2, 1).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(FromHex("abc").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(FromHex(std::string(63, '0') + "g").status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(VerifyConsistency(0, 1, EmptyTreeHash(), *RootHash(log, 1), {}));
  EXPECT_TRUE(VerifyInclusion(0, 1, LeafHash("a"), {}, *RootHash(log, 1)));
}

}  // namespace
}  // namespace jcm::core::merkle
