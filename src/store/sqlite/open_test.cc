// Opening a registry file (docs/formats/store.md "Opening a registry", issue 8 items 7, 8, 16):
// only OpenMode::kCreate creates a file; every mode refuses what is not a jcm registry (an
// absent, empty or 0-byte file, another program's SQLite database, a file that is no database)
// before writing anything to it, with a message naming the file and never SQL; a registry is
// recognised by its application id, or, before migration 5 set it, by its tables; creations race
// safely; SQLite's errors read as causes (locked, read-only, full, corrupt).
#include "store/sqlite/internal/open.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "core/sha256.h"
#include "core/testing/status_matchers.h"
#include "store/sqlite/internal/schema.h"
#include "store/sqlite/internal/statement.h"
#include "store/sqlite/sqlite_store.h"
#include "store/testing/fixed_clock.h"

namespace jcm::store {
namespace {

using core::StatusCode;
using jcm_testing::IsOk;
using jcm_testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

class StoreOpenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/jcm-store-open-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
    path_ = dir_ + "/registry.db";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  core::Result<std::unique_ptr<Store>> Open(OpenMode mode, int busy_timeout_ms = 10'000) {
    return OpenSqliteStore(path_, clock_, {.busy_timeout_ms = busy_timeout_ms, .mode = mode});
  }

  // Runs `sql` on the file through a connection of its own (another program).
  void Raw(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
        << (error ? error : "") << " in " << sql;
    sqlite3_free(error);
    sqlite3_close(db);
  }

  int64_t RawInt(const std::string& sql) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sql;
    int64_t value = -1;
    if (sqlite3_step(stmt) == SQLITE_ROW) value = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return value;
  }

  std::string RawText(const std::string& sql) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sql;
    std::string value;
    if (sqlite3_step(stmt) == SQLITE_ROW) {
      value = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return value;
  }

  // A registry with JP initialised, closed.
  void MakeRegistry() {
    auto store = Open(OpenMode::kCreate);
    ASSERT_THAT(store, IsOk());
    auto init = (*store)->Submit(ledger::InitRegistry{"JP"});
    ASSERT_THAT(init, IsOk());
    ASSERT_FALSE(init->rejection);
  }

  FixedClock clock_;
  std::string dir_, path_;
};

TEST_F(StoreOpenTest, OnlyCreateModeCreatesAFile) {
  for (OpenMode mode : {OpenMode::kReadWrite, OpenMode::kReadOnly}) {
    EXPECT_THAT(Open(mode),
                StatusIs(StatusCode::kNotFound, AllOf(HasSubstr(path_), HasSubstr("does not exist"),
                                                      HasSubstr("jcm init"))));
    EXPECT_FALSE(std::filesystem::exists(path_)) << "a mistyped path must not become a registry";
  }
  auto created = Open(OpenMode::kCreate);
  ASSERT_THAT(created, IsOk());
  EXPECT_EQ(RawInt("PRAGMA application_id"), sqlite::kApplicationId);
  EXPECT_EQ(RawInt("PRAGMA user_version"), sqlite::kSchemaVersion);
}

TEST_F(StoreOpenTest, EmptyAndZeroByteFilesAreRefusedUnlessCreating) {
  std::ofstream(path_).close();  // 0 bytes
  for (OpenMode mode : {OpenMode::kReadWrite, OpenMode::kReadOnly}) {
    EXPECT_THAT(Open(mode), StatusIs(StatusCode::kFailedPrecondition,
                                     AllOf(HasSubstr("registry.db is not a jcm registry"),
                                           HasSubstr("empty"))));
    EXPECT_EQ(std::filesystem::file_size(path_), 0u) << "the refusal wrote to the file";
    EXPECT_FALSE(std::filesystem::exists(path_ + "-wal"));
  }
  ASSERT_THAT(Open(OpenMode::kCreate), IsOk()) << "jcm init may make an empty file a registry";
  EXPECT_EQ(RawInt("PRAGMA application_id"), sqlite::kApplicationId);
}

