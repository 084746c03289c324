// Shared by the tests of the API's project-cycle, document and MRV routes (cycle_api_test.cc,
// document_api_test.cc): an Api over a real SQLite registry, principals with roles, and the
// set-up steps of a Joint Committee taken through the API itself.
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <memory>
#include <string>
#include <vector>

#include "server/api.h"
#include "store/testing/ledger_fixture.h"

namespace jcm::server {

class CycleApiFixture : public store::LedgerFixture {
 protected:
  void SetUp() override {
    LedgerFixture::SetUp();
    api_ = std::make_unique<Api>(*store_, R"({"openapi":"3.1.0"})", &clock_);
  }
  void TearDown() override {
    api_.reset();
    LedgerFixture::TearDown();
  }

  // A signed-in principal with these roles (their text form); no roles and no user: the public.
  static RequestContext As(const std::string& user, const std::vector<std::string>& roles = {}) {
    RequestContext context{"rid-1", {}, false};
    if (user.empty()) return context;
    context.principal.user = user;
    context.principal.signed_in = true;
    for (const std::string& text : roles) {
      context.principal.roles.push_back(*identity::Role::Parse(text));
    }
    return context;
  }
  static RequestContext Secretariat() { return As("sec-mn", {"jc_secretariat:MN"}); }

  HttpResponse Send(const std::string& method, const std::string& target, std::string body,
                    const RequestContext& context, const std::string& key = "") {
    HttpRequest request{method, target, {}, std::move(body)};
    if (!key.empty()) request.headers.emplace_back("Idempotency-Key", key);
    return api_->Handle(request, context);
  }
  HttpResponse Step(const std::string& step, const boost::json::object& body,
                    const RequestContext& context, const std::string& key) {
    return Send("POST", "/api/v1/cycle/steps/" + step, boost::json::serialize(body), context, key);
  }
  // Takes a step that must be accepted; its event's fields.
  boost::json::object MustStep(const std::string& step, const boost::json::object& body,
                               const RequestContext& context = Secretariat()) {
    const HttpResponse response = Step(step, body, context, step + "-" + std::to_string(++keys_));
    EXPECT_EQ(response.status, 201) << step << ": " << response.body;
    if (response.status != 201) return {};
    return boost::json::parse(response.body).at("event").as_object();
  }
  static boost::json::object Body(const HttpResponse& response) {
    return boost::json::parse(response.body).as_object();
  }
  static void ExpectProblem(const HttpResponse& response, int status, std::string_view code) {
    EXPECT_EQ(response.status, status) << response.body;
    EXPECT_EQ(response.content_type, "application/problem+json");
    if (response.content_type == "application/problem+json") {
      EXPECT_EQ(Body(response).at("code").as_string(), code) << response.body;
    }
  }

  // Mongolia, its Joint Committee, a participant, and tpe-a designated for validation and
  // verification in scope 1: what every later step needs.
  void EstablishMongolia() {
    MustStep("party-register",
             {{"partner", "MN"}, {"name", "Mongolia"}, {"bilateral_date", "2013-01-08"}});
    MustStep("jc-establish", {{"partner", "MN"},
                              {"secretariat", "JC secretariat (Ulaanbaatar)"},
                              {"member", {"MOFA Japan", "MOEJ"}},
                              {"date", "2013-03-01"}});
    MustStep("org-register", {{"org_id", "gobi-solar"}, {"name", "Gobi Solar"}, {"country", "MN"}});
    MustStep("org-register", {{"org_id", "tpe-a"}, {"name", "Example TPE"}, {"country", "JP"}});
    for (const char* function : {"validation", "verification"}) {
      MustStep("tpe-designate", {{"partner", "MN"},
                                 {"org_id", "tpe-a"},
                                 {"sectoral_scope", 1},
                                 {"function", function},
                                 {"date", "2014-01-01"}});
    }
  }

  std::unique_ptr<Api> api_;
  int keys_ = 0;
};

}  // namespace jcm::server
