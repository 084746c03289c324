// Replay: rebuilds the cycle State from journaled events and, for audit, re-decides each one.
//
// Verification re-runs Decide on every event against the state replayed so far, with `today` =
// the date the entry was journaled, and requires it to be accepted and to derive exactly the
// journaled event. A journal whose hash chain is intact but whose cycle events break a rule
// (written by anything but Decide) is thereby detected, entry by entry.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/record.h"
#include "cycle/state.h"

namespace jcm::cycle {

struct JournaledEvent {
  int64_t seq = 0;
  core::Date journaled_on;  // the date part of the entry's time
  std::string kind;         // "cycle.…"
  core::Record body;
};

struct ReplayViolation {
  int64_t seq = 0;
  std::string message;
};

struct ReplayResult {
  State state;
  int64_t events = 0;
  std::vector<ReplayViolation> violations;  // empty: every event was a valid transition
};

// Undecodable events are violations and are skipped; rejected ones are reported and still
// applied when decodable, so later entries are judged against what the journal says happened.
ReplayResult ReplayAndVerify(std::span<const JournaledEvent> entries);

}  // namespace jcm::cycle
