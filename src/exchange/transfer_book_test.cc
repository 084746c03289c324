// TransferBook: the journal's exchange.* events replayed into both machines' states, the outbox
// and the sequence numbers per peer; each contradiction a damaged journal could hold is DataLoss.
#include "exchange/transfer_book.h"

#include <gtest/gtest.h>

namespace jcm::exchange {
namespace {

const core::RegistryCode kMn = core::RegistryCode::FromTrusted("MN");
const core::RegistryCode kJp = core::RegistryCode::FromTrusted("JP");

core::Record Proposed(const std::string& transaction, int64_t deadline) {
  core::Record r;
  r.Add("transaction", transaction).Add("peer", "MN").Add("from", "JP-121-0000004-28");
  r.Add("to", "MN-121-0000004-11").AddInt("quantity", 30).AddInt("reservation", 17);
  r.AddInt("deadline", deadline);
  return r;
}
core::Record Queued(int64_t seq, const std::string& transaction, const std::string& kind) {
  core::Record r;
  r.Add("peer", "MN").AddInt("seq", seq).Add("transaction", transaction).Add("kind", kind);
  r.Add("wire", "protocol=jcm-exchange/1\n");
  return r;
}
// `queued`'s fields added to `event` as the message it queues ("queued.*").
void AddQueued(const core::Record& queued, core::Record* event) {
  for (const auto& [key, value] : queued.fields()) {
    event->Add(std::string(kQueuedPrefix) + key, value);
  }
}
core::Record Of(const std::string& transaction) {
  core::Record r;
  r.Add("transaction", transaction);
  return r;
}
core::Record Incoming(const std::string& transaction) {
  core::Record r;
  r.Add("peer", "MN").Add("transaction", transaction).Add("digest", "d1");
  return r;
}

TEST(TransferBook, ASendersTransferItsMessagesAndItsOutcome) {
  TransferBook book;
  EXPECT_EQ(book.NextTransactionId(kJp), "JP:1");
  ASSERT_TRUE(book.Apply(kEventTransferProposed, Proposed("JP:1", 1000), 3).ok());
  ASSERT_TRUE(book.Apply(kEventMessageQueued, Queued(1, "JP:1", "proposal"), 4).ok());
  EXPECT_EQ(book.NextTransactionId(kJp), "JP:2");
  EXPECT_EQ(book.NextSendSeq(kMn), 2);
  ASSERT_EQ(book.outbox().size(), 1u);
  EXPECT_EQ(book.outbox().begin()->second.kind, "proposal");
  const OutgoingRecord& record = book.outgoing().at("JP:1");
  EXPECT_EQ(record.machine.state, OutgoingState::kProposed);
  EXPECT_EQ(record.reservation, 17);
  EXPECT_EQ(record.quantity, 30);
  EXPECT_EQ(book.Overdue(1000), std::vector<std::string>());
  EXPECT_EQ(book.Overdue(1001), std::vector<std::string>{"JP:1"});
  ASSERT_TRUE(book.Apply(kEventMessageDelivered, Queued(1, "JP:1", "proposal"), 5).ok());
  EXPECT_TRUE(book.outbox().empty());
  core::Record answered = Of("JP:1");
  answered.Add("received.peer", "MN").AddInt("received.seq", 1);
  ASSERT_TRUE(book.Apply(kEventTransferCompleted, answered, 6).ok());
  EXPECT_EQ(book.outgoing().at("JP:1").machine.state, OutgoingState::kCompleted);
  EXPECT_EQ(book.last_received().at(kMn), 1);
  EXPECT_TRUE(book.Overdue(5000).empty());  // final: never overdue
  EXPECT_EQ(book.last_seq(), 6);
}

TEST(TransferBook, AReceiversTransferFromPendingToItsOutcome) {
  TransferBook book;
  core::Record pending = Incoming("MN:1");
  pending.Add("to", "JP-121-0000004-28")
      .AddInt("quantity", 30)
      .Add("block", "b1")
      .Add("block", "b2");
  ASSERT_TRUE(book.Apply(kEventIncomingPending, pending, 2).ok());
  const IncomingRecord& record = book.incoming().at({kMn, "MN:1"});
  EXPECT_EQ(record.machine.state, IncomingState::kPending);
  EXPECT_EQ(record.machine.proposal_digest, "d1");
  EXPECT_EQ(record.blocks, (std::vector<std::string>{"b1", "b2"}));
  ASSERT_TRUE(book.Apply(kEventIncomingTerminated, Incoming("MN:1"), 3).ok());
  EXPECT_EQ(book.incoming().at({kMn, "MN:1"}).machine.state, IncomingState::kTerminated);
  ASSERT_TRUE(book.Apply(kEventIncomingRejected, Incoming("MN:2"), 4).ok());
  EXPECT_EQ(book.incoming().at({kMn, "MN:2"}).machine.state, IncomingState::kRejected);
}

TEST(TransferBook, AStateChangeQueuesItsMessageInTheSameEvent) {
  TransferBook book;
  ASSERT_TRUE(book.Apply(kEventTransferProposed, Proposed("JP:1", 1000), 1).ok());
  ASSERT_TRUE(book.Apply(kEventMessageQueued, Queued(1, "JP:1", "proposal"), 2).ok());
  core::Record completed = Of("JP:1");
  completed.Add("received.peer", "MN").AddInt("received.seq", 1);
  AddQueued(Queued(2, "JP:1", "outcome"), &completed);
  ASSERT_TRUE(book.Apply(kEventTransferCompleted, completed, 3).ok());
  EXPECT_EQ(book.outgoing().at("JP:1").machine.state, OutgoingState::kCompleted);
  ASSERT_EQ(book.outbox().size(), 2u);
  EXPECT_EQ(book.outbox().at({kMn, 2}).kind, "outcome");
  EXPECT_EQ(book.NextSendSeq(kMn), 3);
  // Queued out of order in an event is the same contradiction as in message_queued.
  core::Record gap = Of("JP:1");
  AddQueued(Queued(5, "JP:1", "status"), &gap);
  EXPECT_FALSE(book.Apply("exchange.message_received", gap, 4).ok());
}

TEST(TransferBook, ContradictionsOfADamagedJournalAreDataLoss) {
  TransferBook book;
  ASSERT_TRUE(book.Apply(kEventTransferProposed, Proposed("JP:1", 1000), 1).ok());
  EXPECT_FALSE(book.Apply(kEventTransferProposed, Proposed("JP:1", 1000), 2).ok());
  EXPECT_FALSE(book.Apply(kEventTransferFailed, Of("JP:9"), 3).ok());  // never proposed
  ASSERT_TRUE(book.Apply(kEventTransferFailed, Of("JP:1"), 4).ok());
  EXPECT_FALSE(book.Apply(kEventTransferCompleted, Of("JP:1"), 5).ok());  // already final
  EXPECT_FALSE(book.Apply(kEventMessageQueued, Queued(2, "JP:1", "outcome"), 6).ok());  // gap
  EXPECT_FALSE(book.Apply(kEventMessageDelivered, Queued(1, "JP:1", "outcome"), 7).ok());
  EXPECT_FALSE(book.Apply(kEventIncomingCompleted, Incoming("MN:1"), 8).ok());  // not pending
  core::Record twice = Of("JP:1");
  twice.Add("received.peer", "MN").AddInt("received.seq", 4);
  core::Record replayed = Of("x");
  replayed.Add("received.peer", "MN").AddInt("received.seq", 4);
  ASSERT_TRUE(book.Apply("exchange.message_received", twice, 9).ok());
  EXPECT_FALSE(book.Apply("exchange.message_received", replayed, 10).ok());
  // Peer events and kinds the book does not know change nothing in it.
  EXPECT_TRUE(book.Apply("exchange.peer_added", core::Record(), 11).ok());
}

TEST(TransferBook, OneEventDeliversSeveralMessagesEachOnlyOnce) {
  TransferBook book;
  ASSERT_TRUE(book.Apply(kEventTransferProposed, Proposed("JP:1", 1000), 1).ok());
  for (int64_t seq = 1; seq <= 3; ++seq) {
    ASSERT_TRUE(book.Apply(kEventMessageQueued, Queued(seq, "JP:1", "status"), 1 + seq).ok());
  }
  core::Record two;
  two.Add("peer", "MN").Add("delivered", "1|0|status|JP:1").Add("delivered", "3|803|status|JP:1");
  ASSERT_TRUE(book.Apply(kEventMessagesDelivered, two, 5).ok());
  ASSERT_EQ(book.outbox().size(), 1u);
  EXPECT_EQ(book.outbox().begin()->first.second, 2);
  // Delivered again, or never queued: a damaged journal; a delivery of nothing too.
  core::Record again;
  again.Add("peer", "MN").Add("delivered", "2|0|status|JP:1").Add("delivered", "3|0|status|JP:1");
  EXPECT_FALSE(book.Apply(kEventMessagesDelivered, again, 6).ok());
  core::Record none;
  none.Add("peer", "MN");
  EXPECT_FALSE(book.Apply(kEventMessagesDelivered, none, 7).ok());
  core::Record no_seq;
  no_seq.Add("peer", "MN").Add("delivered", "x|0|status|JP:1");
  EXPECT_FALSE(book.Apply(kEventMessagesDelivered, no_seq, 8).ok());
}

}  // namespace
}  // namespace jcm::exchange
