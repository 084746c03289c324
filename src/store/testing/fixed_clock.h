// A Clock for tests and reproducible demos: returns a fixed start time, advancing one second
// per call so journal times are distinct and ordered.
#pragma once

#include <cstdio>
#include <mutex>
#include <string>

#include "store/store.h"

namespace jcm::store {

class FixedClock : public Clock {
 public:
  // `date` is the day the clock shows, YYYY-MM-DD.
  explicit FixedClock(std::string date = "2026-01-01") : date_(std::move(date)) {}

  std::string NowUtc() override {
    std::lock_guard lock(mu_);
    const int s = seconds_++;
    char buf[32];
    std::snprintf(buf, sizeof buf, "T%02d:%02d:%02dZ", (s / 3600) % 24, (s / 60) % 60, s % 60);
    return date_ + buf;
  }

 private:
  std::string date_;
  std::mutex mu_;
  int seconds_ = 0;
};

}  // namespace jcm::store
