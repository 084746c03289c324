// The transparency log's use cases against both stores: heads that verify and stay put, proofs
// that verify against them, tampering and foreign keys refused, the key kept out of the registry.
#include "service/log_service.h"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "core/text.h"
#include "service/errors.h"
#include "service/service_fixture_test.h"

namespace jcm::service {
namespace {

namespace merkle = core::merkle;
using core::StatusCode;

class LogServiceTest : public StoreTest {
 protected:
  void Write(int entries) {
    for (int i = 0; i < entries; ++i) {
      auto outcome =
          store_->Submit(ledger::OpenAccount{"MN",
                                             ledger::AccountType::kEntityHolding,
                                             {"Holder " + std::to_string(i), "", "", "", ""},
                                             ""});
      ASSERT_TRUE(outcome.ok() && !outcome->rejection);
    }
  }
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_TRUE(store_->Submit(ledger::InitRegistry{"MN"}).ok());
  }
  core::Ed25519PrivateKey key_ = core::Ed25519PrivateKey::Generate().value();
};

merkle::Hash Hash(const std::string& hex) { return *merkle::FromHex(hex); }
std::vector<merkle::Hash> Hashes(const std::vector<std::string>& hex) {
  std::vector<merkle::Hash> out;
  for (const std::string& h : hex) out.push_back(Hash(h));
  return out;
}

TEST_P(LogServiceTest, AHeadVerifiesAndEveryEntryIsProvenInIt) {
  Write(12);
  auto head = PublishTreeHead(*store_, key_, "2026-11-30T09:00:00Z");
  ASSERT_TRUE(head.ok()) << head.status();
  const auto entries = *store_->ReadJournal(1);
  EXPECT_EQ(head->tree_size, static_cast<int64_t>(entries.size()));
  EXPECT_EQ(head->signed_message, "jcm-tree-head-v1\ntree_size " + std::to_string(head->tree_size) +
                                      "\nroot_hash " + head->root_hash +
                                      "\ntimestamp 2026-11-30T09:00:00Z\n");
  EXPECT_EQ(head->public_key, core::BytesToHex(key_.PublicKey()));
  EXPECT_TRUE(VerifyTreeHead(*head, head->public_key).ok());
  for (const ledger::JournalEntry& entry : entries) {
    auto proof = ProveInclusion(*store_, entry.seq, std::nullopt);
    ASSERT_TRUE(proof.ok());
    EXPECT_EQ(proof->leaf_hash, merkle::ToHex(*ledger::LogLeafHash(entry.hash)));
    EXPECT_TRUE(merkle::VerifyInclusion(proof->leaf_index, proof->tree_size, Hash(proof->leaf_hash),
                                        Hashes(proof->audit_path), Hash(head->root_hash)));
  }
}

TEST_P(LogServiceTest, LaterHeadsAreConsistentWithEarlierOnes) {
  Write(3);
  auto first = *PublishTreeHead(*store_, key_, "2026-11-30T09:00:00Z");
  Write(9);
  auto second = *PublishTreeHead(*store_, key_, "2026-11-30T09:05:00Z");
  ASSERT_GT(second.tree_size, first.tree_size);
  auto proof = ProveConsistency(*store_, first.tree_size, second.tree_size);
  ASSERT_TRUE(proof.ok());
  EXPECT_TRUE(merkle::VerifyConsistency(first.tree_size, second.tree_size, Hash(first.root_hash),
                                        Hash(second.root_hash), Hashes(proof->proof)));
  // An entry proven in the older head, at its size.
  auto old = ProveInclusion(*store_, 2, first.tree_size);
  ASSERT_TRUE(old.ok());
  EXPECT_TRUE(merkle::VerifyInclusion(1, first.tree_size, Hash(old->leaf_hash),
                                      Hashes(old->audit_path), Hash(first.root_hash)));
}

TEST_P(LogServiceTest, ASizeHasOneHeadInTheSqliteStore) {
  Write(2);
  auto first = *PublishTreeHead(*store_, key_, "2026-11-30T09:00:00Z");
  auto again = *PublishTreeHead(*store_, key_, "2026-11-30T09:30:00Z");
  if (GetParam() == StoreKind::kSqlite) {
    EXPECT_EQ(again.timestamp, first.timestamp);
    EXPECT_EQ(again.signature, first.signature);
  }
  EXPECT_EQ(again.root_hash, first.root_hash);
}

TEST_P(LogServiceTest, ATamperedHeadOrAForeignKeyIsRefused) {
  Write(4);
  const SignedTreeHead head = *PublishTreeHead(*store_, key_, "2026-11-30T09:00:00Z");
  SignedTreeHead bigger = head;
  bigger.tree_size += 1;
  bigger.signed_message = TreeHeadMessage(bigger.tree_size, bigger.root_hash, bigger.timestamp);
  EXPECT_EQ(VerifyTreeHead(bigger, std::nullopt).code(), StatusCode::kDataLoss);
  SignedTreeHead mismatched = head;
  mismatched.root_hash = std::string(64, '0');
  EXPECT_EQ(VerifyTreeHead(mismatched, std::nullopt).code(), StatusCode::kDataLoss);
  // A head signed by another key: valid in itself, refused against the registry's key.
  const core::Ed25519PrivateKey other = core::Ed25519PrivateKey::Generate().value();
  SignedTreeHead forged = head;
  forged.public_key = core::BytesToHex(other.PublicKey());
  forged.signature = core::BytesToHex(other.Sign(forged.signed_message));
  EXPECT_TRUE(VerifyTreeHead(forged, std::nullopt).ok());
  EXPECT_EQ(VerifyTreeHead(forged, head.public_key).code(), StatusCode::kDataLoss);
  SignedTreeHead resigned = head;
  resigned.signature = core::BytesToHex(other.Sign(head.signed_message));
  EXPECT_EQ(VerifyTreeHead(resigned, head.public_key).code(), StatusCode::kDataLoss);
}

TEST_P(LogServiceTest, ProofsBeyondTheLogOrOutOfOrderAreRefused) {
  Write(2);
  const int64_t size = *store_->LogTreeSize();
  EXPECT_EQ(ProveInclusion(*store_, 0, std::nullopt).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ProveInclusion(*store_, size + 1, std::nullopt).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(ProveInclusion(*store_, 1, size + 1).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(ProveConsistency(*store_, 0, size).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ProveConsistency(*store_, 2, 1).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ProveConsistency(*store_, 1, size + 1).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(ProveConsistency(*store_, size, size)->proof.empty());
}

// Perfect subtrees computed from a list of leaves, for a root independent of any store.
class LeafList final : public merkle::SubtreeSource {
 public:
  explicit LeafList(std::vector<merkle::Hash> leaves) : leaves_(std::move(leaves)) {}
  core::Result<merkle::Hash> PerfectSubtree(int level, int64_t index) override {
    if (level == 0) return leaves_.at(static_cast<size_t>(index));
    JCM_ASSIGN_OR_RETURN(merkle::Hash left, PerfectSubtree(level - 1, 2 * index));
    JCM_ASSIGN_OR_RETURN(merkle::Hash right, PerfectSubtree(level - 1, 2 * index + 1));
    return merkle::NodeHash(left, right);
  }

 private:
  std::vector<merkle::Hash> leaves_;
};

// Each store's tree, at every size, is the tree of its journal's entry hashes (the SQLite store
// keeps it, the memory store recomputes it).
TEST_P(LogServiceTest, EveryRootIsTheRootOfTheJournal) {
  Write(9);
  std::vector<merkle::Hash> leaves;
  const std::vector<ledger::JournalEntry> entries = store_->ReadJournal(1).value();
  for (const ledger::JournalEntry& entry : entries) {
    leaves.push_back(*ledger::LogLeafHash(entry.hash));
  }
  LeafList list(leaves);
  ASSERT_EQ(*store_->LogTreeSize(), static_cast<int64_t>(leaves.size()));
  for (int64_t n = 1; n <= static_cast<int64_t>(leaves.size()); ++n) {
    EXPECT_EQ(*LogRoot(*store_, n), merkle::ToHex(*merkle::RootHash(list, n))) << n;
  }
}

// INV-27: the key lives in its own 0600 file, is never overwritten, and no byte of it reaches
// the registry database.
TEST_P(LogServiceTest, TheKeyFileIsPrivateKeptAndNeverInTheRegistry) {
  const std::string key_path =
      (std::filesystem::temp_directory_path() / ("jcm-log-key-" + std::to_string(::getpid())))
          .string();
  std::filesystem::remove(key_path);
  EXPECT_EQ(LoadLogKey(key_path).status().code(), StatusCode::kFailedPrecondition);
  auto key = CreateLogKey(key_path);
  ASSERT_TRUE(key.ok()) << key.status();
  struct stat info {};
  ASSERT_EQ(::stat(key_path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_EQ(CreateLogKey(key_path).status().code(), StatusCode::kAlreadyExists);
  auto loaded = LoadLogKey(key_path);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->PublicKey(), key->PublicKey());
  Write(3);
  ASSERT_TRUE(PublishTreeHead(*store_, *loaded, "2026-11-30T09:00:00Z").ok());
  if (GetParam() == StoreKind::kSqlite) {
    store_.reset();
    std::ostringstream db;
    db << std::ifstream(path_, std::ios::binary).rdbuf();
    // The PEM's base64 body line (the private key's encoding) appears nowhere in the database.
    const std::string pem = key->ToPem();
    const std::string body = pem.substr(pem.find('\n') + 1, 40);
    EXPECT_EQ(db.str().find(body), std::string::npos);
    EXPECT_NE(db.str().find(core::BytesToHex(key->PublicKey())), std::string::npos);
  }
  std::filesystem::remove(key_path);
}

INSTANTIATE_TEST_SUITE_P(Stores, LogServiceTest,
                         ::testing::Values(StoreKind::kMemory, StoreKind::kSqlite), StoreKindName);

}  // namespace
}  // namespace jcm::service
