// POST /api/v1/cycle/steps/{step} over a real SQLite registry (docs/api.md, "Project cycle"):
// strict bodies, the precise right of each kind of step, idempotency bound to the request,
// rejections with their check, and the same use case as the CLI.
#include "cycle_api_test.h"

#include <gtest/gtest.h>

#include "cycle/cycle_check.h"
#include "ledger/check_code.h"
#include "server/step_json.h"

namespace jcm::server {
namespace {

namespace bj = boost::json;

const bj::object kParty{{"partner", "MN"}, {"name", "Mongolia"}};
const std::string kSha(64, 'a');

class CycleApiTest : public CycleApiFixture {
 protected:
  // An approved methodology MN_AM010 and project MN_PIN010 with no objection.
  void ProjectWithNoObjection() {
    EstablishMongolia();
    MustStep("methodology-propose", {{"proposal_code", "MN_PM010"},
                                     {"partner", "MN"},
                                     {"title", "Solar PV"},
                                     {"proponent", "gobi-solar"},
                                     {"sectoral_scope", 1},
                                     {"document", {{"sha256", kSha}}},
                                     {"date", "2025-01-06"}});
    MustStep("methodology-check",
             {{"proposal_code", "MN_PM010"}, {"complete", true}, {"date", "2025-01-08"}});
    MustStep("methodology-decide", {{"proposal_code", "MN_PM010"},
                                    {"approved_code", "MN_AM010"},
                                    {"version", "1.0"},
                                    {"date", "2025-02-15"}});
    MustStep("pin-submit", {{"pin_id", "MN_PIN010"},
                            {"partner", "MN"},
                            {"title", "8 MW solar PV"},
                            {"host_participant", {"gobi-solar"}},
                            {"japanese_participant", bj::array{}},
                            {"focal_point", "gobi-solar"},
                            {"methodology", "MN_AM010"},
                            {"methodology_version", "1.0"},
                            {"sectoral_scope", 1},
                            {"document", {{"sha256", kSha}, {"version", "2"}}},
                            {"date", "2025-03-01"},
                            {"by", "gobi-solar"}});
    MustStep("pin-decide", {{"project", "MN_PIN010"}, {"date", "2025-03-20"}});
  }
};

TEST_F(CycleApiTest, EveryCliStepHasARoute) {
  const std::vector<std::string_view> names = StepNames();
  EXPECT_EQ(names.size(), 28u);
  for (const char* step : {"party-register",       "org-register",        "tpe-designate",
                           "jc-establish",         "jc-decision",         "jc-form",
                           "methodology-propose",  "methodology-check",   "methodology-extend",
                           "methodology-decide",   "methodology-revise",  "pin-submit",
                           "pin-decide",           "pdd-submit",          "validation-submit",
                           "registration-request", "registration-decide", "registration-withdraw",
                           "project-change",       "project-renew",       "project-withdraw",
                           "monitoring-period",    "monitoring-report",   "verification-submit",
                           "issuance-request",     "issuance-withdraw",   "issuance-decide",
                           "issuance-execute"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), step), names.end()) << step;
  }
  ExpectProblem(Step("pin-approve", kParty, Secretariat(), "k"), 404, "not_found");
}

TEST_F(CycleApiTest, ThePublicGets401AndAnotherCommitteesSecretariat403) {
  ExpectProblem(Step("party-register", kParty, As(""), "k"), 401, "unauthorized");
  ExpectProblem(Step("party-register", kParty, As("sec-vn", {"jc_secretariat:VN"}), "k"), 403,
                "forbidden");
  ExpectProblem(Step("party-register", kParty, As("auditor", {"auditor"}), "k"), 403, "forbidden");
  ExpectProblem(Step("party-register", kParty, As("admin", {"system_administrator"}), "k"), 403,
                "forbidden");
  EXPECT_TRUE(store_->ReadJournal(1, "cycle.")->empty());  // nothing changed
  const bj::object event = MustStep("party-register", kParty);
  EXPECT_EQ(event.at("kind").as_string(), "cycle.party_registered");
  EXPECT_EQ(event.at("fields").at("partner").as_string(), "MN");
}

