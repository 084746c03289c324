#include "core/ed25519.h"

#include <gtest/gtest.h>

#include "core/text.h"

namespace jcm::core {
namespace {

// RFC 8032 §7.1, TEST 1: the secret key as PKCS#8 PEM, its public key and its signature of the
// empty message (Ed25519 signing is deterministic).
constexpr const char* kRfc8032Test1Pem =
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n"
    "-----END PRIVATE KEY-----\n";
constexpr const char* kRfc8032Test1Public =
    "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
constexpr const char* kRfc8032Test1Signature =
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b4"
    "6bd25bf5f0595bbe24655141438e7a100b";

TEST(Ed25519Test, MatchesRfc8032TestVector1) {
  Result<Ed25519PrivateKey> key = Ed25519PrivateKey::FromPem(kRfc8032Test1Pem);
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(BytesToHex(key->PublicKey()), kRfc8032Test1Public);
  EXPECT_EQ(BytesToHex(key->Sign("")), kRfc8032Test1Signature);
  EXPECT_TRUE(
      Ed25519Verify(*HexToBytes(kRfc8032Test1Public), "", *HexToBytes(kRfc8032Test1Signature)));
}

TEST(Ed25519Test, AGeneratedKeyRoundTripsThroughPemAndItsSignaturesVerifyOnlyForIt) {
  Result<Ed25519PrivateKey> key = Ed25519PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  Result<Ed25519PrivateKey> again = Ed25519PrivateKey::FromPem(key->ToPem());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->PublicKey(), key->PublicKey());
  const std::string signature = key->Sign("tree head");
  EXPECT_TRUE(Ed25519Verify(key->PublicKey(), "tree head", signature));
  EXPECT_FALSE(Ed25519Verify(key->PublicKey(), "tree heaD", signature));
  std::string flipped = signature;
  flipped[5] ^= 1;
  EXPECT_FALSE(Ed25519Verify(key->PublicKey(), "tree head", flipped));
  Result<Ed25519PrivateKey> other = Ed25519PrivateKey::Generate();
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->PublicKey(), key->PublicKey());
  EXPECT_FALSE(Ed25519Verify(other->PublicKey(), "tree head", signature));
  EXPECT_FALSE(Ed25519Verify("short", "tree head", signature));
  EXPECT_FALSE(Ed25519Verify(key->PublicKey(), "tree head", "short"));
}

TEST(Ed25519Test, SomethingElseIsNotAKey) {
  EXPECT_EQ(Ed25519PrivateKey::FromPem("hello").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(HexToBytes("abc").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(HexToBytes("zz").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(BytesToHex(*HexToBytes("00ff7A")), "00ff7a");
}

}  // namespace
}  // namespace jcm::core
