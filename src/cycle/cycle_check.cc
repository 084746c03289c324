#include "cycle/cycle_check.h"

namespace jcm::cycle {

std::string_view CycleCheckName(CycleCheck check) {
  switch (check) {
    case CycleCheck::kActorRoleNotAllowed:
      return "ActorRoleNotAllowed";
    case CycleCheck::kActorNotParticipant:
      return "ActorNotParticipant";
    case CycleCheck::kTpeNotDesignated:
      return "TpeNotDesignated";
    case CycleCheck::kRegistryManagerWrongSide:
      return "RegistryManagerWrongSide";
    case CycleCheck::kUnknownParty:
      return "UnknownParty";
    case CycleCheck::kUnknownJointCommittee:
      return "UnknownJointCommittee";
    case CycleCheck::kUnknownOrganisation:
      return "UnknownOrganisation";
    case CycleCheck::kUnknownMethodology:
      return "UnknownMethodology";
    case CycleCheck::kUnknownProject:
      return "UnknownProject";
    case CycleCheck::kUnknownMonitoringPeriod:
      return "UnknownMonitoringPeriod";
    case CycleCheck::kAlreadyExists:
      return "AlreadyExists";
    case CycleCheck::kReferenceTaken:
      return "ReferenceTaken";
    case CycleCheck::kWrongMethodologyState:
      return "WrongMethodologyState";
    case CycleCheck::kWrongProjectState:
      return "WrongProjectState";
    case CycleCheck::kWrongMonitoringState:
      return "WrongMonitoringState";
    case CycleCheck::kMethodologyNotApproved:
      return "MethodologyNotApproved";
    case CycleCheck::kAlreadyExecuted:
      return "AlreadyExecuted";
    case CycleCheck::kNothingToIssueOnSide:
      return "NothingToIssueOnSide";
    case CycleCheck::kMalformedIdentifier:
      return "MalformedIdentifier";
    case CycleCheck::kMissingDocument:
      return "MissingDocument";
    case CycleCheck::kConfidentialWithoutPublicCopy:
      return "ConfidentialWithoutPublicCopy";
    case CycleCheck::kAllocationNotHundredPercent:
      return "AllocationNotHundredPercent";
    case CycleCheck::kAllocationUnknownSide:
      return "AllocationUnknownSide";
    case CycleCheck::kSubsidisedGojBelowHalf:
      return "SubsidisedGojBelowHalf";
    case CycleCheck::kIssuanceAboveVerified:
      return "IssuanceAboveVerified";
    case CycleCheck::kSideAmountsNotSummingToTotal:
      return "SideAmountsNotSummingToTotal";
    case CycleCheck::kMonitoringPeriodOverlap:
      return "MonitoringPeriodOverlap";
    case CycleCheck::kNegativeAmount:
      return "NegativeAmount";
    case CycleCheck::kVersionNotIncreasing:
      return "VersionNotIncreasing";
    case CycleCheck::kVerifiedAboveReported:
      return "VerifiedAboveReported";
    case CycleCheck::kEmptyField:
      return "EmptyField";
    case CycleCheck::kDateInFuture:
      return "DateInFuture";
    case CycleCheck::kDateBeforePreviousStep:
      return "DateBeforePreviousStep";
    case CycleCheck::kDeadlineNotYetPassed:
      return "DeadlineNotYetPassed";
    case CycleCheck::kDeadlinePassed:
      return "DeadlinePassed";
    case CycleCheck::kPeriodNotEnded:
      return "PeriodNotEnded";
    case CycleCheck::kExtensionNotAllowed:
      return "ExtensionNotAllowed";
  }
  return "Unknown";
}

}  // namespace jcm::cycle
