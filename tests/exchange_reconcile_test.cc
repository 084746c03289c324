// Reconciliation between two registries through the real stores (memory and SQLite), the
// fixture's MN as one registry and a second store as TH, each with its own exchange key and the
// other configured as its peer (service/exchange_reconcile.h). Units move by the ledger's
// external_* types as tests/external_transfer_test.cc drives them. Consistent at first and with
// a transfer in flight; a completion the receiver never acquired is named in the totals and the
// trail, freezes transfers with that peer (845) until an operator resolves it, and after the
// late acquisition both sides are consistent again; units one side created without the other's
// sending them are named live in both; a tampered, misaddressed or unknown snapshot is refused
// (846, 800); a snapshot is served only to the peer it is for, on a request signed with its key
// (SnapshotForPeer: 800, 802, 804, 836, 837); the schedule reconciles once a day and skips a
// peer it cannot reach.
#include "service/exchange_reconcile.h"

#include <gtest/gtest.h>

#include "core/text.h"
#include "exchange/peer_auth.h"
#include "service/exchange_peers.h"
#include "service/exchange_transfers.h"
#include "store/testing/ledger_fixture.h"

namespace jcm::store {
namespace {

using exchange::ItlStatus;
using ledger::TransactionType;
using service::ExchangeIdentity;
using service::ReconciliationResult;
using service::Rejection;

class ExchangeReconcileTest : public LedgerFixture,
                              public ::testing::WithParamInterface<StoreKind> {
 protected:
  ExchangeReconcileTest() { UseStore(GetParam()); }

  void SetUp() override {
    LedgerFixture::SetUp();
    peer_path_ =
        (sqlite_directory_ / ("jcm-reconcile-peer-" + std::to_string(::getpid()) + ".db")).string();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(peer_path_ + suffix);
    peer_ =
        use_memory_store_ ? NewMemoryStore(clock_) : OpenSqliteStore(peer_path_, clock_).value();
    ASSERT_FALSE(peer_->Submit(ledger::InitRegistry{"TH"})->rejection);
    ledger::OpenAccount open{
        "TH", ledger::AccountType::kEntityHolding, {"Thai Buyer", "", "", "", ""}, ""};
    thai_ = *peer_->Submit(open)->entry.body.Get("account");
    Issue("MN003", "2017-01-01..2017-12-31", {{alice_, 100}});
    mn_.emplace(ExchangeIdentity{core::RegistryCode::FromTrusted("MN"),
                                 core::Ed25519PrivateKey::Generate().value(), &clock_});
    th_.emplace(ExchangeIdentity{core::RegistryCode::FromTrusted("TH"),
                                 core::Ed25519PrivateKey::Generate().value(), &clock_});
    AddPeer(*store_, "TH", *th_);
    AddPeer(*peer_, "MN", *mn_);
  }
  void TearDown() override {
    peer_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(peer_path_ + suffix);
    LedgerFixture::TearDown();
  }

  static void AddPeer(Store& store, const std::string& code, const ExchangeIdentity& who) {
    exchange::PeerRequest request{code, "http://127.0.0.1:1/" + code,
                                  core::BytesToHex(who.key.PublicKey())};
    auto added = service::AddPeer(store, request, "test");
    ASSERT_TRUE(added.ok() && !service::IsRejected(*added));
  }

  // MN reserves `quantity` of alice's units for thai as `transaction`; the reservation's seq.
  int64_t Reserve(const std::string& transaction, int64_t quantity) {
    ledger::TransactionRequest r;
    r.type = TransactionType::kExternalTransfer;
    r.from = alice_;
    r.to = thai_;
    r.quantity = quantity;
    r.external_transaction = transaction;
    const Outcome out = Must(r);
    EXPECT_FALSE(out.rejection) << out.rejection->message;
    reserved_[transaction] = out.entry;
    return out.entry.seq;
  }
  void Complete(const std::string& transaction) {
    const ledger::JournalEntry& reservation = reserved_.at(transaction);
    ledger::TransactionRequest r;
    r.type = TransactionType::kExternalCompletion;
    r.from = *reservation.body.Get("to");  // the transit account
    r.to = thai_;
    r.quantity = *reservation.body.GetInt("quantity");
    r.external_transaction = transaction;
    r.external_reservation = reservation.seq;
    ASSERT_FALSE(Must(r).rejection);
  }
  // TH creates the blocks `transaction` reserved at MN (or `blocks`), by the ledger's
  // acquisition.
  void Acquire(const std::string& transaction, std::vector<ledger::UnitBlock> blocks = {}) {
    if (blocks.empty()) {
      const ledger::JournalEntry& reservation = reserved_.at(transaction);
      const std::vector<ledger::UnitBlock> created = ledger::CreatedBlocks(reservation).value();
      for (const ledger::UnitBlock& b : created) {
        if (b.account == *reservation.body.Get("to")) blocks.push_back(b);
      }
    }
    ledger::TransactionRequest r;
    r.type = TransactionType::kExternalAcquisition;
    r.to = thai_;
    for (const ledger::UnitBlock& b : blocks) r.quantity += b.unit_count;
    r.external_transaction = transaction;
    r.incoming_blocks = std::move(blocks);
    const Outcome out = *peer_->Submit(r);
    ASSERT_FALSE(out.rejection) << out.rejection->message;
  }

  std::string PeerSnapshot() {
    return service::BuildSnapshot(*peer_, *th_, mn_->self, clock_).value().Encode();
  }
  // MN reconciles with TH's snapshot (or `wire`).
  service::OrRejection<ReconciliationResult> ReconcileAtMn(std::optional<std::string> wire = {}) {
    auto result = service::Reconcile(*store_, *mn_, wire ? *wire : PeerSnapshot(), clock_, "test");
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return result.ok() ? *std::move(result)
                       : service::OrRejection<ReconciliationResult>(Rejection{});
  }
  static std::vector<std::string> Texts(const ReconciliationResult& result) {
    std::vector<std::string> texts;
    for (const exchange::Difference& d : result.report.differences) texts.push_back(d.text);
    return texts;
  }
  static void ExpectRefused(const service::OrRejection<ReconciliationResult>& outcome, int check) {
    ASSERT_TRUE(service::IsRejected(outcome));
    EXPECT_EQ(std::get<Rejection>(outcome).check, check) << std::get<Rejection>(outcome).message;
  }

  std::unique_ptr<Store> peer_;
  std::string peer_path_, thai_;
  std::optional<ExchangeIdentity> mn_, th_;
  std::map<std::string, ledger::JournalEntry> reserved_;
};

TEST_P(ExchangeReconcileTest, ConsistentAtFirstAndWithATransferInFlight) {
  auto first = ReconcileAtMn();
  ASSERT_FALSE(service::IsRejected(first));
  const auto& report = std::get<ReconciliationResult>(first).report;
  EXPECT_TRUE(report.consistent());
  EXPECT_EQ(report.itl_status(), ItlStatus::kCompleted);
  const auto entries = *store_->ReadJournal(std::get<ReconciliationResult>(first).journal_seq);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].kind, "exchange.reconciliation_completed");
  EXPECT_EQ(entries[0].body.Find("itl_status"), "COMPLETED");

