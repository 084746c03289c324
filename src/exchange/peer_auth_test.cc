// Who a peer is beyond its signature (peer_auth.h): a client certificate naming another registry
// than the one a request claims is 836, none at all is no refusal; a snapshot request signed by
// the peer verifies, and a stranger (800), another addressee (801), a time beyond the skew (837,
// either way) or any changed field (802) is refused, in that order.
#include "exchange/peer_auth.h"

#include <gtest/gtest.h>

namespace jcm::exchange {
namespace {

const core::RegistryCode kJapan = core::RegistryCode::FromTrusted("JP");
const core::RegistryCode kMongolia = core::RegistryCode::FromTrusted("MN");
const core::RegistryCode kThailand = core::RegistryCode::FromTrusted("TH");
constexpr int64_t kNowS = 1'796'083'200;  // 2026-12-01T00:00:00Z

TEST(PeerAuthTest, ACertificateMustNameTheRegistryTheRequestClaims) {
  EXPECT_FALSE(CheckCertificateNames(std::nullopt, kJapan).has_value());
  EXPECT_FALSE(CheckCertificateNames(std::string("JP"), kJapan).has_value());
  const auto other = CheckCertificateNames(std::string("MN"), kJapan);
  ASSERT_TRUE(other.has_value());
  EXPECT_EQ(other->number(), 836);
  EXPECT_EQ(other->name(), "client_certificate_not_peer");
  EXPECT_EQ(other->message, "the connection's client certificate names 'MN', not JP");
  const auto none = CheckCertificateNames(std::string(), kJapan);
  ASSERT_TRUE(none.has_value());
  EXPECT_EQ(none->number(), 836);
  // The code compared exactly: a certificate of "jp" or "JP " is not JP's.
  EXPECT_EQ(CheckCertificateNames(std::string("jp"), kJapan)->number(), 836);
  EXPECT_EQ(CheckCertificateNames(std::string("JP "), kJapan)->number(), 836);
}

class SnapshotRequestTest : public ::testing::Test {
 protected:
  SnapshotRequest Signed(int64_t at_s, const core::RegistryCode& to = kMongolia) {
    SnapshotRequest request{kJapan, to, at_s, ""};
    request.Sign(japan_);
    return request;
  }
  std::optional<uint16_t> Check(const SnapshotRequest& request) {
    auto refusal = CheckSnapshotRequest(request, kMongolia, peers_, kNowS);
    if (!refusal) return std::nullopt;
    return refusal->number();
  }

  core::Ed25519PrivateKey japan_ = core::Ed25519PrivateKey::Generate().value();
  std::map<core::RegistryCode, Peer> peers_ = {{kJapan, Peer{kJapan, japan_.PublicKey()}}};
};

TEST_F(SnapshotRequestTest, SignedByThePeerWithinTheSkewIsAccepted) {
  EXPECT_EQ(Check(Signed(kNowS)), std::nullopt);
  EXPECT_EQ(Check(Signed(kNowS - kSnapshotRequestSkewSeconds)), std::nullopt);
  EXPECT_EQ(Check(Signed(kNowS + kSnapshotRequestSkewSeconds)), std::nullopt);
  EXPECT_EQ(Signed(kNowS).SignedBytes(),
            "jcm-snapshot-request/1\nfrom=JP\nto=MN\nat=" + std::to_string(kNowS) + "\n");
}

TEST_F(SnapshotRequestTest, EachRefusalInItsOrder) {
  SnapshotRequest stranger = Signed(kNowS);
  stranger.from = kThailand;
  EXPECT_EQ(Check(stranger), 800);
  EXPECT_EQ(Check(Signed(kNowS, kThailand)), 801);
  EXPECT_EQ(Check(Signed(kNowS - kSnapshotRequestSkewSeconds - 1)), 837);
  EXPECT_EQ(Check(Signed(kNowS + kSnapshotRequestSkewSeconds + 1)), 837);
  // Signed at one time, sent with another: the signature covers the time.
  SnapshotRequest moved = Signed(kNowS);
  moved.at_s += 1;
  EXPECT_EQ(Check(moved), 802);
  // Signed by another key than the peer's.
  SnapshotRequest forged{kJapan, kMongolia, kNowS, ""};
  forged.Sign(core::Ed25519PrivateKey::Generate().value());
  EXPECT_EQ(Check(forged), 802);
  SnapshotRequest unsigned_request{kJapan, kMongolia, kNowS, ""};
  EXPECT_EQ(Check(unsigned_request), 802);
}

}  // namespace
}  // namespace jcm::exchange
