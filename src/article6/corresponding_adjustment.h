// Corresponding adjustments (issue 11 §3; docs/article6.md, "Corresponding adjustments"): a
// Party's per-year adjustment derived from its ITMO actions, and the NDC declaration that says
// how the adjustment is applied.
//
// The sign (2/CMA.3 annex para 8; MPG 18/CMA.1 para 77(d), turn2-anchors §1.5): a Party ADDS
// the ITMOs it first transferred and SUBTRACTS the ITMOs it used toward its NDC. Acquisitions,
// later transfers, holdings and cancellations change nothing. (UNDP's registry computed
// `first − acquired + used`, its own finding F1: the property tests pin the sign.)
//
// The methods (2/CMA.3 annex para 7), declared per Party with its NDC:
//   * single-year NDC, trajectory (7a(i)): an indicative multi-year emissions trajectory,
//     trajectories or budget; each year's adjustment is that year's actions, applied against
//     the trajectory, the target year's to the NDC;
//   * single-year NDC, averaging (7a(ii)): the cumulative adjustment over the NDC period divided
//     by the number of years elapsed (for the target year: of the whole period), so the target
//     year gets the period's average;
//   * multi-year NDC (7b): each year's adjustment applied to that year, with the cumulative
//     total over the period.
// Any other NDC type / method pair contradicts itself and is refused (check 642, the guard
// UNDP's own gap list asks for).
//
// Quantities are whole tCO2e (ITMOs are whole units); the averaging method's quotient is kept
// as an exact fraction (Average). Pure: no clock, no I/O.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "article6/article6_check.h"
#include "core/date.h"
#include "core/record.h"
#include "core/status.h"

namespace jcm::article6 {

enum class NdcType : uint8_t { kSingleYear, kMultiYear };
enum class CaMethod : uint8_t { kTrajectory, kAveraging, kMultiYear };

// "single-year", "multi-year"; "trajectory", "averaging", "multi-year". Persisted.
std::string_view NdcTypeName(NdcType type);
std::string_view CaMethodName(CaMethod method);
std::optional<NdcType> NdcTypeFromName(std::string_view name);
std::optional<CaMethod> CaMethodFromName(std::string_view name);

inline constexpr int kNdcYearMin = 2000;
inline constexpr int kNdcYearMax = 2100;

// A Party's NDC as its corresponding adjustments need it. Versions supersede (a Party that
// updates its NDC records version n+1); the latest is in force.
struct NdcDeclaration {
  std::string party;  // alpha-3
  int64_t version = 1;
  core::Date date;
  NdcType type = NdcType::kSingleYear;
  CaMethod method = CaMethod::kAveraging;
  int first_year = 0;  // the NDC implementation period, calendar years inclusive;
  int last_year = 0;   // for a single-year NDC, the last year is the target year

  core::Record ToRecord() const;
  static core::Result<NdcDeclaration> FromRecord(const core::Record& record);
  friend bool operator==(const NdcDeclaration&, const NdcDeclaration&) = default;
};

// Checks 600 (Party), 640 (type), 641 (method), 642 (the pair contradicts itself) and 643
// (the period: kNdcYearMin <= first <= last <= kNdcYearMax; a multi-year NDC spans two years at
// least) over a declaration as written, or the declaration.
struct NdcDeclarationRequest {
  std::string party;
  int64_t version = 1;
  core::Date date;
  std::string type;
  std::string method;
  int first_year = 0;
  int last_year = 0;
};
std::variant<NdcDeclaration, Rejection> ValidateNdcDeclaration(
    const NdcDeclarationRequest& request);

// The declarations recorded so far, replayed from the journal's kEventNdcDeclaration entries
// (other article6.* kinds are skipped). Versions of a Party's declaration are 1, 2, … with no
// gap, each recorded once; the latest is in force. DataLoss on a malformed body or a version
// out of order.
inline constexpr std::string_view kEventNdcDeclaration = "article6.ndc_declaration";

class NdcBook {
 public:
  core::Status Apply(std::string_view kind, const core::Record& body, int64_t seq);
  // Every version of `party`'s declaration, oldest first; nullptr when none is recorded.
  const std::vector<NdcDeclaration>* Versions(const std::string& party) const;
  const NdcDeclaration* Latest(const std::string& party) const;
  // The latest declaration of every Party, by Party.
  std::vector<NdcDeclaration> LatestAll() const;
  int64_t last_seq() const { return last_seq_; }

 private:
  std::map<std::string, std::vector<NdcDeclaration>> versions_;
  int64_t last_seq_ = 0;
};

// The same version with the same content, recorded before: nothing to journal.
struct NdcReplay {
  NdcDeclaration declaration;
};

// Checks 600, 640–643 (ValidateNdcDeclaration), then 645 (this version is recorded with other
// content) and 644 (not the latest + 1): the declaration to journal, a replay, or the rejection.
std::variant<NdcDeclaration, NdcReplay, Rejection> DecideDeclareNdc(
    const NdcBook& book, const NdcDeclarationRequest& request);

// One action that moves a Party's adjustment: `party` first transferred, or used toward its
// NDC, `quantity_tco2e` ITMOs in calendar year `year` (UTC: the year of the action's journal
// entry, as the AEF reports actions).
enum class CaActionKind : uint8_t { kFirstTransfer, kUse };
struct CaAction {
  std::string party;
  int year = 0;
  CaActionKind kind = CaActionKind::kFirstTransfer;
  int64_t quantity_tco2e = 0;
};

// An exact quotient: numerator / denominator, denominator > 0.
struct Average {
  int64_t numerator = 0;
  int64_t denominator = 1;
  // Decimal text with `places` digits after the point, rounded half away from zero ("-12.333").
  std::string ToText(int places = 3) const;
  friend bool operator==(const Average&, const Average&) = default;
};

struct CaYear {
  int year = 0;
  bool in_ndc_period = false;
  int64_t first_transferred_tco2e = 0;
  int64_t used_tco2e = 0;
  int64_t annual_adjustment_tco2e = 0;      // + first transferred − used
  int64_t cumulative_adjustment_tco2e = 0;  // over the NDC period up to this year; 0 outside
  // What the method applies to this year's emissions balance: the annual adjustment (trajectory
  // and multi-year methods), or the average over the years elapsed (averaging; in the target
  // year, the period's average). Outside the NDC period: nothing (nullopt).
  std::optional<Average> applied_tco2e;
};

struct CaLedger {
  NdcDeclaration ndc;
  std::vector<CaYear> years;  // every year of the NDC period, and any other year with actions
  int64_t total_first_transferred_tco2e = 0;
  int64_t total_used_tco2e = 0;
};

// The ledger of `ndc.party` from `actions` (those of other Parties are skipped). Years in
// order. InvalidArgument for a negative quantity, a year outside kNdcYearMin..kNdcYearMax, or
// a sum that leaves int64.
core::Result<CaLedger> BuildCaLedger(const NdcDeclaration& ndc, std::span<const CaAction> actions);

}  // namespace jcm::article6
