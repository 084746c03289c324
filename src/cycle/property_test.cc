// Property test: random command sequences through Decide and Apply. After every accepted event
// the cycle's invariants hold, a rejected command leaves the state unchanged, and replaying the
// journal re-decides every event identically (no violations, same state).
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "cycle/cycle_fixture_test.h"
#include "cycle/replay.h"

namespace jcm::cycle::testing {
namespace {

class CycleProperty : public CycleFixture {
 protected:
  std::mt19937_64 random_{1};

  int64_t Pick(int64_t n) { return static_cast<int64_t>(random_() % static_cast<uint64_t>(n)); }
  template <typename T>
  const T& PickOf(const std::vector<T>& items) {
    return items[static_cast<size_t>(Pick(static_cast<int64_t>(items.size())))];
  }

  // The step a project's state calls for next, with amounts that fit (most of the time).
  std::optional<Command> NextStep(core::Date date) {
    if (state_.projects.empty()) return std::nullopt;
    auto it = state_.projects.begin();
    std::advance(it, Pick(static_cast<int64_t>(state_.projects.size())));
    const Project& p = it->second;
    const std::string id = p.id;
    switch (p.status) {
      case ProjectStatus::kPinSubmitted:
        return Command{kJc, DecidePin{id, true, date}};
      case ProjectStatus::kPinNoObjection:
        return Command{kJapanesePp, SubmitPdd{id, Doc("pdd"), std::nullopt, date, ""}};
      case ProjectStatus::kValidation:
        return Command{kTpe, SubmitValidation{id, true, Doc("vr"), date}};
      case ProjectStatus::kValidated:
        return Command{kHostPp, RequestRegistration{id, Allocation(), Doc("rr"), date}};
      case ProjectStatus::kRegistrationRequested:
        return Command{kJc, DecideRegistration{id, true, "", date}};
      case ProjectStatus::kRegistered:
        break;
      default:
        return std::nullopt;
    }
    if (p.periods.empty() || Pick(4) == 0) return std::nullopt;  // let the random path add one
    const MonitoringPeriodState& m =
        p.periods[static_cast<size_t>(Pick(static_cast<int64_t>(p.periods.size())))];
    switch (m.status) {
      case MonitoringStatus::kOpen:
        return Command{kHostPp,
                       SubmitMonitoringReport{id, m.period, Pick(2000), Doc("mr"), "", {}, date}};
      case MonitoringStatus::kReported:
        return Command{
            kTpe, SubmitVerification{id, m.period, m.reported_tco2e - Pick(3), Doc("vf"), date}};
      case MonitoringStatus::kVerified:
        return Command{kHostPp,
                       RequestIssuance{id, m.period, m.verified_tco2e - Pick(2), Doc("ir"), date}};
      case MonitoringStatus::kIssuanceRequested:
        return Command{kJc, DecideIssuance{id, m.period, m.requested_tco2e, {}, false, date}};
      case MonitoringStatus::kDecided: {
        const std::string side = Pick(2) ? "JP" : "MN";
        return Command{Actor{Role::kRegistryManager, side},
                       ExecuteIssuance{id, m.period, side, "", date}};
      }
    }
    return std::nullopt;
  }

  // A plausible command: right actor most of the time, ids and periods from small pools so that
  // duplicates, overlaps and wrong states happen often.
  Command RandomCommand(core::Date* clock) {
    *clock = clock->PlusDays(Pick(20));
    const core::Date date = *clock;
    const std::vector<std::string> projects = {"MN_PIN001", "MN_PIN002", "MN001", "MN002"};
    const std::vector<core::Period> periods = {
        P("2025-01-01..2025-06-30"), P("2025-07-01..2025-12-31"), P("2025-06-01..2025-08-31")};
    const std::vector<Actor> participants = {kHostPp, kJapanesePp, Actor{Role::kParticipant, "x"}};
    const std::string project = PickOf(projects);
    const core::Period period = PickOf(periods);
    const int64_t amount = Pick(3000) - 100;
    switch (Pick(12)) {
      case 0: {
        SubmitPin pin = Pin(Pick(2) ? FundingSource::kMoejSubsidy : FundingSource::kPrivate);
        pin.pin_id = Pick(2) ? "MN_PIN001" : "MN_PIN002";
        pin.date = date;
        return {PickOf(participants), pin};
      }
      case 1:
        return {kJc, DecidePin{project, Pick(4) != 0, date}};
      case 2:
        return {PickOf(participants), SubmitPdd{project, Doc("pdd"), std::nullopt, date, ""}};
      case 3:
        return {kTpe, SubmitValidation{project, Pick(4) != 0, Doc("vr"), date}};
      case 4: {
        std::vector<Share> shares = Allocation();
        if (Pick(3) == 0) shares[0].share_bp = Pick(6000);
        return {PickOf(participants), RequestRegistration{project, shares, Doc("rr"), date}};
      }
      case 5:
        return {kJc, DecideRegistration{project, Pick(5) != 0, "", date}};
      case 6:
        return {PickOf(participants), AddMonitoringPeriod{project, period, date}};
      case 7:
        return {PickOf(participants),
                SubmitMonitoringReport{project, period, amount, Doc("mr"), "", {}, date}};
      case 8:
        return {kTpe, SubmitVerification{project, period, amount, Doc("vf"), date}};
      case 9:
        return {PickOf(participants), RequestIssuance{project, period, amount, Doc("ir"), date}};
      case 10:
        return {kJc, DecideIssuance{project, period, amount, {}, Pick(2) != 0, date}};
      default: {
        const Actor manager = Pick(2) ? kManagerJp : kManagerMn;
        return {manager, ExecuteIssuance{project, period, Pick(2) ? "JP" : "MN", "", date}};
      }
    }
  }

