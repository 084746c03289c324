// Test-only: a fresh store per test, the memory store or SQLite in a temporary file (the test
// parameter), so every service test runs against both adapters.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>

#include "article6/authorisation.h"
#include "core/date.h"
#include "store/memory/memory_store.h"
#include "store/sqlite/sqlite_store.h"
#include "store/testing/fixed_clock.h"

namespace jcm::service {

enum class StoreKind { kMemory, kSqlite };

inline std::string StoreKindName(const ::testing::TestParamInfo<StoreKind>& info) {
  return info.param == StoreKind::kMemory ? "Memory" : "Sqlite";
}

class StoreTest : public ::testing::TestWithParam<StoreKind> {
 protected:
  void SetUp() override {
    if (GetParam() == StoreKind::kMemory) {
      store_ = store::NewMemoryStore(clock_);
      return;
    }
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name =
        std::string("jcm-service-") + info->name() + "-" + std::to_string(::getpid()) + ".db";
    std::replace(name.begin(), name.end(), '/', '_');
    path_ = (std::filesystem::temp_directory_path() / name).string();
    Remove();
    auto opened = store::OpenSqliteStore(path_, clock_);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
  }
  void TearDown() override {
    store_.reset();
    if (!path_.empty()) Remove();
  }
  void Remove() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix);
  }

  store::FixedClock clock_{"2026-11-01"};
  std::string path_;
  std::unique_ptr<store::Store> store_;
};

// The test-data directory of the repository (JCM_SOURCE_DIR, set by CTest).
inline std::string SourcePath(const std::string& relative) {
  const char* root = std::getenv("JCM_SOURCE_DIR");
  return std::string(root ? root : ".") + "/" + relative;
}

// Mongolia's authorisation MNG/N1 of units for NDC use only (first transferred at their first
// international transfer), as the tests of transfers between registries record it.
inline article6::AuthorisationRequest MongolianNdcAuthorisation() {
  article6::AuthorisationRequest a;
  a.party = "MNG";
  a.id = "N1";
  a.version = 1;
  a.date = core::Date::FromCivil(2026, 3, 1);
  a.cooperative_approach = "CA0004";
  a.sectors = {"Energy generation"};
  a.activity_types = {"Solar"};
  a.purposes = "NDC";
  a.entities = {"Mongol Solar LLC; MNG; 9011223344"};
  return a;
}

MATCHER_P(HasCode, code, "a Status with code " + std::string(core::StatusCodeName(code))) {
  return arg.code() == code;
}

MATCHER_P(IsRejectedBy, check, "a Rejection by check " + std::to_string(check)) {
  const auto* rejection = std::get_if<Rejection>(&arg);
  if (rejection == nullptr) {
    *result_listener << "accepted";
    return false;
  }
  *result_listener << "rejected by " << rejection->check << " (" << rejection->name
                   << "): " << rejection->message;
  return rejection->check == check;
}

}  // namespace jcm::service
