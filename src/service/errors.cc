#include "service/errors.h"

namespace jcm::service {

Rejection FromLedger(const ledger::Rejection& rejection) {
  return {static_cast<int>(rejection.check), std::string(ledger::CheckName(rejection.check)),
          rejection.message};
}

Rejection FromCycle(const cycle::Rejection& rejection) {
  return {static_cast<int>(rejection.number()), std::string(rejection.name()), rejection.message};
}

std::string_view ServiceCheckName(ServiceCheck check) {
  switch (check) {
    case ServiceCheck::kMrvMethodologyNotOfProject:
      return "mrv_methodology_not_of_project";
    case ServiceCheck::kMrvProjectIneligible:
      return "mrv_project_ineligible";
    case ServiceCheck::kMrvPeriodNotIssuable:
      return "mrv_period_not_issuable";
    case ServiceCheck::kMrvEvidenceAltered:
      return "mrv_evidence_altered";
    case ServiceCheck::kMrvResultAltered:
      return "mrv_result_altered";
    case ServiceCheck::kMrvRecomputationFailed:
      return "mrv_recomputation_failed";
    case ServiceCheck::kMrvResultDiffers:
      return "mrv_result_differs";
    case ServiceCheck::kMrvReportedFigureDiffers:
      return "mrv_reported_figure_differs";
    case ServiceCheck::kWitnessExists:
      return "witness_exists";
    case ServiceCheck::kWitnessUnknown:
      return "witness_unknown";
    case ServiceCheck::kCosignedHeadUnknown:
      return "cosigned_head_unknown";
    case ServiceCheck::kCosignatureInvalid:
      return "cosignature_invalid";
    case ServiceCheck::kHeadNotSignedByRegistry:
      return "head_not_signed_by_registry";
    case ServiceCheck::kHeadNotExtendingLast:
      return "head_not_extending_last";
    case ServiceCheck::kWitnessNotConfigured:
      return "witness_not_configured";
    case ServiceCheck::kApplicationPendingExists:
      return "application_pending_exists";
    case ServiceCheck::kApplicationDecided:
      return "application_decided";
    case ServiceCheck::kApplicantDecides:
      return "applicant_decides";
    case ServiceCheck::kRejectionWithoutReason:
      return "rejection_without_reason";
  }
  return "unknown";
}

Rejection FromService(ServiceCheck check, std::string message) {
  return {static_cast<int>(check), std::string(ServiceCheckName(check)), std::move(message)};
}

}  // namespace jcm::service
