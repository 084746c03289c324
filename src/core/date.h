// Civil dates (proleptic Gregorian, no time zone) and inclusive date periods.
//
// Monitoring periods, decision dates and vintages are calendar dates in the JCM documents, so
// the domain uses dates, not instants. A Date is stored as days since 1970-01-01, which makes
// comparison and "days between" exact integer operations. Text form: ISO 8601 "YYYY-MM-DD".
// A Period is inclusive at both ends ("2017-08-26..2018-05-31"), as the JC decisions write them.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace jcm::core {

// Days from 1970-01-01 to the proleptic Gregorian date y-m-d (negative before). No validation:
// REQUIRES 1 <= m <= 12 and 1 <= d <= 31; for hot loops that validate the shape themselves.
int64_t DaysFromCivil(int64_t year, int64_t month, int64_t day);

class Date {
 public:
  Date() = default;
  static Date FromDaysSinceEpoch(int64_t days) { return Date(days); }
  // REQUIRES: a valid calendar date (use Parse for input).
  static Date FromCivil(int year, int month, int day);
  // Parses "YYYY-MM-DD"; rejects anything else (InvalidArgument), including 2023-02-29.
  static Result<Date> Parse(std::string_view text);

  int64_t days_since_epoch() const { return days_; }
  int year() const;
  std::string ToString() const;
  Date PlusDays(int64_t days) const { return Date(days_ + days); }

  friend auto operator<=>(const Date&, const Date&) = default;

 private:
  explicit Date(int64_t days) : days_(days) {}
  int64_t days_ = 0;
};

struct Period {
  Date start;
  Date end;  // inclusive

  // Parses "START..END"; InvalidArgument if malformed or END precedes START.
  static Result<Period> Parse(std::string_view text);
  std::string ToString() const;
  bool Overlaps(const Period& other) const { return start <= other.end && other.start <= end; }
  int64_t length_days() const { return end.days_since_epoch() - start.days_since_epoch() + 1; }

  friend bool operator==(const Period&, const Period&) = default;
};

}  // namespace jcm::core
