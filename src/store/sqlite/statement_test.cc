// The statement cache (statement.h): a connection prepares each SQL text once and reuses it,
// never hands one statement to two Statements at once, gives it back unbound, and still ends
// when closed while a Statement holds one of its statements.
#include "store/sqlite/internal/statement.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <memory>

#include "core/testing/status_matchers.h"

namespace jcm::store::sqlite {
namespace {

using jcm_testing::IsOk;

int StatementsOf(sqlite3* db) {
  int count = 0;
  for (sqlite3_stmt* s = sqlite3_next_stmt(db, nullptr); s != nullptr;
       s = sqlite3_next_stmt(db, s)) {
    ++count;
  }
  return count;
}

class StatementCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/jcm-statement-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
    ASSERT_EQ(sqlite3_open((dir_ + "/t.db").c_str(), &db_), SQLITE_OK);
    ASSERT_THAT(Exec(db_,
                     "PRAGMA journal_mode = WAL; CREATE TABLE t (k INTEGER, v TEXT);"
                     "INSERT INTO t VALUES (1, 'one'), (2, 'two');"),
                IsOk());
  }
  void TearDown() override {
    Close(db_);
    std::filesystem::remove_all(dir_);
  }
  std::string dir_;
  sqlite3* db_ = nullptr;
};

constexpr const char* kByKey = "SELECT v FROM t WHERE k = ?";

std::string ValueOf(sqlite3* db, int64_t key) {
  Statement q(db, kByKey);
  q.Bind(1, key);
  auto row = q.Step();
  return row.ok() && *row ? q.Text(0) : "(none)";
}

TEST_F(StatementCacheTest, OneSqlTextIsPreparedOnceAndReused) {
  for (int i = 0; i < 100; ++i) EXPECT_EQ(ValueOf(db_, 1 + i % 2), i % 2 ? "two" : "one");
  EXPECT_EQ(StatementsOf(db_), 1);
  { Statement other(db_, "SELECT COUNT(*) FROM t"); }
  EXPECT_EQ(StatementsOf(db_), 2);
}

TEST_F(StatementCacheTest, TwoStatementsAliveAtOnceHaveTheirOwn) {
  Statement first(db_, "SELECT k FROM t ORDER BY k");
  Statement second(db_, "SELECT k FROM t ORDER BY k");
  ASSERT_TRUE(*first.Step());
  ASSERT_TRUE(*second.Step());
  ASSERT_TRUE(*second.Step());
  EXPECT_EQ(first.Int(0), 1);  // the second's steps did not move the first
  EXPECT_EQ(second.Int(0), 2);
  EXPECT_EQ(StatementsOf(db_), 2);
}

TEST_F(StatementCacheTest, AStatementComesBackResetAndUnbound) {
  {
    Statement q(db_, kByKey);
    q.Bind(1, int64_t{2});
    ASSERT_TRUE(*q.Step());  // left on its row: a read transaction open until it is reset
  }
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ + "/t.db").c_str(), &other), SQLITE_OK);
  EXPECT_THAT(Exec(other, "INSERT INTO t VALUES (3, 'three')"), IsOk());
  Close(other);
  Statement count(db_, "SELECT COUNT(*) FROM t");
  ASSERT_TRUE(*count.Step());
  EXPECT_EQ(count.Int(0), 3) << "the statement given back still held its read";
  Statement again(db_, kByKey);  // the same statement, its parameter NULL again
  EXPECT_FALSE(*again.Step());
  EXPECT_EQ(StatementsOf(db_), 2);
}

TEST_F(StatementCacheTest, AConnectionClosedWhileAStatementIsHeldEndsWhenItComesBack) {
  const std::string wal = dir_ + "/t.db-wal";
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ + "/t.db").c_str(), &db), SQLITE_OK);
  EXPECT_EQ(ValueOf(db, 1), "one");  // cached, free
  auto held = std::make_unique<Statement>(db, "SELECT COUNT(*) FROM t");
  Close(db);
  Close(db_);  // the fixture's connection too: the WAL goes with the last connection
  db_ = nullptr;
  EXPECT_TRUE(std::filesystem::exists(wal)) << "the held statement keeps its connection open";
  held.reset();
  EXPECT_FALSE(std::filesystem::exists(wal)) << "the connection ended with its last statement";
}

}  // namespace
}  // namespace jcm::store::sqlite
