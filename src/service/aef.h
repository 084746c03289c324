// The AEF of a Party for a calendar year from the registry's records (issue 11 §4;
// docs/article6.md, "The AEF"), for every front end: `jcm article6 aef` now, the API next.
//
// The tables' rules are src/article6's (aef.h); this file reads them out of the store:
// T2 and T5 from the authorisations in force on 31 December, T3 from the blocks the year's
// transactions created (an authorisation, first transfer, acquisition, use or cancellation
// wherever a block's units became so), T4 from the blocks live at the year's last journal entry
// — frozen in the journal the first time the AEF of a year that is over is asked for, and read
// from there ever after (never derived again). Units that cite no authorisation are not ITMOs:
// they have no row, and the report counts them in a note instead of guessing.
//
// Consistency checks come with every report: for each of the Party's authorisations, the units
// it authorised = first transferred + held + used + cancelled; T3 derived from the blocks table
// = T3 derived from the journal's own record of the blocks; the frozen T4 = the blocks' position
// at its entry. A submission (`submit`) journals the version — "1.0", then "1.1", … when the
// content changed — and is refused while the year is not over (647) or a check found a
// difference (649).
#pragma once

#include <string>
#include <vector>

#include "article6/aef.h"
#include "core/status.h"
#include "service/errors.h"
#include "service/report_table.h"
#include "store/store.h"

namespace jcm::service {

struct AefRequest {
  std::string party;  // alpha-3
  int year = 0;
  bool submit = false;
  // Whether a report of a year that is over may freeze its T4 (journal it). A reader that must
  // not write (the public API) passes false: T4 is then the frozen one, or derived and marked
  // not frozen.
  bool freeze = true;
};

struct AefConsistency {
  std::string check;    // "authorised = first transferred + held + used + cancelled", …
  std::string subject;  // the authorisation ("PARTY/ID") or the table concerned
  bool ok = false;
  std::string detail;  // the figures compared
};

struct AefReport {
  std::string party;
  int year = 0;
  std::string version;  // T1's: the version submitted, or the one a submission would get
  bool year_over =
      false;  // false: T4 is the position now, not frozen, and nothing can be submitted
  bool holdings_frozen = false;  // T4 read from (or just written to) the journal
  int64_t as_of_seq = 0;         // the journal entry T4 is the position at
  bool submitted = false;        // this call journaled the version
  bool replayed = false;         // the submitted content is that of the last version
  std::vector<article6::AefTable> tables;
  std::vector<AefConsistency> consistency;
  std::vector<std::string> notes;
};

// Checks 600 (the Party), 648 (no NDC declared), 646 (a cell not of its form), and with
// `submit` 647 and 649.
core::Result<OrRejection<AefReport>> ArticleSixAef(store::Store& store, const AefRequest& request,
                                                   const std::string& now_utc);

// The five tables as service::Table, every cell text (for the CSV, XLSX and JSON writers).
std::vector<Table> AefAsTables(const AefReport& report);

}  // namespace jcm::service