TEST_F(StoreOpenTest, AnotherProgramsDatabaseIsRefusedAndLeftAsItWas) {
  Raw("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes VALUES (1, 'x')");
  for (OpenMode mode : {OpenMode::kCreate, OpenMode::kReadWrite, OpenMode::kReadOnly}) {
    EXPECT_THAT(Open(mode),
                StatusIs(StatusCode::kFailedPrecondition,
                         AllOf(HasSubstr("registry.db is not a jcm registry"),
                               HasSubstr("another program"), Not(HasSubstr("SELECT")))));
  }
  EXPECT_EQ(RawText("PRAGMA journal_mode"), "delete") << "switched to WAL";
  EXPECT_EQ(RawInt("SELECT COUNT(*) FROM sqlite_schema"), 1) << "jcm tables were added";
  EXPECT_EQ(RawInt("PRAGMA user_version"), 0);

  Raw("DROP TABLE notes; PRAGMA application_id = 42");  // empty, but claimed by a program
  EXPECT_THAT(Open(OpenMode::kCreate),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("application_id 42")));
}

TEST_F(StoreOpenTest, AFileThatIsNoDatabaseIsRefused) {
  std::ofstream(path_) << "these are my notes, not a database\n";
  for (OpenMode mode : {OpenMode::kCreate, OpenMode::kReadWrite, OpenMode::kReadOnly}) {
    EXPECT_THAT(Open(mode), StatusIs(StatusCode::kFailedPrecondition,
                                     AllOf(HasSubstr("registry.db is not a jcm registry"),
                                           HasSubstr("not an SQLite database"))));
  }
}

TEST_F(StoreOpenTest, ARegistryOfAnOlderVersionIsRecognisedByItsTablesAndUpgraded) {
  MakeRegistry();
  // As migration 4 left it: no application_id, none of the later tables.
  Raw("PRAGMA application_id = 0; DROP TABLE user_secrets; DROP TABLE api_tokens; "
      "DROP INDEX live_blocks_by_serial; DROP TABLE log_nodes; DROP TABLE log_heads; "
      "DROP INDEX blocks_by_itmo; ALTER TABLE blocks DROP COLUMN cooperative_approach; ALTER TABLE "
      "blocks DROP COLUMN itmo_registry; ALTER TABLE blocks DROP COLUMN itmo_first; ALTER TABLE "
      "blocks DROP COLUMN first_transferring_party; ALTER TABLE blocks DROP COLUMN vintage; "
      "DROP INDEX live_blocks_by_article6; ALTER TABLE blocks DROP COLUMN article6_authorisation; "
      "PRAGMA user_version = 4");
  auto read = Open(OpenMode::kReadOnly);
  ASSERT_THAT(read, IsOk());
  EXPECT_EQ(RawInt("PRAGMA application_id"), sqlite::kApplicationId);
  EXPECT_EQ(RawInt("PRAGMA user_version"), sqlite::kSchemaVersion);
  auto registries = (*read)->ListRegistries();
  ASSERT_THAT(registries, IsOk());
  EXPECT_EQ(*registries, std::vector<std::string>{"JP"});
  // Migration 11 built the transparency log's tree from the journal it found.
  const int64_t entries = static_cast<int64_t>((*read)->ReadJournal(1)->size());
  ASSERT_GT(entries, 0);
  EXPECT_EQ(*(*read)->LogTreeSize(), entries);
  EXPECT_EQ(*(*read)->LogSubtreeHash(0, entries - 1),
            *(*read)->Store::LogSubtreeHash(0, entries - 1));
}

TEST_F(StoreOpenTest, ANewerSchemaIsRefused) {
  MakeRegistry();
  Raw("PRAGMA user_version = 99");
  for (OpenMode mode : {OpenMode::kCreate, OpenMode::kReadWrite, OpenMode::kReadOnly}) {
    EXPECT_THAT(Open(mode), StatusIs(StatusCode::kFailedPrecondition,
                                     AllOf(HasSubstr("schema version 99"), HasSubstr("newer"))));
  }
}

TEST_F(StoreOpenTest, AReadOnlyStoreWritesNothing) {
  MakeRegistry();
  auto store = Open(OpenMode::kReadOnly);
  ASSERT_THAT(store, IsOk());
  EXPECT_THAT((*store)->Submit(ledger::InitRegistry{"MN"}),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("read-only")));
  EXPECT_THAT((*store)->PutDocument(core::Sha256Hex("x"), "x"),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("read-only")));
  EXPECT_EQ(RawInt("SELECT COUNT(*) FROM registries"), 1);
}

