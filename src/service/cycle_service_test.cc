#include "service/cycle_service.h"

#include <fstream>
#include <sstream>

#include "core/sha256.h"
#include "service/audit_service.h"
#include "service/registry_service.h"
#include "service/service_fixture_test.h"
#include "store/testing/forwarding_store.h"

namespace jcm::service {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

using store::testing::RecordingStore;

const core::Date kToday = *core::Date::Parse("2026-11-01");

StepRequest Party(const std::string& code, const std::string& name, std::string key = "") {
  return StepRequest{
      cycle::RegisterParty{code, name, std::nullopt}, "", kToday, std::move(key), {}};
}

class CycleServiceTest : public StoreTest {};

TEST_P(CycleServiceTest, AKeyedStepReplaysItsFirstEventAndRefusesOtherContent) {
  CycleService cycle(*store_);
  auto first = cycle.Step(Party("MN", "Mongolia", "party-mn"));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  const auto& event = std::get<CycleEventResult>(*first);
  EXPECT_EQ(event.kind, "cycle.party_registered");
  EXPECT_FALSE(event.replayed);

  CycleService later(*store_);  // another process: the key is found in the journal
  auto again = later.Step(Party("MN", "Mongolia", "party-mn"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(std::get<CycleEventResult>(*again).seq, event.seq);
  EXPECT_EQ(std::get<CycleEventResult>(*again).hash, event.hash);
  EXPECT_TRUE(std::get<CycleEventResult>(*again).replayed);

  auto other = later.Step(Party("MN", "Mongolei", "party-mn"));
  ASSERT_TRUE(other.ok());
  EXPECT_THAT(*other, IsRejectedBy(1));
  auto unkeyed = later.Step(Party("MN", "Mongolia"));
  ASSERT_TRUE(unkeyed.ok());
  EXPECT_THAT(*unkeyed, IsRejectedBy(116));  // without a key, the cycle's own check
}

// A step's documents are stored only when the step is accepted: a rejected step leaves no
// document behind, an accepted one has its document stored before its event is journaled.
TEST_P(CycleServiceTest, DocumentsAreStoredOnlyWithAnAcceptedStep) {
  CycleService cycle(*store_);
  const std::string bytes = "a proposed methodology";
  const cycle::Document document = CycleService::DocumentOf(bytes, "proposed_methodology", "1",
                                                            /*confidential=*/false);
  EXPECT_EQ(document.sha256, core::Sha256Hex(bytes));
  cycle::ProposeMethodology proposal{"MN_PM001", "MN", "Solar", "pp", 1, document, kToday};
  StepRequest rejected{proposal, "pp", kToday, "", {bytes}};  // no Joint Committee yet
  auto outcome = cycle.Step(rejected);
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  EXPECT_THAT(*outcome, IsRejectedBy(110));
  EXPECT_EQ(*store_->GetDocument(document.sha256), std::nullopt);

  ASSERT_TRUE(cycle.Step(Party("MN", "Mongolia")).ok());
  StepRequest jc{cycle::EstablishJointCommittee{"MN", {}, "S", kToday}, "", kToday, "", {}};
  ASSERT_FALSE(IsRejected(*cycle.Step(jc)));
  auto accepted = cycle.Step(StepRequest{proposal, "pp", kToday, "", {bytes}});
  ASSERT_TRUE(accepted.ok());
  ASSERT_FALSE(IsRejected(*accepted)) << std::get<Rejection>(*accepted).message;
  EXPECT_EQ(*store_->GetDocument(document.sha256), bytes);
}

// An unknown or uninitialised registry has no summary (it is not a registry of zeros), and a
// typo among the codes to initialise initialises none of them.
TEST_P(CycleServiceTest, UnknownRegistriesAreErrorsNotZeros) {
  CycleService cycle(*store_);
  EXPECT_EQ(cycle.Summary("XX").status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(cycle.Summary("KH").status().code(), core::StatusCode::kNotFound);
  RegistryService registry(*store_);
  auto init = registry.InitRegistries({"KH", "XX"});
  ASSERT_TRUE(init.ok());
  EXPECT_THAT(*init, IsRejectedBy(5));
  EXPECT_EQ(cycle.Summary("KH").status().code(), core::StatusCode::kNotFound);
  ASSERT_FALSE(IsRejected(*registry.InitRegistries({"KH"})));
  EXPECT_TRUE(cycle.Summary("KH").ok());
  EXPECT_EQ(
      cycle
          .Projects(ProjectFilter::FromText("XX", std::nullopt, std::nullopt, std::nullopt).value())
          .status()
          .code(),
      core::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      ProjectFilter::FromText(std::nullopt, "bogus", std::nullopt, std::nullopt).status().code(),
      core::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      ProjectFilter::FromText(std::nullopt, std::nullopt, std::nullopt, "wind").status().code(),
      core::StatusCode::kInvalidArgument);
}

TEST_P(CycleServiceTest, AStaleServiceDecidesAgainAfterAnotherAppends) {
  CycleService a(*store_);
  CycleService b(*store_);
  ASSERT_TRUE(b.Refresh().ok());
  ASSERT_TRUE(a.Step(Party("MN", "Mongolia")).ok());
  // b's cache is one event behind: its append meets check 23, it refreshes and decides again.
  auto appended = b.Step(Party("VN", "Viet Nam"));
  ASSERT_TRUE(appended.ok());
  ASSERT_FALSE(IsRejected(*appended)) << std::get<Rejection>(*appended).message;
  EXPECT_EQ(b.state().parties.size(), 2u);
  // Deciding again sees a's event: a duplicate is now the cycle's rejection, not check 23.
  ASSERT_TRUE(a.Refresh().ok());
  auto duplicate = b.Step(Party("MN", "Mongolia"));
  ASSERT_TRUE(duplicate.ok());
  EXPECT_THAT(*duplicate, IsRejectedBy(116));
}

// A store through which another process, as it were, registers one of `parties` just before
// each cycle event the service submits while some are left, so each of those appends meets
// check 23.
class CycleEventsMeanwhile : public store::testing::ForwardingStore {
 public:
  CycleEventsMeanwhile(store::Store& inner, std::vector<std::string> parties)
      : ForwardingStore(inner), other_(inner), parties_(std::move(parties)) {}
  core::Result<store::Outcome> Submit(const ledger::Command& command) override {
    if (std::holds_alternative<ledger::AppendEvent>(command) && injected_ < parties_.size()) {
      auto other = other_.Step(Party(parties_[injected_++], "a partner"));
      if (!other.ok()) return other.status();
      if (IsRejected(*other)) return core::Internal(std::get<Rejection>(*other).message);
    }
    return ForwardingStore::Submit(command);
  }
  size_t injected_ = 0;

 private:
  CycleService other_;
  std::vector<std::string> parties_;
};

// Check 23 fired by other processes' cycle events, again and again: the step is decided again on
// the refreshed state up to five times, then refused with check 23 (so a registry manager's
// step does not fail because another user registered an organisation a moment before).
TEST_P(CycleServiceTest, AStepIsDecidedAgainWhileOtherProcessesKeepAppendingUpToFiveTimes) {
  CycleEventsMeanwhile three_moves(*store_, {"KH", "LA", "ID"});
  CycleService cycle(three_moves);
  auto appended = cycle.Step(Party("MN", "Mongolia"));
  ASSERT_TRUE(appended.ok()) << appended.status().ToString();
  ASSERT_FALSE(IsRejected(*appended)) << std::get<Rejection>(*appended).message;
  EXPECT_EQ(three_moves.injected_, 3u);
  EXPECT_EQ(cycle.state().parties.size(), 4u);

  CycleEventsMeanwhile endless(*store_, {"TH", "PH", "BD", "LK", "MV", "KE", "GH"});
  CycleService unlucky(endless);
  auto refused = unlucky.Step(Party("VN", "Viet Nam"));
  ASSERT_TRUE(refused.ok()) << refused.status().ToString();
  EXPECT_THAT(*refused, IsRejectedBy(23));
  EXPECT_EQ(endless.injected_, 5u);  // five decisions, each met by another's event
}

TEST_P(CycleServiceTest, RefreshReadsOnlyTheEntriesAfterTheLastOneApplied) {
  RecordingStore recording(*store_);
  CycleService cycle(recording);
  ASSERT_TRUE(cycle.Step(Party("MN", "Mongolia")).ok());
  ASSERT_TRUE(cycle.Step(Party("VN", "Viet Nam")).ok());
  ASSERT_TRUE(cycle.Refresh().ok());
  EXPECT_THAT(recording.reads,
              ElementsAre(Pair(1, "cycle."), Pair(2, "cycle."), Pair(3, "cycle.")));
}

TEST_P(CycleServiceTest, UnknownProjectIsNotFound) {
  CycleService cycle(*store_);
  EXPECT_THAT(cycle.Project("MN999").status(), HasCode(core::StatusCode::kNotFound));
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// The public data set leaves decided sides pending; executing one issues exactly the notified
// amount into the side's government account, a retry with the key replays, and the audit holds.
TEST_P(CycleServiceTest, ExecutesAnImportedPendingDecision) {
  RegistryService registry(*store_);
  ASSERT_TRUE(registry.InitRegistries({"JP", "MN"}).ok());
  CycleService cycle(*store_);
  const std::string dir = SourcePath("data/jcm/");
  const std::string all = ReadText(dir + "projects_all_jcm.csv");
  const std::string mongolia = ReadText(dir + "projects_mongolia.csv");
  const std::string methodologies = ReadText(dir + "methodologies.csv");
  const std::string forms = ReadText(dir + "rules_forms.csv");
  const std::string issuances = ReadText(dir + "issuance_records.csv");
  auto imported = cycle.ImportJcmData({all, mongolia, methodologies, forms, issuances}, kToday);
  ASSERT_TRUE(imported.ok()) << imported.status().ToString();
  EXPECT_GT(imported->issuances_executed, 0);

  ExecutionRequest request;
  int64_t amount = 0;
  for (const auto& [id, p] : cycle.state().projects) {
    for (const cycle::MonitoringPeriodState& m : p.periods) {
      for (const cycle::SideState& side : m.sides) {
        if (side.executed || side.amount_tco2e == 0 || amount != 0) continue;
        request = {p.reference, m.period, side.side,  kToday, ledger::Authorization::kNone,
                   {},          kToday,   "execute-1"};
        amount = side.amount_tco2e;
      }
    }
  }
  ASSERT_GT(amount, 0) << "the data set has a pending side";
  auto before = cycle.Summary(request.registry);
  ASSERT_TRUE(before.ok());

  auto executed = cycle.ExecuteIssuanceDecision(request);
  ASSERT_TRUE(executed.ok()) << executed.status().ToString();
  ASSERT_FALSE(IsRejected(*executed)) << std::get<Rejection>(*executed).message;
  const auto& result = std::get<ExecutionResult>(*executed);
  EXPECT_EQ(result.quantity, amount);
  ASSERT_EQ(result.targets.size(), 1u);
  EXPECT_EQ(result.targets[0].quantity, amount);
  EXPECT_EQ(result.event.fields.Find("ledger_transaction"), std::to_string(result.transaction_seq));

  auto after = cycle.Summary(request.registry);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->issued_tco2e - before->issued_tco2e, amount);
  EXPECT_EQ(before->pending_issuance_tco2e - after->pending_issuance_tco2e, amount);

  auto retried = CycleService(*store_).ExecuteIssuanceDecision(request);
  ASSERT_TRUE(retried.ok());
  ASSERT_FALSE(IsRejected(*retried));
  EXPECT_TRUE(std::get<ExecutionResult>(*retried).event.replayed);
  EXPECT_EQ(std::get<ExecutionResult>(*retried).transaction_seq, result.transaction_seq);
  request.authorization = ledger::Authorization::kNdc;  // other content, same key
  auto changed = CycleService(*store_).ExecuteIssuanceDecision(request);
  ASSERT_TRUE(changed.ok());
  EXPECT_THAT(*changed, IsRejectedBy(1));

  auto audit = AuditAll(*store_);
  ASSERT_TRUE(audit.ok());
  EXPECT_TRUE(audit->ok()) << audit->violations[0].invariant << ": "
                           << audit->violations[0].message;
  EXPECT_GT(audit->cycle.events, 0);
}

INSTANTIATE_TEST_SUITE_P(Stores, CycleServiceTest,
                         ::testing::Values(StoreKind::kMemory, StoreKind::kSqlite), StoreKindName);

}  // namespace
}  // namespace jcm::service
