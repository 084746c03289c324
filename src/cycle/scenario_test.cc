// Scenario tests: every accepted transition of the project cycle, and the state it leaves.
#include <gtest/gtest.h>

#include "cycle/allocation.h"
#include "cycle/cycle_fixture_test.h"
#include "cycle/due.h"

namespace jcm::cycle::testing {
namespace {

using CycleScenario = CycleFixture;

TEST_F(CycleScenario, PartiesCommitteeFormsAndTpes) {
  SetUpPair();
  EXPECT_EQ(state_.parties.at("MN").bilateral_date, D("2013-01-08"));
  EXPECT_EQ(state_.committees.at("MN").members.size(), 3u);
  EXPECT_EQ(state_.FormVersionOn("JCM_MN_F_PIN", D("2023-06-01")), "05.0");
  EXPECT_EQ(state_.FormVersionOn("JCM_MN_F_PIN", D("2024-01-01")), "06.0");
  EXPECT_EQ(state_.FormVersionOn("JCM_MN_F_PIN", D("2019-01-01")), "");
  EXPECT_TRUE(state_.IsTpeDesignated("MN", "jqa", 1, TpeFunction::kValidation, D("2020-01-01")));
  EXPECT_FALSE(state_.IsTpeDesignated("MN", "jqa", 2, TpeFunction::kValidation, D("2020-01-01")));
  EXPECT_FALSE(state_.IsTpeDesignated("MN", "jqa", 1, TpeFunction::kValidation, D("2013-12-31")));
  Accept(kJc, RecordJcDecision{"MN",
                               "rules_adopted",
                               "Rules of Implementation ver02.0",
                               true,
                               {"annex1.pdf"},
                               D("2015-01-01")});
  ASSERT_FALSE(state_.decisions.empty());
  EXPECT_TRUE(state_.decisions.back().electronic);
}

TEST_F(CycleScenario, MethodologyFromProposalToApprovalAndRevision) {
  SetUpPair();
  Accept(kProponent, ProposeMethodology{"MN_PM007", "MN", "Solar PV", "pacific", 1,
                                        Doc("proposed_methodology"), D("2025-01-06")});
  EXPECT_EQ(state_.methodologies.at("MN_PM007").status, MethodologyStatus::kProposed);
  Accept(kSecretariat, CheckMethodologyCompleteness{"MN_PM007", true, D("2025-01-13")});
  const Methodology& m = state_.methodologies.at("MN_PM007");
  EXPECT_EQ(m.status, MethodologyStatus::kPublicInput);
  EXPECT_EQ(m.input_end, D("2025-01-27"));  // 15 days inclusive
  Accept(kJc, ExtendMethodologyConsideration{"MN_PM007", D("2025-03-01")});
  // Day 90 after the window is still in time once extended.
  Accept(kJc, DecideMethodology{"MN_PM007", true, "MN_AM005", "1.0", D("2025-04-27")});
  EXPECT_EQ(state_.FindMethodology("MN_AM005"), &state_.methodologies.at("MN_PM007"));
  EXPECT_EQ(m.status, MethodologyStatus::kApproved);
  Accept(kJc, ReviseMethodology{"MN_AM005", "2.0", Doc("amr"), D("2025-09-01")});
  EXPECT_EQ(m.versions.back().version, "2.0");
  EXPECT_EQ(state_.decisions.back().type, "methodology_revised");
}

TEST_F(CycleScenario, MethodologyIncompleteOrNotApproved) {
  SetUpPair();
  Accept(kProponent,
         ProposeMethodology{"MN_PM008", "MN", "Boilers", "pacific", 1, Doc("pm"), D("2025-01-06")});
  Accept(kSecretariat, CheckMethodologyCompleteness{"MN_PM008", false, D("2025-01-07")});
  EXPECT_EQ(state_.methodologies.at("MN_PM008").status, MethodologyStatus::kIncomplete);
  Accept(kProponent,
         ProposeMethodology{"MN_PM009", "MN", "Lamps", "pacific", 1, Doc("pm2"), D("2025-01-06")});
  Accept(kSecretariat, CheckMethodologyCompleteness{"MN_PM009", true, D("2025-01-06")});
  Accept(kJc, DecideMethodology{"MN_PM009", false, "", "", D("2025-02-01")});
  EXPECT_EQ(state_.methodologies.at("MN_PM009").status, MethodologyStatus::kNotApproved);
}

TEST_F(CycleScenario, FullProjectCycleToBothSidesExecuted) {
  SetUpPair();
  SetUpMethodology();
  Event pin = Accept(kJapanesePp, Pin());
  EXPECT_EQ(std::get<SubmitPin>(pin.payload).form_version, "06.0");  // valid on 2025-03-01
  EXPECT_EQ(state_.projects.at("MN_PIN001").status, ProjectStatus::kPinSubmitted);
  Accept(kJc, DecidePin{"MN_PIN001", true, D("2025-03-20")});
  EXPECT_EQ(state_.projects.at("MN_PIN001").status, ProjectStatus::kPinNoObjection);
  Accept(kJapanesePp, SubmitPdd{"MN_PIN001", Doc("pdd", true), Doc("pdd"), D("2025-04-01"), ""});
  EXPECT_EQ(state_.projects.at("MN_PIN001").status, ProjectStatus::kValidation);
  EXPECT_EQ(state_.projects.at("MN_PIN001").documents.size(), 3u);  // PIN, PDD, public copy
  Accept(kTpe, SubmitValidation{"MN_PIN001", true, Doc("vr"), D("2025-05-01")});
  EXPECT_EQ(state_.projects.at("MN_PIN001").validator, "jqa");
  Accept(kHostPp, RequestRegistration{"MN_PIN001", Allocation(), Doc("rr"), D("2025-06-01")});
  Event registered = Accept(kJc, DecideRegistration{"MN_PIN001", true, "", D("2025-07-01")});
  EXPECT_EQ(std::get<DecideRegistration>(registered.payload).reference, "MN001");
  const Project& p = *state_.FindProject("MN001");
  EXPECT_EQ(p.status, ProjectStatus::kRegistered);
  EXPECT_EQ(p.registration_date, D("2025-07-01"));

  Accept(kHostPp, AddMonitoringPeriod{"MN001", kPeriod, D("2025-07-02")});
  Accept(kHostPp,
         SubmitMonitoringReport{
             "MN001", kPeriod, 1001, Doc("mr"), core::Sha256Hex("calc"), {}, D("2026-01-15")});
  EXPECT_EQ(p.periods[0].mrv_calculation_sha256, core::Sha256Hex("calc"));
  Accept(kTpe, SubmitVerification{"MN001", kPeriod, 1001, Doc("vf"), D("2026-02-01")});
  Accept(kJapanesePp, RequestIssuance{"MN001", kPeriod, 1001, Doc("ir"), D("2026-02-10")});
  Event decided = Accept(kJc, DecideIssuance{"MN001", kPeriod, 1001, {}, false, D("2026-03-01")});
  // Sides follow the allocation and the largest-remainder rule (computed, not assumed).
  std::vector<SideAmount> expected = SideTotals(AllocateDecision(1001, Allocation(), true));
  EXPECT_EQ(std::get<DecideIssuance>(decided.payload).sides, expected);
  EXPECT_EQ(expected[0].amount_tco2e + expected[1].amount_tco2e, 1001);
  EXPECT_EQ(p.periods[0].status, MonitoringStatus::kDecided);
  EXPECT_EQ(p.periods[0].decided_tco2e, 1001);

  Accept(kManagerJp, ExecuteIssuance{"MN001", kPeriod, "JP", "tx-1", D("2026-03-10")});
  Accept(kManagerMn, ExecuteIssuance{"MN001", kPeriod, "MN", "", D("2026-03-20")});
  EXPECT_EQ(p.periods[0].sides[0].executed, D("2026-03-10"));
  EXPECT_EQ(p.periods[0].sides[0].ledger_transaction, "tx-1");
  EXPECT_EQ(p.periods[0].sides[1].executed, D("2026-03-20"));
  EXPECT_TRUE(Due(state_, today_).empty());
}

TEST_F(CycleScenario, PinObjectionAndNegativeValidationThenNewPdd) {
  SetUpPair();
  SetUpMethodology();
  SubmitPin second = Pin();
  second.pin_id = "MN_PIN002";
  Accept(kJapanesePp, second);
  Accept(kJc, DecidePin{"MN_PIN002", false, D("2025-03-05")});
  EXPECT_EQ(state_.projects.at("MN_PIN002").status, ProjectStatus::kPinObjected);

  Accept(kJapanesePp, Pin());
  Accept(kJc, DecidePin{"MN_PIN001", true, D("2025-03-20")});
  Accept(kJapanesePp, SubmitPdd{"MN_PIN001", Doc("pdd"), std::nullopt, D("2025-04-01"), ""});
  Accept(kTpe, SubmitValidation{"MN_PIN001", false, Doc("vr"), D("2025-05-15")});
  EXPECT_EQ(state_.projects.at("MN_PIN001").status, ProjectStatus::kValidationNegative);
  Accept(kJapanesePp, SubmitPdd{"MN_PIN001", Doc("pdd2"), std::nullopt, D("2025-06-01"), ""});
  EXPECT_EQ(state_.projects.at("MN_PIN001").status, ProjectStatus::kValidation);
}

TEST_F(CycleScenario, RegistrationWithdrawnOrRejected) {
  SetUpValidated();
  Accept(kJapanesePp, RequestRegistration{"MN_PIN001", Allocation(), Doc("rr"), D("2025-06-01")});
  Accept(kJapanesePp, WithdrawRegistrationRequest{"MN_PIN001", D("2025-06-10")});
  EXPECT_EQ(state_.projects.at("MN_PIN001").status, ProjectStatus::kRegistrationWithdrawn);

  state_ = State();
  SetUpValidated();
  Accept(kJapanesePp, RequestRegistration{"MN_PIN001", Allocation(), Doc("rr"), D("2025-06-01")});
  Accept(kJc, DecideRegistration{"MN_PIN001", false, "", D("2025-06-20")});
  EXPECT_EQ(state_.projects.at("MN_PIN001").status, ProjectStatus::kRegistrationRejected);
  EXPECT_TRUE(state_.projects.at("MN_PIN001").reference.empty());
}

TEST_F(CycleScenario, PostRegistrationChangeRenewalAndWithdrawal) {
  SetUpRegistered();
  Accept(kJc,
         ApprovePostRegistrationChange{"MN001", "new focal point", Doc("prc"), D("2025-08-01")});
  Accept(kJc, RenewCreditingPeriod{"MN001", D("2035-12-31"), D("2025-09-01")});
  EXPECT_EQ(state_.FindProject("MN001")->crediting_end, D("2035-12-31"));
  Accept(kJc, WithdrawProject{"MN001", D("2025-10-01")});
  EXPECT_EQ(state_.FindProject("MN001")->status, ProjectStatus::kWithdrawn);
  EXPECT_GE(state_.FindProject("MN001")->history.size(), 9u);
}

TEST_F(CycleScenario, IssuanceRequestWithdrawnAndRequestedAgain) {
  SetUpVerified();
  Accept(kJapanesePp, RequestIssuance{"MN001", kPeriod, 900, Doc("ir"), D("2026-02-10")});
  Accept(kJapanesePp, WithdrawIssuanceRequest{"MN001", kPeriod, D("2026-02-11")});
  EXPECT_EQ(state_.FindProject("MN001")->periods[0].status, MonitoringStatus::kVerified);
  Accept(kJapanesePp, RequestIssuance{"MN001", kPeriod, 1001, Doc("ir2"), D("2026-02-12")});
  // The JC may state the per-side amounts itself, if they sum to the total.
  Accept(kJc, DecideIssuance{
                  "MN001", kPeriod, 1000, {{"JP", 800}, {"MN", 200}}, false, D("2026-03-01")});
  EXPECT_EQ(state_.FindProject("MN001")->periods[0].sides[1].amount_tco2e, 200);
}

TEST_F(CycleScenario, ImportedFactsAndPendingExecution) {
  SetUpPair();
  Accept(kSecretariat, RecordMethodology{"MN_AM003",
                                         {"MN_PM003", "MN_PM004"},
                                         "MN",
                                         "Solar",
                                         "JC",
                                         1,
                                         "3.0",
                                         D("2024-08-04"),
                                         D("2024-05-23"),
                                         D("2024-06-06")});
  EXPECT_EQ(state_.FindMethodology("MN_PM004")->approved_code, "MN_AM003");
  Accept(kSecretariat, RecordProject{"MN005",
                                     "MN",
                                     "T&D",
                                     ProjectStatus::kRegistered,
                                     D("2017-11-16"),
                                     {"NPTG"},
                                     {"Hitachi"},
                                     {"MN_AM001 Ver1.0"}});
  Accept(kSecretariat,
         RecordIssuanceDecision{
             "MN005", P("2017-12-02..2018-12-31"), {{"MN", 1}, {"JP", 0}}, D("2019-05-17")});
  std::vector<DueItem> due = Due(state_, today_);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].what, "issuance_execution_MN");
  Accept(kManagerMn,
         ExecuteIssuance{"MN005", P("2017-12-02..2018-12-31"), "MN", "", D("2019-05-17")});
  EXPECT_TRUE(Due(state_, today_).empty());
}