  Reserve("MN:1", 30);
  Complete("MN:1");
  Acquire("MN:1");
  Reserve("MN:2", 10);  // its proposal is on its way
  auto second = ReconcileAtMn();
  const auto& result = std::get<ReconciliationResult>(second);
  EXPECT_TRUE(result.report.consistent()) << ::testing::PrintToString(Texts(result));
  EXPECT_EQ(result.report.transactions, 2);
  EXPECT_EQ(result.report.in_flight, 1);
  EXPECT_FALSE(result.frozen);
  // TH sees the same from its side.
  auto at_th = service::Reconcile(
      *peer_, *th_, service::BuildSnapshot(*store_, *mn_, th_->self, clock_)->Encode(), clock_,
      "test");
  ASSERT_TRUE(at_th.ok());
  EXPECT_TRUE(std::get<ReconciliationResult>(*at_th).report.consistent());
}

TEST_P(ExchangeReconcileTest, ALostCompletionFreezesTransfersUntilResolved) {
  Reserve("MN:1", 30);
  Complete("MN:1");
  Acquire("MN:1");
  Reserve("MN:2", 20);
  Complete("MN:2");  // TH never acquires it: 20 units ended at MN exist nowhere
  auto outcome = ReconcileAtMn();
  const auto& result = std::get<ReconciliationResult>(outcome);
  EXPECT_EQ(Texts(result), (std::vector<std::string>{
                               "totals of MN-origin units from MN to TH: MN says 50 sent, TH "
                               "says 30 received",
                               "MN:2 completed at MN, unknown at TH"}));
  EXPECT_EQ(result.report.itl_status(), ItlStatus::kTotalInconsistent);
  EXPECT_TRUE(result.frozen);
  const auto entry = store_->ReadJournal(result.journal_seq)->at(0);
  EXPECT_EQ(entry.kind, "exchange.reconciliation_inconsistent");
  EXPECT_EQ(entry.body.FindAll("difference").size(), 2u);
  EXPECT_EQ(entry.body.FindAll("difference")[1], "trail|MN:2|MN:2 completed at MN, unknown at TH");
  auto frozen = service::ExchangeFrozen(*store_, th_->self);
  ASSERT_TRUE(frozen.ok() && frozen->has_value());
  EXPECT_EQ((*frozen)->check, 845);
  EXPECT_EQ((*frozen)->name, "exchange_frozen");
  EXPECT_FALSE(
      service::ExchangeFrozen(*store_, core::RegistryCode::FromTrusted("VN"))->has_value());

  // The late acquisition repairs it; a clean reconciliation alone does not lift the freeze.
  Acquire("MN:2");
  auto repaired = ReconcileAtMn();
  EXPECT_TRUE(std::get<ReconciliationResult>(repaired).report.consistent());
  EXPECT_TRUE(std::get<ReconciliationResult>(repaired).frozen);
  EXPECT_EQ(service::ResolveReconciliation(*store_, "TH", "", "op").status().code(),
            core::StatusCode::kInvalidArgument);
  auto resolved = service::ResolveReconciliation(*store_, "TH", "TH acquired MN:2 late", "op");
  ASSERT_TRUE(resolved.ok() && !service::IsRejected(*resolved));
  const auto resolution = store_->ReadJournal(std::get<int64_t>(*resolved))->at(0);
  EXPECT_EQ(resolution.kind, "exchange.reconciliation_resolved");
  EXPECT_EQ(resolution.body.Find("inconsistency"), std::to_string(result.journal_seq));
  EXPECT_EQ(resolution.body.Find("by"), "op");
  EXPECT_FALSE(service::ExchangeFrozen(*store_, th_->self)->has_value());
  auto again = service::ResolveReconciliation(*store_, "TH", "twice", "op");
  ASSERT_TRUE(again.ok() && service::IsRejected(*again));
  EXPECT_EQ(std::get<Rejection>(*again).check, 847);
  EXPECT_EQ(service::ReadReconciliations(*store_)->peers().at(th_->self).last_itl_status,
            "COMPLETED_MAN_INT");
  ExpectAuditClean();
}