// Issue 8 item 8: migrations read the schema version under the write lock, so racing creations
// of one new file all succeed and migrate it once.
TEST_F(StoreOpenTest, ConcurrentCreationsOfOneNewFileAllSucceed) {
  for (int round = 0; round < 10; ++round) {
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directory(dir_);
    std::vector<core::Status> opened(8);
    std::vector<std::thread> threads;
    for (size_t i = 0; i < opened.size(); ++i) {
      threads.emplace_back([&, i] {
        auto store = Open(OpenMode::kCreate);
        if (!store.ok()) {
          opened[i] = store.status();
          return;
        }
        auto init = (*store)->Submit(ledger::InitRegistry{"JP"});
        opened[i] = init.ok() ? core::OkStatus() : init.status();
      });
    }
    for (std::thread& t : threads) t.join();
    for (const core::Status& status : opened) EXPECT_THAT(status, IsOk()) << "round " << round;
    EXPECT_EQ(RawInt("SELECT COUNT(*) FROM registries"), 1);
    EXPECT_EQ(RawText("PRAGMA journal_mode"), "wal");
  }
}

// A write batch runs each command in a savepoint; its statement journal stays in memory, not
// in a temporary file written page by page (docs/api.md "Benchmark", lever 10).
TEST_F(StoreOpenTest, AWritableConnectionKeepsItsStatementJournalsInMemory) {
  MakeRegistry();
  auto opened = sqlite::OpenRegistry(path_, OpenMode::kReadWrite, 1000);
  ASSERT_THAT(opened, IsOk());
  int64_t temp_store = -1;
  {
    sqlite::Statement q(opened->db, "PRAGMA temp_store");
    auto row = q.Step();
    if (row.ok() && *row) temp_store = q.Int(0);
  }
  sqlite::Close(opened->db);
  EXPECT_EQ(temp_store, 2) << "2 is MEMORY";
}

// SQLite's memory statistics are off in a process that opened a registry first: they took a
// process-wide mutex on every allocation, for which the read connections and the group commit's
// leader waited (docs/api.md "Benchmark", lever 14). Each case runs in a process of its own.
TEST_F(StoreOpenTest, SqliteKeepsNoMemoryStatisticsInAProcessThatOpenedARegistry) {
  MakeRegistry();  // opened, written and closed
  auto store = Open(OpenMode::kReadWrite);
  ASSERT_THAT(store, IsOk());
  ASSERT_THAT((*store)->ReadJournal(1), IsOk());
  EXPECT_EQ(sqlite3_memory_used(), 0) << "SQLite counts its allocations";
}

// Issue 8 item 16: a write that waits longer than the busy timeout says the registry is locked,
// names it, and carries no SQL.
TEST_F(StoreOpenTest, ALockedRegistryIsUnavailableWithACause) {
  MakeRegistry();
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  auto store = Open(OpenMode::kReadWrite, /*busy_timeout_ms=*/50);
  ASSERT_THAT(store, IsOk());
  EXPECT_THAT((*store)->Submit(ledger::InitRegistry{"MN"}),
              StatusIs(StatusCode::kUnavailable,
                       AllOf(HasSubstr("registry.db is locked by another process"),
                             Not(HasSubstr("BEGIN")))));
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
}

// The causes SQLite reports, each in words naming the file (and its status code).
TEST_F(StoreOpenTest, SqliteErrorsReadAsCausesNamingTheFile) {
  MakeRegistry();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  const struct {
    int rc;
    StatusCode code;
    const char* cause;
  } cases[] = {
      {SQLITE_READONLY, StatusCode::kFailedPrecondition, "the file or its directory is read-only"},
      {SQLITE_BUSY, StatusCode::kUnavailable, "locked by another process"},
      {SQLITE_FULL, StatusCode::kResourceExhausted, "the disk is full"},
      {SQLITE_CORRUPT, StatusCode::kDataLoss, "is corrupt"},
      {SQLITE_NOTADB, StatusCode::kFailedPrecondition, "not a jcm registry"},
  };
  for (const auto& c : cases) {
    EXPECT_THAT(sqlite::FromSqlite(db, c.rc),
                StatusIs(c.code, AllOf(HasSubstr("registry.db"), HasSubstr(c.cause))));
  }
  sqlite3_close(db);
}

}  // namespace
}  // namespace jcm::store
