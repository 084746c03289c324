// Article6Check: the numbered rules of Article 6.2 authorisations (docs/checks.md, "Article 6").
//
// Persisted and public: a rejection's number is returned by the CLI and the API. DO NOT
// RENUMBER OR REUSE A VALUE; append new checks. 600–649, beside the ledger's (1–99), the
// cycle's (100–199), the service's (200–299), identity's (300–399) and approval's (400–439).
// Checks run in ascending number order: first the values of the request against the
// nomenclature's controlled vocabularies (600–612), then the request against the recorded
// versions of the same authorisation (613–616).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace jcm::article6 {

enum class Article6Check : uint16_t {
  kPartyMalformed = 600,                     // a Party is not three capital letters (alpha-3)
  kAuthorisationIdMalformed = 601,           // not [A-Za-z0-9 -]+, or longer than 100 bytes
  kCooperativeApproachMalformed = 602,       // not CANNNN
  kMetricUnknown = 603,                      // not GHG or non-GHG
  kSectorUnknown = 604,                      // none given, or not one of the nine sectors
  kActivityTypeUnknown = 605,                // not one of the 27 activity types
  kPurposeUnknown = 606,                     // not NDC, OIMP, IMP, OP or "NDC and …"
  kFirstTransferDefinitionUnknown = 607,     // not Authorisation, Issuance, Use or Cancellation
  kFirstTransferDefinitionMissing = 608,     // the purposes cover OIMP and none is given
  kFirstTransferDefinitionNotApplied = 609,  // given for an authorisation for NDC use only
  kQuantityCapInvalid = 610,                 // a cap that is not a positive number of tCO2e
  kTimeframeMalformed = 611,                 // not "YYYY - YYYY" with first <= last
  kEntityMalformed = 612,                    // an authorised entity empty or over 200 bytes
  kVersionExists = 613,         // this version is recorded with other content (nothing is edited)
  kVersionNotNext = 614,        // the version does not supersede the latest (latest + 1, first 1)
  kDateBeforeSuperseded = 615,  // a new version dated before the version it supersedes
  kCooperativeApproachChanged = 616,  // a new version names another cooperative approach
  kAuthorisationUnknown = 617,        // units cite an authorisation that is not recorded
  // 620 and 621 are the ledger's (ledger/check_code.h): the cap and units already authorised.
  // Corresponding adjustments: a Party's NDC declaration (corresponding_adjustment.h).
  kNdcTypeUnknown = 640,              // not single-year or multi-year
  kCaMethodUnknown = 641,             // not trajectory, averaging or multi-year
  kCaMethodContradictsNdcType = 642,  // a method of para 7(a) for a multi-year NDC, or 7(b) for a
                                      // single-year one
  kNdcPeriodInvalid = 643,            // years outside 2000–2100, out of order, or a multi-year
                                      // NDC of one year
  kNdcVersionNotNext = 644,           // the version does not supersede the latest (latest + 1)
  kNdcVersionExists = 645,            // this version is recorded with other content
  // The AEF (aef.h, service/aef.h).
  kAefValueInvalid = 646,    // a cell not of its table's form (names the table, row, field)
  kAefYearNotOver = 647,     // a submission of a year that is not over (T4 is its 31 December)
  kAefNdcNotDeclared = 648,  // the Party declared no NDC (T1 needs its first and last years)
  kAefNotReconciled = 649,   // a submission whose consistency checks found a difference
};

// Stable snake_case name ("version_not_next").
std::string_view Article6CheckName(Article6Check check);

struct Rejection {
  Article6Check check = Article6Check::kVersionNotNext;
  std::string message;

  uint16_t number() const { return static_cast<uint16_t>(check); }
  std::string_view name() const { return Article6CheckName(check); }
};

}  // namespace jcm::article6
