// jcm audit verify must detect any single tampering of the database and name the entry
// (docs/invariants.md). A registry is built through the real store, copied, and each copy has
// exactly one cell, row or order changed behind the store's back with raw SQL.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>

#include "store/testing/ledger_fixture.h"

namespace jcm::store {
namespace {

class AuditTamperTest : public LedgerFixture {
 protected:
  void SetUp() override {
    LedgerFixture::SetUp();
    Issue("MN003", "2017-08-26..2018-05-31", {{alice_, 100}, {bob_, 50}});
    Transfer(alice_, bob_, 30);
    Transfer(bob_, alice_, 5, "60..64");
    Retire(bob_, 10);
    Cancel(alice_, 3, "correction of an over-issuance");
    ExpectAuditClean();
    store_.reset();  // close: the copies below are taken from a quiescent file
  }

  // Copies the database, runs `sql` on the copy, and returns the audit of the copy.
  std::vector<ledger::Violation> AuditAfter(const std::string& sql) {
    const std::string copy = path_ + ".tampered";
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(copy + suffix);
    std::filesystem::copy_file(path_, copy);
    if (std::filesystem::exists(path_ + "-wal")) {
      std::filesystem::copy_file(path_ + "-wal", copy + "-wal");
    }
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(copy.c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
        << (error ? error : "") << " in " << sql;
    sqlite3_free(error);
    EXPECT_GT(sqlite3_changes(db), 0) << "the tampering changed nothing: " << sql;
    sqlite3_close(db);
    auto store = OpenSqliteStore(copy, clock_);
    EXPECT_TRUE(store.ok());
    auto journal = (*store)->ReadJournal(1);
    auto state = (*store)->ReadState();
    std::vector<ledger::Violation> violations;
    if (!journal.ok() || !state.ok()) {
      violations.push_back({"read", 0, "unreadable"});  // corrupt rows are also detection
    } else {
      violations = ledger::Audit(*journal, *state);
    }
    store->reset();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(copy + suffix);
    return violations;
  }

  static bool Names(const std::vector<ledger::Violation>& violations, const std::string& invariant,
                    int64_t seq) {
    for (const auto& v : violations) {
      if (v.invariant == invariant && v.seq == seq) return true;
    }
    return false;
  }
};

TEST_F(AuditTamperTest, ChangedQuantityOfAStoredBlockNamesItsEntry) {
  auto v = AuditAfter("UPDATE blocks SET unit_count = unit_count + 1 WHERE id = 1");
  EXPECT_TRUE(Names(v, "INV-4", 8)) << "block 1 was created by entry 8 (the issuance)";
}

TEST_F(AuditTamperTest, DeletedJournalRowIsNamed) {
  auto v = AuditAfter("DELETE FROM journal WHERE seq = 9");
  EXPECT_TRUE(Names(v, "INV-7", 9));
}

TEST_F(AuditTamperTest, ReorderedJournalRowsAreDetected) {
  auto v = AuditAfter(
      "UPDATE journal SET seq = -1 WHERE seq = 9; UPDATE journal SET seq = 9 WHERE seq = 10; "
      "UPDATE journal SET seq = 10 WHERE seq = -1;");
  EXPECT_TRUE(Names(v, "INV-7", 9));
}

TEST_F(AuditTamperTest, EditedJournalContentIsNamed) {
  auto v = AuditAfter(
      "UPDATE journal SET body = replace(body, 'quantity=30', 'quantity=31') "
      "WHERE seq = 9");
  EXPECT_TRUE(Names(v, "INV-7", 9));
}

TEST_F(AuditTamperTest, BlockMovedToAnotherAccountIsDetected) {
  auto v = AuditAfter(
      "UPDATE blocks SET account = (SELECT number FROM accounts WHERE "
      "holder_name = 'Bob Solar') WHERE id = (SELECT MAX(id) FROM blocks "
      "WHERE ended_seq = 0 AND account = (SELECT number FROM accounts WHERE "
      "holder_name = 'Alice LLC'))");
  EXPECT_FALSE(v.empty());
}

TEST_F(AuditTamperTest, ResurrectedEndedBlockBreaksConservation) {
  auto v = AuditAfter("UPDATE blocks SET ended_seq = 0 WHERE id = 1");
  EXPECT_TRUE(Names(v, "INV-4", 8));
  bool conservation = false;
  for (const auto& x : v) conservation |= x.invariant == "INV-1" || x.invariant == "INV-3";
  EXPECT_TRUE(conservation);
}

TEST_F(AuditTamperTest, EveryCellOfEveryLedgerTableIsCovered) {
  struct Column {
    const char* table;
    const char* column;
    const char* key;
    bool text;
  };
  const Column columns[] = {
      {"registries", "next_serial", "code", false},
      {"registries", "next_account_sequence", "code", false},
      {"registries", "imported_units", "code", false},
      {"accounts", "registry", "number", true},
      {"accounts", "type", "number", false},
      {"accounts", "state", "number", true},
      {"accounts", "holder_name", "number", true},
      {"accounts", "holder_name_ja", "number", true},
      {"accounts", "representative", "number", true},
      {"accounts", "address", "number", true},
      {"accounts", "contact", "number", true},
      {"blocks", "registry", "id", true},
      {"blocks", "serial_first", "id", false},
      {"blocks", "unit_count", "id", false},
      {"blocks", "account", "id", true},
      {"blocks", "project", "id", true},
      {"blocks", "period", "id", true},
      {"blocks", "issuance_number", "id", false},
      {"blocks", "authorization", "id", true},
      {"blocks", "first_transferred", "id", false},
      {"blocks", "parent_id", "id", false},
      {"blocks", "created_seq", "id", false},
      {"blocks", "ended_seq", "id", false},
      {"blocks", "imported", "id", false},
      {"jc_decisions", "id", "id", true},
      {"jc_decisions", "registry", "id", true},
      {"jc_decisions", "project", "id", true},
      {"jc_decisions", "period", "id", true},
      {"jc_decisions", "notified_tco2e", "id", false},
      {"jc_decisions", "recorded_seq", "id", false},
      {"balances", "units", "account", false},
      {"journal", "time", "seq", true},
      {"journal", "kind", "seq", true},
      {"journal", "body", "seq", true},
      {"journal", "prev_hash", "seq", true},
      {"journal", "hash", "seq", true},
  };
  for (const Column& c : columns) {
    // Tamper with the last row of the table (the most recent, least guarded by later entries).
    const std::string change =
        c.text ? std::string(c.column) + " || 'x'" : std::string(c.column) + " + 1";
    const std::string sql = std::string("UPDATE ") + c.table + " SET " + c.column + " = " + change +
                            " WHERE " + c.key + " = (SELECT MAX(" + c.key + ") FROM " + c.table +
                            ")";
    EXPECT_FALSE(AuditAfter(sql).empty()) << "undetected: " << sql;
  }
  // Cells whose only valid change is not "+ 1" (a CHECK constraint forbids it).
  for (const char* sql :
       {"UPDATE jc_decisions SET executed_tco2e = executed_tco2e - 1",
        "UPDATE registry_policies SET retirement_needs_ndc_authorization = "
        "1 - retirement_needs_ndc_authorization WHERE registry = 'VN'",
        "DELETE FROM balances WHERE account = (SELECT MAX(account) FROM balances)"}) {
    EXPECT_FALSE(AuditAfter(sql).empty()) << "undetected: " << sql;
  }
}

TEST_F(AuditTamperTest, IssuanceWithoutDecisionIsNamed) {
  // The decision record removed from the journal entry that carried it: the issuance (entry 8)
  // now cites nothing (the entry's hash breaks too: INV-7 names entry 7).
  auto v = AuditAfter(
      "UPDATE journal SET body = substr(body, 1, instr(body, 'jc_decision=') - 1) WHERE seq = 7");
  EXPECT_TRUE(Names(v, "INV-11", 8));
  EXPECT_TRUE(Names(v, "INV-7", 7));
}

TEST_F(AuditTamperTest, IssuanceBeyondItsDecisionIsNamed) {
  auto v = AuditAfter(
      "UPDATE journal SET body = replace(body, '|150', '|149') WHERE seq = 7;"
      "UPDATE jc_decisions SET notified_tco2e = 149, executed_tco2e = 149");
  EXPECT_TRUE(Names(v, "INV-11", 8)) << "150 issued under a decision of 149";
}

}  // namespace
}  // namespace jcm::store
