// A gtest fixture with a fresh registry (JP, MN, VN initialised, holding accounts for alice and
// bob in MN, one in VN) and helpers that submit commands through a real store: SQLite in a
// temporary file by default, the memory store when a derived fixture sets use_memory_store_,
// PostgreSQL (a fresh schema on the fixture's server) when it sets use_postgres_store_.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <numeric>

#include "core/account_number.h"
#include "ledger/audit.h"
#include "store/memory/memory_store.h"
#include "store/sqlite/sqlite_store.h"
#include "store/testing/fixed_clock.h"
#include "store/testing/postgres_test_server.h"
#include "store/testing/store_kind.h"

namespace jcm::store {

class LedgerFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = std::string("jcm-") + info->test_suite_name() + "-" + info->name() + "-" +
                       std::to_string(::getpid()) + ".db";
    std::replace(name.begin(), name.end(), '/', '_');  // parameterised test names have slashes
    path_ = (sqlite_directory_ / name).string();
    if (!use_memory_store_) Remove();
    Reopen();
    Populate();
  }

  // Initialises JP, MN and VN and opens alice, bob (MN) and vn_holder (VN) in the open store.
  void Populate() {
    for (const char* code : {"JP", "MN", "VN"}) {
      ASSERT_FALSE(Must(ledger::InitRegistry{code}).rejection);
    }
    alice_ = OpenHolding("MN", "Alice LLC");
    bob_ = OpenHolding("MN", "Bob Solar");
    vn_holder_ = OpenHolding("VN", "Viet Partner");
    const auto accounts = store_->ListAccounts("MN");
    for (const ledger::Account& a : *accounts) {
      if (a.type == ledger::AccountType::kRetirement) retirement_ = a.number;
    }
  }
  void TearDown() override {
    store_.reset();
    if (!use_memory_store_ && !use_postgres_store_) Remove();
  }

  // Use `kind` (from a derived fixture's constructor).
  void UseStore(StoreKind kind) {
    use_memory_store_ = kind == StoreKind::kMemory;
    use_postgres_store_ = kind == StoreKind::kPostgres;
  }

  // Deletes the registry (SQLite: the files; PostgreSQL: a new empty schema the first time, an
  // emptied registry afterwards).
  void Remove() {
    if (use_postgres_store_) {
      store_.reset();
      if (!schema_.empty()) return ClearPostgresRegistry(path_);
      const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
      schema_ = TestSchemaName(std::string(info->test_suite_name()) + "-" + info->name());
      path_ = FreshPostgresSchema(schema_);
      return;
    }
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix);
  }
  void Reopen() {
    store_.reset();
    if (use_memory_store_) {
      store_ = NewMemoryStore(clock_);
      return;
    }
    auto opened =
        use_postgres_store_ ? OpenPostgresStore(path_, clock_) : OpenSqliteStore(path_, clock_);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
  }

  Outcome Must(const ledger::Command& command) {
    auto out = store_->Submit(command);
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    return out.ok() ? std::move(out).value() : Outcome{};
  }

  std::string OpenHolding(const std::string& registry, const std::string& name) {
    ledger::OpenAccount open{
        registry, ledger::AccountType::kEntityHolding, {name, "", "", "", ""}, ""};
    return *Must(open).entry.body.Get("account");
  }

  // Records a JC decision the way the project cycle does when the Joint Committee decides: as
  // decisions carried by a journaled event (here of a kind only the ledger tests write).
  Outcome RecordDecision(const std::string& id, const std::string& registry,
                         const std::string& project, const std::string& period,
                         int64_t notified_tco2e) {
    ledger::JcDecision d;
    d.id = id;
    d.registry = core::RegistryCode::FromTrusted(registry);
    d.project = project;
    d.period = *core::Period::Parse(period);
    d.notified_tco2e = notified_tco2e;
    core::Record body;
    body.Add("decision", id);
    return Must(ledger::RecordDecisions{{"cycle.test_decision", std::move(body), "", -1}, {d}});
  }

  // An issuance in MN executing a decision recorded for exactly its total (a fresh decision per
  // call unless `decision` names one already recorded).
  Outcome Issue(const std::string& project, const std::string& period,
                std::vector<ledger::IssuanceTarget> targets,
                ledger::Authorization authorization = ledger::Authorization::kNdc,
                bool expect_ok = true, std::string decision = "") {
    ledger::TransactionRequest r;
    r.type = ledger::TransactionType::kIssuance;
    r.registry = "MN";
    r.project = project;
    r.period = period;
    r.authorization = authorization;
    r.targets = std::move(targets);
    if (decision.empty()) {
      int64_t total = 0;
      for (const ledger::IssuanceTarget& t : r.targets) total += t.quantity;
      decision = project + ":" + period + "@test-" + std::to_string(++decisions_recorded_);
      if (total > 0 && total <= ledger::kUnitsPerTransactionMax) {
        RecordDecision(decision, "MN", project, period, total);
      }
    }
    r.decision = decision;
    Outcome out = Must(r);
    if (expect_ok) {
      EXPECT_FALSE(out.rejection) << out.rejection->message;
    }
    return out;
  }

  static ledger::TransactionRequest TransferRequest(const std::string& from, const std::string& to,
                                                    int64_t quantity, std::string serials = "",
                                                    std::string key = "") {
    ledger::TransactionRequest r;
    r.type = ledger::TransactionType::kInternalTransfer;
    r.from = from;
    r.to = to;
    r.quantity = quantity;
    r.serials = std::move(serials);
    r.idempotency_key = std::move(key);
    return r;
  }
  Outcome Transfer(const std::string& from, const std::string& to, int64_t quantity,
                   std::string serials = "", std::string key = "") {
    return Must(TransferRequest(from, to, quantity, std::move(serials), std::move(key)));
  }
  Outcome Retire(const std::string& from, int64_t quantity) {
    ledger::TransactionRequest r = TransferRequest(from, "", quantity);
    r.type = ledger::TransactionType::kRetirement;
    r.beneficiary = "Government of Japan NDC";
    return Must(r);
  }
  Outcome Cancel(const std::string& from, int64_t quantity, std::string reason) {
    ledger::TransactionRequest r = TransferRequest(from, "", quantity);
    r.type = ledger::TransactionType::kCancellation;
    r.reason = std::move(reason);
    return Must(r);
  }
  Outcome SetState(const std::string& account, ledger::AccountState state) {
    return Must(ledger::ChangeAccountState{account, state, "test", ""});
  }

  int64_t Held(const std::string& account) {
    const auto blocks = *store_->LiveBlocks(account);
    return std::accumulate(blocks.begin(), blocks.end(), int64_t{0},
                           [](int64_t s, const ledger::UnitBlock& b) { return s + b.unit_count; });
  }

  static std::string Mistyped(std::string number) {
    number[10] = number[10] == '9' ? '0' : static_cast<char>(number[10] + 1);
    return number;
  }
  static std::string Unknown() {
    return core::AccountNumber{core::RegistryCode::FromTrusted("MN"), 121, 9'999'999}.ToString();
  }

  void ExpectRejected(const Outcome& out, ledger::CheckCode code) {
    ASSERT_TRUE(out.rejection) << "expected check " << static_cast<int>(code);
    EXPECT_EQ(out.rejection->check, code) << out.rejection->message;
  }

  std::vector<ledger::Violation> AuditNow() {
    auto journal = store_->ReadJournal(1);
    auto state = store_->ReadState();
    EXPECT_TRUE(journal.ok() && state.ok());
    return ledger::Audit(*journal, *state);
  }
  void ExpectAuditClean() {
    for (const auto& v : AuditNow())
      ADD_FAILURE() << v.invariant << " @" << v.seq << ": " << v.message;
  }

  bool use_memory_store_ = false;
  bool use_postgres_store_ = false;
  // Where SQLite registries are made (a derived fixture may choose tmpfs: /dev/shm).
  std::filesystem::path sqlite_directory_ = std::filesystem::temp_directory_path();
  std::string schema_;  // PostgreSQL: the test's schema; path_ is then its URI
  FixedClock clock_;
  std::string path_;
  std::unique_ptr<Store> store_;
  std::string alice_, bob_, vn_holder_, retirement_;
  int64_t decisions_recorded_ = 0;
};

}  // namespace jcm::store
