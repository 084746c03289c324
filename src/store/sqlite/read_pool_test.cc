// The read pool (read_pool.h): its connections serve reads side by side, a read waits only when
// every one is held, a lease ends what it left stepping so that the next read sees later
// commits, and a pool over a shared connection leaves that connection's read transaction alone.
#include "store/sqlite/internal/read_pool.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include "core/testing/status_matchers.h"
#include "store/sqlite/internal/statement.h"

namespace jcm::store::sqlite {
namespace {

using jcm_testing::IsOk;

class ReadPoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/jcm-read-pool-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
    ASSERT_EQ(sqlite3_open((dir_ + "/t.db").c_str(), &writer_), SQLITE_OK);
    ASSERT_THAT(Exec(writer_,
                     "PRAGMA journal_mode = WAL; CREATE TABLE t (k INTEGER);"
                     "INSERT INTO t VALUES (1), (2), (3);"),
                IsOk());
  }
  void TearDown() override {
    Close(writer_);
    std::filesystem::remove_all(dir_);
  }
  std::vector<sqlite3*> Readers(int n) {
    std::vector<sqlite3*> readers;
    for (int i = 0; i < n; ++i) {
      sqlite3* db = nullptr;
      EXPECT_EQ(sqlite3_open_v2((dir_ + "/t.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr),
                SQLITE_OK);
      readers.push_back(db);
    }
    return readers;
  }
  int64_t Rows(sqlite3* db) {
    Statement q(db, "SELECT count(*) FROM t");
    auto row = q.Step();
    return row.ok() && *row ? q.Int(0) : -1;
  }
  std::string dir_;
  sqlite3* writer_ = nullptr;
  std::mutex writer_mu_;
};

TEST_F(ReadPoolTest, EveryConnectionCanBeHeldAtOnceAndTheNextReadWaitsForOne) {
  ReadPool pool(Readers(3), writer_, writer_mu_);
  ASSERT_EQ(pool.size(), 3u);
  std::atomic<bool> fourth_read{false};
  std::thread waiting;
  {
    ReadPool::Lease a(pool), b(pool), c(pool);
    EXPECT_NE(a.db(), b.db());
    EXPECT_NE(b.db(), c.db());
    EXPECT_NE(a.db(), c.db());
    EXPECT_NE(a.db(), writer_);
    waiting = std::thread([&] {
      ReadPool::Lease d(pool);
      fourth_read = Rows(d.db()) == 3;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_FALSE(fourth_read) << "a fourth read ran while all three connections were held";
  }
  waiting.join();
  EXPECT_TRUE(fourth_read);
}

TEST_F(ReadPoolTest, AReadLeftSteppingEndsWithItsLeaseSoTheNextReadSeesLaterCommits) {
  ReadPool pool(Readers(1), writer_, writer_mu_);
  sqlite3_stmt* raw = nullptr;
  {
    ReadPool::Lease read(pool);
    ASSERT_EQ(sqlite3_prepare_v2(read.db(), "SELECT k FROM t ORDER BY k", -1, &raw, nullptr),
              SQLITE_OK);
    ASSERT_EQ(sqlite3_step(raw), SQLITE_ROW);  // one row of three: left stepping
  }
  EXPECT_EQ(sqlite3_stmt_busy(raw), 0) << "the lease left its statement stepping";
  ASSERT_THAT(Exec(writer_, "INSERT INTO t VALUES (4)"), IsOk());
  {
    ReadPool::Lease read(pool);
    EXPECT_EQ(Rows(read.db()), 4) << "the earlier read's transaction still held an old state";
  }
  sqlite3_finalize(raw);
}

TEST_F(ReadPoolTest, WithoutConnectionsOfItsOwnItReadsOnTheSharedOneUnderItsMutex) {
  ReadPool pool({}, writer_, writer_mu_);
  ASSERT_EQ(pool.size(), 1u);
  {
    ReadPool::Lease read(pool);
    EXPECT_EQ(read.db(), writer_);
    EXPECT_FALSE(writer_mu_.try_lock()) << "the lease does not hold the shared mutex";
  }
  EXPECT_TRUE(writer_mu_.try_lock());
  writer_mu_.unlock();
}

}  // namespace
}  // namespace jcm::store::sqlite
