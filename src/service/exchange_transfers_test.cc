// External transfers between two registries, each its own SQLite database with its own key
// (service/exchange_transfers.h; docs/exchange.md): the whole protocol through the real stores
// and the service's use cases, messages handed from one outbox to the other registry's
// ReceiveMessage. After each scenario both audits are clean and no unit is lost or doubled.
#include "service/exchange_transfers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "core/account_number.h"
#include "core/text.h"
#include "service/audit_service.h"
#include "service/exchange_peers.h"
#include "store/sqlite/sqlite_store.h"
#include "store/testing/fixed_clock.h"

namespace jcm::service {
namespace {

constexpr const char* kPeriod = "2017-01-01..2017-12-31";

// One registry: its database, key and the holding account the tests use.
struct Registry {
  explicit Registry(ExchangeIdentity id) : identity(std::move(id)) {}
  std::string path;
  std::unique_ptr<store::Store> store;
  ExchangeIdentity identity;
  std::string holding;
};

class ExchangeTransfersTest : public ::testing::Test {
 protected:
  ExchangeTransfersTest()
      : mn_owner_(Open("MN")), jp_owner_(Open("JP")), mn_(*mn_owner_), jp_(*jp_owner_) {}

  void SetUp() override {
    Peer(mn_, jp_);
    Peer(jp_, mn_);
    IssueIn(mn_, 100);
  }
  void TearDown() override {
    for (Registry* r : {&mn_, &jp_}) {
      r->store.reset();
      for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(r->path + suffix);
    }
  }

  std::unique_ptr<Registry> Open(const std::string& code) {
    auto opened = std::make_unique<Registry>(
        ExchangeIdentity{core::RegistryCode::FromTrusted(code),
                         core::Ed25519PrivateKey::Generate().value(), &clock_});
    Registry& r = *opened;
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    r.path = (std::filesystem::temp_directory_path() /
              ("jcm-xsvc-" + code + "-" + info->name() + "-" + std::to_string(::getpid()) + ".db"))
                 .string();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(r.path + suffix);
    r.store = store::OpenSqliteStore(r.path, clock_).value();
    EXPECT_FALSE(r.store->Submit(ledger::InitRegistry{code})->rejection);
    r.holding = OpenHolding(r, code + " Holder");
    return opened;
  }
  std::string OpenHolding(Registry& r, const std::string& name) {
    ledger::OpenAccount open{
        r.identity.self.str(), ledger::AccountType::kEntityHolding, {name, "", "", "", ""}, ""};
    return *r.store->Submit(open)->entry.body.Get("account");
  }
  static void Peer(Registry& at, const Registry& other) {
    exchange::PeerRequest request{other.identity.self.str(), "https://registry.example",
                                  core::BytesToHex(other.identity.key.PublicKey())};
    auto added = AddPeer(*at.store, request, "test");
    ASSERT_TRUE(added.ok() && !IsRejected(*added));
  }
  void IssueIn(Registry& r, int64_t quantity) {
    ledger::JcDecision d;
    d.id = r.identity.self.str() + "001:" + std::string(kPeriod) + "@test";
    d.registry = r.identity.self;
    d.project = r.identity.self.str() + "001";
    d.period = *core::Period::Parse(kPeriod);
    d.notified_tco2e = quantity;
    core::Record body;
    body.Add("decision", d.id);
    ASSERT_FALSE(
        r.store->Submit(ledger::RecordDecisions{{"cycle.test_decision", body, "", -1}, {d}})
            ->rejection);
    ledger::TransactionRequest issue;
    issue.type = ledger::TransactionType::kIssuance;
    issue.registry = r.identity.self.str();
    issue.project = d.project;
    issue.period = kPeriod;
    issue.decision = d.id;
    issue.targets = {{r.holding, quantity}};
    const auto out = r.store->Submit(issue);
    ASSERT_TRUE(out.ok() && !out->rejection) << (out.ok() ? out->rejection->message : "");
  }

