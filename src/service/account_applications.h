// Account applications (docs/api.md, "Administration"): a signed-in user applies for a holding
// account in a registry; that registry's administrator approves it — the account opens and the
// applicant becomes its authorised representative — or rejects it with a reason. The UK ETS and
// EU registries open accounts the same way, on a request checked by the registry administrator
// (../shared/research/registry-anchors.md §1).
//
// Each step is a journaled `application.*` entry (withheld from the public feed: it names people),
// replayed from the journal through the kind index, so every process and store sees the same
// applications. Approval writes three things in an order that makes a retry safe: the account is
// opened under the idempotency key `application-<id>` (a retry replays it), the role is granted
// (already held counts as done), and last the `application.decided` entry.
//
// Checks 460–464 (docs/checks.md); NotFound for an unknown application, InvalidArgument for
// malformed input.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/types.h"
#include "service/errors.h"
#include "store/store.h"

namespace jcm::service {

inline constexpr std::string_view kApplicationSubmittedKind = "application.submitted";
inline constexpr std::string_view kApplicationDecidedKind = "application.decided";

enum class ApplicationState : uint8_t { kPending, kApproved, kRejected };
std::string_view ApplicationStateName(ApplicationState state);
std::optional<ApplicationState> ApplicationStateFromName(std::string_view name);

struct AccountApplication {
  int64_t id = 0;  // the seq of its application.submitted entry
  std::string registry;
  ledger::AccountType type = ledger::AccountType::kEntityHolding;
  ledger::Holder holder;
  std::string applicant;  // the user who applied
  std::string submitted;  // time of the entry (UTC)
  ApplicationState state = ApplicationState::kPending;
  std::string decided_by;
  std::string decided;  // time of the decision's entry; empty while pending
  std::string reason;   // a rejection's (or an approval's note)
  std::string account;  // approved: the account opened
  std::string right;    // approved: the applicant's right on it
};

struct ApplicationFilter {
  std::optional<std::string> registry;
  std::optional<std::string> applicant;
  std::optional<ApplicationState> state;
};

// By id, oldest first.
core::Result<std::vector<AccountApplication>> ListApplications(store::Store& store,
                                                               const ApplicationFilter& filter);
core::Result<AccountApplication> FindApplication(store::Store& store, int64_t id);

struct ApplicationRequest {
  std::string registry;
  ledger::AccountType type = ledger::AccountType::kEntityHolding;
  ledger::Holder holder;
  std::string applicant;
};
core::Result<OrRejection<AccountApplication>> SubmitApplication(store::Store& store,
                                                                const ApplicationRequest& request);

struct ApplicationDecision {
  int64_t id = 0;
  bool approve = false;
  std::string reason;                          // required for a rejection
  std::string right = "initiate_and_approve";  // approved: the applicant's right on the account
  std::string by;                              // the registry administrator deciding
};
core::Result<OrRejection<AccountApplication>> DecideApplication(
    store::Store& store, const ApplicationDecision& decision);

}  // namespace jcm::service
