// jcm audit verify must detect any single tampering of the database and name the entry
// (docs/invariants.md). A registry is built through the real store, copied, and each copy has
// exactly one cell, row or order changed behind the store's back with raw SQL. Built twice: on
// SQLite (a copy of the file, changed with sqlite3) and, with JCM_TEST_POSTGRES_STATE, on
// PostgreSQL (a copy of the test's schema, changed with the same SQL in PostgreSQL's dialect).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>

#include "core/sha256.h"
#include "core/testing/status_matchers.h"
#include "service/audit_service.h"
#include "store/testing/ledger_fixture.h"

namespace jcm::store {
namespace {

class AuditTamperTest : public LedgerFixture {
 protected:
#ifdef JCM_TEST_POSTGRES_STATE
  AuditTamperTest() { UseStore(StoreKind::kPostgres); }
#endif

  void SetUp() override {
    LedgerFixture::SetUp();
    Issue("MN003", "2017-08-26..2018-05-31", {{alice_, 100}, {bob_, 50}});
    Transfer(alice_, bob_, 30);
    Transfer(bob_, alice_, 5, "60..64");
    Retire(bob_, 10);
    Cancel(alice_, 3, "correction of an over-issuance");
    keyed_seq_ = Transfer(alice_, bob_, 2, "", "k-last").entry.seq;  // entry 13
    // A document referenced by a journal entry (the project cycle's documents are fields
    // `….sha256` of its events; this event is of a kind only the tests write).
    ASSERT_TRUE(store_->PutDocument(core::Sha256Hex(kDocument), kDocument).ok());
    core::Record body;
    body.Add("document.sha256", core::Sha256Hex(kDocument)).Add("document.type", "pdd");
    document_seq_ = Must(ledger::AppendEvent{"cycle.test_document", body, "", -1}).entry.seq;
    ExpectAuditClean();
    store_.reset();  // close: the copies below are taken from a quiescent file
  }

  static constexpr std::string_view kDocument = "a project design document";

  // The tampering `sql` in PostgreSQL's dialect: no instr(), zeroblob() or printf(), bytea
  // literals, a quoted reserved word.
  static std::string InPostgresDialect(std::string sql) {
    const std::pair<std::string, std::string> rewrites[] = {
        {"instr(body, ", "strpos(body, "},
        {"X'00'", "'\\x00'::bytea"},
        {"zeroblob(32)", "decode(repeat('00', 32), 'hex')"},
        {"printf('%064d', 0)", "repeat('0', 64)"},
        {"printf('%0128d', 0)", "repeat('0', 128)"},
        {"SET authorization = authorization", "SET \"authorization\" = \"authorization\""}};
    for (const auto& [from, to] : rewrites) {
      for (size_t at = sql.find(from); at != std::string::npos; at = sql.find(from, at)) {
        sql.replace(at, from.size(), to);
        at += to.size();
      }
    }
    return sql;
  }

  // PostgreSQL: copies the test's schema (its tables' rows; no constraint stands in the way of
  // a tampering) and runs `sql` on the copy; returns the copy's URI.
  std::string TamperedPostgres(const std::string& sql) {
    const std::string copy_schema = schema_ + "_copy";
    const std::string copy = FreshPostgresSchema(copy_schema);
    const core::Status copied = ExecutePostgres(
        copy,
        "DO $$ DECLARE t text; BEGIN FOR t IN SELECT tablename FROM pg_tables WHERE "
        "schemaname = '" +
            schema_ + "' LOOP EXECUTE format('CREATE TABLE %I.%I AS TABLE %I.%I', '" + copy_schema +
            "', t, '" + schema_ + "', t); END LOOP; END $$");
    EXPECT_TRUE(copied.ok()) << copied.ToString();
    const core::Status changed = ExecutePostgres(copy, InPostgresDialect(sql));
    EXPECT_TRUE(changed.ok()) << changed.ToString() << " in " << InPostgresDialect(sql);
    return copy;
  }