  static Transport To(Registry& receiver) {
    return [&receiver](const exchange::PeerRecord&,
                       std::string_view wire) -> core::Result<PeerReply> {
      JCM_ASSIGN_OR_RETURN(auto received, ReceiveMessage(*receiver.store, receiver.identity, wire));
      PeerReply reply{true, std::nullopt};
      if (IsRejected(received)) reply.refusal = std::get<Rejection>(received);
      return reply;
    };
  }
  // Delivers both outboxes until nothing moves.
  void Exchange() {
    for (int round = 0; round < 20; ++round) {
      const DeliveryResult a = DeliverOutbox(*mn_.store, To(jp_)).value();
      const DeliveryResult b = DeliverOutbox(*jp_.store, To(mn_)).value();
      if (a.delivered + a.refused + b.delivered + b.refused == 0) return;
    }
    ADD_FAILURE() << "the registries kept exchanging";
  }
  ProposedTransfer Propose(Registry& from, const std::string& from_account,
                           const std::string& to_account, int64_t quantity,
                           int64_t limit_s = kDefaultTransferTimeLimitSeconds) {
    ExternalTransferRequest request{from_account, to_account, quantity, "", "test", limit_s};
    auto proposed = ProposeExternalTransfer(*from.store, from.identity, request);
    EXPECT_TRUE(proposed.ok()) << proposed.status().ToString();
    EXPECT_FALSE(IsRejected(*proposed)) << std::get<Rejection>(*proposed).message;
    return std::get<ProposedTransfer>(*proposed);
  }
  static ExternalTransferStatus StatusOf(Registry& r, const std::string& transaction) {
    const std::vector<ExternalTransferStatus> all = ListExternalTransfers(*r.store).value();
    for (const ExternalTransferStatus& s : all) {
      if (s.transaction == transaction) return s;
    }
    ADD_FAILURE() << "no transfer " << transaction;
    return {};
  }
  static int64_t Held(Registry& r, const std::string& account) {
    int64_t units = 0;
    const std::vector<ledger::UnitBlock> live = r.store->LiveBlocks(account).value();
    for (const ledger::UnitBlock& b : live) units += b.unit_count;
    return units;
  }
  // The wire forms owed by `r`, in order.
  static std::vector<std::string> ExchangeStateOutbox(Registry& r) {
    std::vector<std::string> wires;
    const std::vector<ledger::JournalEntry> journal = r.store->ReadJournal(1, "exchange.").value();
    for (const ledger::JournalEntry& e : journal) {
      for (const char* field : {"wire", "queued.wire"}) {
        if (auto wire = e.body.Find(field)) wires.emplace_back(*wire);
      }
    }
    return wires;
  }
  // Live units of MN's serials in both registries: always the 100 issued.
  int64_t MnUnitsEverywhere() {
    int64_t units = 0;
    for (Registry* r : {&mn_, &jp_}) {
      const ledger::StoredState state = r->store->ReadState().value();
      for (const ledger::UnitBlock& b : state.blocks) {
        if (b.live() && b.registry.str() == "MN") units += b.unit_count;
      }
    }
    return units;
  }
  void ExpectAuditsClean() {
    for (Registry* r : {&mn_, &jp_}) {
      AuditOptions options;
      options.clock = &clock_;
      const AuditReport report = AuditAll(*r->store, options).value();
      for (const auto& v : report.violations) {
        // The decision behind the test's issuance is recorded by a bare cycle.test_decision
        // event, which the cycle's replay (INV-10) does not know; everything else must hold.
        if (v.invariant == "INV-10") continue;
        ADD_FAILURE() << r->identity.self.str() << " " << v.invariant << " @" << v.seq << ": "
                      << v.message;
      }
    }
  }

