// SplitByCalendarYear: a monitoring period's reductions per calendar year, for the vintages
// of Article 6 (issue 14 §3, issue 11).
//
// Contract:
//   * Exact values. Each calendar year the period touches gets the period's exact RE, PE and
//     ER apportioned by its days in the period: value × days_in_year / days_in_period, an exact
//     Rational, so the years' exact values add up to the period's exactly. (The methodology's
//     equations and the data-quality treatments work on period totals — gaps are filled with
//     the period's highest reading, duplicates resolved per period — so one year's readings
//     have no result of their own; a project that wants each year from its own readings
//     computes each calendar year as its own monitoring period, `--period`.)
//   * Rounding (largest remainder). Each year first gets its exact ER rounded down; the units
//     that the period's rounded total (`er_rounded`, rounded once by the methodology's rule)
//     has beyond the sum of those go one each to the years with the largest fractional parts,
//     the earlier year first on a tie. So the years' integers always sum to the period's
//     rounded total, and each is its exact value rounded down or up (INV-28).
//   * The years are in calendar order; a period inside one year gives one entry equal to the
//     period.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "mrv/rational.h"

namespace jcm::mrv {

struct CalendarYearShare {
  int year = 0;
  int64_t days = 0;  // days of the period in this year
  Rational re_tco2e, pe_tco2e, er_tco2e;
  int64_t er_rounded_tco2e = 0;
};

core::Result<std::vector<CalendarYearShare>> SplitByCalendarYear(const core::Period& period,
                                                                 const Rational& re_tco2e,
                                                                 const Rational& pe_tco2e,
                                                                 const Rational& er_tco2e,
                                                                 int64_t er_rounded_tco2e);

// Integers that sum to `total`, each the floor of its part or one more (largest remainder,
// earlier part first on a tie). REQUIRES: sum of the floors <= total <= that sum + parts.size()
// (true when `total` is the sum of the parts rounded down or half up); InvalidArgument if not.
core::Result<std::vector<int64_t>> LargestRemainder(std::span<const Rational> parts, int64_t total);

}  // namespace jcm::mrv