TEST_P(ExchangeReconcileTest, UnitsCreatedWithoutBeingSentAreLiveInBoth) {
  // TH journals an acquisition of serials MN never sent (they are alice's, live at MN).
  std::vector<ledger::UnitBlock> blocks = *store_->LiveBlocks(alice_);
  ASSERT_EQ(blocks.size(), 1u);
  blocks[0].unit_count = 40;
  Acquire("MN:9", blocks);
  auto outcome = ReconcileAtMn();
  const auto& result = std::get<ReconciliationResult>(outcome);
  const int64_t first = blocks[0].serial_first;
  EXPECT_EQ(Texts(result),
            (std::vector<std::string>{
                "totals of MN-origin units from MN to TH: MN says 0 sent, TH says 40 received",
                "serials MN " + std::to_string(first) + ".." + std::to_string(first + 39) +
                    " live in both registries",
                "MN:9 unknown at MN, completed at TH"}));
  EXPECT_TRUE(result.frozen);
}

TEST_P(ExchangeReconcileTest, ASnapshotNotSignedByThePeerForUsIsRefused) {
  const std::string wire = PeerSnapshot();
  std::string tampered = wire;
  tampered.replace(tampered.find("taken_at=") + 9, 4, "2030");
  ExpectRefused(ReconcileAtMn(tampered), 846);
  ExpectRefused(ReconcileAtMn("registry=TH\n"), 846);
  // Signed by another key than the configured peer's.
  ExchangeIdentity impostor{th_->self, core::Ed25519PrivateKey::Generate().value()};
  ExpectRefused(
      ReconcileAtMn(service::BuildSnapshot(*peer_, impostor, mn_->self, clock_)->Encode()), 846);
  // For another registry than this one.
  ExpectRefused(ReconcileAtMn(service::BuildSnapshot(*peer_, *th_,
                                                     core::RegistryCode::FromTrusted("VN"), clock_)
                                  ->Encode()),
                846);
  // From a registry that is no peer (MN's own snapshot for TH, offered back to MN).
  ExpectRefused(ReconcileAtMn(service::BuildSnapshot(*store_, *mn_, th_->self, clock_)->Encode()),
                800);
  // Nothing journaled, nothing frozen.
  EXPECT_TRUE(service::ReadReconciliations(*store_)->peers().empty());
}

