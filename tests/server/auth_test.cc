// Auth over a real SQLite store with a clock the test moves: the session's idle timeout (15 min,
// renewed by each use) and absolute timeout (8 h), the clock's text as Unix seconds, and the
// access-log user. The socket-level behaviour is in signin_test.py.
#include "server/auth.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <ctime>

#include "store/testing/ledger_fixture.h"

namespace jcm::server {
namespace {

namespace bj = boost::json;

// Shows the Unix second the test sets.
class MovableClock : public store::Clock {
 public:
  std::string NowUtc() override {
    const std::time_t seconds = now_s;
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return buf;
  }
  int64_t now_s = 1'795'000'000;  // 2026-11-18
};

constexpr std::string_view kPassword = "Kiso-Fuji-2027!";

class AuthTest : public store::LedgerFixture {
 protected:
  void SetUp() override {
    LedgerFixture::SetUp();
    service::IdentityService identity(*store_);
    ASSERT_TRUE(identity.CreateUser("reader", "test").ok());
    ASSERT_TRUE(identity.SetPassword("reader", std::string(kPassword), "test").ok());
    ASSERT_TRUE(identity.GrantRole("reader", "auditor", "test").ok());
    auth_.emplace(*store_, clock_, [](const HttpRequest&, const RequestContext& context) {
      HttpResponse response;
      response.body = context.principal.user;  // who the routing was handed
      return response;
    });
  }

  HttpResponse Send(const std::string& method, const std::string& target, std::string body = "",
                    HeaderList headers = {}) {
    headers.emplace_back("Content-Type", "application/json");
    return auth_->Handle(HttpRequest{method, target, std::move(headers), std::move(body)},
                         RequestContext{"rid", {}, false});
  }
  // Signs reader in: the Cookie header's value.
  std::string SignIn() {
    const HttpResponse response =
        Send("POST", "/api/v1/session",
             R"({"user":"reader","password":")" + std::string(kPassword) + R"("})");
    EXPECT_EQ(response.status, 201) << response.body;
    EXPECT_EQ(response.log_user, "reader");
    for (const auto& [name, value] : response.headers) {
      if (name == "Set-Cookie") return value.substr(0, value.find(';'));
    }
    ADD_FAILURE() << "no Set-Cookie";
    return "";
  }
  int MeStatus(const std::string& cookie) {
    return Send("GET", "/api/v1/me", "", {{"cookie", cookie}}).status;
  }

  MovableClock clock_;
  std::optional<Auth> auth_;
};

TEST(UnixSecondsTest, ReadsTheClocksText) {
  EXPECT_EQ(UnixSeconds("1970-01-01T00:00:00Z").value(), 0);
  EXPECT_EQ(UnixSeconds("2026-11-30T07:22:47Z").value(), 1'796'023'367);
  EXPECT_FALSE(UnixSeconds("2026-11-30").ok());
  EXPECT_FALSE(UnixSeconds("2026-11-30Tab:22:47Z").ok());
}

TEST_F(AuthTest, IdleTimeoutIsRenewedByEachUse) {
  const std::string cookie = SignIn();
  for (int i = 0; i < 4; ++i) {  // an hour of use, 14 min apart
    clock_.now_s += kSessionIdle_s - 60;
    EXPECT_EQ(MeStatus(cookie), 200) << i;
  }
  clock_.now_s += kSessionIdle_s;  // 15 min idle
  EXPECT_EQ(MeStatus(cookie), 401);
  EXPECT_EQ(auth_->sessions().size(), 0u);  // the expired session is dropped
}

TEST_F(AuthTest, AbsoluteTimeoutEndsAnActiveSession) {
  const std::string cookie = SignIn();
  const int64_t signed_in_s = clock_.now_s;
  while (clock_.now_s + 600 < signed_in_s + kSessionAbsolute_s) {
    clock_.now_s += 600;
    ASSERT_EQ(MeStatus(cookie), 200) << clock_.now_s - signed_in_s;
  }
  clock_.now_s = signed_in_s + kSessionAbsolute_s;
  EXPECT_EQ(MeStatus(cookie), 401);
}

TEST_F(AuthTest, ThePrincipalReachesTheRoutingAndTheLog) {
  const std::string cookie = SignIn();
  const HttpResponse response = Send("GET", "/api/v1/projects", "", {{"Cookie", cookie}});
  EXPECT_EQ(response.body, "reader");
  EXPECT_EQ(response.log_user, "reader");
  const HttpResponse anonymous = Send("GET", "/api/v1/projects");
  EXPECT_EQ(anonymous.body, "public");
  EXPECT_EQ(anonymous.log_user, "public");
}

TEST_F(AuthTest, TwoSignInsGetDistinctSessionsAndTokens) {
  const HttpResponse first =
      Send("POST", "/api/v1/session",
           R"({"user":"reader","password":")" + std::string(kPassword) + R"("})");
  const HttpResponse second =
      Send("POST", "/api/v1/session",
           R"({"user":"reader","password":")" + std::string(kPassword) + R"("})");
  ASSERT_EQ(first.status, 201);
  ASSERT_EQ(second.status, 201);
  EXPECT_NE(first.headers, second.headers);
  EXPECT_NE(bj::parse(first.body).at("csrf_token"), bj::parse(second.body).at("csrf_token"));
  EXPECT_EQ(auth_->sessions().size(), 2u);
}

}  // namespace
}  // namespace jcm::server
