// Issue 8 item 2: executing a JC decision on one side is one write (ledger::ExecuteDecision), even
// when another process journals a cycle event between the service's read of the cycle state and
// its write; the audit checks ledger → cycle as well as cycle → ledger (an issuance made by an
// execution is recorded as executed by the cycle, INV-10); and `registry summary` never counts
// units both as issued and as pending. Both stores, on the public JCM data set's pending
// decisions.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "service/audit_service.h"
#include "service/cycle_service.h"
#include "service/registry_service.h"
#include "service/service_fixture_test.h"
#include "store/testing/forwarding_store.h"

namespace jcm::service {
namespace {

const core::Date kToday = *core::Date::Parse("2026-11-01");

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Forwards to a store; before the first execution reaches it, another "process" (a second
// CycleService on the same store) journals a cycle event: the interleaving that used to leave
// the ledger issuance committed and the execution reported as rejected.
class InterleavingStore : public store::testing::ForwardingStore {
 public:
  using ForwardingStore::ForwardingStore;
  core::Result<store::Outcome> Submit(const ledger::Command& c) override {
    if (std::holds_alternative<ledger::ExecuteDecision>(c) && !interleaved_) {
      interleaved_ = true;
      auto other = CycleService(inner()).Step(StepRequest{
          cycle::RegisterOrganisation{"interloper", "Interloper LLC", "JP"}, "", kToday, "", {}});
      EXPECT_TRUE(other.ok() && !IsRejected(*other)) << "the interleaved event was journaled";
    }
    ++submits;
    return ForwardingStore::Submit(c);
  }

  int submits = 0;

 private:
  bool interleaved_ = false;
};

class ExecutionAuditTest : public StoreTest {
 protected:
  // The data set imported; the first side it leaves pending.
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_TRUE(RegistryService(*store_).InitRegistries({"JP", "MN"}).ok());
    CycleService cycle(*store_);
    const std::string dir = SourcePath("data/jcm/");
    auto imported = cycle.ImportJcmData(
        {ReadText(dir + "projects_all_jcm.csv"), ReadText(dir + "projects_mongolia.csv"),
         ReadText(dir + "methodologies.csv"), ReadText(dir + "rules_forms.csv"),
         ReadText(dir + "issuance_records.csv")},
        kToday);
    ASSERT_TRUE(imported.ok()) << imported.status().ToString();
    for (const auto& [id, p] : cycle.state().projects) {
      for (const cycle::MonitoringPeriodState& m : p.periods) {
        for (const cycle::SideState& side : m.sides) {
          if (side.executed || side.amount_tco2e == 0 || amount_ != 0) continue;
          request_ = {p.reference, m.period, side.side, kToday, ledger::Authorization::kNone,
                      {},          kToday,   ""};
          amount_ = side.amount_tco2e;
          // The decision's id as the cycle records it in the ledger (docs/cycle.md).
          decision_ = p.reference + ":" + m.period.ToString() + "@" + m.decision_date->ToString();
        }
      }
    }
    ASSERT_GT(amount_, 0) << "the data set has a pending side";
  }

  std::string GovernmentAccount() {
    const auto accounts = store_->ListAccounts(request_.registry);
    for (const ledger::Account& a : *accounts) {
      if (a.type == ledger::AccountType::kGovernmentHolding) return a.number;
    }
    ADD_FAILURE() << "no government holding account in " << request_.registry;
    return "";
  }

  RegistrySummary Summary() {
    auto summary = CycleService(*store_).Summary(request_.registry);
    EXPECT_TRUE(summary.ok()) << summary.status().ToString();
    return summary.ok() ? *summary : RegistrySummary{};
  }

  AuditReport Audit() {
    auto report = AuditAll(*store_);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? *report : AuditReport{};
  }

  // The issuances the ledger journaled under the decision, in the side's registry.
  std::vector<int64_t> IssuancesUnderTheDecision() {
    std::vector<int64_t> seqs;
    const auto journal = store_->ReadJournal(1, "transaction");
    for (const ledger::JournalEntry& e : *journal) {
      if (e.body.Find("decision") == decision_ && e.body.Find("registry") == request_.registry) {
        seqs.push_back(e.seq);
      }
    }
    return seqs;
  }

  ExecutionRequest request_;
  int64_t amount_ = 0;
  std::string decision_;
};

TEST_P(ExecutionAuditTest, AnExecutionRacingAnotherCycleEventCommitsOnceAndSaysSo) {
  const RegistrySummary before = Summary();
  InterleavingStore interleaving(*store_);
  auto executed = CycleService(interleaving).ExecuteIssuanceDecision(request_);
  ASSERT_TRUE(executed.ok()) << executed.status().ToString();
  ASSERT_FALSE(IsRejected(*executed)) << std::get<Rejection>(*executed).message;
  EXPECT_EQ(interleaving.submits, 2) << "the stale execution (check 23), then its retry";
  const auto& result = std::get<ExecutionResult>(*executed);
  EXPECT_EQ(IssuancesUnderTheDecision(), std::vector<int64_t>{result.transaction_seq});
  EXPECT_EQ(result.event.fields.Find("ledger_transaction"), std::to_string(result.transaction_seq));

  const RegistrySummary after = Summary();
  EXPECT_EQ(after.issued_tco2e - before.issued_tco2e, amount_);
  EXPECT_EQ(before.pending_issuance_tco2e - after.pending_issuance_tco2e, amount_);
  const AuditReport audit = Audit();
  EXPECT_TRUE(audit.ok()) << audit.violations[0].invariant << ": " << audit.violations[0].message;
}

// A registry manager may also execute a decision directly in the ledger (jcm issue --decision):
// what it issued is no longer pending, even though the cycle has not recorded an execution.
TEST_P(ExecutionAuditTest, UnitsIssuedDirectlyUnderADecisionAreNotAlsoPending) {
  const RegistrySummary before = Summary();
  ledger::TransactionRequest issue;
  issue.type = ledger::TransactionType::kIssuance;
  issue.registry = request_.registry;
  issue.decision = decision_;
  issue.targets = {{GovernmentAccount(), 1}};
  auto issued = RegistryService(*store_).Issue(issue);
  ASSERT_TRUE(issued.ok() && !IsRejected(*issued));

  const RegistrySummary after = Summary();
  EXPECT_EQ(after.issued_tco2e - before.issued_tco2e, 1);
  EXPECT_EQ(before.pending_issuance_tco2e - after.pending_issuance_tco2e, 1)
      << "the unit was counted as issued and as pending";
  EXPECT_TRUE(Audit().ok());
}

// What the two-write execution left behind when another event landed between its writes: the
// ledger issuance under the execution's key, and no execution event. The audit names it.
TEST_P(ExecutionAuditTest, AnExecutionIssuanceTheCycleDoesNotRecordIsNamed) {
  ledger::TransactionRequest issue;
  issue.type = ledger::TransactionType::kIssuance;
  issue.registry = request_.registry;
  issue.decision = decision_;
  issue.targets = {{GovernmentAccount(), amount_}};
  issue.idempotency_key = "cycle-execute-" + decision_ + "-" + request_.registry;
  auto issued = RegistryService(*store_).Issue(issue);
  ASSERT_TRUE(issued.ok() && !IsRejected(*issued));
  const int64_t seq = std::get<TransactionResult>(*issued).seq;

  const AuditReport audit = Audit();
  bool named = false;
  for (const ledger::Violation& v : audit.violations) {
    named |= v.invariant == "INV-10" && v.seq == seq;
  }
  EXPECT_TRUE(named) << "INV-10 at entry " << seq;
}

INSTANTIATE_TEST_SUITE_P(Stores, ExecutionAuditTest,
                         ::testing::Values(StoreKind::kMemory, StoreKind::kSqlite), StoreKindName);

}  // namespace
}  // namespace jcm::service
