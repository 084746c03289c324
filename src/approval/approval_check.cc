#include "approval/approval_check.h"

namespace jcm::approval {

// A switch (not a table) so that -Wswitch fails the build when a check has no name.
std::string_view ApprovalCheckName(ApprovalCheck check) {
  switch (check) {
    // clang-format off
    case ApprovalCheck::kKeyReused: return "approval_key_reused";
    case ApprovalCheck::kProposalUnknown: return "proposal_unknown";
    case ApprovalCheck::kAccountUnknown: return "account_unknown";
    case ApprovalCheck::kRightMissing: return "right_missing";
    case ApprovalCheck::kApproverIsInitiator: return "approver_is_initiator";
    case ApprovalCheck::kProposalNotPending: return "proposal_not_pending";
    case ApprovalCheck::kProposalExpired: return "proposal_expired";
    case ApprovalCheck::kCancelNotAllowed: return "cancel_not_allowed";
    case ApprovalCheck::kProposalNotCancellable: return "proposal_not_cancellable";
    case ApprovalCheck::kTrustedSelf: return "trusted_self";
    case ApprovalCheck::kTrustedExists: return "trusted_exists";
    case ApprovalCheck::kTrustedEntryUnknown: return "trusted_entry_unknown";
    case ApprovalCheck::kTrustedOtherRegistry: return "trusted_other_registry";
    case ApprovalCheck::kRulesGovernmentAccount: return "rules_government_account";
      // clang-format on
  }
  return "unknown_approval_check";
}

}  // namespace jcm::approval