  store::FixedClock clock_{"2026-11-01"};
  std::unique_ptr<Registry> mn_owner_, jp_owner_;
  Registry& mn_;
  Registry& jp_;
};

TEST_F(ExchangeTransfersTest, ATransferCompletesOnBothSidesAndComesBack) {
  const ProposedTransfer sent = Propose(mn_, mn_.holding, jp_.holding, 30);
  EXPECT_EQ(sent.transaction, "MN:1");
  EXPECT_EQ(Held(mn_, mn_.holding), 70);
  EXPECT_EQ(StatusOf(mn_, "MN:1").state, exchange::ReportedState::kProposed);
  Exchange();
  EXPECT_EQ(StatusOf(mn_, "MN:1").state, exchange::ReportedState::kCompleted);
  EXPECT_EQ(StatusOf(jp_, "MN:1").state, exchange::ReportedState::kCompleted);
  EXPECT_EQ(Held(jp_, jp_.holding), 30);
  EXPECT_EQ(MnUnitsEverywhere(), 100);
  // And 10 of them back to MN: the units come home.
  const ProposedTransfer back = Propose(jp_, jp_.holding, mn_.holding, 10);
  EXPECT_EQ(back.transaction, "JP:1");
  Exchange();
  EXPECT_EQ(StatusOf(jp_, "JP:1").state, exchange::ReportedState::kCompleted);
  EXPECT_EQ(Held(mn_, mn_.holding), 80);
  EXPECT_EQ(Held(jp_, jp_.holding), 20);
  EXPECT_EQ(MnUnitsEverywhere(), 100);
  EXPECT_TRUE(ListExternalTransfers(*mn_.store).value().size() == 2);
  ExpectAuditsClean();
}

TEST_F(ExchangeTransfersTest, TheReceiverRejectsAClosedAccountAndTheUnitsGoBack) {
  const std::string closed = OpenHolding(jp_, "Closed Buyer");
  ASSERT_FALSE(
      jp_.store
          ->Submit(ledger::ChangeAccountState{closed, ledger::AccountState::kClosed, "test", ""})
          ->rejection);
  Propose(mn_, mn_.holding, closed, 30);
  Propose(mn_, mn_.holding,
          core::AccountNumber{core::RegistryCode::FromTrusted("JP"), 100, 99}.ToString(),
          5);  // no such account in JP
  Exchange();
  const ExternalTransferStatus sent = StatusOf(mn_, "MN:1");
  EXPECT_EQ(sent.state, exchange::ReportedState::kFailed);
  EXPECT_EQ(sent.check, 13);
  EXPECT_EQ(sent.check_name, "destination_account_not_open");
  EXPECT_EQ(StatusOf(jp_, "MN:1").state, exchange::ReportedState::kRejected);
  EXPECT_EQ(StatusOf(jp_, "MN:1").check, 13);
  EXPECT_EQ(StatusOf(mn_, "MN:2").state, exchange::ReportedState::kFailed);
  EXPECT_EQ(StatusOf(mn_, "MN:2").check, 12);
  EXPECT_EQ(Held(mn_, mn_.holding), 100);
  EXPECT_EQ(MnUnitsEverywhere(), 100);
  ExpectAuditsClean();
}

TEST_F(ExchangeTransfersTest, TheSenderChecksItsSideFirst) {
  const std::string vietnamese =
      core::AccountNumber{core::RegistryCode::FromTrusted("VN"), 100, 1}.ToString();
  ExternalTransferRequest request{mn_.holding, vietnamese, 5,
                                  "",          "test",     kDefaultTransferTimeLimitSeconds};
  const auto not_peer = ProposeExternalTransfer(*mn_.store, mn_.identity, request).value();
  ASSERT_TRUE(IsRejected(not_peer));
  EXPECT_EQ(std::get<Rejection>(not_peer).check, 835) << std::get<Rejection>(not_peer).message;
  request.to_account = jp_.holding;
  request.quantity = 101;
  const auto insufficient = ProposeExternalTransfer(*mn_.store, mn_.identity, request).value();
  ASSERT_TRUE(IsRejected(insufficient));
  EXPECT_EQ(std::get<Rejection>(insufficient).check, 17);
  request.quantity = 5;
  request.time_limit_s = 0;
  EXPECT_EQ(ProposeExternalTransfer(*mn_.store, mn_.identity, request).status().code(),
            core::StatusCode::kInvalidArgument);
  EXPECT_TRUE(ListExternalTransfers(*mn_.store).value().empty());
}

TEST_F(ExchangeTransfersTest, AnIdempotencyKeyProposesOnce) {
  ExternalTransferRequest request{mn_.holding, jp_.holding, 5,
                                  "k1",        "test",      kDefaultTransferTimeLimitSeconds};
  const auto first = ProposeExternalTransfer(*mn_.store, mn_.identity, request).value();
  const auto again = ProposeExternalTransfer(*mn_.store, mn_.identity, request).value();
  ASSERT_FALSE(IsRejected(first));
  ASSERT_FALSE(IsRejected(again));
  EXPECT_EQ(std::get<ProposedTransfer>(again).transaction, "MN:1");
  EXPECT_TRUE(std::get<ProposedTransfer>(again).replayed);
  EXPECT_EQ(Held(mn_, mn_.holding), 95);
  request.quantity = 6;
  const auto other = ProposeExternalTransfer(*mn_.store, mn_.identity, request).value();
  ASSERT_TRUE(IsRejected(other));
  EXPECT_EQ(std::get<Rejection>(other).check, 1);
}

TEST_F(ExchangeTransfersTest, ATransferPastItsTimeLimitFailsAndALateAnswerChangesNothing) {
  Propose(mn_, mn_.holding, jp_.holding, 30, 60);
  EXPECT_EQ(ExchangeTick(*mn_.store, mn_.identity).value().failed, 0);
  // JP accepts, but its answer reaches MN only after the limit.
  EXPECT_EQ(DeliverOutbox(*mn_.store, To(jp_)).value().delivered, 1);
  EXPECT_EQ(StatusOf(jp_, "MN:1").state, exchange::ReportedState::kPending);
  clock_.Advance(120);
  const TickResult tick = ExchangeTick(*mn_.store, mn_.identity).value();
  EXPECT_EQ(tick.failed, 1);
  EXPECT_EQ(StatusOf(mn_, "MN:1").state, exchange::ReportedState::kFailed);
  EXPECT_EQ(Held(mn_, mn_.holding), 100);
  Exchange();  // the late "accepted" is ignored; the "failed" outcome terminates JP's side
  EXPECT_EQ(StatusOf(mn_, "MN:1").state, exchange::ReportedState::kFailed);
  EXPECT_EQ(StatusOf(jp_, "MN:1").state, exchange::ReportedState::kTerminated);
  EXPECT_EQ(Held(jp_, jp_.holding), 0);
  EXPECT_EQ(MnUnitsEverywhere(), 100);
  ExpectAuditsClean();
}

TEST_F(ExchangeTransfersTest, TheAuditFindsATransferLeftProposedPastItsTimeLimit) {
  const ProposedTransfer sent = Propose(mn_, mn_.holding, jp_.holding, 30, 60);
  ExpectAuditsClean();  // within its limit
  clock_.Advance(120);
  AuditOptions options;
  options.clock = &clock_;
  std::vector<ledger::Violation> late = AuditAll(*mn_.store, options).value().violations;
  std::erase_if(late, [](const ledger::Violation& v) { return v.invariant == "INV-10"; });
  ASSERT_EQ(late.size(), 1u);
  EXPECT_EQ(late[0].invariant, "INV-57");
  EXPECT_EQ(late[0].seq, sent.reservation_seq + 1);  // its transfer_proposed entry
  EXPECT_NE(late[0].message.find("MN:1"), std::string::npos);
  EXPECT_EQ(ExchangeTick(*mn_.store, mn_.identity).value().failed, 1);
  ExpectAuditsClean();  // failed: final
}

TEST_F(ExchangeTransfersTest, TheGateRefusesReplaysForgeriesAndStrangersAndJournalsThem) {
  Propose(mn_, mn_.holding, jp_.holding, 30);
  const std::string wire = ExchangeStateOutbox(mn_).front();
  Exchange();
  const auto journal_before = jp_.store->ReadJournal(1).value().size();
  const auto replayed = ReceiveMessage(*jp_.store, jp_.identity, wire).value();
  ASSERT_TRUE(IsRejected(replayed));
  EXPECT_EQ(std::get<Rejection>(replayed).check, 803);
  std::string forged = wire;
  forged.replace(forged.find("quantity=30"), 11, "quantity=31");
  const auto refused = ReceiveMessage(*jp_.store, jp_.identity, forged).value();
  ASSERT_TRUE(IsRejected(refused));
  EXPECT_EQ(std::get<Rejection>(refused).check, 802);
  const auto garbage = ReceiveMessage(*jp_.store, jp_.identity, "not a message").value();
  ASSERT_TRUE(IsRejected(garbage));
  EXPECT_EQ(std::get<Rejection>(garbage).check, 804);
  const std::vector<ledger::JournalEntry> journal = jp_.store->ReadJournal(1).value();
  ASSERT_EQ(journal.size(), journal_before + 3);  // each refusal journaled, nothing else
  for (size_t i = journal_before; i < journal.size(); ++i) {
    EXPECT_EQ(journal[i].kind, "exchange.message_refused");
    EXPECT_FALSE(journal[i].body.Find("signature"));
    EXPECT_EQ(journal[i].body.Find("wire"), std::nullopt);
  }
  EXPECT_EQ(journal[journal_before].body.Find("sender"), "MN");
  EXPECT_EQ(journal[journal_before].body.Find("check"), "803");
  EXPECT_EQ(Held(jp_, jp_.holding), 30);
  ExpectAuditsClean();
}

TEST_F(ExchangeTransfersTest, AProposalOfSerialsLiveHereIsRejected834) {
  Propose(mn_, mn_.holding, jp_.holding, 30);
  const std::string first = ExchangeStateOutbox(mn_).front();
  Exchange();
  // MN's registry proposes the same serials again (a registry that lost its records): JP holds
  // them live, so it answers rejected with 834 rather than create them twice.
  auto envelope = exchange::Envelope::Parse(first).value();
  envelope.seq = 100;
  envelope.transaction = "MN:9";
  envelope.Sign(mn_.identity.key);
  const auto answered = ReceiveMessage(*jp_.store, jp_.identity, envelope.Encode()).value();
  ASSERT_FALSE(IsRejected(answered));
  EXPECT_EQ(std::get<ReceiveResult>(answered).effect, "rejected");
  EXPECT_EQ(StatusOf(jp_, "MN:9").check, 834);
  EXPECT_EQ(StatusOf(jp_, "MN:9").check_name, "incoming_serials_live");
  EXPECT_EQ(Held(jp_, jp_.holding), 30);
}

TEST_F(ExchangeTransfersTest, ALostProposalIsRecoveredByAStatusRequest) {
  Propose(mn_, mn_.holding, jp_.holding, 30);
  // The proposal is lost on the way: delivered as far as MN knows, never received.
  const Transport lose = [](const exchange::PeerRecord&, std::string_view) {
    return core::Result<PeerReply>(PeerReply{true, std::nullopt});
  };
  EXPECT_EQ(DeliverOutbox(*mn_.store, lose).value().delivered, 1);
  clock_.Advance(exchange::kRetryFirstSeconds + 1);
  EXPECT_EQ(ExchangeTick(*mn_.store, mn_.identity).value().status_requests, 1);
  Exchange();  // JP: unknown; MN resends the proposal; JP accepts; MN completes
  EXPECT_EQ(StatusOf(mn_, "MN:1").state, exchange::ReportedState::kCompleted);
  EXPECT_EQ(StatusOf(jp_, "MN:1").state, exchange::ReportedState::kCompleted);
  EXPECT_EQ(Held(jp_, jp_.holding), 30);
  EXPECT_EQ(MnUnitsEverywhere(), 100);
  ExpectAuditsClean();
}

TEST_F(ExchangeTransfersTest, ALostOutcomeIsRecoveredByTheReceiversStatusRequest) {
  Propose(mn_, mn_.holding, jp_.holding, 30);
  EXPECT_EQ(DeliverOutbox(*mn_.store, To(jp_)).value().delivered, 1);  // the proposal
  EXPECT_EQ(DeliverOutbox(*jp_.store, To(mn_)).value().delivered, 1);  // the answer
  const Transport lose = [](const exchange::PeerRecord&, std::string_view) {
    return core::Result<PeerReply>(PeerReply{true, std::nullopt});
  };
  EXPECT_EQ(DeliverOutbox(*mn_.store, lose).value().delivered, 1);  // "completed", lost
  EXPECT_EQ(StatusOf(jp_, "MN:1").state, exchange::ReportedState::kPending);
  clock_.Advance(exchange::kRetryFirstSeconds + 1);
  EXPECT_EQ(ExchangeTick(*jp_.store, jp_.identity).value().status_requests, 1);
  Exchange();
  EXPECT_EQ(StatusOf(jp_, "MN:1").state, exchange::ReportedState::kCompleted);
  EXPECT_EQ(Held(jp_, jp_.holding), 30);
  EXPECT_EQ(MnUnitsEverywhere(), 100);
  ExpectAuditsClean();
}

}  // namespace
}  // namespace jcm::service
