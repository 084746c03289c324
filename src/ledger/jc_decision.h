// The journal form of a recorded Joint Committee decision (ledger/types.h JcDecision), and the
// rules a decision must meet to be recorded (check 27).
//
// A project-cycle event that records decisions carries one field per decision:
//   jc_decision = ID|REGISTRY|PROJECT|PERIOD|NOTIFIED_TCO2E
// e.g. "MN003:2017-08-26..2018-05-31@2018-11-06|MN|MN003|2017-08-26..2018-05-31|8000"
// (docs/formats/journal.md). The audit rebuilds the decisions table from these fields (INV-11).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "ledger/check_code.h"
#include "ledger/reader.h"
#include "ledger/types.h"

namespace jcm::ledger {

inline constexpr std::string_view kDecisionField = "jc_decision";

std::string EncodeJcDecision(const JcDecision& decision);
// DataLoss when `text` is not an encoding of a decision; executed and recorded_seq are 0.
core::Result<JcDecision> DecodeJcDecision(std::string_view text);

// Check 27: a well-formed decision (id, project reference, positive amount within the limit)
// not recorded before for this registry. Operating errors only as a Status.
core::Result<std::optional<Rejection>> CheckDecisionRecord(Reader& reader,
                                                           const JcDecision& decision);

// "CC999": a JCM partner's code (not JP) and the JC's running number 001-999, as the
// public record writes it (MN003, VN004; docs/cycle.md).
bool IsProjectReference(std::string_view project);

}  // namespace jcm::ledger