  void CheckInvariants() {
    std::set<std::string> references;
    for (const auto& [id, p] : state_.projects) {
      if (!p.reference.empty()) {
        EXPECT_TRUE(references.insert(p.reference).second) << "reference reused " << p.reference;
      }
      int64_t allocated = 0, goj = 0;
      for (const Share& s : p.allocation) {
        allocated += s.share_bp;
        if (s.side == "JP" && s.holder == kGovernmentHolder) goj += s.share_bp;
      }
      if (!p.allocation.empty()) {
        EXPECT_EQ(allocated, kHundredPercentBp);
        if (IsSubsidised(p.funding)) {
          EXPECT_GE(goj * 2, kHundredPercentBp);
        }
      }
      for (size_t i = 0; i < p.periods.size(); ++i) {
        const MonitoringPeriodState& m = p.periods[i];
        for (size_t j = 0; j < i; ++j) EXPECT_FALSE(m.period.Overlaps(p.periods[j].period));
        EXPECT_LE(m.verified_tco2e, m.reported_tco2e);
        EXPECT_LE(m.requested_tco2e, m.verified_tco2e);
        int64_t sides = 0;
        for (const SideState& s : m.sides) {
          EXPECT_GE(s.amount_tco2e, 0);
          if (s.executed) {
            EXPECT_GT(s.amount_tco2e, 0);
          }
          sides += s.amount_tco2e;
        }
        EXPECT_EQ(sides, m.decided_tco2e);
        if (m.verified_known) {
          EXPECT_LE(m.decided_tco2e, m.verified_tco2e);
        }
      }
    }
  }
};

TEST_F(CycleProperty, RandomSequencesKeepInvariantsAndReplayIdentically) {
  int64_t accepted_total = 0;
  std::map<std::string, int64_t> accepted_by_kind;
  for (int sequence = 0; sequence < 150; ++sequence) {
    state_ = State();
    journal_.clear();
    random_.seed(static_cast<uint64_t>(sequence) + 1);
    SetUpPair();
    SetUpMethodology();
    core::Date clock = D("2025-02-20");
    for (int step = 0; step < 60; ++step) {
      Command command = RandomCommand(&clock);
      if (Pick(3) != 0) {
        if (std::optional<Command> next = NextStep(clock)) command = *next;
      }
      Outcome outcome = Decide(state_, command, today_);
      if (IsRejection(outcome)) {
        EXPECT_NE(std::get<Rejection>(outcome).message, "");
        continue;
      }
      Accept(command.actor, command.payload);  // also round-trips the codec
      ++accepted_total;
      ++accepted_by_kind[std::string(PayloadKind(command.payload))];
      CheckInvariants();
      if (::testing::Test::HasFailure()) return;
    }
    std::vector<JournaledEvent> journal;
    for (const EncodedEvent& e : journal_) {
      journal.push_back({static_cast<int64_t>(journal.size()) + 1, today_, e.kind, e.body});
    }
    ReplayResult replayed = ReplayAndVerify(journal);
    ASSERT_TRUE(replayed.violations.empty())
        << "sequence " << sequence << ": " << replayed.violations[0].message;
    ASSERT_EQ(replayed.state.projects.size(), state_.projects.size());
    for (const auto& [id, p] : state_.projects) {
      const Project& q = replayed.state.projects.at(id);
      EXPECT_EQ(q.status, p.status);
      EXPECT_EQ(q.periods.size(), p.periods.size());
      EXPECT_EQ(q.history.size(), p.history.size());
    }
  }
  // The generator must reach deep states, not only reject: every kind it issues is accepted
  // many times, down to the execution of issuance decisions on both sides.
  EXPECT_EQ(accepted_by_kind.size(), 12u);  // the kinds RandomCommand and NextStep produce
  for (const auto& [kind, n] : accepted_by_kind) EXPECT_GE(n, 30) << kind;
  EXPECT_GT(accepted_total, 1000);
}

}  // namespace
}  // namespace jcm::cycle::testing
