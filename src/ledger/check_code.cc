#include "ledger/check_code.h"

namespace jcm::ledger {

namespace {

// The Article 6 checks run by the ledger (620–649); "unknown_check" for any other code.
std::string_view Article6CheckName(CheckCode code) {
  switch (code) {
    case CheckCode::kArticle6CapExceeded:
      return "authorisation_cap_exceeded";
    case CheckCode::kArticle6UnitsAlreadyAuthorised:
      return "units_already_authorised";
    case CheckCode::kVintageAmountsMismatch:
      return "vintage_amounts_mismatch";
    case CheckCode::kVintageYearsInvalid:
      return "vintage_years_invalid";
    case CheckCode::kUseYearInvalid:
      return "use_year_invalid";
    case CheckCode::kUseYearNotNdc:
      return "use_year_not_ndc";
    case CheckCode::kCancellationPurposeInvalid:
      return "cancellation_purpose_invalid";
    default:
      return "unknown_check";
  }
}

// The checks on external transfers' units run by the ledger (830–849).
std::string_view ExchangeCheckName(CheckCode code) {
  switch (code) {
    case CheckCode::kUnitsReserved:
      return "units_reserved";
    case CheckCode::kExternalDestinationInvalid:
      return "external_destination_invalid";
    case CheckCode::kReservationNotOpen:
      return "reservation_not_open";
    case CheckCode::kIncomingBlocksInvalid:
      return "incoming_blocks_invalid";
    default:
      return "unknown_check";
  }
}

}  // namespace

std::string_view CheckName(CheckCode code) {
  switch (code) {
    case CheckCode::kIdempotencyKeyReused:
      return "idempotency_key_reused";
    case CheckCode::kQuantityNotPositive:
      return "quantity_not_positive";
    case CheckCode::kQuantityAboveLimit:
      return "quantity_above_limit";
    case CheckCode::kSerialRangeInvalid:
      return "serial_range_invalid";
    case CheckCode::kRegistryUnknown:
      return "registry_unknown";
    case CheckCode::kDetailsInvalid:
      return "details_invalid";
    case CheckCode::kSourceAccountNumberInvalid:
      return "source_account_number_invalid";
    case CheckCode::kSourceAccountUnknown:
      return "source_account_unknown";
    case CheckCode::kSourceAccountNotOpen:
      return "source_account_not_open";
    case CheckCode::kSourceAccountMayNotSend:
      return "source_account_may_not_send";
    case CheckCode::kDestinationAccountNumberInvalid:
      return "destination_account_number_invalid";
    case CheckCode::kDestinationAccountUnknown:
      return "destination_account_unknown";
    case CheckCode::kDestinationAccountNotOpen:
      return "destination_account_not_open";
    case CheckCode::kDestinationAccountMayNotReceive:
      return "destination_account_may_not_receive";
    case CheckCode::kSameAccount:
      return "same_account";
    case CheckCode::kDifferentRegistries:
      return "different_registries";
    case CheckCode::kUnitsInsufficient:
      return "units_insufficient";
    case CheckCode::kSerialsNotHeld:
      return "serials_not_held";
    case CheckCode::kUnitsNotAuthorised:
      return "units_not_authorised";
    case CheckCode::kTooManyBlocks:
      return "too_many_blocks";
    case CheckCode::kAccountStateChangeInvalid:
      return "account_state_change_invalid";
    case CheckCode::kRegistryExists:
      return "registry_exists";
    case CheckCode::kEventFamilyMoved:
      return "event_family_moved";
    case CheckCode::kDecisionUnknown:
      return "decision_unknown";
    case CheckCode::kDecisionMismatch:
      return "decision_mismatch";
    case CheckCode::kDecisionExceeded:
      return "decision_exceeded";
    case CheckCode::kDecisionRecordInvalid:
      return "decision_record_invalid";
    case CheckCode::kSerialsExhausted:
      return "serials_exhausted";
    default:  // the Article 6 and exchange checks the ledger runs
      break;
  }
  const std::string_view article6 = Article6CheckName(code);
  return article6 != "unknown_check" ? article6 : ExchangeCheckName(code);
}

}  // namespace jcm::ledger
