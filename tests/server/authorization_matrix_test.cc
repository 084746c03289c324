// The authorisation matrix (docs/api.md, "Who may read what"): every route × principal gets
// the status its row says, through the real request pipeline (Auth reads a bearer token made
// by IdentityService, then the Api routes and decides) over a real SQLite store. The
// principals: the public, an authorised representative (AR) of account A, an AR of account B
// (A and B in MN), the registry administrator of JP, an auditor and a system administrator.
//
// Beyond statuses: the account list shows each principal only what it may read, and the
// journal feed publishes every ledger transaction, transfers included (decision 0002), and
// withholds identity.*, account.* and approval.* from everyone but auditors and system
// administrators.
#include <gtest/gtest.h>

#include <array>
#include <boost/json.hpp>
#include <set>

#include "server/api.h"
#include "server/auth.h"
#include "service/approval_service.h"
#include "service/identity_service.h"
#include "store/testing/ledger_fixture.h"

namespace jcm::server {
namespace {

namespace bj = boost::json;

enum Who : size_t { kPublic, kArA, kArB, kAdminJp, kAuditor, kSysAdmin, kWhoCount };
constexpr std::array<std::string_view, kWhoCount> kWhoNames = {"public",   "ar_a",    "ar_b",
                                                               "admin_jp", "auditor", "sysadmin"};

struct Row {
  std::string_view target;  // {A}, {B}, {C} (a JP holding account), {U} (no such account)
  std::array<int, kWhoCount> status;
};

// clang-format off
constexpr Row kMatrix[] = {
    //                                            public AR-A AR-B admJP audit sysad
    {"/healthz",                                  {200,  200,  200,  200,  200,  200}},
    {"/readyz",                                   {200,  200,  200,  200,  200,  200}},
    {"/api/v1/openapi.json",                      {200,  200,  200,  200,  200,  200}},
    {"/api/v1/registries",                        {200,  200,  200,  200,  200,  200}},
    {"/api/v1/registries/MN",                     {200,  200,  200,  200,  200,  200}},
    {"/api/v1/projects",                          {200,  200,  200,  200,  200,  200}},
    {"/api/v1/decisions",                         {200,  200,  200,  200,  200,  200}},
    {"/api/v1/decision-log",                      {200,  200,  200,  200,  200,  200}},
    {"/api/v1/units/MN-1",                        {200,  200,  200,  200,  200,  200}},
    {"/api/v1/journal",                           {200,  200,  200,  200,  200,  200}},
    {"/api/v1/me",                                {401,  200,  200,  200,  200,  200}},
    {"/api/v1/accounts",                          {401,  200,  200,  200,  200,  200}},
    {"/api/v1/accounts?registry=MN&format=csv",   {401,  200,  200,  200,  200,  200}},
    {"/api/v1/accounts/{A}",                      {401,  200,  404,  404,  200,  200}},
    {"/api/v1/accounts/{B}",                      {401,  404,  200,  404,  200,  200}},
    {"/api/v1/accounts/{C}",                      {401,  404,  404,  200,  200,  200}},
    {"/api/v1/accounts/{U}",                      {401,  404,  404,  404,  404,  404}},
    {"/api/v1/accounts/{A}/history",              {401,  200,  404,  404,  200,  200}},
    {"/api/v1/accounts/{B}/history?format=jsonl", {401,  404,  200,  404,  200,  200}},
    {"/api/v1/accounts/{C}/history",              {401,  404,  404,  200,  200,  200}},
};
// clang-format on

class AuthorizationMatrixTest : public store::LedgerFixture {
 protected:
  void SetUp() override {
    LedgerFixture::SetUp();
    account_c_ = OpenHolding("JP", "Nihon Carbon KK");
    // An imported issuance: the fixture's Issue records its decision with an event only the
    // ledger tests write, which the project cycle's replay (the public routes) refuses.
    ledger::TransactionRequest issuance;
    issuance.type = ledger::TransactionType::kIssuance;
    issuance.registry = "MN";
    issuance.project = "MN001";
    issuance.period = "2020-01-01..2020-12-31";
    issuance.targets = {{alice_, 100}};
    issuance.import_source = "issuances.csv";
    issuance.import_line = 2;
    ASSERT_FALSE(Must(issuance).rejection);
    Transfer(alice_, bob_, 30);
    Retire(bob_, 5);
    const std::array<std::string, kWhoCount> roles = {
        "",
        "authorised_representative:" + alice_ + ":initiate",
        "authorised_representative:" + bob_ + ":read_only",
        "registry_administrator:JP",
        "auditor",
        "system_administrator"};
    service::IdentityService identity(*store_);
    const int64_t now_s = UnixSeconds(clock_.NowUtc()).value();
    for (size_t who = kArA; who < kWhoCount; ++who) {
      const std::string name(kWhoNames[who]);
      ASSERT_TRUE(identity.CreateUser(name, "test").ok());
      ASSERT_TRUE(identity.GrantRole(name, roles[who], "test").ok());
      auto token = identity.IssueToken(name, {}, 86'400, now_s, "test");
      ASSERT_TRUE(token.ok() && std::holds_alternative<service::TokenInfo>(*token));
      tokens_[who] = std::get<service::TokenInfo>(*token).token;
    }
    // A failed sign-in, journaled as identity.signin_failed with the name typed.
    ASSERT_TRUE(identity.SignIn("mallory-typed-this", "wrong password!", "", now_s).ok());
    // A four-eyes proposal by AR-A, journaled as approval.proposed with the initiator's name.
    service::ApprovalService approvals(*store_, clock_);
    const auto principal = identity.PrincipalOf(std::string(kWhoNames[kArA]));
    ASSERT_TRUE(principal.ok() && std::holds_alternative<identity::Principal>(*principal));
    approval::ProposedTransaction proposed;
    proposed.from = alice_;
    proposed.to = bob_;
    proposed.quantity = 1;
    const auto proposal =
        approvals.Propose(std::get<identity::Principal>(*principal), proposed, "matrix-proposal");
    ASSERT_TRUE(proposal.ok() && std::holds_alternative<service::ProposalResult>(*proposal));
    api_.emplace(*store_, R"({"openapi":"3.1.0","paths":{}})");
    auth_.emplace(*store_, clock_, [this](const HttpRequest& request, const RequestContext& c) {
      return api_->Handle(request, c);
    });
  }

  std::string Expand(std::string_view pattern) const {
    std::string target(pattern);
    const std::pair<std::string, std::string> names[] = {
        {"{A}", alice_}, {"{B}", bob_}, {"{C}", account_c_}, {"{U}", Unknown()}};
    for (const auto& [name, value] : names) {
      if (const size_t at = target.find(name); at != std::string::npos) {
        target.replace(at, name.size(), value);
      }
    }
    return target;
  }

  HttpResponse Get(Who who, const std::string& target) {
    HeaderList headers;
    if (who != kPublic) headers.emplace_back("Authorization", "Bearer " + tokens_[who]);
    return auth_->Handle(HttpRequest{"GET", target, std::move(headers), ""},
                         RequestContext{"rid", {}, false});
  }

  // The account ids a principal's GET /api/v1/accounts lists.
  std::set<std::string> Listed(Who who, const std::string& query = "") {
    const HttpResponse response = Get(who, "/api/v1/accounts?limit=1000" + query);
    EXPECT_EQ(response.status, 200) << response.body;
    std::set<std::string> ids;
    const bj::value page = bj::parse(response.body);
    for (const bj::value& item : page.at("items").as_array()) {
      ids.insert(std::string(item.at("id").as_string()));
    }
    return ids;
  }

  // The kinds (and transaction types) in a principal's journal feed.
  std::set<std::string> FeedKinds(Who who) {
    const HttpResponse response = Get(who, "/api/v1/journal?limit=1000");
    EXPECT_EQ(response.status, 200) << response.body;
    std::set<std::string> kinds;
    const bj::value feed = bj::parse(response.body);
    for (const bj::value& entry : feed.at("entries").as_array()) {
      std::string kind(entry.at("kind").as_string());
      if (kind == "transaction") {
        for (const bj::value& field : entry.at("fields").as_array()) {
          if (field.as_array()[0] == "type")
            kind += ":" + std::string(field.as_array()[1].as_string());
        }
      }
      kinds.insert(kind);
    }
    return kinds;
  }

  std::string account_c_;
  std::array<std::string, kWhoCount> tokens_;
  std::optional<Api> api_;
  std::optional<Auth> auth_;
};

TEST_F(AuthorizationMatrixTest, EveryRouteAnswersEachPrincipalAsTheTableSays) {
  for (const Row& row : kMatrix) {
    const std::string target = Expand(row.target);
    for (size_t who = 0; who < kWhoCount; ++who) {
      const HttpResponse response = Get(static_cast<Who>(who), target);
      EXPECT_EQ(response.status, row.status[who])
          << "GET " << target << " as " << kWhoNames[who] << ": " << response.body;
    }
  }
}

TEST_F(AuthorizationMatrixTest, AnotherAccountIsAnsweredExactlyLikeAMissingOne) {
  const auto detail_of = [](const HttpResponse& response) {
    bj::object problem = bj::parse(response.body).as_object();
    return std::pair{std::string(problem.at("code").as_string()),
                     std::string(problem.at("detail").as_string())};
  };
  const HttpResponse others = Get(kArA, "/api/v1/accounts/" + bob_);
  const HttpResponse missing = Get(kArA, "/api/v1/accounts/" + Unknown());
  EXPECT_EQ(detail_of(others).first, "not_found");
  EXPECT_EQ(detail_of(others).second, "no account " + bob_);
  EXPECT_EQ(detail_of(missing).second, "no account " + Unknown());
  EXPECT_EQ(others.body.find("Bob Solar"), std::string::npos);
}

TEST_F(AuthorizationMatrixTest, EachPrincipalListsOnlyTheAccountsItMayRead) {
  EXPECT_EQ(Listed(kArA), std::set<std::string>{alice_});
  EXPECT_EQ(Listed(kArB), std::set<std::string>{bob_});
  const std::set<std::string> jp = Listed(kAdminJp);
  EXPECT_EQ(jp.size(), 4u);  // JP's three government accounts and C
  EXPECT_TRUE(jp.contains(account_c_));
  for (const std::string& id : jp) EXPECT_TRUE(id.starts_with("JP-")) << id;
  EXPECT_TRUE(Listed(kAdminJp, "&registry=MN").empty());
  const std::set<std::string> all = Listed(kAuditor);
  EXPECT_EQ(all, Listed(kSysAdmin));
  EXPECT_TRUE(all.contains(alice_) && all.contains(bob_) && all.contains(account_c_));
  EXPECT_EQ(all.size(), 3u * 3u + 4u);  // 3 registries × 3 government accounts, 4 holdings
}

TEST_F(AuthorizationMatrixTest, HoldingsAndHistoryShowTheAccountsOwnTransactions) {
  const bj::value account = bj::parse(Get(kArB, "/api/v1/accounts/" + bob_).body);
  EXPECT_EQ(account.at("id").as_string(), bob_);
  EXPECT_EQ(account.at("total").as_int64(), 25);
  ASSERT_EQ(account.at("blocks").as_array().size(), 1u);
  const bj::value history = bj::parse(Get(kArB, "/api/v1/accounts/" + bob_ + "/history").body);
  std::vector<std::string> types;
  for (const bj::value& entry : history.at("items").as_array()) {
    for (const bj::value& field : entry.at("fields").as_array()) {
      if (field.as_array()[0] == "type") types.emplace_back(field.as_array()[1].as_string());
    }
  }
  EXPECT_EQ(types, (std::vector<std::string>{"transfer", "retirement"}));  // not the issuance
  // One per page: the cursor leads to the second and last.
  const bj::value first =
      bj::parse(Get(kArB, "/api/v1/accounts/" + bob_ + "/history?limit=1").body);
  ASSERT_TRUE(first.at("next").is_string());
  const bj::value second =
      bj::parse(Get(kArB, "/api/v1/accounts/" + bob_ + "/history?limit=1&cursor=" +
                              std::string(first.at("next").as_string()))
                    .body);
  EXPECT_EQ(second.at("items").as_array().size(), 1u);
  EXPECT_TRUE(second.at("next").is_null());
}

TEST_F(AuthorizationMatrixTest, ThePublicFeedPublishesTransfersAndWithholdsPeople) {
  const std::set<std::string> whole = FeedKinds(kAuditor);
  EXPECT_TRUE(whole.contains("identity.signin_failed"));
  EXPECT_TRUE(whole.contains("identity.role_granted"));
  EXPECT_TRUE(whole.contains("account.open"));
  EXPECT_TRUE(whole.contains("approval.proposed"));
  EXPECT_TRUE(whole.contains("transaction:transfer"));
  EXPECT_EQ(FeedKinds(kSysAdmin), whole);
  for (const Who who : {kPublic, kArA, kArB, kAdminJp}) {
    const std::set<std::string> kinds = FeedKinds(who);
    for (const std::string& kind : kinds) {
      EXPECT_TRUE(kind.starts_with("registry.") || kind.starts_with("cycle.") ||
                  kind.starts_with("article6.") || kind == "transaction:issuance" ||
                  kind == "transaction:transfer" || kind == "transaction:retirement" ||
                  kind == "transaction:cancellation")
          << kWhoNames[who] << " sees " << kind;
    }
    // Every step of a credit's lineage is public (decision 0002): verify-public needs them.
    EXPECT_TRUE(kinds.contains("transaction:issuance") && kinds.contains("transaction:transfer") &&
                kinds.contains("transaction:retirement"))
        << kWhoNames[who];
  }
  const HttpResponse feed = Get(kPublic, "/api/v1/journal?limit=1000");
  EXPECT_EQ(feed.body.find("mallory-typed-this"), std::string::npos);  // identity.*
  EXPECT_EQ(feed.body.find("Bob Solar"), std::string::npos);           // account.*
  EXPECT_EQ(feed.body.find("matrix-proposal"), std::string::npos);     // approval.*
}

TEST_F(AuthorizationMatrixTest, APublicPageSkipsWithheldEntriesAndStillAdvances) {
  // Page by one entry: withheld entries give empty pages whose next_since still moves on, so a
  // client reading on reaches the end having seen only public entries.
  int64_t since = 0;
  int pages = 0;
  bool more = true;
  while (more && pages < 1000) {
    const bj::value page =
        bj::parse(Get(kPublic, "/api/v1/journal?limit=1&since=" + std::to_string(since)).body);
    EXPECT_GT(page.at("next_since").as_int64(), since);
    since = page.at("next_since").as_int64();
    more = page.at("more").as_bool();
    ++pages;
  }
  EXPECT_FALSE(more);
  EXPECT_EQ(since, store_->ReadJournal(1).value().back().seq);
}

}  // namespace
}  // namespace jcm::server
