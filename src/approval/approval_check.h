// ApprovalCheck: the numbered rules of four-eyes approval and trusted-account lists
// (docs/checks.md, "Four eyes and trusted accounts").
//
// Persisted and public: a rejection's number is returned by the CLI and the API. DO NOT
// RENUMBER OR REUSE A VALUE; append new checks. 400–439, beside the ledger's (1–99), the
// cycle's (100–199), the service's (200–299) and identity's (300–399). Checks run in ascending
// number order; approving then asks for the approver's TOTP code (identity's 311–314), and the
// ledger's own checks run again when an approved proposal executes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace jcm::approval {

enum class ApprovalCheck : uint16_t {
  kKeyReused = 400,               // the idempotency key was used for another request
  kProposalUnknown = 401,         // no proposal with this id
  kAccountUnknown = 402,          // the source, listing or trusted account does not exist
  kRightMissing = 403,            // no role of the principal gives the right on the account
  kApproverIsInitiator = 404,     // four eyes: the initiator may not approve or reject
  kProposalNotPending = 405,      // approve/reject of a proposal not awaiting approval
  kProposalExpired = 406,         // its lifetime ended before the approval
  kCancelNotAllowed = 407,        // only the initiator, or once approved an approver, cancels
  kProposalNotCancellable = 408,  // completed, rejected, cancelled, expired or failed
  kTrustedSelf = 409,             // an account cannot trust itself
  kTrustedExists = 410,           // the account is already on the list
  kTrustedEntryUnknown = 411,     // no live entry with this id on this account's list
  kTrustedOtherRegistry = 412,    // units never move between registries (ledger check 16)
  kRulesGovernmentAccount = 413,  // a government account's transfers keep the second approval
};

// Stable snake_case name ("approver_is_initiator": the enumerator without its k).
std::string_view ApprovalCheckName(ApprovalCheck check);

struct Rejection {
  ApprovalCheck check = ApprovalCheck::kRightMissing;
  std::string message;

  uint16_t number() const { return static_cast<uint16_t>(check); }
  std::string_view name() const { return ApprovalCheckName(check); }
};

}  // namespace jcm::approval
