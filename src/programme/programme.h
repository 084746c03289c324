// Programme management (issue 15, docs/programme.md): how the JCM's projects are financed —
// funding per project, contributions to ADB's Japan Fund for the JCM and to UNIDO — and the
// rules they must meet (programme_check.h). Pure: no I/O.
//
// Records are never stored as rows: they are the replay of the journal's "programme.*" entries
// (docs/formats/journal.md), as users are of "identity.*". Money is in whole yen (int64), rates
// are exact fractions compared by cross-multiplication in 128 bits: no floating point.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/record.h"
#include "core/status.h"
#include "programme/programme_check.h"

namespace jcm::programme {

// Where a project's money comes from (the seed budget sheet; jcm-domain.md §5). Text names are
// journaled: never rename. The first six are the project cycle's FundingSource names.
enum class Channel : uint8_t {
  kMoejSubsidy,      // MOEJ equipment subsidy through its executing body (≤ ½ of the cost)
  kHydrogenSubsidy,  // MOEJ hydrogen / new-technology subsidy (≤ ⅔ of the cost)
  kAdbJfjcm,         // ADB Japan Fund for the JCM
  kUnido,            // UNIDO
  kNedo,             // NEDO (METI)
  kPrivate,          // private JCM (民間JCM)
  kOther,
};
std::string_view ChannelName(Channel channel);
std::optional<Channel> ParseChannel(std::string_view text);
// The MOEJ subsidies: a project they finance delivers ≥ ½ of its credits to the GoJ.
bool IsSubsidy(Channel channel);

// The cap on subsidy ÷ total cost as an exact fraction; nullopt when the channel has none.
struct Fraction {
  int64_t numerator = 0;
  int64_t denominator = 1;
};
std::optional<Fraction> SubsidyCap(Channel channel);
// subsidy ÷ cost > cap, exactly. REQUIRES cost > 0, subsidy >= 0, cap.denominator > 0.
bool ExceedsCap(int64_t subsidy_yen, int64_t cost_yen, Fraction cap);

// Japan's fiscal year (年度): FY N runs from 1 April N to 31 March N+1.
int FiscalYearOf(core::Date date);
core::Date FiscalYearStart(int fiscal_year);
core::Date FiscalYearEnd(int fiscal_year);

// How one project is financed.
struct Funding {
  std::string project;  // the cycle's reference (MN003) or PIN id, as the project is known
  Channel channel = Channel::kMoejSubsidy;
  int fiscal_year = 0;  // of adoption
  int64_t total_cost_yen = 0;
  int64_t subsidy_yen = 0;
  std::vector<std::string> japanese_members;  // the consortium
  std::vector<std::string> partner_members;
  int64_t expected_annual_tco2e = 0;  // from the PDD
  core::Period crediting_period;
  int64_t recorded_seq = 0;  // the journal entry that recorded it
};

// A contribution of the Government of Japan to a multilateral fund for one fiscal year.
struct Contribution {
  Channel channel = Channel::kAdbJfjcm;  // kAdbJfjcm or kUnido
  int fiscal_year = 0;
  int64_t amount_yen = 0;
  std::string note;
  int64_t recorded_seq = 0;
};

struct ProgrammeState {
  std::map<std::string, Funding> funding;   // by project
  std::vector<Contribution> contributions;  // in journal order
  int64_t last_seq = 0;                     // the last programme.* entry applied (0: none)

  const Contribution* FindContribution(Channel channel, int fiscal_year) const;
};

// Event kinds. Persisted: never rename one.
inline constexpr std::string_view kEventKindPrefix = "programme.";
inline constexpr std::string_view kEventFundingRecorded = "programme.funding_recorded";
inline constexpr std::string_view kEventContributionRecorded = "programme.contribution_recorded";

core::Record FundingRecord(const Funding& funding);
core::Record ContributionRecord(const Contribution& contribution);

// Applies one journaled programme event (entry `seq`). DataLoss when the body is not one this
// program wrote; unknown programme.* kinds are ignored (an older program reads a newer journal).
core::Status ApplyProgrammeEvent(ProgrammeState& state, std::string_view kind,
                                 const core::Record& body, int64_t seq);

// InvalidArgument when a field is malformed: a fiscal year outside 2000–2100, a cost not
// positive, a negative subsidy or expected reduction, an empty project or member name.
core::Status ValidateFunding(const Funding& funding);
core::Status ValidateContribution(const Contribution& contribution);

// Checks 700–704 on a new funding record, in number order; `project_known`: the cycle knows the
// project (703). nullopt: accepted.
std::optional<Rejection> DecideFunding(const ProgrammeState& state, const Funding& funding,
                                       bool project_known);
// Checks 705–706 on a new contribution.
std::optional<Rejection> DecideContribution(const ProgrammeState& state,
                                            const Contribution& contribution);

}  // namespace jcm::programme
