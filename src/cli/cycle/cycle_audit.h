// The project cycle's part of `jcm audit verify` (and all of `jcm cycle verify`): every cycle
// event is replayed and re-decided (cycle/replay.h), and every executed issuance is checked
// against the ledger transaction it cites (an issuance in that registry, citing the decision,
// of exactly the notified amount).
#pragma once

#include <cstdint>
#include <vector>

#include "core/status.h"
#include "cycle/replay.h"
#include "store/store.h"

namespace jcm::cli::cycle_cli {

struct CycleAudit {
  int64_t events = 0;
  int64_t projects = 0;
  std::vector<cycle::ReplayViolation> violations;  // empty: sound
};

// Reads the whole journal; operating errors only as a Status.
core::Result<CycleAudit> AuditCycle(store::Store& store);

}  // namespace jcm::cli::cycle_cli
