// SignedSubmitter: a store's optional way to commit a user's TOTP step claim and several commands
// as one write, all or nothing (INV-67). A signed approval (service/approval_service.h) writes
// the claim (INV-16), its identity.signin_succeeded, approval.approved and, when it executes at
// once, the transfer with approval.executed; submitted apart they are four trips through the
// group commit one after another, each waiting for an fsync (docs/api.md "Benchmark"); here one.
//
// The claim is made first, then each command is decided in order against the state the previous
// ones left, each with all its checks. A refused claim (the step is not later than the user's
// last: a replay) or a rejected command writes nothing at all, the claim included, so the code
// may be tried again; an operating error of any of them fails the whole call. Acknowledged means
// durable, as for Submit: the claim is durable before the caller accepts the code (INV-16).
//
// A capability, not part of store::Store: a store that cannot roll a claim back with its commands
// (the memory store, which applies each command as it is decided; the PostgreSQL store today)
// does not offer it, and the caller claims and submits apart, as before. Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace jcm::store {

struct SignedCommands {
  std::string user;       // whose TOTP step is claimed (CredentialStore::ClaimTotpStep)
  int64_t totp_step = 0;  // the step the code was valid for
  std::vector<ledger::Command> commands;
};

struct SignedOutcome {
  bool claimed = false;  // false: the claim was refused (a replay) and nothing was written
  // Claimed: the index of the first command rejected (nothing written, its rejection in
  // outcomes[*rejected]), or nullopt when every command was committed (outcomes, in order).
  std::optional<size_t> rejected;
  std::vector<Outcome> outcomes;
};

class SignedSubmitter {
 public:
  // FailedPrecondition when the user has no TOTP key (nothing written).
  virtual core::Result<SignedOutcome> SubmitSigned(const SignedCommands& signed_commands) = 0;

 protected:
  ~SignedSubmitter() = default;
};

// `store`'s SignedSubmitter, or nullptr when it offers none.
inline SignedSubmitter* SignedSubmitterOf(Store& store) {
  return dynamic_cast<SignedSubmitter*>(&store);
}

}  // namespace jcm::store