TEST_F(CycleApiTest, BodiesAreDecodedStrictly) {
  const std::vector<std::string> bad = {
      R"({"partner":"MN","name":"Mongolia","colour":"red"})",                 // unknown field
      R"({"partner":"MN","name":7})",                                         // wrong type
      R"({"partner":"MN"})",                                                  // missing field
      R"({"partner":"MN","name":"Mongolia","bilateral_date":"2013-02-30"})",  // no such date
      R"({"partner":"MN","name":"Mongolia","by":"x"})",  // "by" where the step takes none
      "{\"partner\":\"MN\",\"name\":\"Mon\xffgolia\"}",  // invalid UTF-8
      R"({"partner":"MN","name":"Mongo)",                // truncated
      R"(["MN","Mongolia"])",                            // not an object
      "",
  };
  for (const std::string& body : bad) {
    ExpectProblem(Send("POST", "/api/v1/cycle/steps/party-register", body, Secretariat(), "k"), 400,
                  "invalid_argument");
  }
  // Derived fields and a document's type are the registry's to set.
  EstablishMongolia();
  ExpectProblem(
      Step(
          "jc-form",
          {{"partner", "MN"}, {"form", "JCM_MN_F_PIN"}, {"version", "06.0"}, {"form_version", "x"}},
          Secretariat(), "k2"),
      400, "invalid_argument");
  ExpectProblem(Step("methodology-propose",
                     {{"proposal_code", "MN_PM010"},
                      {"partner", "MN"},
                      {"title", "T"},
                      {"proponent", "gobi-solar"},
                      {"sectoral_scope", 1},
                      {"document", {{"sha256", kSha}, {"type", "pin"}}},
                      {"date", "2025-01-06"}},
                     Secretariat(), "k3"),
                400, "invalid_argument");
  // Without an Idempotency-Key the router refuses a POST.
  ExpectProblem(
      Send("POST", "/api/v1/cycle/steps/party-register", bj::serialize(kParty), Secretariat()), 400,
      "idempotency_key_invalid");
}

TEST_F(CycleApiTest, ARetryReturnsTheFirstEventAndAReusedKeyIsRejected) {
  const HttpResponse first = Step("party-register", kParty, Secretariat(), "key-1");
  ASSERT_EQ(first.status, 201) << first.body;
  const HttpResponse retry = Step("party-register", kParty, Secretariat(), "key-1");
  ASSERT_EQ(retry.status, 201) << retry.body;
  const bj::object a = Body(first).at("event").as_object();
  const bj::object b = Body(retry).at("event").as_object();
  EXPECT_EQ(a.at("seq"), b.at("seq"));
  EXPECT_EQ(a.at("hash"), b.at("hash"));
  EXPECT_FALSE(a.at("replayed").as_bool());
  EXPECT_TRUE(b.at("replayed").as_bool());
  EXPECT_EQ(a.at("fields").at("request.key").as_string(), "sec-mn:key-1");  // prefixed by user
  // The same key with another body: check 1, and nothing journaled.
  const HttpResponse reused =
      Step("party-register", {{"partner", "MN"}, {"name", "Mongol Uls"}}, Secretariat(), "key-1");
  ExpectProblem(reused, 422, "rejected");
  EXPECT_EQ(Body(reused).at("check").as_int64(),
            static_cast<int64_t>(ledger::CheckCode::kIdempotencyKeyReused));
  EXPECT_EQ(Body(reused).at("name").as_string(), "idempotency_key_reused");
  EXPECT_EQ(store_->ReadJournal(1, "cycle.")->size(), 1u);
  // Another user's key of the same text is another key.
  const HttpResponse other_user =
      Step("org-register", {{"org_id", "gobi"}, {"name", "Gobi"}, {"country", "MN"}},
           As("sec-mn-2", {"jc_secretariat:MN"}), "key-1");
  ASSERT_EQ(other_user.status, 201) << other_user.body;
  EXPECT_EQ(Body(other_user).at("event").at("fields").at("request.key").as_string(),
            "sec-mn-2:key-1");
}

TEST_F(CycleApiTest, ABusinessRefusalIs422WithItsCheck) {
  // A Joint Committee for a partner that is not registered (the cycle's check).
  const HttpResponse response =
      Step("jc-establish", {{"partner", "MN"}, {"secretariat", "S"}, {"date", "2013-03-01"}},
           Secretariat(), "k");
  ExpectProblem(response, 422, "rejected");
  const bj::object problem = Body(response);
  EXPECT_GE(problem.at("check").as_int64(), 100);
  EXPECT_LT(problem.at("check").as_int64(), 200);
  EXPECT_FALSE(problem.at("name").as_string().empty());
}

