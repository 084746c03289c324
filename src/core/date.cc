#include "core/date.h"

#include <cstdio>

namespace jcm::core {
namespace {

struct Civil {
  int64_t year, month, day;
};

Civil CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp + (mp < 10 ? 3 : -9);
  return {yoe + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int64_t DaysInMonth(int64_t y, int64_t m) {
  static constexpr int64_t kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

bool ParseDigits(std::string_view text, int64_t* out) {
  int64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return !text.empty();
}

}  // namespace

// Howard Hinnant's days_from_civil algorithm (public-domain description of the arithmetic).
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Date Date::FromCivil(int year, int month, int day) { return Date(DaysFromCivil(year, month, day)); }

Result<Date> Date::Parse(std::string_view text) {
  int64_t y = 0, m = 0, d = 0;
  const bool shape_ok = text.size() == 10 && text[4] == '-' && text[7] == '-' &&
                        ParseDigits(text.substr(0, 4), &y) && ParseDigits(text.substr(5, 2), &m) &&
                        ParseDigits(text.substr(8, 2), &d);
  if (!shape_ok || y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 || d > DaysInMonth(y, m)) {
    return InvalidArgument("not a calendar date in the form YYYY-MM-DD: '" + std::string(text) +
                           "'");
  }
  return Date(DaysFromCivil(y, m, d));
}

int Date::year() const { return static_cast<int>(CivilFromDays(days_).year); }

std::string Date::ToString() const {
  const Civil c = CivilFromDays(days_);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", static_cast<int>(c.year),
                static_cast<int>(c.month), static_cast<int>(c.day));
  return buf;
}

Result<Period> Period::Parse(std::string_view text) {
  const size_t dots = text.find("..");
  if (dots == std::string_view::npos) {
    return InvalidArgument("a period is written START..END, e.g. 2017-08-26..2018-05-31; got '" +
                           std::string(text) + "'");
  }
  JCM_ASSIGN_OR_RETURN(Date start, Date::Parse(text.substr(0, dots)));
  JCM_ASSIGN_OR_RETURN(Date end, Date::Parse(text.substr(dots + 2)));
  if (end < start) {
    return InvalidArgument("period ends before it starts: '" + std::string(text) + "'");
  }
  return Period{start, end};
}

std::string Period::ToString() const { return start.ToString() + ".." + end.ToString(); }

}  // namespace jcm::core
