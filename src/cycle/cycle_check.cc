#include "cycle/cycle_check.h"

namespace jcm::cycle {

// A switch (not a table) so that -Wswitch fails the build when a check has no name; one line per
// case, as a table reads.
std::string_view CycleCheckName(CycleCheck check) {
  switch (check) {
    // clang-format off
    case CycleCheck::kActorRoleNotAllowed: return "actor_role_not_allowed";
    case CycleCheck::kActorNotParticipant: return "actor_not_participant";
    case CycleCheck::kTpeNotDesignated: return "tpe_not_designated";
    case CycleCheck::kRegistryManagerWrongSide: return "registry_manager_wrong_side";
    case CycleCheck::kUnknownParty: return "unknown_party";
    case CycleCheck::kUnknownJointCommittee: return "unknown_joint_committee";
    case CycleCheck::kUnknownOrganisation: return "unknown_organisation";
    case CycleCheck::kUnknownMethodology: return "unknown_methodology";
    case CycleCheck::kUnknownProject: return "unknown_project";
    case CycleCheck::kUnknownMonitoringPeriod: return "unknown_monitoring_period";
    case CycleCheck::kAlreadyExists: return "already_exists";
    case CycleCheck::kReferenceTaken: return "reference_taken";
    case CycleCheck::kWrongMethodologyState: return "wrong_methodology_state";
    case CycleCheck::kWrongProjectState: return "wrong_project_state";
    case CycleCheck::kWrongMonitoringState: return "wrong_monitoring_state";
    case CycleCheck::kMethodologyNotApproved: return "methodology_not_approved";
    case CycleCheck::kAlreadyExecuted: return "already_executed";
    case CycleCheck::kNothingToIssueOnSide: return "nothing_to_issue_on_side";
    case CycleCheck::kMalformedIdentifier: return "malformed_identifier";
    case CycleCheck::kMissingDocument: return "missing_document";
    case CycleCheck::kConfidentialWithoutPublicCopy: return "confidential_without_public_copy";
    case CycleCheck::kAllocationNotHundredPercent: return "allocation_not_hundred_percent";
    case CycleCheck::kAllocationUnknownSide: return "allocation_unknown_side";
    case CycleCheck::kSubsidisedGojBelowHalf: return "subsidised_goj_below_half";
    case CycleCheck::kIssuanceAboveVerified: return "issuance_above_verified";
    case CycleCheck::kSideAmountsNotSummingToTotal: return "side_amounts_not_summing_to_total";
    case CycleCheck::kMonitoringPeriodOverlap: return "monitoring_period_overlap";
    case CycleCheck::kNegativeAmount: return "negative_amount";
    case CycleCheck::kVersionNotIncreasing: return "version_not_increasing";
    case CycleCheck::kVerifiedAboveReported: return "verified_above_reported";
    case CycleCheck::kEmptyField: return "empty_field";
    case CycleCheck::kAmountAboveLimit: return "amount_above_limit";
    case CycleCheck::kDateInFuture: return "date_in_future";
    case CycleCheck::kDateBeforePreviousStep: return "date_before_previous_step";
    case CycleCheck::kDeadlineNotYetPassed: return "deadline_not_yet_passed";
    case CycleCheck::kDeadlinePassed: return "deadline_passed";
    case CycleCheck::kPeriodNotEnded: return "period_not_ended";
    case CycleCheck::kExtensionNotAllowed: return "extension_not_allowed";
    case CycleCheck::kTextInvalid: return "text_invalid";
      // clang-format on
  }
  return "unknown";
}

}  // namespace jcm::cycle
