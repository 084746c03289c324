// The API's request pipeline without a socket: routing, the problem documents, the limits of a
// target and of pagination, and the public read endpoints over a real SQLite store.
#include "server/api.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "server/access_log.h"
#include "server/problem.h"
#include "server/request_target.h"
#include "store/testing/ledger_fixture.h"

namespace jcm::server {
namespace {

namespace bj = boost::json;

class ApiTest : public store::LedgerFixture {
 protected:
  HttpResponse Get(const std::string& target) {
    Api api(*store_, R"({"openapi":"3.1.0","paths":{}})");
    return api.Handle(HttpRequest{"GET", target, {}, ""}, RequestContext{"rid-1", {}, false});
  }
  static bj::object Body(const HttpResponse& response) {
    return bj::parse(response.body).as_object();
  }
  // The problem's status and code, checking the shape every problem shares.
  static void ExpectProblem(const HttpResponse& response, int status, std::string_view code) {
    EXPECT_EQ(response.status, status) << response.body;
    EXPECT_EQ(response.content_type, "application/problem+json");
    const bj::object problem = Body(response);
    EXPECT_EQ(problem.at("status").as_int64(), status);
    EXPECT_EQ(problem.at("code").as_string(), code);
    EXPECT_EQ(problem.at("type").as_string(), "urn:jcm:problem:" + std::string(code));
    EXPECT_EQ(problem.at("request_id").as_string(), "rid-1");
  }
};

TEST_F(ApiTest, UnknownRouteIsA404Problem) {
  ExpectProblem(Get("/api/v1/nothing"), 404, "unknown_route");
  ExpectProblem(Get("/api/v1/projects/"), 404, "unknown_route");  // an empty {id}
}

TEST_F(ApiTest, WrongMethodIs405WithAllow) {
  Api api(*store_, "{}");
  const HttpResponse response =
      api.Handle(HttpRequest{"POST", "/api/v1/journal", {}, "{}"}, RequestContext{"rid-1", {}});
  ExpectProblem(response, 405, "method_not_allowed");
  ASSERT_EQ(response.headers.size(), 1u);
  EXPECT_EQ(response.headers[0], (std::pair<std::string, std::string>{"Allow", "GET"}));
}

TEST(AuthorizeTest, SignedInRoutesRefuseThePublicWith401) {
  const Api::Route route{"GET", "/api/v1/x", Access::kSignedIn, {}, nullptr};
  RequestContext context{"rid-1", {}, false};
  const std::optional<HttpResponse> refused = Authorize(route, context, "/api/v1/x");
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->status, 401);
  EXPECT_TRUE(context.principal.Identity().user.empty());  // the public has no user
  context.principal.user = "ar1";
  context.principal.signed_in = true;
  EXPECT_FALSE(Authorize(route, context, "/api/v1/x").has_value());
  EXPECT_EQ(context.principal.Identity().user, "ar1");
  const Api::Route open{"GET", "/api/v1/y", Access::kPublic, {}, nullptr};
  EXPECT_FALSE(Authorize(open, RequestContext{"rid-1", {}, false}, "/api/v1/y").has_value());
}

TEST_F(ApiTest, UnknownQueryParameterIs400) {
  const HttpResponse response = Get("/api/v1/projects?limit=5&colour=red");
  ExpectProblem(response, 400, "unknown_query_parameter");
  EXPECT_NE(Body(response).at("detail").as_string().find("colour"), bj::string::npos);
  ExpectProblem(Get("/healthz?x=1"), 400, "unknown_query_parameter");
}

TEST_F(ApiTest, PathTraversalAndMalformedTargetsAre400) {
  ExpectProblem(Get("/api/v1/../../etc/passwd"), 400, "bad_target");
  ExpectProblem(Get("/api/v1/units/%2e%2e"), 400, "bad_target");
  ExpectProblem(Get("/api/v1/units/a%2fb"), 400, "bad_target");
  ExpectProblem(Get("/api/v1/units/%00"), 400, "bad_target");
  ExpectProblem(Get("/api/v1/units/%zz"), 400, "bad_target");
  ExpectProblem(Get("http://example.org/healthz"), 400, "bad_target");
  ExpectProblem(Get("/api/v1/journal?limit=1&limit=2"), 400, "bad_target");
}

TEST_F(ApiTest, LimitIsBoundedAndCursorsAreChecked) {
  ExpectProblem(Get("/api/v1/decisions?limit=0"), 400, "invalid_argument");
  ExpectProblem(Get("/api/v1/decisions?limit=1001"), 400, "invalid_argument");
  ExpectProblem(Get("/api/v1/decisions?limit=ten"), 400, "invalid_argument");
  ExpectProblem(Get("/api/v1/decisions?cursor=!!"), 400, "invalid_argument");
  ExpectProblem(Get("/api/v1/decisions?cursor=" + EncodeCursor("x").substr(1)), 400,
                "invalid_argument");
  EXPECT_EQ(Get("/api/v1/decisions?limit=1000").status, 200);
}

TEST_F(ApiTest, CursorRoundTrips) {
  for (const std::string key : {"", "a", "MN\nMN003:2017@x", "\xff\x01 long key with bytes"}) {
    const auto decoded = DecodeCursor(EncodeCursor(key));
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(*decoded, key);
  }
}

TEST_F(ApiTest, RegistriesArePagedByKeyset) {
  const bj::object first = Body(Get("/api/v1/registries?limit=2"));
  const bj::array& items = first.at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].at("registry").as_string(), "JP");
  EXPECT_EQ(items[1].at("registry").as_string(), "MN");
  const std::string next(first.at("next").as_string());
  const bj::object second = Body(Get("/api/v1/registries?limit=2&cursor=" + next));
  ASSERT_EQ(second.at("items").as_array().size(), 1u);
  EXPECT_EQ(second.at("items").as_array()[0].at("registry").as_string(), "VN");
  EXPECT_TRUE(second.at("next").is_null());
}