TEST_P(ExchangeReconcileTest, ASnapshotIsServedOnlyToThePeerItIsFor) {
  // TH asks MN for its snapshot, signed with TH's key: served, and TH reconciles with it.
  const service::SnapshotAsk ask = service::SignSnapshotAsk(*th_, mn_->self).value();
  EXPECT_EQ(ask.peer, "TH");
  auto served = service::SnapshotForPeer(*store_, *mn_, ask).value();
  ASSERT_FALSE(service::IsRejected(served)) << std::get<Rejection>(served).message;
  auto at_th = service::Reconcile(*peer_, *th_, std::get<std::string>(served), clock_, "test");
  ASSERT_TRUE(at_th.ok() && !service::IsRejected(*at_th));
  EXPECT_TRUE(std::get<ReconciliationResult>(*at_th).report.consistent());
  const auto check_of = [&](const service::SnapshotAsk& asked) {
    auto outcome = service::SnapshotForPeer(*store_, *mn_, asked).value();
    return service::IsRejected(outcome) ? std::get<Rejection>(outcome).check : 0;
  };
  // Under mutual TLS: TH's certificate is served, another registry's is 836.
  service::SnapshotAsk certified = ask;
  certified.certified_as = "TH";
  EXPECT_EQ(check_of(certified), 0);
  certified.certified_as = "MN";
  EXPECT_EQ(check_of(certified), 836);
  // Not of its form: 804.
  service::SnapshotAsk malformed = ask;
  malformed.signature_hex = "zz";
  EXPECT_EQ(check_of(malformed), 804);
  malformed = ask;
  malformed.at = "yesterday";
  EXPECT_EQ(check_of(malformed), 804);
  // Another time than the one signed, another asker, a request meant for another registry.
  service::SnapshotAsk moved = ask;
  moved.at = std::to_string(std::stoll(ask.at) + 1);
  EXPECT_EQ(check_of(moved), 802);
  service::SnapshotAsk stranger = ask;
  stranger.peer = "VN";
  EXPECT_EQ(check_of(stranger), 800);
  EXPECT_EQ(check_of(service::SignSnapshotAsk(*th_, core::RegistryCode::FromTrusted("VN")).value()),
            802);
  // MN's own request, offered to MN: MN is no peer of itself.
  EXPECT_EQ(check_of(service::SignSnapshotAsk(*mn_, th_->self).value()), 800);
  // Signed more than 300 s before MN's clock reads it.
  clock_.Advance(exchange::kSnapshotRequestSkewSeconds + 10);
  EXPECT_EQ(check_of(ask), 837);
  // Nothing journaled by any of it at MN.
  EXPECT_TRUE(service::ReadReconciliations(*store_)->peers().empty());
}

