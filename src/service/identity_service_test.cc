// IdentityService against both stores: users, passwords, TOTP, lockout, tokens, and the journal
// that records them without a secret.
#include "service/identity_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <thread>
#include <vector>

#include "identity/totp.h"
#include "service/service_fixture_test.h"
#include "store/testing/forwarding_store.h"

namespace jcm::service {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr int64_t kNow = 1'800'000'000;  // 2027-01-15, a step boundary is at every 30 s
const std::string kPassword = "Kiso-Fuji-2027!";

template <typename T>
const T& Accepted(const core::Result<OrRejection<T>>& result) {
  EXPECT_TRUE(result.ok()) << result.status();
  const T* value = result.ok() ? std::get_if<T>(&*result) : nullptr;
  if (value == nullptr && result.ok()) {
    const Rejection& r = std::get<Rejection>(*result);
    ADD_FAILURE() << "rejected by " << r.check << " " << r.name << ": " << r.message;
  }
  static const T kEmpty{};
  return value != nullptr ? *value : kEmpty;
}

template <typename T>
int CheckOf(const core::Result<OrRejection<T>>& result) {
  if (!result.ok() || !std::holds_alternative<Rejection>(*result)) return 0;
  return std::get<Rejection>(*result).check;
}

class IdentityServiceTest : public StoreTest {
 protected:
  IdentityService& service() {
    if (!service_) service_ = std::make_unique<IdentityService>(*store_);
    return *service_;
  }
  // A user with the password, the roles and (when asked) TOTP; returns the TOTP key.
  std::string AddUser(const std::string& name, std::initializer_list<std::string> roles,
                      bool totp) {
    Accepted(service().CreateUser(name, "operator"));
    Accepted(service().SetPassword(name, kPassword, "operator"));
    for (const std::string& role : roles) Accepted(service().GrantRole(name, role, "operator"));
    if (!totp) return "";
    const TotpEnrollment enrollment = Accepted(service().EnrollTotp(name, "operator"));
    return *identity::Base32Decode(enrollment.secret_base32);
  }
  std::vector<ledger::JournalEntry> IdentityEntries() {
    return *store_->ReadJournal(1, "identity.");
  }

