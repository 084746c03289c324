// CycleCheck: the numbered business rules of the project cycle (docs/checks.md, "Project cycle").
//
// Persisted and public: a rejection's number is journaled in audit records and returned by the
// CLI and API. DO NOT RENUMBER OR REUSE A VALUE; append new checks. Numbers start at 100 so they
// never collide with the ledger's checks (1..99). Within one command the checks run in the order
// written in docs/checks.md: actor first, then existence, then state, then content, then dates.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace jcm::cycle {

enum class CycleCheck : uint16_t {
  // Actor.
  kActorRoleNotAllowed = 100,       // this role may not issue this command
  kActorNotParticipant = 101,       // the participant is not a participant of the project
  kTpeNotDesignated = 102,          // TPE not designated by this JC for the scope and function
  kRegistryManagerWrongSide = 103,  // a registry manager acts only in its own registry
  // Existence.
  kUnknownParty = 110,
  kUnknownJointCommittee = 111,
  kUnknownOrganisation = 112,
  kUnknownMethodology = 113,
  kUnknownProject = 114,
  kUnknownMonitoringPeriod = 115,
  kAlreadyExists = 116,   // the id, code or fact is already recorded
  kReferenceTaken = 117,  // the project reference is already used
  // State.
  kWrongMethodologyState = 120,
  kWrongProjectState = 121,
  kWrongMonitoringState = 122,
  kMethodologyNotApproved = 123,  // the project names a methodology version not approved
  kAlreadyExecuted = 124,         // this side already executed this issuance decision
  kNothingToIssueOnSide = 125,    // the decision notified 0 to this side
  // Content.
  kMalformedIdentifier = 130,  // e.g. a PIN id not of the form <CC>_PIN<nnn>
  kMissingDocument = 131,      // a required document (hash) is absent or not SHA-256 hex
  kConfidentialWithoutPublicCopy = 132,
  kAllocationNotHundredPercent = 133,
  kAllocationUnknownSide = 134,   // a share names a side other than JP or the partner
  kSubsidisedGojBelowHalf = 135,  // subsidised project gives the Government of Japan < 50 %
  kIssuanceAboveVerified = 136,   // requested or decided total above the verified amount
  kSideAmountsNotSummingToTotal = 137,
  kMonitoringPeriodOverlap = 138,
  kNegativeAmount = 139,
  kVersionNotIncreasing = 140,  // a form or methodology version must increase
  kVerifiedAboveReported = 141,
  kEmptyField = 142,        // a required text field is empty
  kAmountAboveLimit = 143,  // a quantity above kQuantityLimit_tco2e (command.h)
  // Dates and deadlines.
  kDateInFuture = 150,            // the command's date is after today
  kDateBeforePreviousStep = 151,  // the command's date precedes the step it follows
  kDeadlineNotYetPassed = 152,    // e.g. a public-input window is still open
  kDeadlinePassed = 153,          // e.g. completeness check after 7 days, JC after 60/90 days
  kPeriodNotEnded = 154,          // monitoring report for a period not yet ended
  kExtensionNotAllowed = 155,     // consideration already extended (max 90 days)
  // Input, checked before all others: a text field over kTextFieldBytesMax bytes (command.h),
  // not UTF-8, or holding a control character.
  kTextInvalid = 156,
};

// Stable snake_case name ("actor_role_not_allowed": the enumerator without its k), for JSON
// and logs, in the style of the ledger's check names.
std::string_view CycleCheckName(CycleCheck check);

// A business rejection: the check that failed and a sentence for the user.
struct Rejection {
  CycleCheck check = CycleCheck::kActorRoleNotAllowed;
  std::string message;

  uint16_t number() const { return static_cast<uint16_t>(check); }
  std::string_view name() const { return CycleCheckName(check); }
};

}  // namespace jcm::cycle
