// A Clock for tests and reproducible demos: returns a fixed start time, advancing one second
// per call so journal times are distinct and ordered. Advance moves it on (a test of a delay
// moves time instead of sleeping); past midnight the date moves too.
#pragma once

#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>

#include "core/date.h"
#include "store/store.h"

namespace jcm::store {

class FixedClock : public Clock {
 public:
  // `date` is the day the clock shows, YYYY-MM-DD.
  explicit FixedClock(std::string date = "2026-01-01") : date_(std::move(date)) {}

  std::string NowUtc() override {
    std::lock_guard lock(mu_);
    const int64_t s = seconds_++;
    const core::Result<core::Date> start = core::Date::Parse(date_);
    const std::string day = start.ok() ? start->PlusDays(s / 86'400).ToString() : date_;
    char buf[32];
    std::snprintf(buf, sizeof buf, "T%02d:%02d:%02dZ", static_cast<int>((s / 3600) % 24),
                  static_cast<int>((s / 60) % 60), static_cast<int>(s % 60));
    return day + buf;
  }

  // Moves the clock `seconds` (>= 0) forward.
  void Advance(int64_t seconds) {
    std::lock_guard lock(mu_);
    seconds_ += seconds;
  }

 private:
  std::string date_;
  std::mutex mu_;
  int64_t seconds_ = 0;
};

}  // namespace jcm::store