TEST_F(CycleScenario, DueListsDeadlinesAndOverdue) {
  SetUpPair();
  Accept(kProponent, ProposeMethodology{"MN_PM007", "MN", "Solar PV", "pacific", 1, Doc("pm"),
                                        D("2025-01-06")});
  std::vector<DueItem> due = Due(state_, D("2025-01-10"));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].what, "completeness_check");
  EXPECT_EQ(due[0].due, D("2025-01-13"));
  EXPECT_FALSE(due[0].overdue);
  EXPECT_TRUE(Due(state_, D("2025-01-14"))[0].overdue);

  today_ = D("2025-01-10");
  Accept(kSecretariat, CheckMethodologyCompleteness{"MN_PM007", true, D("2025-01-10")});
  due = Due(state_, D("2025-01-20"));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].what, "methodology_public_input");
  EXPECT_EQ(due[0].due, D("2025-01-24"));
  due = Due(state_, D("2025-01-25"));
  EXPECT_EQ(due[0].what, "methodology_jc_consideration");
  EXPECT_EQ(due[0].due, D("2025-03-25"));  // 60 days after the window closed
  EXPECT_TRUE(Due(state_, D("2025-03-26"))[0].overdue);
}

// Replay: folding the journaled events into a fresh State gives the same observable state.
TEST_F(CycleScenario, ReplayOfEncodedEventsRebuildsTheState) {
  std::vector<EncodedEvent> journal;
  State live;
  auto run = [&](const Actor& actor, Payload payload) {
    Outcome outcome = Decide(live, Command{actor, std::move(payload)}, today_);
    ASSERT_FALSE(IsRejection(outcome));
    Apply(live, std::get<Event>(outcome));
    journal.push_back(EncodeEvent(std::get<Event>(outcome)));
  };
  run(kGov, RegisterParty{"MN", "Mongolia", std::nullopt});
  run(kGov, EstablishJointCommittee{"MN", {"a"}, "s", D("2013-03-01")});
  run(kSecretariat, RegisterOrganisation{"jqa", "JQA", "JP"});
  run(kJc, DesignateTpe{"MN", "jqa", 1, TpeFunction::kValidation, D("2014-01-01")});
  State replayed;
  for (const EncodedEvent& e : journal) {
    auto event = DecodeEvent(e.kind, core::Record::Decode(e.body.Encode()).value());
    ASSERT_TRUE(event.ok());
    Apply(replayed, *event);
  }
  EXPECT_EQ(replayed.parties.size(), live.parties.size());
  EXPECT_EQ(replayed.tpe_designations.size(), 1u);
  EXPECT_EQ(replayed.decisions.size(), live.decisions.size());
}

}  // namespace
}  // namespace jcm::cycle::testing
