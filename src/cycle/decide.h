// Decide: checks a command against the state; returns the numbered rejection or the Event.
//
// Pure: no clock, no I/O. `today` is the caller's date; every command's own date must not be
// after it. Checks run in the documented order (docs/checks.md): the first failing one wins, so
// the same bad command always gets the same, most fundamental rejection.
#pragma once

#include <variant>

#include "core/date.h"
#include "cycle/command.h"
#include "cycle/cycle_check.h"
#include "cycle/state.h"

namespace jcm::cycle {

using Outcome = std::variant<Rejection, Event>;

Outcome Decide(const State& state, const Command& command, core::Date today);

inline bool IsRejection(const Outcome& outcome) {
  return std::holds_alternative<Rejection>(outcome);
}

}  // namespace jcm::cycle
