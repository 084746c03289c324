#include "service/log_service.h"

#include "core/text.h"
#include "service/internal/key_file.h"

namespace jcm::service {
namespace {

namespace merkle = core::merkle;

// The store's tree as the Merkle algorithms read it.
class StoreSubtrees final : public merkle::SubtreeSource {
 public:
  explicit StoreSubtrees(store::Store& store) : store_(store) {}
  core::Result<merkle::Hash> PerfectSubtree(int level, int64_t index) override {
    return store_.LogSubtreeHash(level, index);
  }

 private:
  store::Store& store_;
};

std::vector<std::string> HexAll(const std::vector<merkle::Hash>& hashes) {
  std::vector<std::string> out;
  out.reserve(hashes.size());
  for (const merkle::Hash& hash : hashes) out.push_back(merkle::ToHex(hash));
  return out;
}

core::Status RequireSize(store::Store& store, int64_t tree_size) {
  JCM_ASSIGN_OR_RETURN(int64_t size, store.LogTreeSize());
  if (tree_size > size) {
    return core::NotFound("the log has " + std::to_string(size) + " entries, not " +
                          std::to_string(tree_size));
  }
  return core::OkStatus();
}

}  // namespace

std::string TreeHeadMessage(int64_t tree_size, std::string_view root_hash_hex,
                            std::string_view timestamp) {
  std::string message = "jcm-tree-head-v1\ntree_size " + std::to_string(tree_size) + "\n";
  message.append("root_hash ").append(root_hash_hex).append("\n");
  message.append("timestamp ").append(timestamp).append("\n");
  return message;
}

SignedTreeHead HeadFromStored(const store::LogHead& stored) {
  return {stored.tree_size, stored.root_hash,
          stored.timestamp, TreeHeadMessage(stored.tree_size, stored.root_hash, stored.timestamp),
          stored.signature, stored.public_key};
}

core::Result<std::string> LogRoot(store::Store& store, int64_t tree_size) {
  JCM_RETURN_IF_ERROR(RequireSize(store, tree_size));
  StoreSubtrees source(store);
  JCM_ASSIGN_OR_RETURN(merkle::Hash root, merkle::RootHash(source, tree_size));
  return merkle::ToHex(root);
}

core::Result<SignedTreeHead> PublishTreeHead(store::Store& store,
                                             const core::Ed25519PrivateKey& key,
                                             const std::string& now) {
  JCM_ASSIGN_OR_RETURN(int64_t size, store.LogTreeSize());
  JCM_ASSIGN_OR_RETURN(std::optional<store::LogHead> stored, store.FindLogHead(size));
  if (stored) return HeadFromStored(*stored);
  JCM_ASSIGN_OR_RETURN(std::string root, LogRoot(store, size));
  store::LogHead head{size, root, now, core::BytesToHex(key.PublicKey()),
                      core::BytesToHex(key.Sign(TreeHeadMessage(size, root, now)))};
  JCM_ASSIGN_OR_RETURN(store::LogHead kept, store.PutLogHead(head));
  return HeadFromStored(kept);
}

core::Status VerifyTreeHead(const SignedTreeHead& head,
                            const std::optional<std::string>& trusted_public_key) {
  if (head.signed_message != TreeHeadMessage(head.tree_size, head.root_hash, head.timestamp)) {
    return core::DataLoss("the tree head's signed message does not state its size, root and time");
  }
  if (trusted_public_key && *trusted_public_key != head.public_key) {
    return core::DataLoss("the tree head is signed by key " + head.public_key +
                          ", not the registry's key " + *trusted_public_key);
  }
  core::Result<std::string> public_key = core::HexToBytes(head.public_key);
  core::Result<std::string> signature = core::HexToBytes(head.signature);
  if (!public_key.ok() || !signature.ok() ||
      !core::Ed25519Verify(*public_key, head.signed_message, *signature)) {
    return core::DataLoss("the tree head's signature does not verify under its public key");
  }
  return core::OkStatus();
}

core::Result<InclusionProof> ProveInclusion(store::Store& store, int64_t seq,
                                            std::optional<int64_t> tree_size) {
  JCM_ASSIGN_OR_RETURN(int64_t size, store.LogTreeSize());
  const int64_t at = tree_size.value_or(size);
  if (seq < 1 || at < seq) {
    return core::InvalidArgument("a proof needs 1 <= seq <= tree size, got seq " +
                                 std::to_string(seq) + ", tree size " + std::to_string(at));
  }
  JCM_RETURN_IF_ERROR(RequireSize(store, at));
  StoreSubtrees source(store);
  JCM_ASSIGN_OR_RETURN(std::vector<merkle::Hash> path, merkle::InclusionProof(source, seq - 1, at));
  JCM_ASSIGN_OR_RETURN(merkle::Hash leaf, store.LogSubtreeHash(0, seq - 1));
  return InclusionProof{seq, seq - 1, at, merkle::ToHex(leaf), HexAll(path)};
}

core::Result<SignedInclusion> ProveInSignedHead(store::Store& store,
                                                const core::Ed25519PrivateKey& key,
                                                const std::string& now, int64_t seq) {
  JCM_ASSIGN_OR_RETURN(SignedTreeHead head, PublishTreeHead(store, key, now));
  JCM_ASSIGN_OR_RETURN(InclusionProof proof, ProveInclusion(store, seq, head.tree_size));
  return SignedInclusion{std::move(head), std::move(proof)};
}

core::Result<ConsistencyProof> ProveConsistency(store::Store& store, int64_t from, int64_t to) {
  if (from < 1 || from > to) {
    return core::InvalidArgument("a consistency proof needs 1 <= from <= to, got from " +
                                 std::to_string(from) + ", to " + std::to_string(to));
  }
  JCM_RETURN_IF_ERROR(RequireSize(store, to));
  StoreSubtrees source(store);
  JCM_ASSIGN_OR_RETURN(std::vector<merkle::Hash> proof, merkle::ConsistencyProof(source, from, to));
  return ConsistencyProof{from, to, HexAll(proof)};
}

std::string DefaultLogKeyPath(const std::string& db_path) { return db_path + ".log-key.pem"; }

core::Result<core::Ed25519PrivateKey> CreateLogKey(const std::string& path) {
  return internal::CreateKeyFile(path, "log key");
}

core::Result<core::Ed25519PrivateKey> LoadLogKey(const std::string& path) {
  return internal::LoadKeyFile(path, "log key", "jcm log keygen");
}

}  // namespace jcm::service