TEST_F(CycleApiTest, AProjectStepNeedsTheSecretariatOfTheProjectsCommittee) {
  ProjectWithNoObjection();
  const bj::object pdd{{"project", "MN_PIN010"},
                       {"document", {{"sha256", kSha}, {"confidential", true}}},
                       {"public_copy", {{"sha256", std::string(64, 'b')}}},
                       {"date", "2025-04-01"},
                       {"by", "gobi-solar"}};
  ExpectProblem(Step("pdd-submit", pdd, As("sec-vn", {"jc_secretariat:VN"}), "k"), 403,
                "forbidden");
  ExpectProblem(Step("pdd-submit",
                     {{"project", "NO_SUCH"},
                      {"document", {{"sha256", kSha}}},
                      {"date", "2025-04-01"},
                      {"by", "gobi-solar"}},
                     Secretariat(), "k"),
                404, "not_found");
  const bj::object event = MustStep("pdd-submit", pdd);
  EXPECT_EQ(event.at("fields").at("document.type").as_string(), "pdd");
  EXPECT_EQ(event.at("fields").at("document.confidential").as_string(), "true");
  EXPECT_EQ(event.at("fields").at("public_copy.type").as_string(), "pdd_public");
}

TEST_F(CycleApiTest, ValidationIsTheNamedTpesOwnStep) {
  ProjectWithNoObjection();
  MustStep("pdd-submit", {{"project", "MN_PIN010"},
                          {"document", {{"sha256", kSha}}},
                          {"date", "2025-04-01"},
                          {"by", "gobi-solar"}});
  const bj::object validation{{"project", "MN_PIN010"},
                              {"positive", true},
                              {"report", {{"sha256", kSha}}},
                              {"date", "2025-05-15"},
                              {"by", "tpe-a"}};
  // Not the secretariat, not another TPE: the organisation named in "by".
  ExpectProblem(Step("validation-submit", validation, Secretariat(), "v"), 403, "forbidden");
  ExpectProblem(Step("validation-submit", validation, As("tpe-b", {"tpe:tpe-b"}), "v"), 403,
                "forbidden");
  const bj::object event = MustStep("validation-submit", validation, As("tpe-a", {"tpe:tpe-a"}));
  EXPECT_EQ(event.at("kind").as_string(), "cycle.validation_submitted");
  EXPECT_EQ(event.at("fields").at("actor.org").as_string(), "tpe-a");
}

TEST_F(CycleApiTest, ExecutionIsTheRegistryAdministratorsOfThatRegistry) {
  ProjectWithNoObjection();
  const bj::object execute{{"project", "MN_PIN010"}, {"period", "2025-01-01..2025-06-30"},
                           {"registry", "JP"},       {"date", "2026-03-20"},
                           {"authorization", "ndc"}, {"to", {{"gobi-solar", alice_}}}};
  ExpectProblem(Step("issuance-execute", execute, Secretariat(), "x"), 403, "forbidden");
  ExpectProblem(
      Step("issuance-execute", execute, As("mn-admin", {"registry_administrator:MN"}), "x"), 403,
      "forbidden");
  // The right administrator reaches the use case, which refuses an undecided period.
  const HttpResponse refused =
      Step("issuance-execute", execute, As("jp-admin", {"registry_administrator:JP"}), "x");
  ExpectProblem(refused, 422, "rejected");
  bj::object bad_authorization = execute;
  bad_authorization["authorization"] = "full";
  ExpectProblem(Step("issuance-execute", bad_authorization,
                     As("jp-admin", {"registry_administrator:JP"}), "y"),
                400, "invalid_argument");
}

TEST_F(CycleApiTest, AJapaneseOrganisationMayBeRegisteredByAnySecretariat) {
  MustStep("org-register", {{"org_id", "nihon"}, {"name", "Nihon K.K."}, {"country", "JP"}},
           As("sec-vn", {"jc_secretariat:VN"}));
  ExpectProblem(Step("org-register", {{"org_id", "gobi"}, {"name", "Gobi"}, {"country", "MN"}},
                     As("sec-vn", {"jc_secretariat:VN"}), "k"),
                403, "forbidden");
  ExpectProblem(Step("org-register", {{"org_id", "x"}, {"name", "X"}, {"country", "JP"}},
                     As("tpe-a", {"tpe:tpe-a"}), "k"),
                403, "forbidden");
}

}  // namespace
}  // namespace jcm::server
