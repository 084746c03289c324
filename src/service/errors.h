// The service layer's error model, shared by every front end (docs/architecture.md):
//
//   core::Result<OrRejection<T>>
//     ├─ an error Status   the operation could not be carried out (I/O, corrupt data: kDataLoss;
//     │                    a malformed request: kInvalidArgument; a missing object: kNotFound;
//     │                    the registry not in a state to run it: kFailedPrecondition)
//     └─ OrRejection<T>
//          ├─ T            the use case's typed result
//          └─ Rejection    a numbered business check failed; nothing changed
//
// A Rejection has one shape whatever module's check failed: the ledger's (1–99), the project
// cycle's (100–199) or the service's own (200–299, ServiceCheck below). docs/checks.md lists
// every number; numbers are persisted and public, never renumbered or reused.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "cycle/cycle_check.h"
#include "ledger/check_code.h"

namespace jcm::service {

struct Rejection {
  int check = 0;
  std::string name;  // stable snake_case, e.g. "units_insufficient"
  std::string message;
  friend bool operator==(const Rejection&, const Rejection&) = default;
};

Rejection FromLedger(const ledger::Rejection& rejection);
Rejection FromCycle(const cycle::Rejection& rejection);

// The service's own checks: rules that judge a result handed between modules (an MRV
// calculation offered as a monitoring report's figure), 200–299, and the transparency log's
// co-signing, 440–449; append, never renumber.
// Checked in ascending order, after the project cycle's own checks.
enum class ServiceCheck : uint16_t {
  kMrvMethodologyNotOfProject = 200,  // the calculation used a methodology the project lacks
  kMrvProjectIneligible = 201,        // an eligibility criterion of the methodology failed
  kMrvPeriodNotIssuable = 202,        // a period of the calculation is not issuable
  // Recomputing a monitoring report from its stored evidence (mrv_evidence.h), 230–239:
  kMrvEvidenceAltered = 230,        // a stored evidence file's bytes are not the recorded SHA-256
  kMrvResultAltered = 231,          // the stored report's bytes are not the recorded SHA-256
  kMrvRecomputationFailed = 232,    // the engine refuses the stored evidence
  kMrvResultDiffers = 233,          // the recomputed report differs from the recorded bytes
  kMrvReportedFigureDiffers = 234,  // the journaled figure is not the recomputed total
  // The transparency log's co-signatures (service/log_witness.h), 440–449.
  kWitnessExists = 440,            // a witness of this name or key is configured already
  kWitnessUnknown = 441,           // the co-signature's key is no configured witness's
  kCosignedHeadUnknown = 442,      // the co-signed head is not the one stored for its size
  kCosignatureInvalid = 443,       // the co-signature does not verify under the witness's key
  kHeadNotSignedByRegistry = 444,  // (witness) the head does not verify under the registry key
  kHeadNotExtendingLast = 445,     // (witness) the head does not extend the last co-signed one
  kWitnessNotConfigured = 446,     // no witness of this name is configured (to remove)
  // Account applications (service/account_applications.h), 460–469.
  kApplicationPendingExists = 460,  // the applicant has a pending application for this holder
  kApplicationDecided = 461,        // the application was approved or rejected already
  kApplicantDecides = 462,          // the applicant may not decide its own application
  kRejectionWithoutReason = 463,    // a rejection states its reason
};
std::string_view ServiceCheckName(ServiceCheck check);
Rejection FromService(ServiceCheck check, std::string message);

// A use case's result or the business rejection that stopped it.
template <typename T>
using OrRejection = std::variant<T, Rejection>;

template <typename T>
bool IsRejected(const OrRejection<T>& outcome) {
  return std::holds_alternative<Rejection>(outcome);
}

}  // namespace jcm::service
