// Reconciliation (reconcile.h, reconciliation_book.h): the snapshot's canonical encoding and
// signature, each phase's differences as the report names them, what is in flight within its
// limit, the freeze and its resolution; a property test over two modelled registries with random
// faults (INV-59).
#include "exchange/reconcile.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

#include "exchange/reconciliation_book.h"

namespace jcm::exchange {
namespace {

using S = ReportedState;

const core::RegistryCode kJp = core::RegistryCode::FromTrusted("JP");
const core::RegistryCode kMn = core::RegistryCode::FromTrusted("MN");

SerialRun Serials(const core::RegistryCode& origin, int64_t first, int64_t count, int type = 0) {
  SerialRun run{origin, first, count, 0, "", 0};
  run.account_type = type;
  if (type == 0) run.vintage = 2017;
  return run;
}

ReconcileSnapshot Empty(const core::RegistryCode& self, const core::RegistryCode& peer) {
  ReconcileSnapshot s;
  s.registry = self;
  s.peer = peer;
  s.journal_seq = 10;
  s.taken_at = "2026-12-01T00:30:00Z";
  return s;
}

// JP sent MN JP 1..30 (JP:1); MN holds them in an entity holding account; both derived.
std::pair<ReconcileSnapshot, ReconcileSnapshot> OneCompletedTransfer() {
  ReconcileSnapshot jp = Empty(kJp, kMn), mn = Empty(kMn, kJp);
  jp.trail.push_back({"JP:1", S::kCompleted, 30, 1000, {Serials(kJp, 1, 30)}});
  mn.trail.push_back(
      {"JP:1", S::kCompleted, 30, 1000, {Serials(kJp, 1, 10), Serials(kJp, 11, 20)}});
  jp.live = {Serials(kJp, 31, 70, 121)};
  mn.live = {Serials(kJp, 1, 30, 121), Serials(kMn, 1, 500, 121)};
  jp.DeriveTotals();
  mn.DeriveTotals();
  return {jp, mn};
}

std::vector<std::string> Texts(const ReconcileReport& report) {
  std::vector<std::string> texts;
  for (const Difference& d : report.differences) {
    texts.push_back(std::string(PhaseName(d.phase)) + ": " + d.text);
  }
  return texts;
}

TEST(ReconcileSnapshotTest, EncodesCanonicallyAndSigns) {
  auto [jp, mn] = OneCompletedTransfer();
  auto key = core::Ed25519PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  jp.Sign(*key);
  const std::string wire = jp.Encode();
  auto back = ReconcileSnapshot::Decode(wire);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->Digest(), jp.Digest());
  EXPECT_EQ(back->Encode(), wire);
  EXPECT_TRUE(back->SignatureVerifies(key->PublicKey()));
  EXPECT_EQ(back->totals.at(kJp).sent_completed, 30);
  EXPECT_EQ((back->live_units.at({kJp, 121})), 70);
  // Any changed value changes the digest, so the signature no longer verifies.
  std::string tampered = wire;
  tampered.replace(tampered.find("JP|31|70"), 8, "JP|31|71");
  auto changed = ReconcileSnapshot::Decode(tampered);
  ASSERT_TRUE(changed.ok());
  EXPECT_FALSE(changed->SignatureVerifies(key->PublicKey()));
  // Another key does not verify it either.
  EXPECT_FALSE(back->SignatureVerifies(core::Ed25519PrivateKey::Generate()->PublicKey()));
  // Not canonical (a field moved), unknown fields, runs of the wrong form: refused.
  EXPECT_FALSE(ReconcileSnapshot::Decode("registry=JP\n" + wire).ok());
  EXPECT_FALSE(ReconcileSnapshot::Decode(wire + "live=JP|1|1|121\n").ok());
  std::string bad = wire;
  bad.replace(bad.find("live=JP|31|70|121"), 17, "live=JP|31|0|121");
  EXPECT_FALSE(ReconcileSnapshot::Decode(bad).ok());
  EXPECT_FALSE(ReconcileSnapshot::Decode("protocol=other\n").ok());
}

TEST(ReconcileSettleTest, TheProtocolsPassingStatesAreInFlight) {
  EXPECT_EQ(Settle(S::kCompleted, S::kCompleted), Settlement::kAgreed);
  EXPECT_EQ(Settle(S::kFailed, S::kUnknown), Settlement::kAgreed);
  EXPECT_EQ(Settle(S::kFailed, S::kRejected), Settlement::kAgreed);
  EXPECT_EQ(Settle(S::kFailed, S::kTerminated), Settlement::kAgreed);
  EXPECT_EQ(Settle(S::kProposed, S::kUnknown), Settlement::kInFlight);
  EXPECT_EQ(Settle(S::kProposed, S::kPending), Settlement::kInFlight);
  EXPECT_EQ(Settle(S::kProposed, S::kRejected), Settlement::kInFlight);
  EXPECT_EQ(Settle(S::kCompleted, S::kPending), Settlement::kInFlight);
  EXPECT_EQ(Settle(S::kFailed, S::kPending), Settlement::kInFlight);
  EXPECT_EQ(Settle(S::kCompleted, S::kUnknown), Settlement::kDiffers);  // units lost
  EXPECT_EQ(Settle(S::kCompleted, S::kRejected), Settlement::kDiffers);
  EXPECT_EQ(Settle(S::kFailed, S::kCompleted), Settlement::kDiffers);  // units doubled
  EXPECT_EQ(Settle(S::kProposed, S::kCompleted), Settlement::kDiffers);
  EXPECT_EQ(Settle(S::kUnknown, S::kCompleted), Settlement::kDiffers);
  EXPECT_EQ(Settle(S::kUnknown, S::kPending), Settlement::kDiffers);
}

TEST(ReconcileCompareTest, AgreeingRegistriesAreConsistent) {
  auto [jp, mn] = OneCompletedTransfer();
  const ReconcileReport report = Compare(jp, mn, 0);
  EXPECT_TRUE(report.consistent()) << ::testing::PrintToString(Texts(report));
  EXPECT_EQ(report.itl_status(), ItlStatus::kCompleted);
  EXPECT_EQ(report.transactions, 1);
  EXPECT_EQ(report.registry_digest, jp.Digest());
  EXPECT_TRUE(Compare(mn, jp, 0).consistent());
}

TEST(ReconcileCompareTest, AnOutcomeOnItsWayIsNoDifferenceWithinItsLimit) {
  auto [jp, mn] = OneCompletedTransfer();
  mn.trail[0].state = S::kPending;  // "completed" not delivered yet: not acquired
  mn.live = {Serials(kMn, 1, 500, 121)};
  mn.DeriveTotals();
  ReconcileReport report = Compare(jp, mn, 1000);
  EXPECT_TRUE(report.consistent()) << ::testing::PrintToString(Texts(report));
  EXPECT_EQ(report.in_flight, 1);
  report = Compare(jp, mn, 1000 + kOutcomeDeliverySeconds + 1);
  EXPECT_EQ(Texts(report), (std::vector<std::string>{
                               "totals: totals of JP-origin units from JP to MN: JP says 30 "
                               "sent, MN says 0 received",
                               "trail: JP:1 completed at JP, pending at MN, past its time limit"}));
  EXPECT_EQ(report.itl_status(), ItlStatus::kTotalInconsistent);
}

TEST(ReconcileCompareTest, AnAcquisitionOnOneSideOnlyIsNamedInEveryPhase) {
  auto [jp, mn] = OneCompletedTransfer();
  jp.live.push_back(Serials(kMn, 100, 100, 121));  // JP created MN 100..199 that MN never sent
  jp.trail.push_back({"MN:7", S::kCompleted, 100, 0, {Serials(kMn, 100, 100)}});
  jp.DeriveTotals();
  mn.live = {Serials(kJp, 1, 30, 121), Serials(kMn, 1, 500, 121)};
  const ReconcileReport report = Compare(jp, mn, 0);
  EXPECT_EQ(Texts(report),
            (std::vector<std::string>{
                "totals: totals of MN-origin units from MN to JP: MN says 0 sent, JP says 100 "
                "received",
                "unit_blocks: serials MN 100..199 live in both registries",
                "trail: MN:7 unknown at MN, completed at JP"}));
  EXPECT_EQ(report.itl_status(), ItlStatus::kTotalInconsistent);
}

TEST(ReconcileCompareTest, SerialsThatDifferWithinATransferAreNamed) {
  auto [jp, mn] = OneCompletedTransfer();
  mn.trail[0].blocks = {Serials(kJp, 2, 30)};
  mn.live = {Serials(kJp, 2, 30, 121), Serials(kMn, 1, 500, 121)};
  jp.live = {Serials(kJp, 31, 70, 121)};
  mn.DeriveTotals();
  const ReconcileReport report = Compare(jp, mn, 0);
  EXPECT_EQ(Texts(report),
            (std::vector<std::string>{"unit_blocks: JP:1 serials differ: JP sent 30 as JP 1..30 "
                                      "(2017), MN has 30 as JP 2..31 (2017)",
                                      "unit_blocks: serials JP 31..31 live in both registries"}));
  EXPECT_EQ(report.itl_status(), ItlStatus::kUnitInconsistent);
}

TEST(ReconcileCompareTest, DifferencesBeyondTheListAreCounted) {
  ReconcileSnapshot jp = Empty(kJp, kMn), mn = Empty(kMn, kJp);
  for (int i = 0; i < 150; ++i) {
    jp.live.push_back(Serials(kJp, 1 + 2 * i, 1, 121));
    mn.live.push_back(Serials(kJp, 1 + 2 * i, 1, 121));
  }
  const ReconcileReport report = Compare(jp, mn, 0);
  EXPECT_EQ(report.differences.size(), static_cast<size_t>(kDifferencesListed));
  EXPECT_EQ(report.differences_omitted, 50);
  EXPECT_FALSE(report.consistent());
}

TEST(ReconciliationBookTest, AnInconsistencyFreezesUntilResolved) {
  auto [jp, mn] = OneCompletedTransfer();
  mn.trail.clear();
  const ReconcileReport bad = Compare(jp, mn, 0);
  ASSERT_FALSE(bad.consistent());
  ReconciliationBook book;
  EXPECT_FALSE(book.Frozen(kMn));
  EXPECT_EQ(std::get<Refusal>(DecideResolve(book, kMn, "x")).check,
            ExchangeCheck::kReconciliationNotOpen);
  ASSERT_TRUE(book.Apply(ReconciliationEventKind(bad), ReconciliationEvent(bad, 50), 7).ok());
  ASSERT_TRUE(book.Frozen(kMn));
  EXPECT_EQ(book.Frozen(kMn)->number(), 845);
  EXPECT_FALSE(book.Frozen(core::RegistryCode::FromTrusted("VN")));
  EXPECT_EQ(book.peers().at(kMn).last_itl_status, "UNIT_INCON");  // its totals still agree
  // A later clean reconciliation does not lift the freeze; the operator's resolution does.
  const auto repaired = OneCompletedTransfer();
  const ReconcileReport good = Compare(repaired.first, repaired.second, 0);
  ASSERT_TRUE(good.consistent());
  ASSERT_TRUE(book.Apply(ReconciliationEventKind(good), ReconciliationEvent(good, 60), 8).ok());
  ASSERT_TRUE(book.Frozen(kMn));
  auto resolution = DecideResolve(book, kMn, "MN restored its journal");
  ASSERT_TRUE(std::holds_alternative<core::Record>(resolution));
  EXPECT_EQ(std::get<core::Record>(resolution).Find("inconsistency"), "7");
  ASSERT_TRUE(book.Apply(kEventReconciliationResolved, std::get<core::Record>(resolution), 9).ok());
  EXPECT_FALSE(book.Frozen(kMn));
  EXPECT_EQ(book.peers().at(kMn).last_itl_status, "COMPLETED_MAN_INT");
  // A resolution with nothing open is a damaged journal.
  EXPECT_EQ(book.Apply(kEventReconciliationResolved, std::get<core::Record>(resolution), 10).code(),
            core::StatusCode::kDataLoss);
  EXPECT_EQ(book.last_seq(), 10);
}

// INV-59 — two modelled registries move runs of serials between them (completed, in flight,
// failed, proposed), then a fault may be injected on one side (a trail entry lost, a state
// changed, a run doubled, a total off by one, a crossed run shifted). Whenever Compare finds no
// difference, no serial is live in both registries and each direction's completed totals agree
// (less what is in flight); and every doubled serial is found.
void Move(std::mt19937_64& rng, ReconcileSnapshot& from, ReconcileSnapshot& to, int n) {
  if (from.live.empty()) return;
  const size_t i = rng() % from.live.size();
  SerialRun run = from.live[i];
  const std::string id = from.registry.str() + ":" + std::to_string(n);
  SerialRun crossed{run.origin, run.serial_first, run.unit_count, 2017, "", 0};
  const int outcome = static_cast<int>(rng() % 4);
  const S sender[] = {S::kCompleted, S::kCompleted, S::kFailed, S::kProposed};
  const S receiver[] = {S::kCompleted, S::kPending, S::kRejected, S::kPending};
  from.trail.push_back({id, sender[outcome], run.unit_count, 1000, {crossed}});
  to.trail.push_back({id, receiver[outcome], run.unit_count, 1000,
                      receiver[outcome] == S::kRejected ? std::vector<SerialRun>{}
                                                        : std::vector<SerialRun>{crossed}});
  if (sender[outcome] == S::kCompleted)
    from.live.erase(from.live.begin() + static_cast<std::ptrdiff_t>(i));
  if (outcome == 0) to.live.push_back(run);
}

void Fault(std::mt19937_64& rng, ReconcileSnapshot& a, ReconcileSnapshot& b) {
  ReconcileSnapshot& s = rng() % 2 ? a : b;
  ReconcileSnapshot& other = &s == &a ? b : a;
  switch (rng() % 5) {
    case 0:
      if (!s.trail.empty())
        s.trail.erase(s.trail.begin() + static_cast<std::ptrdiff_t>(rng() % s.trail.size()));
      if (rng() % 2) s.DeriveTotals();
      break;
    case 1:
      if (!s.trail.empty()) s.trail[rng() % s.trail.size()].state = static_cast<S>(rng() % 7);
      if (rng() % 2) s.DeriveTotals();
      break;
    case 2:
      if (!other.live.empty()) s.live.push_back(other.live[rng() % other.live.size()]);
      break;
    case 3:
      s.totals[rng() % 2 ? kJp : kMn].received_completed += 1;
      break;
    default:
      if (!s.trail.empty() && !s.trail[0].blocks.empty()) s.trail[0].blocks[0].serial_first += 1;
  }
}

TEST(ReconcilePropertyTest, NoDifferenceMeansNoSerialLiveTwiceAndTotalsAgree) {
  std::mt19937_64 rng(59);
  int consistent = 0, inconsistent = 0;
  for (int round = 0; round < 2000; ++round) {
    ReconcileSnapshot jp = Empty(kJp, kMn), mn = Empty(kMn, kJp);
    for (int i = 0; i < 10; ++i) {
      jp.live.push_back(Serials(kJp, 1 + 10 * i, 10, 121));
      mn.live.push_back(Serials(kMn, 1 + 10 * i, 10, 121));
    }
    const int moves = static_cast<int>(rng() % 8);
    for (int n = 1; n <= moves; ++n) rng() % 2 ? Move(rng, jp, mn, n) : Move(rng, mn, jp, n);
    jp.DeriveTotals();
    mn.DeriveTotals();
    if (rng() % 2) Fault(rng, jp, mn);
    const ReconcileReport report = Compare(jp, mn, 0);
    std::set<std::pair<core::RegistryCode, int64_t>> here, doubled;
    for (const SerialRun& r : jp.live)
      for (int64_t s = r.serial_first; s <= r.serial_last(); ++s) here.insert({r.origin, s});
    for (const SerialRun& r : mn.live)
      for (int64_t s = r.serial_first; s <= r.serial_last(); ++s)
        if (here.count({r.origin, s})) doubled.insert({r.origin, s});
    if (!doubled.empty()) {
      EXPECT_FALSE(report.consistent()) << "round " << round;
    }
    if (!report.consistent()) {
      ++inconsistent;
      continue;
    }
    ++consistent;
    for (const auto* from : {&jp, &mn}) {
      const ReconcileSnapshot& to = from == &jp ? mn : jp;
      for (const core::RegistryCode& origin : {kJp, kMn}) {
        int64_t in_flight = 0;
        for (const TrailEntry& e : from->trail) {
          for (const TrailEntry& f : to.trail) {
            if (e.transaction != f.transaction || e.state != S::kCompleted ||
                f.state != S::kPending)
              continue;
            for (const SerialRun& r : e.blocks) in_flight += r.origin == origin ? r.unit_count : 0;
          }
        }
        const int64_t sent =
            from->totals.count(origin) ? from->totals.at(origin).sent_completed : 0;
        const int64_t received =
            to.totals.count(origin) ? to.totals.at(origin).received_completed : 0;
        EXPECT_EQ(sent - in_flight, received) << "round " << round;
      }
    }
  }
  // Both outcomes happened often: the property is not vacuous.
  EXPECT_GT(consistent, 500);
  EXPECT_GT(inconsistent, 500);
}

}  // namespace
}  // namespace jcm::exchange