// (No issuance here: the fixture records decisions under a cycle event kind the project cycle
// does not know, so the summary, which replays the cycle, would refuse that journal.)
TEST_F(ApiTest, RegistrySummaryAndUnknownRegistry) {
  const HttpResponse response = Get("/api/v1/registries/MN");
  ASSERT_EQ(response.status, 200) << response.body;
  const bj::object summary = Body(response);
  EXPECT_EQ(summary.at("registry").as_string(), "MN");
  EXPECT_EQ(summary.at("issued_tco2e").as_int64(), 0);
  EXPECT_GE(summary.at("accounts").as_int64(), 2);  // alice and bob, and the government's
  ExpectProblem(Get("/api/v1/registries/PH"), 404, "not_found");  // a partner, not initialised
  ExpectProblem(Get("/api/v1/registries/XX"), 400, "invalid_argument");
}

TEST_F(ApiTest, UnitShowsLineageBackToIssuanceAndRetirement) {
  Issue("MN003", "2018-01-01..2018-12-31", {{alice_, 100}});  // one vintage, one block
  Transfer(alice_, bob_, 60);  // ends the issued block: 1..60 to bob, 61..100 stay with alice
  Retire(bob_, 10);            // 1..10 retired, 11..60 with bob
  const bj::object retired = Body(Get("/api/v1/units/MN-5"));
  EXPECT_EQ(retired.at("status").as_string(), "retired");
  EXPECT_EQ(retired.at("holder").at("id").as_string(), retirement_);
  const bj::array& lineage = retired.at("lineage").as_array();
  ASSERT_EQ(lineage.size(), 3u);
  EXPECT_EQ(lineage[0].at("serial_first").as_int64(), 1);
  EXPECT_EQ(lineage[0].at("serial_last").as_int64(), 10);
  EXPECT_TRUE(lineage[0].at("ended_entry").is_null());
  EXPECT_EQ(lineage[1].at("account").as_string(), bob_);
  EXPECT_EQ(lineage[2].at("parent_block_id").as_int64(), 0);  // the issued block
  EXPECT_EQ(lineage[2].at("quantity").as_int64(), 100);
  const bj::object held = Body(Get("/api/v1/units/MN-70"));
  EXPECT_EQ(held.at("status").as_string(), "held");
  EXPECT_EQ(held.at("holder").at("id").as_string(), alice_);
  ExpectProblem(Get("/api/v1/units/MN-101"), 404, "not_found");
  ExpectProblem(Get("/api/v1/units/VN-1"), 404, "not_found");
  ExpectProblem(Get("/api/v1/units/MN-x"), 400, "invalid_argument");
  ExpectProblem(Get("/api/v1/units/42"), 400, "invalid_argument");
}