  // The registry at `copy` (a file or a URI), opened in `mode`.
  core::Result<std::unique_ptr<Store>> OpenCopy(const std::string& copy, OpenMode mode) {
    if (use_postgres_store_) return OpenPostgresStore(copy, clock_, {.mode = mode});
    return OpenSqliteStore(copy, clock_, {.mode = mode});
  }

  // Copies the database and runs `sql` on the copy; returns the copy's path (or URI).
  std::string Tampered(const std::string& sql) {
    if (use_postgres_store_) return TamperedPostgres(sql);
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
    return copy;
  }

  void RemoveCopy(const std::string& copy) {
    if (use_postgres_store_) return;  // the next Tampered() replaces the copy's schema
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(copy + suffix);
  }

  // The full audit (jcm audit verify's: the ledger's, the cycle's, keys and documents) of a
  // tampered copy.
  service::AuditReport ServiceAuditAfter(const std::string& sql) {
    const std::string copy = Tampered(sql);
    auto store = OpenCopy(copy, OpenMode::kReadOnly);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    service::AuditReport report;
    if (store.ok()) {
      auto audited = service::AuditAll(**store);
      EXPECT_TRUE(audited.ok()) << audited.status().ToString();
      if (audited.ok()) report = std::move(audited).value();
    }
    store->reset();
    RemoveCopy(copy);
    return report;
  }

  // Copies the database, runs `sql` on the copy, and returns the audit of the copy.
  std::vector<ledger::Violation> AuditAfter(const std::string& sql) {
    const std::string copy = Tampered(sql);
    auto store = OpenCopy(copy, OpenMode::kReadWrite);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    auto journal = (*store)->ReadJournal(1);
    auto state = (*store)->ReadState();
    std::vector<ledger::Violation> violations;
    if (!journal.ok() || !state.ok()) {
      violations.push_back({"read", 0, "unreadable"});  // corrupt rows are also detection
    } else {
      violations = ledger::Audit(*journal, *state);
    }
    store->reset();
    RemoveCopy(copy);
    return violations;
  }

  static bool Names(const std::vector<ledger::Violation>& violations, const std::string& invariant,
                    int64_t seq) {
    for (const auto& v : violations) {
      if (v.invariant == invariant && v.seq == seq) return true;
    }
    return false;
  }
  static bool Mentions(const std::vector<ledger::Violation>& violations,
                       const std::string& invariant) {
    for (const auto& v : violations) {
      if (v.invariant == invariant) return true;
    }
    return false;
  }

