// Peers: 804, 820–822 each on the value it names; the journal form round trips; a removed peer
// can be added again with another key; replaying a removal of an unknown peer is DataLoss.
#include "exchange/peers.h"

#include <gtest/gtest.h>

#include "core/text.h"

namespace jcm::exchange {
namespace {

const std::string kKey = std::string(64, 'a');

int CheckOf(const std::variant<PeerRecord, Refusal>& verdict) {
  const auto* refusal = std::get_if<Refusal>(&verdict);
  return refusal == nullptr ? 0 : refusal->number();
}

TEST(Peers, AddRemoveAndAddAgainThroughTheJournal) {
  PeerBook book;
  const std::vector<std::string> local = {"JP"};
  auto added = DecideAddPeer(book, local, {"MN", "https://registry.mn/jcm", kKey});
  ASSERT_EQ(CheckOf(added), 0);
  ASSERT_TRUE(book.Apply(kEventPeerAdded, std::get<PeerRecord>(added).ToRecord(), 5).ok());
  ASSERT_EQ(book.peers().size(), 1u);
  const PeerRecord& peer = book.peers().begin()->second;
  EXPECT_EQ(peer.url, "https://registry.mn/jcm");
  EXPECT_EQ(core::BytesToHex(peer.public_key), kKey);
  EXPECT_EQ(peer.added_seq, 5);
  EXPECT_EQ(book.GatePeers().at(peer.code).public_key, peer.public_key);

  EXPECT_EQ(CheckOf(DecideAddPeer(book, local, {"MN", "https://other", std::string(64, 'b')})),
            820);
  EXPECT_EQ(CheckOf(DecideAddPeer(book, local, {"VN", "https://vn", kKey})), 820);  // same key
  EXPECT_EQ(CheckOf(DecideAddPeer(book, local, {"JP", "https://jp", std::string(64, 'c')})), 821);
  EXPECT_EQ(CheckOf(DecideAddPeer(book, local, {"XX", "https://x", std::string(64, 'c')})), 804);
  EXPECT_EQ(CheckOf(DecideAddPeer(book, local, {"VN", "ftp://vn", std::string(64, 'c')})), 804);
  EXPECT_EQ(CheckOf(DecideAddPeer(book, local, {"VN", "https://", std::string(64, 'c')})), 804);
  EXPECT_EQ(CheckOf(DecideAddPeer(book, local, {"VN", "https://vn", "abcd"})), 804);

  auto removed = DecideRemovePeer(book, "MN", "key rotated");
  ASSERT_TRUE(std::holds_alternative<core::Record>(removed));
  ASSERT_TRUE(book.Apply(kEventPeerRemoved, std::get<core::Record>(removed), 6).ok());
  EXPECT_TRUE(book.peers().empty());
  EXPECT_EQ(std::get<Refusal>(DecideRemovePeer(book, "MN", "again")).number(), 822);
  auto rotated =
      DecideAddPeer(book, local, {"MN", "https://registry.mn/jcm", std::string(64, 'd')});
  EXPECT_EQ(CheckOf(rotated), 0);
  EXPECT_EQ(book.Apply(kEventPeerRemoved, std::get<core::Record>(removed), 7).code(),
            core::StatusCode::kDataLoss);
  EXPECT_TRUE(book.Apply("exchange.other", core::Record(), 8).ok());
  EXPECT_EQ(book.last_seq(), 8);
}

}  // namespace
}  // namespace jcm::exchange
