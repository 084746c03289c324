#include "article6/article6_check.h"

namespace jcm::article6 {

// A switch (not a table) so that -Wswitch fails the build when a check has no name.
std::string_view Article6CheckName(Article6Check check) {
  switch (check) {
    // clang-format off
    case Article6Check::kPartyMalformed: return "party_malformed";
    case Article6Check::kAuthorisationIdMalformed: return "authorisation_id_malformed";
    case Article6Check::kCooperativeApproachMalformed: return "cooperative_approach_malformed";
    case Article6Check::kMetricUnknown: return "metric_unknown";
    case Article6Check::kSectorUnknown: return "sector_unknown";
    case Article6Check::kActivityTypeUnknown: return "activity_type_unknown";
    case Article6Check::kPurposeUnknown: return "purpose_unknown";
    case Article6Check::kFirstTransferDefinitionUnknown: return "first_transfer_definition_unknown";
    case Article6Check::kFirstTransferDefinitionMissing: return "first_transfer_definition_missing";
    case Article6Check::kFirstTransferDefinitionNotApplied:
      return "first_transfer_definition_not_applicable";
    case Article6Check::kQuantityCapInvalid: return "quantity_cap_invalid";
    case Article6Check::kTimeframeMalformed: return "timeframe_malformed";
    case Article6Check::kEntityMalformed: return "entity_malformed";
    case Article6Check::kVersionExists: return "authorisation_version_exists";
    case Article6Check::kVersionNotNext: return "authorisation_version_not_next";
    case Article6Check::kDateBeforeSuperseded: return "authorisation_date_before_superseded";
    case Article6Check::kCooperativeApproachChanged: return "cooperative_approach_changed";
    case Article6Check::kAuthorisationUnknown: return "authorisation_unknown";
    case Article6Check::kNdcTypeUnknown: return "ndc_type_unknown";
    case Article6Check::kCaMethodUnknown: return "ca_method_unknown";
    case Article6Check::kCaMethodContradictsNdcType: return "ca_method_contradicts_ndc_type";
    case Article6Check::kNdcPeriodInvalid: return "ndc_period_invalid";
    case Article6Check::kNdcVersionNotNext: return "ndc_version_not_next";
    case Article6Check::kNdcVersionExists: return "ndc_version_exists";
    case Article6Check::kAefValueInvalid: return "aef_value_invalid";
    case Article6Check::kAefYearNotOver: return "aef_year_not_over";
    case Article6Check::kAefNdcNotDeclared: return "aef_ndc_not_declared";
    case Article6Check::kAefNotReconciled: return "aef_not_reconciled";
      // clang-format on
  }
  return "unknown_article6_check";
}

}  // namespace jcm::article6
