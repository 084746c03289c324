// TpeWork: the validations and verifications a third-party entity (TPE) may take up, and those it
// has submitted, as of a given day — the TPE's work list (docs/cycle.md, "Third-party entities";
// GET /api/v1/cycle/tpe-work). The JCM has no assignment step: the project participants contract
// a designated TPE, which then submits its report. So a piece of work is open for every TPE the
// Joint Committee designated for the project's partner country, sectoral scope and function on
// that day (State::IsTpeDesignated), and done for the TPE that submitted it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "cycle/state.h"

namespace jcm::cycle {

struct TpeWorkItem {
  std::string project;  // the reference once registered, else the id
  std::string partner;
  std::string title;
  TpeFunction function = TpeFunction::kValidation;
  std::optional<core::Period> period;  // a verification's monitoring period
  bool done = false;                   // submitted by this TPE
  int64_t tco2e = 0;                   // a verification's reported (open) or verified (done) amount
};

// Open items first, then done ones; each group by project, then period.
std::vector<TpeWorkItem> TpeWork(const State& state, std::string_view org, core::Date today);

}  // namespace jcm::cycle
