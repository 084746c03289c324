// The credential store (store/credential_store.h) through both adapters, and identity events in
// the journal: the same calls give the same answers in memory and in SQLite, and SQLite keeps
// them across a reopen.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "store/testing/ledger_fixture.h"

namespace jcm::store {
namespace {

class CredentialStoreTest : public LedgerFixture, public ::testing::WithParamInterface<bool> {
 protected:
  CredentialStoreTest() { use_memory_store_ = GetParam(); }
  CredentialStore& credentials() { return store_->Credentials(); }
};

INSTANTIATE_TEST_SUITE_P(Stores, CredentialStoreTest, ::testing::Values(false, true),
                         [](const auto& param_info) {
                           return param_info.param ? "memory" : "sqlite";
                         });

TEST_P(CredentialStoreTest, KeepsPasswordAndTotpKeyPerUser) {
  EXPECT_EQ(*credentials().FindUserSecrets("tanaka"), std::nullopt);
  ASSERT_TRUE(credentials().SetPasswordHash("tanaka", "$argon2id$x").ok());
  ASSERT_TRUE(credentials().SetTotpKey("tanaka", std::string("k\0ey", 4), "SHA256").ok());
  ASSERT_TRUE(credentials().SetPasswordHash("tanaka", "$argon2id$y").ok());
  if (!use_memory_store_) Reopen();
  const auto secrets = credentials().FindUserSecrets("tanaka");
  ASSERT_TRUE(secrets.ok() && secrets->has_value());
  EXPECT_EQ(**secrets, (UserSecrets{"$argon2id$y", std::string("k\0ey", 4), "SHA256", {}}));
}

TEST_P(CredentialStoreTest, ATotpStepIsClaimedOnceAndOnlyForward) {
  EXPECT_EQ(credentials().ClaimTotpStep("sato", 10).status().code(),
            core::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(credentials().SetTotpKey("sato", "key", "SHA1").ok());
  EXPECT_EQ(*credentials().ClaimTotpStep("sato", 10), true);
  EXPECT_EQ(*credentials().ClaimTotpStep("sato", 10), false);  // the same step again
  EXPECT_EQ(*credentials().ClaimTotpStep("sato", 9), false);   // an earlier one
  EXPECT_EQ(*credentials().ClaimTotpStep("sato", 11), true);
  EXPECT_EQ((*credentials().FindUserSecrets("sato"))->totp_last_step, 11);
  // Enrolling a new key forgets the steps of the old one.
  ASSERT_TRUE(credentials().SetTotpKey("sato", "key2", "SHA256").ok());
  EXPECT_EQ((*credentials().FindUserSecrets("sato"))->totp_last_step, std::nullopt);
  EXPECT_EQ(*credentials().ClaimTotpStep("sato", 5), true);
}

// Claims made at once from many threads: each step is accepted once, whatever the
// interleaving; in SQLite they commit in the store's write batches (one commit each at most,
// shared with whatever else is submitted meanwhile) and survive a reopen.
TEST_P(CredentialStoreTest, ConcurrentClaimsAcceptEachStepOnceAndCommitInWriteBatches) {
  constexpr int kUsers = 8;
  for (int u = 0; u < kUsers; ++u) {
    ASSERT_TRUE(credentials().SetTotpKey("user" + std::to_string(u), "key", "SHA1").ok());
  }
  const std::optional<uint64_t> commits_before = store_->LocalCommitCount();
  std::atomic<int> accepted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 2 * kUsers; ++t) {  // two threads claim each user's step 7
    threads.emplace_back([&, t] {
      const core::Result<bool> claimed =
          credentials().ClaimTotpStep("user" + std::to_string(t % kUsers), 7);
      ASSERT_TRUE(claimed.ok()) << claimed.status();
      if (*claimed) ++accepted;
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(accepted, kUsers);
  if (!use_memory_store_) {
    // Every claim went through the group commit, none as a write of its own.
    EXPECT_GE(*store_->LocalCommitCount() - *commits_before, 1u);
    EXPECT_LE(*store_->LocalCommitCount() - *commits_before, static_cast<uint64_t>(2 * kUsers));
    Reopen();
  }
  for (int u = 0; u < kUsers; ++u) {
    EXPECT_EQ((*credentials().FindUserSecrets("user" + std::to_string(u)))->totp_last_step, 7);
    EXPECT_EQ(*credentials().ClaimTotpStep("user" + std::to_string(u), 7), false);
  }
}

TEST_P(CredentialStoreTest, TokensArePutFoundRevokedOnceAndListed) {
  const ApiTokenRecord a{"t1", "tanaka", std::string(64, 'a'), "auditor", 100, 200, {}};
  const ApiTokenRecord b{"t2", "sato", std::string(64, 'b'), "tpe:ORG-7 auditor", 100, 300, {}};
  ASSERT_TRUE(credentials().PutToken(a).ok());
  ASSERT_TRUE(credentials().PutToken(b).ok());
  EXPECT_EQ(credentials().PutToken(a).code(), core::StatusCode::kAlreadyExists);
  EXPECT_EQ(**credentials().FindToken("t2"), b);
  EXPECT_EQ(*credentials().FindToken("t3"), std::nullopt);
  EXPECT_EQ(*credentials().RevokeToken("t1", 150), true);
  EXPECT_EQ(*credentials().RevokeToken("t1", 160), false);
  EXPECT_EQ(credentials().RevokeToken("t3", 160).status().code(), core::StatusCode::kNotFound);
  if (!use_memory_store_) Reopen();
  EXPECT_EQ((*credentials().FindToken("t1"))->revoked_at_s, 150);
  EXPECT_EQ(credentials().ListTokens("sato")->size(), 1u);
  EXPECT_EQ(credentials().ListTokens("")->size(), 2u);
}

TEST_P(CredentialStoreTest, IdentityEventsAreTheirOwnFamily) {
  core::Record body;
  body.Add("user", "tanaka");
  const auto first = Must(ledger::AppendEvent{"identity.user_created", body, "", 0});
  ASSERT_FALSE(first.rejection);
  // A cycle event in between does not move identity's family head, nor the other way round.
  ASSERT_FALSE(Must(ledger::AppendEvent{"cycle.test", body, "", 0}).rejection);
  body.Add("role", "auditor");
  ASSERT_FALSE(
      Must(ledger::AppendEvent{"identity.role_granted", body, "", first.entry.seq}).rejection);
  const auto stale = Must(ledger::AppendEvent{"identity.role_revoked", body, "", first.entry.seq});
  ASSERT_TRUE(stale.rejection);
  EXPECT_EQ(stale.rejection->check, ledger::CheckCode::kEventFamilyMoved);
  EXPECT_EQ(
      store_->Submit(ledger::AppendEvent{"identityx.user_created", body, "", -1}).status().code(),
      core::StatusCode::kInvalidArgument);
  ExpectAuditClean();
}

}  // namespace
}  // namespace jcm::store
