// Credits issued, retired and cancelled per year or month (issue 10: the home page's "issued
// and retired over time"), from the journal's transactions, so the chart shows what the hash
// chain covers.
//
// When a flow happened: a retirement or cancellation, and an issuance this registry executed,
// at its journal entry's time. An issuance imported from the public JCM data (INV-11) was
// journaled when it was imported, not when it was issued; the public record's issuance date is
// not journaled, so it counts at the date of the Joint Committee decision it carries (the
// issuance follows the decision within days), or at the import when it cites none.
//
// Errors: InvalidArgument for an unknown interval; DataLoss for an undecodable transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "ledger/reader.h"
#include "store/store.h"

namespace jcm::service {

enum class FlowInterval { kYear, kMonth };
core::Result<FlowInterval> FlowIntervalFromName(const std::string& name);  // "year", "month"

struct FlowBucket {
  std::string period;  // "2026" or "2026-01"
  int64_t issued_tco2e = 0;
  int64_t retired_tco2e = 0;
  int64_t cancelled_tco2e = 0;
};

// The time a transaction entry counts at (see above): its journal time, "YYYY-MM-DDTHH:MM:SSZ",
// or an imported issuance's JC decision date, "YYYY-MM-DD".
std::string FlowTimeOf(const ledger::JournalEntry& entry);

// The non-empty buckets in ascending order, of one registry or all.
core::Result<std::vector<FlowBucket>> FlowsOverTime(store::Store& store,
                                                    const std::optional<std::string>& registry,
                                                    FlowInterval interval);

}  // namespace jcm::service