TEST_F(ApiTest, JournalFeedReadsOnFromSince) {
  const bj::object first = Body(Get("/api/v1/journal?limit=2"));
  const bj::array& entries = first.at("entries").as_array();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].at("seq").as_int64(), 1);
  EXPECT_TRUE(first.at("more").as_bool());
  EXPECT_EQ(first.at("next_since").as_int64(), 2);
  EXPECT_EQ(entries[1].at("prev_hash"), entries[0].at("hash"));
  const bj::object rest = Body(Get("/api/v1/journal?since=2&limit=1000"));
  EXPECT_EQ(rest.at("entries").as_array()[0].at("seq").as_int64(), 3);
  EXPECT_FALSE(rest.at("more").as_bool());
  const bj::object after_end = Body(Get("/api/v1/journal?since=1000000"));
  EXPECT_TRUE(after_end.at("entries").as_array().empty());
  EXPECT_EQ(after_end.at("next_since").as_int64(), 1000000);
  ExpectProblem(Get("/api/v1/journal?since=-1"), 400, "invalid_argument");
}

TEST_F(ApiTest, HealthReadinessAndTheContract) {
  EXPECT_EQ(Body(Get("/healthz")).at("status").as_string(), "ok");
  EXPECT_EQ(Body(Get("/readyz")).at("status").as_string(), "ready");
  EXPECT_EQ(Get("/api/v1/openapi.json").body, R"({"openapi":"3.1.0","paths":{}})");
}

TEST(ProblemTest, ErrorModelMapsToHttp) {
  EXPECT_EQ(HttpStatusFor(core::StatusCode::kInvalidArgument), 400);
  EXPECT_EQ(HttpStatusFor(core::StatusCode::kNotFound), 404);
  EXPECT_EQ(HttpStatusFor(core::StatusCode::kFailedPrecondition), 409);
  EXPECT_EQ(HttpStatusFor(core::StatusCode::kResourceExhausted), 413);
  EXPECT_EQ(HttpStatusFor(core::StatusCode::kUnavailable), 503);
  EXPECT_EQ(HttpStatusFor(core::StatusCode::kDataLoss), 500);
  const HttpResponse rejected =
      ProblemFromRejection(service::Rejection{4, "units_insufficient", "only 3"}, "/x", "r");
  EXPECT_EQ(rejected.status, 422);
  const bj::object problem = bj::parse(rejected.body).as_object();
  EXPECT_EQ(problem.at("check").as_int64(), 4);
  EXPECT_EQ(problem.at("name").as_string(), "units_insufficient");
  // An internal error's message stays in the server.
  const HttpResponse internal = ProblemFromStatus(core::DataLoss("row 7 of /var/x"), "/x", "r");
  EXPECT_EQ(bj::parse(internal.body).at("detail").as_string(), "internal error");
  EXPECT_NE(internal.log_detail.find("row 7 of /var/x"), std::string::npos);  // for the log
}

