// The ledger's side of external transfers (docs/exchange.md) through the real stores (memory
// and SQLite; PostgreSQL in its conformance twin, with an SQLite receiver): the sending registry
// (the fixture's, MN) reserves units in its exchange transit account, where nothing but the
// transfer's outcome moves them (check 830); the release gives them back, the completion ends them
// (832 for a second outcome); a second store, the receiving registry (TH), creates them by an
// acquisition (833 when they do not add up). After every step both audits are clean and no unit is
// lost or counted twice across the two (INV-55, INV-56); a property test runs random interleavings
// of transfers in both directions, outcomes, late deliveries and second outcomes over the two
// stores.
#include <gtest/gtest.h>

#include <random>

#include "store/testing/ledger_fixture.h"

namespace jcm::store {
namespace {

using ledger::CheckCode;
using ledger::TransactionType;

constexpr const char* kPeriod = "2017-08-26..2018-05-31";

class ExternalTransferTest : public LedgerFixture, public ::testing::WithParamInterface<StoreKind> {
 protected:
  ExternalTransferTest() { UseStore(GetParam()); }

  void SetUp() override {
    LedgerFixture::SetUp();
    receiver_path_ =
        (sqlite_directory_ / ("jcm-external-receiver-" + std::to_string(::getpid()) + ".db"))
            .string();
    std::filesystem::remove(receiver_path_);
    if (use_memory_store_) {
      receiver_ = NewMemoryStore(clock_);
    } else {
      receiver_ = OpenSqliteStore(receiver_path_, clock_).value();
    }
    ASSERT_FALSE(receiver_->Submit(ledger::InitRegistry{"TH"})->rejection);
    ledger::OpenAccount open{
        "TH", ledger::AccountType::kEntityHolding, {"Thai Buyer", "", "", "", ""}, ""};
    thai_ = *receiver_->Submit(open)->entry.body.Get("account");
    Issue("MN003", "2017-01-01..2017-12-31", {{alice_, 100}});
  }

  static ledger::TransactionRequest External(TransactionType type, const std::string& from,
                                             const std::string& to, int64_t quantity,
                                             int64_t reservation = 0) {
    ledger::TransactionRequest r;
    r.type = type;
    r.from = from;
    r.to = to;
    r.quantity = quantity;
    r.external_transaction = "MN:1";
    r.external_reservation = reservation;
    return r;
  }
  Outcome Reserve(int64_t quantity) {
    return Must(External(TransactionType::kExternalTransfer, alice_, thai_, quantity));
  }
  static std::string TransitOf(Store& store, const std::string& registry) {
    const std::vector<ledger::Account> accounts = store.ListAccounts(registry).value();
    for (const ledger::Account& a : accounts) {
      if (a.type == ledger::AccountType::kExchangeTransit) return a.number;
    }
    return "";
  }
  std::string Transit() { return TransitOf(*store_, "MN"); }
  static int64_t HeldIn(Store& store, const std::string& account) {
    const std::vector<ledger::UnitBlock> live = store.LiveBlocks(account).value();
    int64_t units = 0;
    for (const ledger::UnitBlock& b : live) units += b.unit_count;
    return units;
  }
  // Units held in live blocks of `registry`'s serials, in a store.
  static int64_t LiveUnits(Store& store, const std::string& registry) {
    int64_t units = 0;
    const ledger::StoredState state = store.ReadState().value();
    for (const ledger::UnitBlock& b : state.blocks) {
      if (b.live() && b.registry.str() == registry) units += b.unit_count;
    }
    return units;
  }
  void ExpectBothAuditsClean() {
    ExpectAuditClean();
    const auto journal = receiver_->ReadJournal(1);
    for (const auto& v : ledger::Audit(*journal, *receiver_->ReadState())) {
      ADD_FAILURE() << "receiver " << v.invariant << " @" << v.seq << ": " << v.message;
    }
  }
  // The sender's completed transfer's blocks, as its proposal names them.
  static std::vector<ledger::UnitBlock> ProposedBy(Store& store, const Outcome& reservation) {
    const std::string registry(reservation.entry.body.Find("registry").value_or(""));
    std::vector<ledger::UnitBlock> blocks;
    const std::vector<ledger::UnitBlock> created = ledger::CreatedBlocks(reservation.entry).value();
    for (const ledger::UnitBlock& b : created) {
      if (b.account == TransitOf(store, registry)) blocks.push_back(b);
    }
    return blocks;
  }
  std::vector<ledger::UnitBlock> Proposed(const Outcome& reservation) {
    return ProposedBy(*store_, reservation);
  }

  void TearDown() override {
    receiver_.reset();
    for (const char* suffix : {"", "-wal", "-shm"})
      std::filesystem::remove(receiver_path_ + suffix);
    LedgerFixture::TearDown();
  }

