// Envelopes: the wire form round trips and keeps the signature valid; the gate refuses a
// stranger (800), a message for another registry (801), a changed byte (802) and a replayed or
// overtaken message (803), in that order; a malformed wire text is InvalidArgument.
#include "exchange/envelope.h"

#include <gtest/gtest.h>

namespace jcm::exchange {
namespace {

const core::RegistryCode kJapan = core::RegistryCode::FromTrusted("JP");
const core::RegistryCode kMongolia = core::RegistryCode::FromTrusted("MN");

class EnvelopeTest : public ::testing::Test {
 protected:
  Envelope Proposal(int64_t seq) {
    Envelope e{kJapan, kMongolia, seq, "JP-T-1", MessageKind::kProposal, "2026-11-30T10:00:00Z",
               {},     ""};
    e.body.Add("destination", "MN-200-000001").AddInt("units", 100);
    e.Sign(japan_);
    return e;
  }
  std::optional<Refusal> Gate(const Envelope& e, std::map<core::RegistryCode, int64_t> last = {}) {
    return CheckEnvelope(e, kMongolia, peers_, last);
  }

  core::Ed25519PrivateKey japan_ = core::Ed25519PrivateKey::Generate().value();
  std::map<core::RegistryCode, Peer> peers_ = {{kJapan, Peer{kJapan, japan_.PublicKey()}}};
};

TEST_F(EnvelopeTest, TheWireFormRoundTripsAndStillVerifies) {
  const Envelope sent = Proposal(7);
  auto received = Envelope::Parse(sent.Encode());
  ASSERT_TRUE(received.ok()) << received.status().message();
  EXPECT_EQ(received->SignedBytes(), sent.SignedBytes());
  EXPECT_EQ(received->body.Get("destination").value(), "MN-200-000001");
  EXPECT_FALSE(Gate(*received).has_value());
  EXPECT_EQ(Envelope::Parse("protocol=other\n").status().code(),
            core::StatusCode::kInvalidArgument);
  std::string no_signature = sent.Encode();
  no_signature.resize(no_signature.find("signature="));
  EXPECT_EQ(Envelope::Parse(no_signature).status().code(), core::StatusCode::kInvalidArgument);
}

TEST_F(EnvelopeTest, TheGateRefusesEachFaultWithItsCheck) {
  Envelope stranger = Proposal(1);
  const auto other = core::Ed25519PrivateKey::Generate().value();
  stranger.from = core::RegistryCode::FromTrusted("VN");
  stranger.Sign(other);
  EXPECT_EQ(Gate(stranger)->number(), 800);

  Envelope elsewhere = Proposal(1);
  elsewhere.to = core::RegistryCode::FromTrusted("TH");
  elsewhere.Sign(japan_);
  EXPECT_EQ(Gate(elsewhere)->number(), 801);

  Envelope changed = Proposal(1);
  changed.body = core::Record();
  changed.body.Add("destination", "MN-200-000002").AddInt("units", 100);
  EXPECT_EQ(Gate(changed)->number(), 802);
  Envelope forged = Proposal(1);
  forged.Sign(other);  // the right sender's name, another key
  EXPECT_EQ(Gate(forged)->number(), 802);

  EXPECT_EQ(Gate(Proposal(5), {{kJapan, 5}})->number(), 803);  // replayed
  EXPECT_EQ(Gate(Proposal(4), {{kJapan, 5}})->number(), 803);  // overtaken
  EXPECT_FALSE(Gate(Proposal(9), {{kJapan, 5}}).has_value());  // a gap is fine
  EXPECT_EQ(ExchangeCheckName(ExchangeCheck::kMessageReplayed), "message_replayed");
}

}  // namespace
}  // namespace jcm::exchange