  std::unique_ptr<IdentityService> service_;
};

INSTANTIATE_TEST_SUITE_P(Stores, IdentityServiceTest,
                         ::testing::Values(StoreKind::kMemory, StoreKind::kSqlite), StoreKindName);

TEST_P(IdentityServiceTest, CreatesUsersOnceWithValidNames) {
  EXPECT_EQ(Accepted(service().CreateUser("tanaka", "operator")).name, "tanaka");
  EXPECT_EQ(CheckOf(service().CreateUser("tanaka", "operator")), 341);
  EXPECT_EQ(CheckOf(service().CreateUser("Tanaka San", "operator")), 340);
  // Another service on the same store (another process) replays the user from the journal.
  IdentityService other(*store_);
  EXPECT_EQ(CheckOf(other.CreateUser("tanaka", "operator")), 341);
  const auto users = other.ListUsers(kNow);
  ASSERT_TRUE(users.ok());
  ASSERT_EQ(users->size(), 1u);
  EXPECT_EQ(users->at(0).created_seq, IdentityEntries().at(0).seq);
}

TEST_P(IdentityServiceTest, AStaleCacheDecidesAgainAfterAnotherProcessChangedUsers) {
  IdentityService first(*store_);
  IdentityService second(*store_);
  Accepted(first.CreateUser("sato", "operator"));
  Accepted(second.CreateUser("suzuki", "operator"));  // second's cache predates "sato"
  Accepted(first.GrantRole("suzuki", "auditor", "operator"));
  EXPECT_EQ(CheckOf(second.GrantRole("suzuki", "auditor", "operator")), 343);
}

// Services sharing one IdentityReplay (as `jcm serve`'s requests do): each name is created by
// two threads at once, one of which then grants it a role. A decision's lock expects the head of
// the replay it read, not the head another thread moved the shared replay to meanwhile, so each
// name is created exactly once (the other creation answers 341) and a fresh replay reads every
// user with its role.
TEST_P(IdentityServiceTest, ServicesSharingOneReplayCreateEachUserOnce) {
  constexpr int kNames = 6;
  auto replay = std::make_shared<IdentityReplay>();
  std::vector<core::Result<OrRejection<UserSummary>>> created(2 * kNames,
                                                              core::Internal("not run"));
  std::vector<std::thread> threads;
  for (size_t i = 0; i < 2 * kNames; ++i) {
    threads.emplace_back([&, i] {
      IdentityService mine(*store_, replay);
      const std::string name = "user" + std::to_string(i % kNames);
      // "try again" (Unavailable) is the answer when the users kept changing: a client retries.
      for (int attempt = 0; attempt < 100; ++attempt) {
        created[i] = mine.CreateUser(name, "operator");
        if (created[i].status().code() != core::StatusCode::kUnavailable) break;
      }
      if (i >= kNames) return;
      // Granted once the user exists, whichever thread created it.
      for (int attempt = 0; attempt < 1000; ++attempt) {
        auto granted = mine.GrantRole(name, "auditor", "operator");
        if (granted.ok() && CheckOf(granted) != 342) break;
        std::this_thread::yield();
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (size_t i = 0; i < kNames; ++i) {
    ASSERT_TRUE(created[i].ok() && created[i + kNames].ok())
        << i << ": " << created[i].status() << " / " << created[i + kNames].status();
    EXPECT_EQ(CheckOf(created[i]) + CheckOf(created[i + kNames]), 341) << "user" << i;
  }
  int creations = 0;
  for (const ledger::JournalEntry& entry : IdentityEntries()) {
    creations += entry.kind == identity::kEventUserCreated ? 1 : 0;
  }
  EXPECT_EQ(creations, kNames);
  const std::vector<UserSummary> users = *IdentityService(*store_).ListUsers(kNow);
  ASSERT_EQ(users.size(), static_cast<size_t>(kNames));
  for (const UserSummary& user : users) {
    EXPECT_EQ(user.roles, std::vector<std::string>{"auditor"}) << user.name;
  }
}

TEST_P(IdentityServiceTest, SetPasswordAppliesThePolicy) {
  Accepted(service().CreateUser("tanaka", "operator"));
  EXPECT_EQ(CheckOf(service().SetPassword("nobody", kPassword, "operator")), 342);
  EXPECT_EQ(CheckOf(service().SetPassword("tanaka", "short-pw", "operator")), 300);
  EXPECT_EQ(CheckOf(service().SetPassword("tanaka", "1qaz2wsx3edc", "operator")), 301);
  EXPECT_EQ(CheckOf(service().SetPassword("tanaka", "i-am-tanaka-2027", "operator")), 302);
  EXPECT_TRUE(Accepted(service().SetPassword("tanaka", kPassword, "operator")).has_password);
}

TEST_P(IdentityServiceTest, TheJournalRecordsEveryEventAndNoSecret) {
  const std::string key = AddUser("tanaka", {"tpe:ORG-7"}, true);
  const TokenInfo token = Accepted(service().IssueToken("tanaka", {}, 3600, kNow, "operator"));
  Accepted(service().SignIn("tanaka", kPassword,
                            identity::TotpAt(key, kNow, identity::kTotpAlgorithm), kNow));
  (void)service().SignIn("tanaka", "wrong password!", "", kNow + 60);
  const auto secrets = *store_->Credentials().FindUserSecrets("tanaka");
  std::vector<std::string> kinds;
  for (const ledger::JournalEntry& entry : IdentityEntries()) {
    kinds.push_back(entry.kind);
    const std::string body = entry.body.Encode();
    for (const std::string& secret : {kPassword, secrets->password_phc, identity::Base32Encode(key),
                                      token.token, token.token.substr(21)}) {
      EXPECT_EQ(body.find(secret), std::string::npos) << entry.kind << " carries a secret";
    }
  }
  EXPECT_THAT(kinds, ::testing::ElementsAre("identity.user_created", "identity.password_set",
                                            "identity.role_granted", "identity.totp_enrolled",
                                            "identity.token_issued", "identity.signin_succeeded",
                                            "identity.signin_failed"));
}

TEST_P(IdentityServiceTest, UnknownUserAndWrongPasswordGetTheSameAnswer) {
  AddUser("auditor1", {"auditor"}, false);
  const auto unknown = service().SignIn("nobody", kPassword, "", kNow);
  // A name that is no user is journaled as typed, at most 128 bytes of it.
  EXPECT_EQ(CheckOf(service().SignIn(std::string(1000, 'x'), kPassword, "", kNow)), 310);
  EXPECT_EQ(*IdentityEntries().back().body.Get("user"), std::string(128, 'x'));
  const auto wrong = service().SignIn("auditor1", "not the password", "", kNow);
  ASSERT_EQ(CheckOf(unknown), 310);
  ASSERT_EQ(CheckOf(wrong), 310);
  EXPECT_EQ(std::get<Rejection>(*unknown), std::get<Rejection>(*wrong));
  // An auditor changes nothing: no TOTP needed.
  const identity::Principal principal = Accepted(service().SignIn("auditor1", kPassword, "", kNow));
  EXPECT_EQ(principal.user, "auditor1");
  ASSERT_EQ(principal.roles.size(), 1u);
  EXPECT_EQ(principal.roles[0].ToText(), "auditor");
}

TEST_P(IdentityServiceTest, AUserWhoMayChangeAnythingNeedsTotpAndEachCodeWorksOnce) {
  AddUser("ar1", {"authorised_representative:JP-121-0000007-11:approve"}, false);
  EXPECT_EQ(CheckOf(service().SignIn("ar1", kPassword, "", kNow)), 312);
  const TotpEnrollment enrollment = Accepted(service().EnrollTotp("ar1", "operator"));
  EXPECT_THAT(enrollment.otpauth_uri, StartsWith("otpauth://totp/JCM%20Registry:ar1?secret="));
  const std::string key = *identity::Base32Decode(enrollment.secret_base32);
  EXPECT_EQ(key.size(), 32u);
  const std::string code = identity::TotpAt(key, kNow, identity::TotpAlgorithm::kSha256);
  const std::string wrong = code == "000000" ? "111111" : "000000";
  EXPECT_EQ(CheckOf(service().SignIn("ar1", kPassword, wrong, kNow)), 313);
  Accepted(service().SignIn("ar1", kPassword, code, kNow));
  EXPECT_EQ(CheckOf(service().SignIn("ar1", kPassword, code, kNow + 10)), 314);
  // The code of the next step works, also from another service (the step is in the store).
  IdentityService other(*store_);
  Accepted(other.SignIn("ar1", kPassword,
                        identity::TotpAt(key, kNow + 30, identity::TotpAlgorithm::kSha256),
                        kNow + 30));
}

TEST_P(IdentityServiceTest, FiveFailuresLockFor900SecondsEvenTheRightPassword) {
  AddUser("auditor1", {"auditor"}, false);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(CheckOf(service().SignIn("auditor1", "not the password", "", kNow + i)), 310);
  }
  const auto locked = service().SignIn("auditor1", kPassword, "", kNow + 10);
  ASSERT_EQ(CheckOf(locked), 311);
  EXPECT_THAT(std::get<Rejection>(*locked).message, HasSubstr(std::to_string(kNow + 4 + 900)));
  int locks = 0;
  for (const ledger::JournalEntry& entry : IdentityEntries()) {
    if (entry.kind != "identity.locked") continue;
    ++locks;
    EXPECT_EQ(*entry.body.GetInt("until"), kNow + 4 + 900);
  }
  EXPECT_EQ(locks, 1);
  const auto users = *service().ListUsers(kNow + 10);
  EXPECT_EQ(users.at(0).locked_until_s, kNow + 4 + 900);
  EXPECT_EQ(CheckOf(service().SignIn("auditor1", kPassword, "", kNow + 4 + 899)), 311);
  Accepted(service().SignIn("auditor1", kPassword, "", kNow + 4 + 900));
  EXPECT_EQ(service().ListUsers(kNow + 905)->at(0).consecutive_failures, 0);
}

TEST_P(IdentityServiceTest, TheTotpThatSignsAnApprovalIsCheckedAndCounted) {
  const std::string key =
      AddUser("ar1", {"authorised_representative:JP-121-0000007-11:approve"}, true);
  const std::string code = identity::TotpAt(key, kNow, identity::kTotpAlgorithm);
  EXPECT_EQ(Accepted(service().VerifyTotpForSigning("ar1", code, kNow)), kNow / 30);
  EXPECT_EQ(CheckOf(service().VerifyTotpForSigning("ar1", code, kNow + 1)), 314);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(CheckOf(service().VerifyTotpForSigning("ar1", "bad", kNow + 2 + i)), 313);
  }
  // Five failures in a row (the replay and four wrong codes): locked.
  const std::string next = identity::TotpAt(key, kNow + 30, identity::kTotpAlgorithm);
  EXPECT_EQ(CheckOf(service().VerifyTotpForSigning("ar1", next, kNow + 30)), 311);
  AddUser("aud", {"auditor"}, false);
  EXPECT_EQ(CheckOf(service().VerifyTotpForSigning("aud", "123456", kNow)), 312);
  EXPECT_EQ(CheckOf(service().VerifyTotpForSigning("nobody", "123456", kNow)), 310);
}

TEST_P(IdentityServiceTest, TokensStandForTheirScopeUntilExpiryOrRevocation) {
  const std::string ar = "authorised_representative:JP-121-0000007-11:read_only";
  AddUser("bot", {"auditor", ar}, false);
  EXPECT_EQ(CheckOf(service().IssueToken("bot", {"tpe:ORG-7"}, 3600, kNow, "operator")), 345);
  EXPECT_EQ(CheckOf(service().IssueToken("bot", {}, 0, kNow, "operator")), 346);
  EXPECT_EQ(CheckOf(service().IssueToken("bot", {}, kTokenLifetimeMax_s + 1, kNow, "op")), 346);
  EXPECT_EQ(CheckOf(service().IssueToken("ghost", {}, 3600, kNow, "operator")), 342);
  const TokenInfo issued = Accepted(service().IssueToken("bot", {ar}, 3600, kNow, "operator"));
  EXPECT_THAT(issued.token, StartsWith("jcm_" + issued.id + "_"));
  const identity::Principal principal =
      Accepted(service().AuthenticateToken(issued.token, kNow + 1));
  EXPECT_EQ(principal.user, "bot");
  ASSERT_EQ(principal.roles.size(), 1u);
  EXPECT_EQ(principal.roles[0].ToText(), ar);
  // The secret is stored hashed: a listed token has no secret.
  EXPECT_EQ(service().ListTokens("bot")->at(0).token, "");
  // Tampered, expired: one answer.
  std::string tampered = issued.token;
  tampered.back() = tampered.back() == '0' ? '1' : '0';
  EXPECT_EQ(CheckOf(service().AuthenticateToken(tampered, kNow + 1)), 320);
  EXPECT_EQ(CheckOf(service().AuthenticateToken("jcm_nonsense", kNow + 1)), 320);
  EXPECT_EQ(CheckOf(service().AuthenticateToken(issued.token, kNow + 3600)), 320);
  // A role revoked from the user leaves the token's principal.
  Accepted(service().RevokeRole("bot", ar, "operator"));
  EXPECT_TRUE(Accepted(service().AuthenticateToken(issued.token, kNow + 2)).roles.empty());
  // Revoked: refused; revoking again answers the same revocation.
  EXPECT_EQ(Accepted(service().RevokeToken(issued.id, kNow + 5, "operator")).revoked_at_s,
            kNow + 5);
  EXPECT_EQ(CheckOf(service().AuthenticateToken(issued.token, kNow + 6)), 320);
  EXPECT_EQ(Accepted(service().RevokeToken(issued.id, kNow + 9, "operator")).revoked_at_s,
            kNow + 5);
  EXPECT_EQ(CheckOf(service().RevokeToken("0000000000000000", kNow, "operator")), 320);
}

// Counts the reads of token rows.
class CountingCredentials : public store::CredentialStore {
 public:
  explicit CountingCredentials(store::CredentialStore& inner) : inner_(inner) {}
  core::Result<std::optional<store::UserSecrets>> FindUserSecrets(const std::string& u) override {
    return inner_.FindUserSecrets(u);
  }
  core::Status SetPasswordHash(const std::string& u, const std::string& phc) override {
    return inner_.SetPasswordHash(u, phc);
  }
  core::Status SetTotpKey(const std::string& u, const std::string& key,
                          const std::string& algorithm) override {
    return inner_.SetTotpKey(u, key, algorithm);
  }
  core::Result<bool> ClaimTotpStep(const std::string& u, int64_t step) override {
    return inner_.ClaimTotpStep(u, step);
  }
  core::Status PutToken(const store::ApiTokenRecord& token) override {
    return inner_.PutToken(token);
  }
  core::Result<std::optional<store::ApiTokenRecord>> FindToken(const std::string& id) override {
    ++finds;
    return inner_.FindToken(id);
  }
  core::Result<bool> RevokeToken(const std::string& id, int64_t at_s) override {
    return inner_.RevokeToken(id, at_s);
  }
  core::Result<std::vector<store::ApiTokenRecord>> ListTokens(const std::string& u) override {
    return inner_.ListTokens(u);
  }
  int finds = 0;

 private:
  store::CredentialStore& inner_;
};

// INV-73: services sharing a replay (`jcm serve`) read a token's row once, and still refuse it
// from the moment its revocation is journaled — by another process, or by one that stopped
// before the row recorded it.
TEST_P(IdentityServiceTest, AKeptTokenIsRefusedOnceItsRevocationIsJournaledAnywhere) {
  AddUser("bot", {"auditor"}, false);
  struct CountingStore : store::testing::ForwardingStore {
    CountingStore(store::Store& inner) : ForwardingStore(inner), credentials(inner.Credentials()) {}
    store::CredentialStore& Credentials() override { return credentials; }
    CountingCredentials credentials;
  } counting(*store_);
  auto shared = std::make_shared<IdentityReplay>();
  const TokenInfo first = Accepted(service().IssueToken("bot", {}, 3600, kNow, "operator"));
  const TokenInfo second = Accepted(service().IssueToken("bot", {}, 3600, kNow, "operator"));
  for (int request = 0; request < 3; ++request) {
    IdentityService serving(counting, shared);
    EXPECT_EQ(Accepted(serving.AuthenticateToken(first.token, kNow + 1)).user, "bot");
    EXPECT_EQ(Accepted(serving.AuthenticateToken(second.token, kNow + 1)).user, "bot");
  }
  EXPECT_EQ(counting.credentials.finds, 2) << "each row read once";
  // Revoked by another process (a service with its own replay).
  Accepted(IdentityService(*store_).RevokeToken(first.id, kNow + 2, "operator"));
  EXPECT_EQ(CheckOf(IdentityService(counting, shared).AuthenticateToken(first.token, kNow + 3)),
            320);
  // Journaled by a process that stopped before writing the row: the row still says valid.
  core::Record body;
  body.Add("user", "bot").Add("token", second.id);
  ASSERT_FALSE(
      store_->Submit(ledger::AppendEvent{std::string(identity::kEventTokenRevoked), body, "", -1})
          ->rejection);
  EXPECT_FALSE((*store_->Credentials().FindToken(second.id))->revoked_at_s);
  EXPECT_EQ(CheckOf(IdentityService(counting, shared).AuthenticateToken(second.token, kNow + 3)),
            320);
  EXPECT_EQ(CheckOf(IdentityService(*store_).AuthenticateToken(second.token, kNow + 3)), 320);
  // Revoking it again records it in the row, without a second event.
  EXPECT_EQ(Accepted(service().RevokeToken(second.id, kNow + 4, "operator")).revoked_at_s,
            kNow + 4);
  int revocations = 0;
  for (const ledger::JournalEntry& entry : IdentityEntries()) {
    revocations += entry.kind == identity::kEventTokenRevoked ? 1 : 0;
  }
  EXPECT_EQ(revocations, 2);
}

TEST_P(IdentityServiceTest, CheckAuthorizedAnswers330) {
  const identity::Principal nobody;
  const auto refused = IdentityService::CheckAuthorized(nobody, identity::Action::kManageUsers,
                                                        identity::Resource{});
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->check, 330);
  EXPECT_EQ(refused->name, "not_authorized");
  EXPECT_FALSE(IdentityService::CheckAuthorized(nobody, identity::Action::kReadPublic, {}));
}

}  // namespace
}  // namespace jcm::service
