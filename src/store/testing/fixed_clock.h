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
  std::string NowUtc() override {
    std::lock_guard lock(mu_);
    const int s = seconds_++;
    char buf[32];
    std::snprintf(buf, sizeof buf, "2026-01-01T%02d:%02d:%02dZ", (s / 3600) % 24, (s / 60) % 60,
                  s % 60);
    return buf;
  }

 private:
  std::mutex mu_;
  int seconds_ = 0;
};

}  // namespace jcm::store
