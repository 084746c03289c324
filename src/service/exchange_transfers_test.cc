// External transfers between two registries, each its own SQLite database with its own key
// (service/exchange_transfers.h; docs/exchange.md): the whole protocol through the real stores
// and the service's use cases, messages handed from one outbox to the other registry's
// ReceiveMessage. After each scenario both audits are clean and no unit is lost or doubled.
#include "service/article6_service.h"
#include "service/exchange_fixture_test.h"
#include "service/public_reports.h"
#include "service/service_fixture_test.h"
#include "store/testing/forwarding_store.h"

namespace jcm::service {
namespace {

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

TEST_F(ExchangeTransfersTest, AMessageOnAnotherRegistrysCertificateIsRefused836) {
  Propose(mn_, mn_.holding, jp_.holding, 30);
  const std::string wire = ExchangeStateOutbox(mn_).front();
  const auto journal_before = jp_.store->ReadJournal(1).value().size();
  // MN's message over a connection whose client certificate names JP (or nothing): 836,
  // journaled as a refusal, and MN's sequence number not used up.
  for (const std::string& name : {std::string("JP"), std::string()}) {
    const auto relayed = ReceiveMessage(*jp_.store, jp_.identity, wire, name).value();
    ASSERT_TRUE(IsRejected(relayed));
    EXPECT_EQ(std::get<Rejection>(relayed).check, 836);
    EXPECT_EQ(std::get<Rejection>(relayed).name, "client_certificate_not_peer");
  }
  const std::vector<ledger::JournalEntry> journal = jp_.store->ReadJournal(1).value();
  ASSERT_EQ(journal.size(), journal_before + 2);
  EXPECT_EQ(journal.back().kind, "exchange.message_refused");
  EXPECT_EQ(journal.back().body.Find("check"), "836");
  EXPECT_EQ(journal.back().body.Find("sender"), "MN");
  // The same message on MN's own certificate is received.
  const auto received = ReceiveMessage(*jp_.store, jp_.identity, wire, "MN").value();
  ASSERT_FALSE(IsRejected(received));
  EXPECT_EQ(std::get<ReceiveResult>(received).effect, "pending");
}

// MN's proposal of serials JP holds live (834), after JP received 30 units from MN.
class Exchange834Test : public ExchangeTransfersTest {
 protected:
  // `envelope`, a proposal, sent again to JP as MN's transaction MN:9 with a new seq and
  // signature: JP answers it rejected with 834 and holds what it held.
  void ExpectMn9RejectedByJp834(exchange::Envelope envelope) {
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
};

TEST_F(Exchange834Test, AProposalOfSerialsLiveHereIsRejected834) {
  Propose(mn_, mn_.holding, jp_.holding, 30);
  const std::string first = ExchangeStateOutbox(mn_).front();
  Exchange();
  // MN's registry proposes the same serials again (a registry that lost its records): JP holds
  // them live, so it answers rejected with 834 rather than create them twice.
  auto envelope = exchange::Envelope::Parse(first).value();
  ExpectMn9RejectedByJp834(std::move(envelope));
}

// A proposed run that holds a live block strictly inside it, neither of its ends live here: the
// one index probe per run (Store::FindLiveBlockOverlapping) finds it, so 834 answers before
// the acquisition would make INV-3's overlap.
TEST_F(Exchange834Test, AProposedRunAroundALiveBlockIsRejected834) {
  ledger::TransactionRequest aside;
  aside.type = ledger::TransactionType::kInternalTransfer;
  aside.registry = "MN";
  aside.from = mn_.holding;
  aside.to = OpenHolding(mn_, "MN Other");
  aside.quantity = 10;
  aside.serials = "1..10";  // so that what JP receives does not start at serial 1
  const auto moved = mn_.store->Submit(aside);
  ASSERT_TRUE(moved.ok() && !moved->rejection) << (moved.ok() ? moved->rejection->message : "");
  Propose(mn_, mn_.holding, jp_.holding, 30);
  const std::string first = ExchangeStateOutbox(mn_).front();
  Exchange();
  const std::vector<ledger::UnitBlock> held = jp_.store->LiveBlocks(jp_.holding).value();
  ASSERT_EQ(held.size(), 1u);
  ASSERT_GT(held[0].serial_first, 1);
  // The same proposal with its one block widened by a serial either side of what JP holds.
  auto envelope = exchange::Envelope::Parse(first).value();
  ASSERT_EQ(envelope.body.FindAll("block").size(), 1u);
  ledger::UnitBlock around = ledger::DecodeBlock(*envelope.body.Find("block")).value();
  around.serial_first = held[0].serial_first - 1;
  around.unit_count = held[0].unit_count + 2;
  core::Record body;
  for (const auto& [key, value] : envelope.body.fields()) {
    if (key == "quantity") {
      body.AddInt(key, around.unit_count);
    } else {
      body.Add(key, key == "block" ? ledger::EncodeBlock(around) : value);
    }
  }
  envelope.body = body;
  ExpectMn9RejectedByJp834(std::move(envelope));
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

// Units Mongolia authorised for NDC use leave its registry by their first international
// transfer (docs/article6.md, "First transfer"): they arrive in Japan's registry first
// transferred by Mongolia, which the audits on both sides accept; Mongolia's AEF reports the
// completion (aef_external_test).
TEST_F(ExchangeTransfersTest, NdcUnitsArriveFirstTransferredByTheAuthorisingParty) {
  auto added = Article6Service(*mn_.store).AddAuthorisation(MongolianNdcAuthorisation());
  ASSERT_TRUE(added.ok() && !IsRejected(*added));
  auto authorised = Article6Service(*mn_.store).Authorise({mn_.holding, 100, "", "MNG/N1", ""});
  ASSERT_TRUE(authorised.ok() && !IsRejected(*authorised));
  Propose(mn_, mn_.holding, jp_.holding, 30);
  Exchange();
  const std::vector<ledger::UnitBlock> arrived = jp_.store->LiveBlocks(jp_.holding).value();
  ASSERT_FALSE(arrived.empty());
  for (const ledger::UnitBlock& b : arrived) {
    EXPECT_TRUE(b.first_transferred);
    EXPECT_EQ(b.first_transferring_party, "MNG");
    EXPECT_EQ(b.article6_authorisation, "MNG/N1");
  }
  const std::vector<ledger::UnitBlock> stayed = mn_.store->LiveBlocks(mn_.holding).value();
  for (const ledger::UnitBlock& b : stayed) {
    EXPECT_FALSE(b.first_transferred);  // those that stayed are not
  }
  EXPECT_EQ(MnUnitsEverywhere(), 100);
  ExpectAuditsClean();
}

// The cache (exchange_transfers.h) replays the exchange.* family once, then reads only the
// entries from the last one it applied; it sees another process's writes at its next call, and
// a cache given another store's journal (whose entry at its seq has another hash) replays it.
TEST_F(ExchangeTransfersTest, TheCacheReadsOnlyTheTailAndSeesOtherWriters) {
  store::testing::RecordingStore recording(*mn_.store);
  ExchangeStateCache cache;
  const internal::CachedExchangeState& cached = cache.cached();
  ASSERT_TRUE(ListExternalTransfers(recording, &cache).value().empty());
  ExternalTransferRequest request{mn_.holding, jp_.holding, 5, "", "test"};
  for (int i = 0; i < 3; ++i) {
    ASSERT_FALSE(
        IsRejected(ProposeExternalTransfer(recording, mn_.identity, request, &cache).value()));
  }
  EXPECT_EQ(cached.replays, 1);
  ASSERT_GE(recording.reads.size(), 4u);
  EXPECT_EQ(recording.reads.front().first, 1);
  for (size_t i = 1; i < recording.reads.size(); ++i) {
    EXPECT_GT(recording.reads[i].first, 1) << i;  // the tail: from the last entry applied
    EXPECT_EQ(recording.reads[i].second, "exchange.");
  }
  // Another process (no cache, its own connection's calls) proposes a fourth.
  ASSERT_FALSE(IsRejected(ProposeExternalTransfer(*mn_.store, mn_.identity, request).value()));
  EXPECT_EQ(ListExternalTransfers(recording, &cache).value().size(), 4u);
  EXPECT_EQ(cached.replays, 1);
  EXPECT_TRUE(cached.state == internal::ReadExchangeState(*mn_.store).value());
  // The same cache on JP's database: MN's last entry is not there, so it replays JP's.
  Exchange();
  EXPECT_EQ(ListExternalTransfers(*jp_.store, &cache).value().size(), 4u);
  EXPECT_EQ(cached.replays, 2);
  EXPECT_TRUE(cached.state == internal::ReadExchangeState(*jp_.store).value());
  ExpectAuditsClean();
}

// The delivery loop's wake-up (WaitForOwedMessages) counts writes that queued messages: each
// proposal does; the delivery that marks one delivered while JP, down for the other, leaves it
// owed does not (else a peer that is down would end every wait of the loop at once); and JP's
// answer, queued by its route, wakes JP's loop.
TEST_F(ExchangeTransfersTest, OnlyAWriteThatQueuesAMessageWakesTheDeliveryLoop) {
  ExchangeStateCache mn_cache, jp_cache;
  ExternalTransferRequest request{mn_.holding, jp_.holding, 5, "", "test"};
  for (int i = 0; i < 2; ++i) {
    ASSERT_FALSE(
        IsRejected(ProposeExternalTransfer(*mn_.store, mn_.identity, request, &mn_cache).value()));
  }
  EXPECT_EQ(mn_cache.cached().owed_writes, 2);
  int sent = 0;
  const Transport to_jp_once = [&](const exchange::PeerRecord&,
                                   std::string_view wire) -> core::Result<PeerReply> {
    if (sent++ > 0) return core::Unavailable("JP is down");
    JCM_ASSIGN_OR_RETURN(auto received,
                         ReceiveMessage(*jp_.store, jp_.identity, wire, std::nullopt, &jp_cache));
    (void)received;
    return PeerReply{true, std::nullopt};
  };
  const DeliveryResult delivered = DeliverOutbox(*mn_.store, to_jp_once, &mn_cache).value();
  EXPECT_EQ(delivered.delivered, 1);
  EXPECT_EQ(delivered.owed, 1);
  EXPECT_EQ(mn_cache.cached().owed_writes, 2) << "the delivery marked queued nothing";
  EXPECT_EQ(jp_cache.cached().owed_writes, 1) << "JP's answer is queued";
}

// The Annual Transactions Summary of each registry counts what crossed (INV-51): MN sends 30 in
// 2026 and reserves 20 more on 31 December, which JP acquires on 1 January 2027. So MN holds
// 20 in transit at the end of 2026, and each registry's holdings over the five account types
// roll forward by issuance plus acquisitions minus units sent abroad. JP's issuances report
// lists nothing: the blocks it acquired were issued in Mongolia.
TEST_F(ExchangeTransfersTest, TheAnnualSummaryCountsUnitsSentAbroadAcquiredAndInTransit) {
  Propose(mn_, mn_.holding, jp_.holding, 30);
  Exchange();
  clock_.Advance(61 * 86400 - 3600);  // from 2026-11-01T00:00Z to 2026-12-31T23:00Z
  Propose(mn_, mn_.holding, jp_.holding, 20);
  clock_.Advance(2 * 3600);  // 2027-01-01T01:00Z
  Exchange();
  const auto summary = [](Registry& r) {
    const std::vector<Table> tables =
        ComputePublicReport(*r.store, {PublicReport::kAnnualSummary, std::nullopt, std::nullopt})
            .value();
    std::vector<std::map<std::string, Cell>> rows;
    for (const std::vector<Cell>& row : tables.at(0).rows) {
      std::map<std::string, Cell>& named = rows.emplace_back();
      for (size_t c = 0; c < row.size(); ++c) named[tables.at(0).columns.at(c)] = row[c];
    }
    return rows;
  };
  const auto units = [](const std::map<std::string, Cell>& row, const std::string& column) {
    return std::get<int64_t>(row.at(column));
  };
  const auto mn = summary(mn_), jp = summary(jp_);
  ASSERT_EQ(mn.size(), 2u);  // 2026 and 2027
  ASSERT_EQ(jp.size(), 2u);
  EXPECT_EQ(std::get<std::string>(mn[0].at("registry")), "MN");
  EXPECT_EQ(units(mn[0], "issued_tco2e"), 100);
  EXPECT_EQ(units(mn[0], "sent_abroad_tco2e"), 30);
  EXPECT_EQ(units(mn[0], "held_entity_holding_tco2e"), 50);
  EXPECT_EQ(units(mn[0], "held_exchange_transit_tco2e"), 20);
  EXPECT_EQ(units(mn[1], "sent_abroad_tco2e"), 20);
  EXPECT_EQ(units(mn[1], "held_entity_holding_tco2e"), 50);
  EXPECT_EQ(units(mn[1], "held_exchange_transit_tco2e"), 0);
  EXPECT_EQ(std::get<std::string>(jp[0].at("registry")), "JP");
  EXPECT_EQ(units(jp[0], "issued_tco2e"), 0);
  EXPECT_EQ(units(jp[0], "acquired_tco2e"), 30);
  EXPECT_EQ(units(jp[0], "held_entity_holding_tco2e"), 30);
  EXPECT_EQ(units(jp[1], "acquired_tco2e"), 20);
  EXPECT_EQ(units(jp[1], "held_entity_holding_tco2e"), 50);
  for (const auto* rows : {&mn, &jp}) {
    int64_t previous = 0;
    for (const auto& row : *rows) {
      int64_t held = 0;
      for (const char* type : {"government_holding", "entity_holding", "retirement", "cancellation",
                               "exchange_transit"}) {
        held += units(row, std::string("held_") + type + "_tco2e");
      }
      EXPECT_EQ(held, previous + units(row, "issued_tco2e") + units(row, "acquired_tco2e") -
                          units(row, "sent_abroad_tco2e"));
      previous = held;
    }
  }
  const std::vector<Table> issuances =
      ComputePublicReport(*jp_.store, {PublicReport::kIssuances, std::nullopt, std::nullopt})
          .value();
  EXPECT_TRUE(issuances.at(0).rows.empty());
  ExpectAuditsClean();
}

}  // namespace
}  // namespace jcm::service
