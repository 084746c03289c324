// Test fixture: a Japan–Mongolia pair set up step by step through Decide and Apply, with every
// accepted event also round-tripped through the journal codec (as replay would read it).
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "core/sha256.h"
#include "cycle/codec.h"
#include "cycle/decide.h"
#include "cycle/state.h"

namespace jcm::cycle::testing {

inline core::Date D(std::string_view iso) { return core::Date::Parse(iso).value(); }
inline core::Period P(std::string_view text) { return core::Period::Parse(text).value(); }
inline Document Doc(std::string_view type, bool confidential = false) {
  return Document{core::Sha256Hex(std::string(type) + (confidential ? "-c" : "")),
                  std::string(type), "1", confidential};
}

inline const Actor kGov{Role::kGovernment, "JP"};
inline const Actor kSecretariat{Role::kSecretariat, "MN"};
inline const Actor kJc{Role::kJointCommittee, "MN"};
inline const Actor kProponent{Role::kProponent, "pacific"};
inline const Actor kHostPp{Role::kParticipant, "tenuun"};
inline const Actor kJapanesePp{Role::kParticipant, "sharp"};
inline const Actor kTpe{Role::kTpe, "jqa"};
inline const Actor kManagerJp{Role::kRegistryManager, "JP"};
inline const Actor kManagerMn{Role::kRegistryManager, "MN"};

class CycleFixture : public ::testing::Test {
 protected:
  // Decides with today_; expects acceptance; applies the event as decoded from its journal form.
  Event Accept(const Actor& actor, Payload payload) {
    Outcome outcome = Decide(state_, Command{actor, std::move(payload)}, today_);
    if (auto* rejection = std::get_if<Rejection>(&outcome)) {
      ADD_FAILURE() << "rejected " << rejection->number() << " " << rejection->name() << ": "
                    << rejection->message;
      return {};
    }
    Event event = std::get<Event>(outcome);
    EncodedEvent encoded = EncodeEvent(event);
    auto decoded = DecodeEvent(encoded.kind, core::Record::Decode(encoded.body.Encode()).value());
    EXPECT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_TRUE(*decoded == event);
    Apply(state_, *decoded);
    journal_.push_back(std::move(encoded));
    return event;
  }

  // Expects the command rejected by `check`. (Decide takes the state by const reference, so a
  // rejection cannot change it; nothing to check there.)
  void ExpectRejected(const Actor& actor, Payload payload, CycleCheck check) {
    Outcome outcome = Decide(state_, Command{actor, std::move(payload)}, today_);
    ASSERT_TRUE(IsRejection(outcome)) << "expected rejection " << CycleCheckName(check);
    const Rejection& rejection = std::get<Rejection>(outcome);
    EXPECT_EQ(rejection.check, check) << "got " << rejection.name() << ": " << rejection.message;
    EXPECT_FALSE(rejection.message.empty());
  }

  void SetUpPair() {
    Accept(kGov, RegisterParty{"MN", "Mongolia", D("2013-01-08")});
    Accept(kGov, EstablishJointCommittee{
                     "MN", {"MOFA", "MOEJ", "MET"}, "JC secretariat MN", D("2013-03-01")});
    Accept(kJc, AdoptForm{"MN", "JCM_MN_F_PIN", "05.0", D("2020-01-01")});
    Accept(kJc, AdoptForm{"MN", "JCM_MN_F_PIN", "06.0", D("2024-01-01")});
    for (const char* org : {"jqa", "tenuun", "sharp", "pacific"}) {
      Accept(kSecretariat, RegisterOrganisation{org, std::string(org) + " Ltd.", "MN"});
    }
    Accept(kJc, DesignateTpe{"MN", "jqa", 1, TpeFunction::kValidation, D("2014-01-01")});
    Accept(kJc, DesignateTpe{"MN", "jqa", 1, TpeFunction::kVerification, D("2014-01-01")});
  }

  void SetUpMethodology() {
    Accept(kProponent, ProposeMethodology{"MN_PM007", "MN", "Solar PV", "pacific", 1,
                                          Doc("proposed_methodology"), D("2025-01-06")});
    Accept(kSecretariat, CheckMethodologyCompleteness{"MN_PM007", true, D("2025-01-10")});
    Accept(kJc, DecideMethodology{"MN_PM007", true, "MN_AM005", "1.0", D("2025-02-10")});
  }

  SubmitPin Pin(FundingSource funding = FundingSource::kMoejSubsidy) {
    return SubmitPin{
        "MN_PIN001", "MN", "5 MW solar", {"tenuun"}, {"sharp"},       "sharp", "MN_AM005",
        "1.0",       1,    funding,      Doc("pin"), D("2025-03-01"), ""};
  }

  static std::vector<Share> Allocation() {
    return {{"JP", "government", 5000},
            {"JP", "sharp", 3000},
            {"MN", "government", 1000},
            {"MN", "tenuun", 1000}};
  }

  // PIN through validation; the project is "validated".
  void SetUpValidated() {
    SetUpPair();
    SetUpMethodology();
    Accept(kJapanesePp, Pin());
    Accept(kJc, DecidePin{"MN_PIN001", true, D("2025-03-20")});
    Accept(kJapanesePp, SubmitPdd{"MN_PIN001", Doc("pdd", true), Doc("pdd"), D("2025-04-01"), ""});
    Accept(kTpe, SubmitValidation{"MN_PIN001", true, Doc("validation_report"), D("2025-05-15")});
  }

  void SetUpRegistered() {
    SetUpValidated();
    Accept(kJapanesePp, RequestRegistration{"MN_PIN001", Allocation(), Doc("registration_request"),
                                            D("2025-06-01")});
    Accept(kJc, DecideRegistration{"MN_PIN001", true, "", D("2025-07-01")});
  }

  inline static const core::Period kPeriod =
      core::Period{core::Date::FromCivil(2025, 7, 1), core::Date::FromCivil(2025, 12, 31)};

  void SetUpVerified(int64_t verified = 1001) {
    SetUpRegistered();
    Accept(kHostPp, AddMonitoringPeriod{"MN001", kPeriod, D("2025-07-02")});
    Accept(kHostPp, SubmitMonitoringReport{"MN001",
                                           kPeriod,
                                           1001,
                                           Doc("monitoring_report"),
                                           core::Sha256Hex("calc"),
                                           {core::Sha256Hex("in")},
                                           D("2026-01-15")});
    Accept(kTpe, SubmitVerification{"MN001", kPeriod, verified, Doc("verification_report"),
                                    D("2026-02-01")});
  }

  void SetUpDecided() {
    SetUpVerified();
    Accept(kJapanesePp,
           RequestIssuance{"MN001", kPeriod, 1001, Doc("issuance_request"), D("2026-02-10")});
    Accept(kJc, DecideIssuance{"MN001", kPeriod, 1001, {}, true, D("2026-03-01")});
  }

  State state_;
  std::vector<EncodedEvent> journal_;  // every accepted event, in order
  core::Date today_ = core::Date::FromCivil(2030, 1, 1);
};

}  // namespace jcm::cycle::testing
