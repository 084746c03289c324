// The credential store (store/credential_store.h) through both adapters, and identity events in
// the journal: the same calls give the same answers in memory and in SQLite, and SQLite keeps
// them across a reopen.
#include <gtest/gtest.h>

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
