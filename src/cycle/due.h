// Due: what the project cycle expects next, with its deadline, as of a given day.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "cycle/state.h"

namespace jcm::cycle {

struct DueItem {
  std::string subject;  // methodology proposal code, project id or "MN003 2017-08-26..2018-05-31"
  std::string what;     // "completeness_check", "methodology_public_input", …
  std::string who;      // the role expected to act ("secretariat", "joint_committee", …)
  std::optional<core::Date> due;  // last day; nullopt for open-ended steps (execution)
  bool overdue = false;           // today is after `due`
};

// Items in a stable order: by due date (undated last), then subject.
//
// | what                        | opens                          | due                        |
// |-----------------------------|--------------------------------|----------------------------|
// | completeness_check          | methodology proposed           | proposed + 7 days          |
// | methodology_public_input    | completeness check passed      | start + 14 (15 days incl.) |
// | methodology_jc_consideration| public input closed            | input end + 60 (90 if ext.)|
// | pdd_public_input            | PDD submitted                  | start + 29 (30 days incl.) |
// | issuance_execution          | JC issuance decision, per side | none (pending until done)  |
std::vector<DueItem> Due(const State& state, core::Date today);

}  // namespace jcm::cycle
