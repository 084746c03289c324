#include "mrv/calendar_years.h"

#include <algorithm>
#include <numeric>
#include <string>

namespace jcm::mrv {

core::Result<std::vector<int64_t>> LargestRemainder(std::span<const Rational> parts,
                                                    int64_t total) {
  std::vector<int64_t> result;
  std::vector<Rational> remainders;
  int64_t floors = 0;
  for (const Rational& part : parts) {
    JCM_ASSIGN_OR_RETURN(int64_t floor, part.FloorToInteger());
    result.push_back(floor);
    remainders.push_back(part - Rational::FromInt(floor));
    floors += floor;
  }
  const int64_t extra = total - floors;
  if (extra < 0 || extra > static_cast<int64_t>(parts.size())) {
    return core::InvalidArgument("cannot apportion " + std::to_string(total) + " over parts " +
                                 "whose floors sum to " + std::to_string(floors));
  }
  std::vector<size_t> order(parts.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return remainders[a] > remainders[b]; });
  for (int64_t i = 0; i < extra; ++i) ++result[order[static_cast<size_t>(i)]];
  return result;
}

core::Result<std::vector<CalendarYearShare>> SplitByCalendarYear(const core::Period& period,
                                                                 const Rational& re_tco2e,
                                                                 const Rational& pe_tco2e,
                                                                 const Rational& er_tco2e,
                                                                 int64_t er_rounded_tco2e) {
  const Rational period_days = Rational::FromInt(period.length_days());
  std::vector<CalendarYearShare> years;
  std::vector<Rational> exact_er;
  for (int year = period.start.year(); year <= period.end.year(); ++year) {
    const int64_t first = std::max(period.start.days_since_epoch(),
                                   core::Date::FromCivil(year, 1, 1).days_since_epoch());
    const int64_t last = std::min(period.end.days_since_epoch(),
                                  core::Date::FromCivil(year, 12, 31).days_since_epoch());
    CalendarYearShare share;
    share.year = year;
    share.days = last - first + 1;
    JCM_ASSIGN_OR_RETURN(const Rational weight,
                         Rational::FromInt(share.days).DividedBy(period_days));
    share.re_tco2e = re_tco2e * weight;
    share.pe_tco2e = pe_tco2e * weight;
    share.er_tco2e = er_tco2e * weight;
    exact_er.push_back(share.er_tco2e);
    years.push_back(std::move(share));
  }
  JCM_ASSIGN_OR_RETURN(std::vector<int64_t> rounded, LargestRemainder(exact_er, er_rounded_tco2e));
  for (size_t i = 0; i < years.size(); ++i) years[i].er_rounded_tco2e = rounded[i];
  return years;
}

}  // namespace jcm::mrv
