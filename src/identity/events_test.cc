#include "identity/events.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/testing/status_matchers.h"

namespace jcm::identity {
namespace {

using jcm_testing::IsOk;
using jcm_testing::StatusIs;

core::Record Body(std::initializer_list<std::pair<std::string_view, std::string_view>> fields) {
  core::Record body;
  for (const auto& [key, value] : fields) body.Add(key, value);
  return body;
}

TEST(ApplyIdentityEvent, BuildsUsersRolesAndCredentialsFlags) {
  IdentityState state;
  ASSERT_THAT(ApplyIdentityEvent(state, kEventUserCreated, Body({{"user", "tanaka"}}), 3), IsOk());
  ASSERT_THAT(ApplyIdentityEvent(state, kEventRoleGranted,
                                 Body({{"user", "tanaka"}, {"role", "auditor"}}), 4),
              IsOk());
  ASSERT_THAT(ApplyIdentityEvent(state, kEventRoleGranted,
                                 Body({{"user", "tanaka"}, {"role", "tpe:ORG-7"}}), 5),
              IsOk());
  ASSERT_THAT(ApplyIdentityEvent(state, kEventRoleRevoked,
                                 Body({{"user", "tanaka"}, {"role", "auditor"}}), 6),
              IsOk());
  ASSERT_THAT(ApplyIdentityEvent(state, kEventPasswordSet, Body({{"user", "tanaka"}}), 7), IsOk());
  ASSERT_THAT(ApplyIdentityEvent(state, kEventTotpEnrolled, Body({{"user", "tanaka"}}), 8), IsOk());
  const UserState* user = state.Find("tanaka");
  ASSERT_NE(user, nullptr);
  EXPECT_EQ(user->created_seq, 3);
  ASSERT_EQ(user->roles.size(), 1u);
  EXPECT_EQ(user->roles[0].ToText(), "tpe:ORG-7");
  EXPECT_TRUE(user->has_password);
  EXPECT_TRUE(user->totp_enrolled);
  EXPECT_EQ(state.last_seq, 8);
}

TEST(ApplyIdentityEvent, RecordsFailuresUntilASuccessButNotLockedRefusals) {
  IdentityState state;
  ASSERT_THAT(ApplyIdentityEvent(state, kEventUserCreated, Body({{"user", "sato"}}), 1), IsOk());
  const auto fail = [&](std::string_view reason, std::string_view at, int64_t seq) {
    return ApplyIdentityEvent(state, kEventSignInFailed,
                              Body({{"user", "sato"}, {"reason", reason}, {"at", at}}), seq);
  };
  ASSERT_THAT(fail(kReasonPassword, "100", 2), IsOk());
  ASSERT_THAT(fail(kReasonTotp, "101", 3), IsOk());
  ASSERT_THAT(fail(kReasonLocked, "102", 4), IsOk());
  EXPECT_EQ(state.Find("sato")->attempts.size(), 2u);
  ASSERT_THAT(
      ApplyIdentityEvent(state, kEventSignInSucceeded, Body({{"user", "sato"}, {"at", "200"}}), 5),
      IsOk());
  EXPECT_TRUE(state.Find("sato")->attempts.empty());
  // A failure for a name that is no user changes no state.
  ASSERT_THAT(ApplyIdentityEvent(
                  state, kEventSignInFailed,
                  Body({{"user", "nobody"}, {"reason", kReasonUnknownUser}, {"at", "300"}}), 6),
              IsOk());
  EXPECT_EQ(state.Find("nobody"), nullptr);
}

TEST(ApplyIdentityEvent, RefusesAJournalThisProgramDidNotWrite) {
  IdentityState state;
  EXPECT_THAT(ApplyIdentityEvent(state, kEventPasswordSet, Body({{"user", "ghost"}}), 1),
              StatusIs(core::StatusCode::kDataLoss));
  ASSERT_THAT(ApplyIdentityEvent(state, kEventUserCreated, Body({{"user", "ghost"}}), 2), IsOk());
  EXPECT_THAT(ApplyIdentityEvent(state, kEventUserCreated, Body({{"user", "ghost"}}), 3),
              StatusIs(core::StatusCode::kDataLoss));
  EXPECT_THAT(
      ApplyIdentityEvent(state, kEventRoleGranted, Body({{"user", "ghost"}, {"role", "root"}}), 4),
      StatusIs(core::StatusCode::kDataLoss));
  // An unknown kind of a newer program is skipped.
  EXPECT_THAT(ApplyIdentityEvent(state, "identity.webauthn_enrolled", Body({}), 5), IsOk());
  EXPECT_EQ(state.last_seq, 5);
}

// INV-73: a journaled revocation is state, whatever the credential store's row says.
TEST(ApplyIdentityEvent, RecordsRevokedTokensAndRefusesARevocationWithoutItsToken) {
  IdentityState state;
  ASSERT_THAT(ApplyIdentityEvent(state, kEventUserCreated, Body({{"user", "bot"}}), 1), IsOk());
  ASSERT_THAT(ApplyIdentityEvent(state, kEventTokenIssued,
                                 Body({{"user", "bot"}, {"token", "00aa00aa00aa00aa"}}), 2),
              IsOk());
  EXPECT_TRUE(state.revoked_tokens.empty());
  ASSERT_THAT(ApplyIdentityEvent(state, kEventTokenRevoked,
                                 Body({{"user", "bot"}, {"token", "00aa00aa00aa00aa"}}), 3),
              IsOk());
  EXPECT_TRUE(state.revoked_tokens.contains("00aa00aa00aa00aa"));
  EXPECT_THAT(ApplyIdentityEvent(state, kEventTokenRevoked, Body({{"user", "bot"}}), 4),
              StatusIs(core::StatusCode::kDataLoss));
}

TEST(IsValidUserName, AllowsLowerCaseLettersDigitsAndSeparators) {
  for (const char* ok : {"tanaka", "k.tanaka", "ar_01", "jp-admin", "abc"}) {
    EXPECT_TRUE(IsValidUserName(ok)) << ok;
  }
  for (const char* bad : {"", "ab", "Tanaka", ".tanaka", "-x-", "ta naka", "tanaka@jp"}) {
    EXPECT_FALSE(IsValidUserName(bad)) << bad;
  }
  EXPECT_TRUE(IsValidUserName(std::string(64, 'a')));
  EXPECT_FALSE(IsValidUserName(std::string(65, 'a')));
}

}  // namespace
}  // namespace jcm::identity
