// Rejection tests: every CycleCheck is produced by at least one command, naming that check.
#include <gtest/gtest.h>

#include "cycle/cycle_fixture_test.h"

namespace jcm::cycle::testing {
namespace {

using CycleRejection = CycleFixture;
using C = CycleCheck;

TEST_F(CycleRejection, ActorChecks) {
  SetUpDecided();
  ExpectRejected(kHostPp, DecidePin{"MN001", true, D("2026-04-01")}, C::kActorRoleNotAllowed);
  ExpectRejected(Actor{Role::kJointCommittee, "VN"}, WithdrawProject{"MN001", D("2026-04-01")},
                 C::kActorRoleNotAllowed);
  ExpectRejected(Actor{Role::kParticipant, "stranger"},
                 AddMonitoringPeriod{"MN001", P("2026-01-01..2026-06-30"), D("2026-04-01")},
                 C::kActorNotParticipant);
  ExpectRejected(Actor{Role::kTpe, "lrqa"},
                 SubmitVerification{"MN001", kPeriod, 1, Doc("v"), D("2026-04-01")},
                 C::kTpeNotDesignated);
  ExpectRejected(kManagerMn, ExecuteIssuance{"MN001", kPeriod, "JP", "", D("2026-04-01")},
                 C::kRegistryManagerWrongSide);
}

TEST_F(CycleRejection, ExistenceChecks) {
  SetUpPair();
  ExpectRejected(kGov, EstablishJointCommittee{"VN", {}, "s", D("2014-01-01")}, C::kUnknownParty);
  ExpectRejected(kGov, RegisterParty{"XX", "Nowhere", std::nullopt}, C::kUnknownParty);
  Accept(kGov, RegisterParty{"VN", "Viet Nam", std::nullopt});
  ExpectRejected(kProponent,
                 ProposeMethodology{"VN_PM001", "VN", "t", "p", 1, Doc("pm"), D("2025-01-01")},
                 C::kUnknownJointCommittee);
  ExpectRejected(kJc, DesignateTpe{"MN", "nobody", 1, TpeFunction::kValidation, D("2014-01-01")},
                 C::kUnknownOrganisation);
  SubmitPin pin = Pin();
  ExpectRejected(kJapanesePp, pin, C::kUnknownMethodology);  // MN_AM005 not yet approved
  ExpectRejected(kJc, DecidePin{"MN_PIN999", true, D("2025-03-20")}, C::kUnknownProject);
  SetUpMethodology();
  Accept(kJapanesePp, pin);
  ExpectRejected(kJapanesePp, pin, C::kAlreadyExists);
  ExpectRejected(kGov, RegisterParty{"MN", "Mongolia", std::nullopt}, C::kAlreadyExists);
}

TEST_F(CycleRejection, UnknownMonitoringPeriodAndReferenceTaken) {
  SetUpValidated();
  Accept(kSecretariat, RecordProject{"MN001",
                                     "MN",
                                     "old project",
                                     ProjectStatus::kRegistered,
                                     D("2017-01-01"),
                                     {"x"},
                                     {"y"},
                                     {}});
  Accept(kJapanesePp, RequestRegistration{"MN_PIN001", Allocation(), Doc("rr"), D("2025-06-01")});
  ExpectRejected(kJc, DecideRegistration{"MN_PIN001", true, "MN001", D("2025-07-01")},
                 C::kReferenceTaken);
  Event e = Accept(kJc, DecideRegistration{"MN_PIN001", true, "", D("2025-07-01")});
  EXPECT_EQ(std::get<DecideRegistration>(e.payload).reference, "MN002");
  ExpectRejected(kHostPp,
                 SubmitMonitoringReport{"MN002", kPeriod, 1, Doc("m"), "", {}, D("2026-01-15")},
                 C::kUnknownMonitoringPeriod);
}

TEST_F(CycleRejection, StateChecks) {
  SetUpPair();
  Accept(kProponent,
         ProposeMethodology{"MN_PM007", "MN", "Solar", "pacific", 1, Doc("pm"), D("2025-01-06")});
  ExpectRejected(kJc, DecideMethodology{"MN_PM007", true, "MN_AM005", "1.0", D("2025-01-07")},
                 C::kWrongMethodologyState);
  state_ = State();
  SetUpValidated();
  ExpectRejected(kJc, DecideRegistration{"MN_PIN001", true, "", D("2025-07-01")},
                 C::kWrongProjectState);
  SubmitPin other = Pin();
  other.pin_id = "MN_PIN002";
  other.methodology_version = "9.9";
  ExpectRejected(kJapanesePp, other, C::kMethodologyNotApproved);
}

TEST_F(CycleRejection, MonitoringStateAndExecutionChecks) {
  SetUpRegistered();
  Accept(kHostPp, AddMonitoringPeriod{"MN001", kPeriod, D("2025-07-02")});
  ExpectRejected(kTpe, SubmitVerification{"MN001", kPeriod, 1, Doc("v"), D("2026-02-01")},
                 C::kWrongMonitoringState);
  state_ = State();
  SetUpDecided();
  Accept(kManagerJp, ExecuteIssuance{"MN001", kPeriod, "JP", "", D("2026-03-10")});
  ExpectRejected(kManagerJp, ExecuteIssuance{"MN001", kPeriod, "JP", "", D("2026-03-11")},
                 C::kAlreadyExecuted);
  Accept(kSecretariat, RecordProject{"MN005",
                                     "MN",
                                     "T&D",
                                     ProjectStatus::kRegistered,
                                     D("2017-11-16"),
                                     {"NPTG"},
                                     {"Hitachi"},
                                     {}});
  Accept(kSecretariat,
         RecordIssuanceDecision{
             "MN005", P("2017-12-02..2018-12-31"), {{"MN", 1}, {"JP", 0}}, D("2019-05-17")});
  ExpectRejected(kManagerJp,
                 ExecuteIssuance{"MN005", P("2017-12-02..2018-12-31"), "JP", "", D("2019-05-20")},
                 C::kNothingToIssueOnSide);
}

TEST_F(CycleRejection, ContentChecksOnPinAndPdd) {
  SetUpPair();
  SetUpMethodology();
  SubmitPin pin = Pin();
  pin.pin_id = "MN-PIN-1";
  ExpectRejected(kJapanesePp, pin, C::kMalformedIdentifier);
  pin = Pin();
  pin.title = "";
  ExpectRejected(kJapanesePp, pin, C::kEmptyField);
  pin = Pin();
  pin.document.sha256 = "not-a-hash";
  ExpectRejected(kJapanesePp, pin, C::kMissingDocument);
  Accept(kJapanesePp, Pin());
  Accept(kJc, DecidePin{"MN_PIN001", true, D("2025-03-20")});
  ExpectRejected(kJapanesePp,
                 SubmitPdd{"MN_PIN001", Doc("pdd", true), std::nullopt, D("2025-04-01"), ""},
                 C::kConfidentialWithoutPublicCopy);
  ExpectRejected(kJapanesePp,
                 SubmitPdd{"MN_PIN001", Doc("pdd", true), Doc("pdd2", true), D("2025-04-01"), ""},
                 C::kConfidentialWithoutPublicCopy);
}

// Check 156 comes before every other: a text that is too long, not UTF-8 or holding a control
// character is refused whatever the actor and state (here the actor is not even allowed).
TEST_F(CycleRejection, TextChecksComeFirst) {
  SetUpPair();
  SetUpMethodology();
  SubmitPin pin = Pin();
  pin.title = std::string(kTextFieldBytesMax + 1, 'x');
  ExpectRejected(kHostPp, pin, C::kTextInvalid);
  pin.title = "Solar\nMN_PIN999\tforged";
  ExpectRejected(kJapanesePp, pin, C::kTextInvalid);
  pin.title = "Caf\xe9";
  ExpectRejected(kJapanesePp, pin, C::kTextInvalid);
  pin = Pin();
  pin.document.version = "1\r";  // nested fields are checked too
  ExpectRejected(kJapanesePp, pin, C::kTextInvalid);
  pin = Pin();
  pin.japanese_participants.push_back(std::string(kTextFieldBytesMax + 1, 'y'));
  ExpectRejected(kJapanesePp, pin, C::kTextInvalid);
  ExpectRejected(Actor{Role::kSecretariat, "s\n"}, RegisterOrganisation{"o", "O", "MN"},
                 C::kTextInvalid);
  pin = Pin();
  pin.title = std::string(kTextFieldBytesMax, 'x');  // the limit itself is fine
  Accept(kJapanesePp, pin);
}

TEST_F(CycleRejection, ReferencesCountriesAndScopes) {
  SetUpPair();
  for (const char* country : {"XX", "", "mn"}) {
    ExpectRejected(kSecretariat, RegisterOrganisation{"o", "O", country}, C::kMalformedIdentifier);
  }
  Accept(kSecretariat, RegisterOrganisation{"o", "O", "JP"});
  for (int64_t scope : {0, 16, 99, -1}) {
    ExpectRejected(
        kProponent,
        ProposeMethodology{"MN_PM077", "MN", "t", "p", scope, Doc("pm"), D("2025-01-01")},
        C::kMalformedIdentifier);
    ExpectRejected(kJc, DesignateTpe{"MN", "o", scope, TpeFunction::kValidation, D("2014-01-01")},
                   C::kMalformedIdentifier);
  }
  SetUpMethodology();
  SubmitPin pin = Pin();
  pin.sectoral_scope = 0;
  ExpectRejected(kJapanesePp, pin, C::kMalformedIdentifier);
  for (const char* reference : {"XX003", "JP001", "MN0003", "MN000", "MN+12", "MN-01"}) {
    ExpectRejected(
        kSecretariat,
        RecordProject{
            reference, "MN", "t", ProjectStatus::kRegistered, D("2017-01-01"), {}, {}, {}},
        C::kMalformedIdentifier);
  }
}

TEST_F(CycleRejection, RegistrationReferenceIsOfThePartner) {
  SetUpValidated();
  Accept(kJapanesePp, RequestRegistration{"MN_PIN001", Allocation(), Doc("rr"), D("2025-06-01")});
  for (const char* reference : {"XX003", "VN001", "MN0003", "MN000"}) {
    ExpectRejected(kJc, DecideRegistration{"MN_PIN001", true, reference, D("2025-07-01")},
                   C::kMalformedIdentifier);
  }
  Accept(kJc, DecideRegistration{"MN_PIN001", true, "MN007", D("2025-07-01")});
}

TEST_F(CycleRejection, AllocationChecks) {
  SetUpValidated();
  auto request = [&](std::vector<Share> shares) {
    return RequestRegistration{"MN_PIN001", std::move(shares), Doc("rr"), D("2025-06-01")};
  };
  ExpectRejected(kJapanesePp, request({{"JP", "government", 5000}, {"MN", "government", 4999}}),
                 C::kAllocationNotHundredPercent);
  ExpectRejected(kJapanesePp, request({{"JP", "government", 5000}, {"VN", "x", 5000}}),
                 C::kAllocationUnknownSide);
  ExpectRejected(kJapanesePp,
                 request({{"JP", "government", 4000}, {"JP", "sharp", 4000}, {"MN", "g", 2000}}),
                 C::kSubsidisedGojBelowHalf);
  ExpectRejected(kJapanesePp, request({{"JP", "government", 10001}, {"MN", "g", -1}}),
                 C::kNegativeAmount);
  // Exactly half is enough.
  Accept(kJapanesePp, request({{"JP", "government", 5000}, {"MN", "tenuun", 5000}}));
}

TEST_F(CycleRejection, UnsubsidisedProjectMayGiveGojLess) {
  SetUpPair();
  SetUpMethodology();
  Accept(kJapanesePp, Pin(FundingSource::kPrivate));
  Accept(kJc, DecidePin{"MN_PIN001", true, D("2025-03-20")});
  Accept(kJapanesePp, SubmitPdd{"MN_PIN001", Doc("pdd"), std::nullopt, D("2025-04-01"), ""});
  Accept(kTpe, SubmitValidation{"MN_PIN001", true, Doc("vr"), D("2025-05-15")});
  Accept(kJapanesePp,
         RequestRegistration{
             "MN_PIN001", {{"JP", "sharp", 9000}, {"MN", "t", 1000}}, Doc("rr"), D("2025-06-01")});
}

TEST_F(CycleRejection, QuantityChecks) {
  SetUpRegistered();
  Accept(kHostPp, AddMonitoringPeriod{"MN001", kPeriod, D("2025-07-02")});
  ExpectRejected(kHostPp,
                 AddMonitoringPeriod{"MN001", P("2025-12-31..2026-06-30"), D("2025-07-03")},
                 C::kMonitoringPeriodOverlap);
  ExpectRejected(kHostPp,
                 SubmitMonitoringReport{"MN001", kPeriod, -5, Doc("m"), "", {}, D("2026-01-15")},
                 C::kNegativeAmount);
  ExpectRejected(kHostPp,
                 SubmitMonitoringReport{"MN001", kPeriod, 5, Doc("m"), "", {}, D("2025-12-31")},
                 C::kPeriodNotEnded);
  // Above the limit is its own check, not "above verified" (136): nothing is verified yet.
  ExpectRejected(kHostPp,
                 SubmitMonitoringReport{
                     "MN001", kPeriod, kQuantityLimit_tco2e + 1, Doc("m"), "", {}, D("2026-01-15")},
                 C::kAmountAboveLimit);
  Accept(kHostPp,
         SubmitMonitoringReport{"MN001", kPeriod, 1000, Doc("m"), "", {}, D("2026-01-15")});
  ExpectRejected(kTpe, SubmitVerification{"MN001", kPeriod, 1001, Doc("v"), D("2026-02-01")},
                 C::kVerifiedAboveReported);
  Accept(kTpe, SubmitVerification{"MN001", kPeriod, 1000, Doc("v"), D("2026-02-01")});
  ExpectRejected(kJapanesePp, RequestIssuance{"MN001", kPeriod, 1001, Doc("i"), D("2026-02-10")},
                 C::kIssuanceAboveVerified);
  Accept(kJapanesePp, RequestIssuance{"MN001", kPeriod, 1000, Doc("i"), D("2026-02-10")});
  ExpectRejected(kJc, DecideIssuance{"MN001", kPeriod, 1001, {}, false, D("2026-03-01")},
                 C::kIssuanceAboveVerified);
  ExpectRejected(
      kJc,
      DecideIssuance{"MN001", kPeriod, 1000, {{"JP", 800}, {"MN", 199}}, false, D("2026-03-01")},
      C::kSideAmountsNotSummingToTotal);
  // The project is MOEJ-subsidised: a JC's own split must leave side JP at least half.
  ExpectRejected(
      kJc,
      DecideIssuance{"MN001", kPeriod, 1000, {{"JP", 499}, {"MN", 501}}, false, D("2026-03-01")},
      C::kSubsidisedGojBelowHalf);
  ExpectRejected(kJc,
                 DecideIssuance{"MN001",
                                kPeriod,
                                1000,
                                {{"JP", kQuantityLimit_tco2e + 1}, {"MN", 0}},
                                false,
                                D("2026-03-01")},
                 C::kAmountAboveLimit);
}

TEST_F(CycleRejection, VersionChecks) {
  SetUpPair();
  ExpectRejected(kJc, AdoptForm{"MN", "JCM_MN_F_PIN", "05.5", D("2024-06-01")},
                 C::kVersionNotIncreasing);
  ExpectRejected(kJc, AdoptForm{"MN", "JCM_VN_F_PIN", "07.0", D("2024-06-01")},
                 C::kMalformedIdentifier);
  SetUpMethodology();
  ExpectRejected(kJc, ReviseMethodology{"MN_AM005", "1.0", Doc("amr"), D("2025-09-01")},
                 C::kVersionNotIncreasing);
}

TEST_F(CycleRejection, DateChecks) {
  SetUpPair();
  SetUpMethodology();
  today_ = D("2025-03-01");
  SubmitPin pin = Pin();
  pin.date = D("2025-03-02");
  ExpectRejected(kJapanesePp, pin, C::kDateInFuture);
  Accept(kJapanesePp, Pin());
  ExpectRejected(kJc, DecidePin{"MN_PIN001", true, D("2025-02-28")}, C::kDateBeforePreviousStep);
}

TEST_F(CycleRejection, DeadlineChecks) {
  SetUpPair();
  Accept(kProponent,
         ProposeMethodology{"MN_PM007", "MN", "Solar", "pacific", 1, Doc("pm"), D("2025-01-06")});
  ExpectRejected(kSecretariat, CheckMethodologyCompleteness{"MN_PM007", true, D("2025-01-14")},
                 C::kDeadlinePassed);  // day 8
  Accept(kSecretariat, CheckMethodologyCompleteness{"MN_PM007", true, D("2025-01-13")});
  ExpectRejected(kJc, DecideMethodology{"MN_PM007", true, "MN_AM005", "1.0", D("2025-01-27")},
                 C::kDeadlineNotYetPassed);  // last day of public input
  ExpectRejected(kJc, DecideMethodology{"MN_PM007", true, "MN_AM005", "1.0", D("2025-03-29")},
                 C::kDeadlinePassed);  // day 61 after the window
  Accept(kJc, ExtendMethodologyConsideration{"MN_PM007", D("2025-03-01")});
  ExpectRejected(kJc, ExtendMethodologyConsideration{"MN_PM007", D("2025-03-02")},
                 C::kExtensionNotAllowed);
  Accept(kJc, DecideMethodology{"MN_PM007", true, "MN_AM005", "1.0", D("2025-03-29")});

  Accept(kJapanesePp, Pin());
  Accept(kJc, DecidePin{"MN_PIN001", true, D("2025-04-01")});
  Accept(kJapanesePp, SubmitPdd{"MN_PIN001", Doc("pdd"), std::nullopt, D("2025-04-01"), ""});
  ExpectRejected(kTpe, SubmitValidation{"MN_PIN001", true, Doc("v"), D("2025-04-30")},
                 C::kDeadlineNotYetPassed);  // PDD public input still open
  Accept(kTpe, SubmitValidation{"MN_PIN001", true, Doc("v"), D("2025-05-01")});
}

// Every enumerator has a distinct stable name, and the numbering stays above the ledger's.
TEST(CycleCheckNames, AreDistinctAndAbove99) {
  std::set<std::string_view> names;
  int count = 0;
  for (uint16_t n = 0; n < 1000; ++n) {
    auto name = CycleCheckName(static_cast<CycleCheck>(n));
    if (name == "unknown") continue;
    ++count;
    EXPECT_GE(n, 100);
    EXPECT_TRUE(names.insert(name).second) << name;
  }
  EXPECT_EQ(count, 39);  // the enumerators in cycle_check.h
}

}  // namespace
}  // namespace jcm::cycle::testing