  std::unique_ptr<Store> receiver_;
  std::string receiver_path_;
  std::string thai_;
};

TEST_P(ExternalTransferTest, AReservationHoldsTheUnitsInTheTransitAccount) {
  const Outcome reserved = Reserve(30);
  ASSERT_FALSE(reserved.rejection) << reserved.rejection->message;
  EXPECT_EQ(reserved.entry.body.Find("type"), "external_transfer");
  EXPECT_EQ(reserved.entry.body.Find("external_to"), thai_);
  EXPECT_EQ(reserved.entry.body.Find("external_transaction"), "MN:1");
  const std::string transit = Transit();
  ASSERT_FALSE(transit.empty());
  EXPECT_EQ(reserved.entry.body.Find("transit_opened"), transit);
  EXPECT_EQ(Held(alice_), 70);
  EXPECT_EQ(Held(transit), 30);
  EXPECT_EQ(LiveUnits(*store_, "MN"), 100);  // reserved units are still the sender's
  // A second reservation uses the same transit account.
  const Outcome second = Reserve(5);
  ASSERT_FALSE(second.rejection);
  EXPECT_FALSE(second.entry.body.Find("transit_opened"));
  EXPECT_EQ(Held(transit), 35);
  ExpectAuditClean();
}

TEST_P(ExternalTransferTest, ReservedUnitsMoveOnlyByTheirOutcome) {
  ASSERT_FALSE(Reserve(30).rejection);
  const std::string transit = Transit();
  ExpectRejected(Transfer(transit, bob_, 1), CheckCode::kUnitsReserved);
  ExpectRejected(Retire(transit, 1), CheckCode::kUnitsReserved);
  ExpectRejected(Cancel(transit, 1, "test"), CheckCode::kUnitsReserved);
  ExpectRejected(Must(External(TransactionType::kExternalTransfer, transit, thai_, 1)),
                 CheckCode::kUnitsReserved);
  ledger::TransactionRequest authorise =
      External(TransactionType::kArticle6Authorisation, transit, "", 1);
  authorise.article6_authorisation = "MNG/MN-1";
  ExpectRejected(Must(authorise), CheckCode::kUnitsReserved);
  // Nothing may be sent into it but by a reservation.
  ExpectRejected(Transfer(bob_, transit, 1), CheckCode::kDestinationAccountMayNotReceive);
  EXPECT_EQ(Held(transit), 30);
  ExpectAuditClean();
}

TEST_P(ExternalTransferTest, TheDestinationIsAnAccountOfAnotherRegistry) {
  ExpectRejected(Must(External(TransactionType::kExternalTransfer, alice_, bob_, 1)),
                 CheckCode::kExternalDestinationInvalid);
  ExpectRejected(Must(External(TransactionType::kExternalTransfer, alice_, "TH-121-x", 1)),
                 CheckCode::kExternalDestinationInvalid);
  auto unnamed = External(TransactionType::kExternalTransfer, alice_, thai_, 1);
  unnamed.external_transaction = "";
  ExpectRejected(Must(unnamed), CheckCode::kDetailsInvalid);
  ExpectRejected(Reserve(101), CheckCode::kUnitsInsufficient);
  EXPECT_TRUE(Transit().empty());  // no reservation, no transit account
}

TEST_P(ExternalTransferTest, AReleaseGivesTheUnitsBackOnce) {
  const Outcome reserved = Reserve(30);
  const std::string transit = Transit();
  ExpectRejected(Must(External(TransactionType::kExternalRelease, transit, alice_, 30, 1)),
                 CheckCode::kReservationNotOpen);  // entry 1 reserved nothing
  ExpectRejected(
      Must(External(TransactionType::kExternalRelease, transit, alice_, 29, reserved.entry.seq)),
      CheckCode::kReservationNotOpen);
  const Outcome released =
      Must(External(TransactionType::kExternalRelease, transit, alice_, 30, reserved.entry.seq));
  ASSERT_FALSE(released.rejection) << released.rejection->message;
  EXPECT_EQ(Held(alice_), 100);
  EXPECT_EQ(Held(transit), 0);
  ExpectRejected(
      Must(External(TransactionType::kExternalCompletion, transit, thai_, 30, reserved.entry.seq)),
      CheckCode::kReservationNotOpen);
  ExpectAuditClean();
  EXPECT_EQ(LiveUnits(*store_, "MN"), 100);
}

TEST_P(ExternalTransferTest, ACompletionEndsTheUnitsAndTheReceiverCreatesThem) {
  const Outcome reserved = Reserve(30);
  const std::string transit = Transit();
  const auto proposed = Proposed(reserved);
  ExpectRejected(
      Must(External(TransactionType::kExternalCompletion, transit, bob_, 30, reserved.entry.seq)),
      CheckCode::kExternalDestinationInvalid);
  const Outcome completed =
      Must(External(TransactionType::kExternalCompletion, transit, thai_, 30, reserved.entry.seq));
  ASSERT_FALSE(completed.rejection) << completed.rejection->message;
  EXPECT_EQ(completed.entry.body.Find("to"), thai_);  // lineage: the external destination
  EXPECT_EQ(Held(transit), 0);
  EXPECT_EQ(LiveUnits(*store_, "MN"), 70);

  auto acquisition = External(TransactionType::kExternalAcquisition, "", thai_, 31);
  acquisition.incoming_blocks = proposed;
  ExpectRejected(*receiver_->Submit(acquisition), CheckCode::kIncomingBlocksInvalid);
  acquisition.quantity = 30;
  auto forged = acquisition;
  forged.incoming_blocks[0].first_transferring_party = "JPN";  // cites no authorisation
  ExpectRejected(*receiver_->Submit(forged), CheckCode::kIncomingBlocksInvalid);
  const Outcome acquired = *receiver_->Submit(acquisition);
  ASSERT_FALSE(acquired.rejection) << acquired.rejection->message;
  const auto held = *receiver_->LiveBlocks(thai_);
  ASSERT_EQ(held.size(), proposed.size());
  EXPECT_EQ(held[0].serial_first, proposed[0].serial_first);
  EXPECT_EQ(held[0].registry.str(), "MN");
  EXPECT_EQ(held[0].vintage, proposed[0].vintage);
  EXPECT_EQ(LiveUnits(*store_, "MN") + LiveUnits(*receiver_, "MN"), 100);
  ExpectBothAuditsClean();
}

TEST_P(ExternalTransferTest, UnitsThatComeHomeAreCountedOnce) {
  const Outcome reserved = Reserve(30);
  const auto proposed = Proposed(reserved);
  ASSERT_FALSE(
      Must(External(TransactionType::kExternalCompletion, Transit(), thai_, 30, reserved.entry.seq))
          .rejection);
  // The receiver sends them back later: MN acquires its own serials again.
  auto back = External(TransactionType::kExternalAcquisition, "", bob_, 30);
  back.external_transaction = "TH:1";
  back.incoming_blocks = proposed;
  const Outcome acquired = Must(back);
  ASSERT_FALSE(acquired.rejection) << acquired.rejection->message;
  EXPECT_EQ(Held(bob_), 30);
  EXPECT_EQ(LiveUnits(*store_, "MN"), 100);
  ExpectAuditClean();
}

TEST_P(ExternalTransferTest, TheAuditFindsAnOutcomeThatIsNotItsReservations) {
  const Outcome reserved = Reserve(30);
  ASSERT_FALSE(
      Must(External(TransactionType::kExternalRelease, Transit(), alice_, 30, reserved.entry.seq))
          .rejection);
  auto journal = *store_->ReadJournal(1);
  // The release's entry rewritten to name bob as the account the units went back to.
  ledger::JournalEntry& release = journal.back();
  core::Record body;
  for (const auto& [key, value] : release.body.fields()) body.Add(key, key == "to" ? bob_ : value);
  release.body = body;
  bool found = false;
  for (const auto& v : ledger::Audit(journal, *store_->ReadState())) {
    found = found || (v.invariant == "INV-55" && v.seq == release.seq);
  }
  EXPECT_TRUE(found);
}

TEST_P(ExternalTransferTest, AnOutcomeCommitsWithItsExchangeEvent) {
  const Outcome reserved = Reserve(30);
  core::Record body;
  body.Add("transaction", "MN:1").Add("state", "completed");
  const Outcome out = Must(ledger::ExecuteDecision{
      External(TransactionType::kExternalCompletion, Transit(), thai_, 30, reserved.entry.seq),
      {"exchange.test_completed", body, "", -1},
      "ledger_transaction"});
  ASSERT_FALSE(out.rejection) << out.rejection->message;
  ASSERT_TRUE(out.follow_entry);
  EXPECT_EQ(out.follow_entry->kind, "exchange.test_completed");
  EXPECT_EQ(out.follow_entry->body.Find("ledger_transaction"), std::to_string(out.entry.seq));
  // An exchange transaction goes with an exchange.* event only.
  EXPECT_FALSE(store_
                   ->Submit(ledger::ExecuteDecision{
                       External(TransactionType::kExternalTransfer, alice_, thai_, 1),
                       {"approval.test", body, "", -1},
                       "ledger_transaction"})
                   .ok());
  ExpectAuditClean();
}

// One side of a transfer in the property test: the registry's store, its account, its code.
struct Side {
  Store* store;
  std::string account;
  std::string registry;
};
// A transfer the property test has reserved and not yet given an outcome, or completed and not
// yet delivered to the receiver.
struct InFlight {
  size_t sender = 0;  // index into the sides
  int64_t reservation = 0;
  int64_t quantity = 0;
  std::string source;
  std::string transaction;
  std::vector<ledger::UnitBlock> blocks;
};

TEST_P(ExternalTransferTest, PropertyRandomInterleavingsLoseAndDoubleNoUnit) {
  // Both registries hold MN's 100 units between them; TH sends them back too.
  std::vector<Side> sides = {{store_.get(), alice_, "MN"}, {receiver_.get(), thai_, "TH"}};
  std::mt19937_64 rng(7 + static_cast<uint64_t>(GetParam()));
  std::vector<InFlight> reserved, completed;
  std::vector<InFlight> finished;  // outcomes given: a second one is refused (832)
  int transactions = 0;
  int acquisitions = 0, duplicates = 0, from_receiver = 0;
  for (int step = 0; step < 300; ++step) {
    const int op = static_cast<int>(rng() % 4);
    if (op == 0) {  // a reservation on a random side, to the other side's account
      const size_t s = rng() % 2;
      const int64_t held = HeldIn(*sides[s].store, sides[s].account);
      if (held == 0) continue;
      const int64_t quantity = 1 + static_cast<int64_t>(rng() % static_cast<uint64_t>(held));
      auto r = External(TransactionType::kExternalTransfer, sides[s].account, sides[1 - s].account,
                        quantity);
      r.external_transaction = sides[s].registry + ":" + std::to_string(++transactions);
      const Outcome out = *sides[s].store->Submit(r);
      ASSERT_FALSE(out.rejection) << out.rejection->message;
      reserved.push_back({s, out.entry.seq, quantity, sides[s].account, r.external_transaction,
                          ProposedBy(*sides[s].store, out)});
    } else if (op == 1 && !reserved.empty()) {  // an outcome: released or completed
      const size_t i = rng() % reserved.size();
      InFlight t = reserved[i];
      reserved.erase(reserved.begin() + static_cast<std::ptrdiff_t>(i));
      const bool complete = rng() % 2 == 0;
      Side& from = sides[t.sender];
      auto r = External(
          complete ? TransactionType::kExternalCompletion : TransactionType::kExternalRelease,
          TransitOf(*from.store, from.registry), complete ? sides[1 - t.sender].account : t.source,
          t.quantity, t.reservation);
      r.external_transaction = t.transaction;
      const Outcome out = *from.store->Submit(r);
      ASSERT_FALSE(out.rejection) << out.rejection->message;
      if (complete) completed.push_back(t);
      finished.push_back(t);
    } else if (op == 2 && !completed.empty()) {  // a completed transfer reaches the receiver
      const size_t i = rng() % completed.size();
      const InFlight t = completed[i];
      completed.erase(completed.begin() + static_cast<std::ptrdiff_t>(i));
      Side& to = sides[1 - t.sender];
      auto r = External(TransactionType::kExternalAcquisition, "", to.account, t.quantity);
      r.external_transaction = t.transaction;
      r.incoming_blocks = t.blocks;
      const Outcome out = *to.store->Submit(r);
      ASSERT_FALSE(out.rejection) << out.rejection->message;
      ++acquisitions;
      from_receiver += t.sender == 1 ? 1 : 0;
    } else if (op == 3 && !finished.empty()) {  // a duplicated outcome changes nothing
      const InFlight& t = finished[rng() % finished.size()];
      Side& from = sides[t.sender];
      auto r = External(TransactionType::kExternalRelease, TransitOf(*from.store, from.registry),
                        t.source, t.quantity, t.reservation);
      r.external_transaction = t.transaction;
      ExpectRejected(*from.store->Submit(r), CheckCode::kReservationNotOpen);
      ++duplicates;
    }
    int64_t in_flight = 0;
    for (const InFlight& t : completed) in_flight += t.quantity;
    ASSERT_EQ(LiveUnits(*store_, "MN") + LiveUnits(*receiver_, "MN") + in_flight, 100)
        << "step " << step;
  }
  // The run exercised what it claims: units went both ways, outcomes were repeated.
  EXPECT_GT(from_receiver, 0);
  EXPECT_GT(acquisitions - from_receiver, 0);
  EXPECT_GT(duplicates, 0);
  ExpectBothAuditsClean();
}

INSTANTIATE_TEST_SUITE_P(Stores, ExternalTransferTest, ::testing::ValuesIn(ConformanceStoreKinds()),
                         [](const ::testing::TestParamInfo<StoreKind>& param) {
                           return StoreKindName(param.param);
                         });

}  // namespace
}  // namespace jcm::store