  int64_t keyed_seq_ = 0;
  int64_t document_seq_ = 0;
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
      {"blocks", "article6_authorisation", "id", true},
      {"blocks", "cooperative_approach", "id", true},
      {"blocks", "itmo_registry", "id", true},
      {"blocks", "itmo_first", "id", false},
      {"blocks", "first_transferring_party", "id", true},
      {"blocks", "vintage", "id", false},
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

// Issue 8 item 16: violations name the journal entry that created the account or the counters
// (alice, bob and vn_holder were opened by entries 4-6; VN was initialised by entry 3).
TEST_F(AuditTamperTest, AccountAndCounterViolationsNameTheEntryThatCreatedThem) {
  EXPECT_TRUE(Names(AuditAfter("UPDATE accounts SET holder_name = 'Mallory' "
                               "WHERE holder_name = 'Bob Solar'"),
                    "INV-9", 5));
  EXPECT_TRUE(Names(AuditAfter("UPDATE registries SET next_account_sequence = "
                               "next_account_sequence + 1 WHERE code = 'VN'"),
                    "INV-3", 3));
  EXPECT_TRUE(Names(AuditAfter("UPDATE balances SET units = units + 1 WHERE account = "
                               "(SELECT number FROM accounts WHERE holder_name = 'Alice LLC')"),
                    "INV-12", 4));
  EXPECT_TRUE(Names(AuditAfter("UPDATE registry_policies SET retirement_needs_ndc_authorization "
                               "= 1 - retirement_needs_ndc_authorization WHERE registry = 'VN'"),
                    "INV-8", 3));
}

// Issue 8 item 10: the idempotency table is derived from the journal and checked (INV-13).
TEST_F(AuditTamperTest, ADeletedIdempotencyRowIsNamed) {
  EXPECT_FALSE(
      Mentions(ServiceAuditAfter("UPDATE accounts SET contact = contact").violations, "INV-13"))
      << "the untouched registry's keys are the journal's";
  const auto report = ServiceAuditAfter("DELETE FROM idempotency WHERE key = 'k-last'");
  EXPECT_TRUE(Names(report.violations, "INV-13", keyed_seq_));
}

TEST_F(AuditTamperTest, ARedirectedIdempotencyRowIsNamedAndItsRetryRefused) {
  const std::string redirect = "UPDATE idempotency SET seq = 9 WHERE key = 'k-last'";
  EXPECT_TRUE(Names(ServiceAuditAfter(redirect).violations, "INV-13", keyed_seq_));

  // The retry must not answer with entry 9 (another transfer) as its transaction.
  const std::string copy = Tampered(redirect);
  auto store = OpenCopy(copy, OpenMode::kReadWrite);
  ASSERT_TRUE(store.ok());
  EXPECT_THAT((*store)->Submit(TransferRequest(alice_, bob_, 2, "", "k-last")),
              jcm_testing::StatusIs(core::StatusCode::kDataLoss,
                                    ::testing::HasSubstr("was not written under it")));
  store->reset();
  RemoveCopy(copy);
}

// Issue 8 item 11: every stored document a journal entry references is re-hashed (INV-14); one
// that is referenced but not stored is listed (a reference by hash may name a document kept
// elsewhere).
TEST_F(AuditTamperTest, AnAlteredDocumentIsNamedAndAMissingOneListed) {
  const auto altered = ServiceAuditAfter("UPDATE documents SET bytes = X'00'");
  EXPECT_TRUE(Names(altered.violations, "INV-14", document_seq_));

  const auto deleted = ServiceAuditAfter("DELETE FROM documents");
  EXPECT_FALSE(Mentions(deleted.violations, "INV-14"));
  ASSERT_EQ(deleted.documents_missing.size(), 1u);
  EXPECT_EQ(deleted.documents_missing[0].first, document_seq_);
  EXPECT_EQ(deleted.documents_missing[0].second, core::Sha256Hex(kDocument));
  EXPECT_EQ(deleted.documents_checked, 0);

  const auto untouched = ServiceAuditAfter("UPDATE accounts SET contact = contact");
  EXPECT_EQ(untouched.documents_checked, 1);
  EXPECT_FALSE(Mentions(untouched.violations, "INV-14"));
}

// INV-25: a transparency-log tree that is not the journal's (a node altered, a leaf missing).
TEST_F(AuditTamperTest, ALogTreeThatIsNotTheJournalsIsNamed) {
  auto altered = ServiceAuditAfter(
      "UPDATE log_nodes SET hash = zeroblob(32) WHERE level = (SELECT MAX(level) FROM log_nodes)");
  EXPECT_TRUE(Mentions(altered.violations, "INV-25"));
  auto missing = ServiceAuditAfter(
      "DELETE FROM log_nodes WHERE level = 0 AND "
      "idx = (SELECT MAX(idx) FROM log_nodes WHERE level = 0)");
  EXPECT_TRUE(Mentions(missing.violations, "INV-25"));
}

// INV-26: a stored head that does not sign the journal's root.
TEST_F(AuditTamperTest, AHeadThatDoesNotSignTheJournalsRootIsNamed) {
  auto forged = ServiceAuditAfter(
      "INSERT INTO log_heads SELECT MAX(seq), printf('%064d', 0), '2026-11-30T09:00:00Z', "
      "printf('%064d', 0), printf('%0128d', 0) FROM journal");
  EXPECT_TRUE(Mentions(forged.violations, "INV-26"));
  EXPECT_FALSE(Mentions(forged.violations, "INV-25"));
}

}  // namespace
}  // namespace jcm::store
