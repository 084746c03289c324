// ProgrammeService: the use cases of programme management (issue 15, docs/programme.md) —
// funding per project, contributions to ADB and UNIDO, and the Government of Japan's share of
// subsidised projects' credits — on src/programme's pure rules, the journal and the ledger.
//
// Funding and contributions are replayed from the journal's "programme.*" entries and cached
// with the seq of the last one applied; a record is appended with that seq as its optimistic
// lock (check 23), so two processes never both record against the same state (the service
// refreshes and decides again). A funding record names a project of the project cycle; it is
// kept under the project's reference once registered (its PIN id before).
//
// Not thread-safe: one ProgrammeService per thread, sharing one store.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/status.h"
#include "programme/delivery.h"
#include "programme/indicators.h"
#include "programme/programme.h"
#include "service/cycle_service.h"
#include "service/errors.h"
#include "service/report_table.h"
#include "store/store.h"

namespace jcm::service {

Rejection FromProgramme(const programme::Rejection& rejection);

// A contribution with what came of it: the projects whose funding record names its channel and
// fiscal year, and the credits issued for them so far (every registry).
struct ContributionView {
  programme::Contribution contribution;
  std::vector<std::string> projects;
  int64_t credits_issued_tco2e = 0;
};

// Credits issued per project reference (every registry, every issuance; imported ones included)
// and the units of each issuance by account: the ledger's issuance blocks (parent_id 0).
struct IssuedCredits {
  std::map<std::string, int64_t> by_project;
  std::vector<programme::IssuedUnits> units;
};
core::Result<IssuedCredits> ReadIssuedCredits(store::Store& store);

// The report's figures as tables (`jcm programme report --xlsx`, one sheet each): Summary,
// Fiscal years, Targets, Realisation (the ratio to 4 decimals), and the groups by partner
// country, technology, funding channel and funded project (programme_tables.cc).
std::vector<Table> ProgrammeReportTables(const programme::IndicatorReport& report,
                                         core::Date today);

class ProgrammeService {
 public:
  explicit ProgrammeService(store::Store& store) : store_(store), cycle_(store) {}

  // 700–704; `key` (may be empty) makes a retry return the first record.
  core::Result<OrRejection<programme::Funding>> RecordFunding(programme::Funding funding,
                                                              const std::string& key);
  // By project.
  core::Result<std::vector<programme::Funding>> ListFunding();
  // 705–706.
  core::Result<OrRejection<ContributionView>> RecordContribution(
      programme::Contribution contribution, const std::string& key);
  // By channel, then fiscal year.
  core::Result<std::vector<ContributionView>> ListContributions();
  // The GoJ's share of every subsidised project that has issued credits: a project whose
  // funding record names an MOEJ subsidy or, without a record, whose cycle funding is one.
  core::Result<std::vector<programme::ProjectDelivery>> GojDelivery();

  // The programme's indicators and forecasts as of `today` (programme/indicators.h; assembled
  // in programme_report.cc).
  core::Result<programme::IndicatorReport> Report(core::Date today);

  // The state as of the last Refresh.
  core::Status Refresh();
  const programme::ProgrammeState& state() const { return state_; }
  CycleService& cycle() { return cycle_; }

 private:
  // Appends with the family head as lock; false when check 23 fired.
  core::Result<bool> Append(std::string_view kind, core::Record body, const std::string& key);
  std::vector<ContributionView> Views(const IssuedCredits& issued) const;

  store::Store& store_;
  CycleService cycle_;
  programme::ProgrammeState state_;
};

}  // namespace jcm::service