// Found by fuzz/server_request_fuzz.cc: a target whose bytes are not UTF-8 (raw, or as %FF) was
// echoed into the problem's detail and instance, and the document was no longer JSON.
TEST_F(ApiTest, ProblemsEchoInvalidUtf8AsReplacementCharacters) {
  for (const std::string target : {"/api/v1/decisio\xb7n", "/api/v1/projects?\xff=1",
                                   "/api/v1/projects?status=%ff%c0%80", "/api/v1/\xed\xa0\x80"}) {
    const HttpResponse response = Get(target);
    EXPECT_GE(response.status, 400) << target;
    boost::system::error_code error;
    const bj::value problem = bj::parse(response.body, error);
    ASSERT_FALSE(error) << target << ": " << response.body;
    EXPECT_NE(problem.at("detail").as_string().find("\xEF\xBF\xBD"), bj::string::npos) << target;
  }
}

TEST(ValidUtf8Test, KeepsWellFormedTextAndReplacesTheRest) {
  EXPECT_EQ(ValidUtf8("JCM \xe3\x83\x91 \xf0\x9f\x8c\x8d"), "JCM \xe3\x83\x91 \xf0\x9f\x8c\x8d");
  EXPECT_EQ(ValidUtf8("a\xff"
                      "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(ValidUtf8("\xc0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD");           // overlong NUL
  EXPECT_EQ(ValidUtf8("\xed\xa0\x80").substr(0, 3), "\xEF\xBF\xBD");      // a surrogate
  EXPECT_EQ(ValidUtf8("\xf4\x90\x80\x80").substr(0, 3), "\xEF\xBF\xBD");  // above U+10FFFF
  EXPECT_EQ(ValidUtf8("\xe3\x83"), "\xEF\xBF\xBD\xEF\xBF\xBD");           // truncated
}

TEST(SecurityHeadersTest, HstsOnlyUnderTls) {
  const auto has = [](const HeaderList& headers, std::string_view name) {
    return std::any_of(headers.begin(), headers.end(),
                       [&](const auto& header) { return header.first == name; });
  };
  for (const bool tls : {false, true}) {
    const HeaderList headers = SecurityHeaders(tls);
    EXPECT_TRUE(has(headers, "Content-Security-Policy"));
    EXPECT_TRUE(has(headers, "X-Content-Type-Options"));
    EXPECT_TRUE(has(headers, "Referrer-Policy"));
    EXPECT_TRUE(has(headers, "Cache-Control"));  // no-store: ASVS 8.1.1, 8.2.1
    EXPECT_EQ(has(headers, "Strict-Transport-Security"), tls);
  }
}

TEST(AccessLogTest, RequestIdsAreSafeAndLinesAreJson) {
  EXPECT_EQ(RequestIdFor("abc-123_x.y"), "abc-123_x.y");
  for (const std::string& bad :
       std::vector<std::string>{"", "a b", "x\"}\n{", std::string(65, 'a')}) {
    const std::string id = RequestIdFor(bad);
    EXPECT_EQ(id.size(), 32u) << bad;
    EXPECT_NE(id, bad);
  }
  EXPECT_NE(RequestIdFor(""), RequestIdFor(""));
  const std::string line = AccessLogLine({"rid", "public", "GET", "/a\"b", 200, 17, ""});
  ASSERT_EQ(line.back(), '\n');
  const bj::object parsed = bj::parse(line).as_object();
  EXPECT_EQ(parsed.at("path").as_string(), "/a\"b");
  EXPECT_EQ(parsed.at("us").as_int64(), 17);
  EXPECT_EQ(parsed.at("user").as_string(), "public");
  EXPECT_TRUE(parsed.contains("time"));
  EXPECT_FALSE(parsed.contains("error"));
  EXPECT_EQ(bj::parse(AccessLogLine({"rid", "public", "GET", "/\xff", 404, 1, ""})).at("path"),
            "/\xEF\xBF\xBD");
  AccessRecord failed{"rid", "public", "GET", "/x", 500, 3, "DATA_LOSS: row 7"};
  EXPECT_EQ(bj::parse(AccessLogLine(failed)).at("error").as_string(), "DATA_LOSS: row 7");
}

}  // namespace
}  // namespace jcm::server