TEST_P(ExchangeReconcileTest, TheScheduleReconcilesOnceADayAndSkipsAnUnreachablePeer) {
  bool reachable = false;
  int fetched = 0;
  auto fetch = [&](const exchange::PeerRecord& peer) -> core::Result<std::string> {
    EXPECT_EQ(peer.code.str(), "TH");
    ++fetched;
    if (!reachable) return core::Unavailable("connection refused");
    return PeerSnapshot();
  };
  const int64_t at = service::kDefaultReconcileAtSeconds;  // 00:30; the clock starts at 00:00
  auto done = service::ReconcileDue(*store_, *mn_, clock_, at, fetch);
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(fetched, 0);
  clock_.Advance(at);
  done = service::ReconcileDue(*store_, *mn_, clock_, at, fetch);
  EXPECT_EQ(done->unreachable, 1);
  EXPECT_EQ(done->reconciled, 0);
  reachable = true;
  done = service::ReconcileDue(*store_, *mn_, clock_, at, fetch);
  EXPECT_EQ(done->reconciled, 1);
  EXPECT_EQ(done->inconsistent, 0);
  done = service::ReconcileDue(*store_, *mn_, clock_, at, fetch);  // done for today
  EXPECT_EQ(done->reconciled, 0);
  EXPECT_EQ(fetched, 2);
  clock_.Advance(86'400);
  done = service::ReconcileDue(*store_, *mn_, clock_, at, fetch);
  EXPECT_EQ(done->reconciled, 1);
}

// Real external transfers (service/exchange_transfers.h), messages handed from one outbox to
// the other registry's ReceiveMessage, or lost.
class ExchangeReconcileTransfersTest : public ExchangeReconcileTest {
 protected:
  service::Transport To(Store& receiver, const ExchangeIdentity& identity) {
    return [&receiver, &identity](const exchange::PeerRecord&,
                                  std::string_view wire) -> core::Result<service::PeerReply> {
      JCM_ASSIGN_OR_RETURN(auto received, service::ReceiveMessage(receiver, identity, wire));
      service::PeerReply reply{true, std::nullopt};
      if (service::IsRejected(received)) reply.refusal = std::get<Rejection>(received);
      return reply;
    };
  }
  int DeliverFromMn() { return service::DeliverOutbox(*store_, To(*peer_, *th_))->delivered; }
  int DeliverFromTh() { return service::DeliverOutbox(*peer_, To(*store_, *mn_))->delivered; }
  void Exchange() {
    while (DeliverFromMn() + DeliverFromTh() > 0) {
    }
  }
  service::OrRejection<service::ProposedTransfer> Propose(int64_t quantity) {
    service::ExternalTransferRequest request{
        alice_, thai_, quantity, "", "test", service::kDefaultTransferTimeLimitSeconds};
    auto proposed = service::ProposeExternalTransfer(*store_, *mn_, request);
    EXPECT_TRUE(proposed.ok()) << proposed.status().ToString();
    return *std::move(proposed);
  }
  exchange::ReportedState StateOf(Store& store, const std::string& transaction) {
    const std::vector<service::ExternalTransferStatus> all =
        service::ListExternalTransfers(store).value();
    for (const auto& t : all) {
      if (t.transaction == transaction) return t.state;
    }
    return exchange::ReportedState::kUnknown;
  }
};

TEST_P(ExchangeReconcileTransfersTest, AFreezeRefusesTransfersOnBothSides) {
  ASSERT_FALSE(service::IsRejected(Propose(30)));
  Exchange();
  ASSERT_EQ(StateOf(*peer_, "MN:1"), exchange::ReportedState::kCompleted);
  ASSERT_FALSE(service::IsRejected(Propose(10)));  // MN:2, its proposal not delivered yet
  auto clean = ReconcileAtMn();
  EXPECT_TRUE(std::get<ReconciliationResult>(clean).report.consistent())
      << ::testing::PrintToString(Texts(std::get<ReconciliationResult>(clean)));
  EXPECT_EQ(std::get<ReconciliationResult>(clean).report.transactions, 2);
  EXPECT_EQ(std::get<ReconciliationResult>(clean).report.in_flight, 1);
  // MN:2's proposal and answer arrive; its "completed" is lost, and nobody asks past the limit.
  ASSERT_EQ(DeliverFromMn(), 1);
  ASSERT_EQ(DeliverFromTh(), 1);
  const service::Transport lose = [](const exchange::PeerRecord&, std::string_view) {
    return core::Result<service::PeerReply>(service::PeerReply{true, std::nullopt});
  };
  ASSERT_EQ(service::DeliverOutbox(*store_, lose)->delivered, 1);
  ASSERT_EQ(StateOf(*store_, "MN:2"), exchange::ReportedState::kCompleted);
  ASSERT_EQ(StateOf(*peer_, "MN:2"), exchange::ReportedState::kPending);
  EXPECT_TRUE(std::get<ReconciliationResult>(ReconcileAtMn()).report.consistent());  // in flight
  clock_.Advance(service::kDefaultTransferTimeLimitSeconds + exchange::kOutcomeDeliverySeconds);
  auto late = ReconcileAtMn();
  EXPECT_EQ(Texts(std::get<ReconciliationResult>(late)),
            (std::vector<std::string>{
                "totals of MN-origin units from MN to TH: MN says 40 sent, TH says 30 received",
                "MN:2 completed at MN, pending at TH, past its time limit"}));
  // MN proposes nothing to TH now (845); TH, frozen too, answers MN's proposals rejected.
  auto refused = Propose(5);
  ASSERT_TRUE(service::IsRejected(refused));
  EXPECT_EQ(std::get<Rejection>(refused).check, 845);
  auto at_th = service::Reconcile(
      *peer_, *th_, service::BuildSnapshot(*store_, *mn_, th_->self, clock_)->Encode(), clock_,
      "test");
  ASSERT_TRUE(at_th.ok() && std::get<ReconciliationResult>(*at_th).frozen);
  ASSERT_FALSE(service::IsRejected(*service::ResolveReconciliation(*store_, "TH", "asked", "op")));
  ASSERT_FALSE(service::IsRejected(Propose(5)));  // MN:3
  ASSERT_EQ(DeliverFromMn(), 1);
  const auto rejected = peer_->ReadJournal(1, "exchange.incoming_rejected").value();
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_EQ(rejected[0].body.Find("check"), "845");
  EXPECT_EQ(rejected[0].body.Find("check_name"), "exchange_frozen");
  Exchange();
  EXPECT_EQ(StateOf(*store_, "MN:3"), exchange::ReportedState::kFailed);
  EXPECT_EQ(Held(alice_), 60);  // 30 and 10 sent, MN:3's 5 back
  ExpectAuditClean();
}

INSTANTIATE_TEST_SUITE_P(Stores, ExchangeReconcileTransfersTest,
                         ::testing::Values(StoreKind::kMemory, StoreKind::kSqlite),
                         [](const ::testing::TestParamInfo<StoreKind>& param) {
                           return StoreKindName(param.param);
                         });

INSTANTIATE_TEST_SUITE_P(Stores, ExchangeReconcileTest,
                         ::testing::Values(StoreKind::kMemory, StoreKind::kSqlite),
                         [](const ::testing::TestParamInfo<StoreKind>& param) {
                           return StoreKindName(param.param);
                         });

}  // namespace
}  // namespace jcm::store
