// Co-signing of tree heads (service/log_witness.h) over the SQLite store, the one that keeps
// heads: witnesses named once (440), a co-signature kept only from a named witness (441), over the
// head stored for its size (442), when it verifies (443), once per witness and size; the witness
// co-signs only a head of the registry's key (444) that extends the last one it co-signed (445).
#include "service/log_witness.h"

#include <algorithm>

#include "core/text.h"
#include "service/audit_service.h"
#include "service/service_fixture_test.h"

namespace jcm::service {
namespace {

class LogWitnessTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_TRUE(store_->Submit(ledger::InitRegistry{"MN"}).ok());
  }
  SignedTreeHead Head(const std::string& now = "2026-11-30T09:00:00Z") {
    return PublishTreeHead(*store_, registry_, now).value();
  }
  std::string Hex(const core::Ed25519PrivateKey& key) { return core::BytesToHex(key.PublicKey()); }
  // The witness's co-signature of `head` (no earlier head).
  Cosignature Cosign(const SignedTreeHead& head) {
    auto cosigned = CosignHead(head, Hex(registry_), std::nullopt, {}, witness_);
    EXPECT_TRUE(cosigned.ok() && std::holds_alternative<Cosignature>(*cosigned));
    return std::get<Cosignature>(*cosigned);
  }
  template <typename T>
  int CheckOf(const core::Result<OrRejection<T>>& outcome) {
    if (!outcome.ok() || !IsRejected(*outcome)) return 0;
    return std::get<Rejection>(*outcome).check;
  }
  core::Ed25519PrivateKey registry_ = core::Ed25519PrivateKey::Generate().value();
  core::Ed25519PrivateKey witness_ = core::Ed25519PrivateKey::Generate().value();
};

TEST_P(LogWitnessTest, AWitnessIsNamedOnceAndJournaled) {
  auto added = AddWitness(*store_, "partner MN", Hex(witness_), "operator");
  ASSERT_TRUE(added.ok() && !IsRejected(*added));
  EXPECT_EQ(store_->ReadJournal(1).value().back().kind, kWitnessAddedKind);
  EXPECT_EQ(CheckOf(AddWitness(*store_, "partner MN", std::string(64, 'a'), "operator")), 440);
  EXPECT_EQ(CheckOf(AddWitness(*store_, "other", Hex(witness_), "operator")), 440);
  EXPECT_EQ(AddWitness(*store_, "bad key", "abc", "operator").status().code(),
            core::StatusCode::kInvalidArgument);
  EXPECT_EQ(ListWitnesses(*store_).value().size(), 1u);
}

TEST_P(LogWitnessTest, ACosignatureIsKeptOnlyFromANamedWitnessOverTheStoredHeadWhenItVerifies) {
  const SignedTreeHead head = Head();
  const Cosignature cosignature = Cosign(head);
  EXPECT_EQ(CheckOf(AcceptCosignature(*store_, cosignature)), 441);
  ASSERT_TRUE(AddWitness(*store_, "partner MN", Hex(witness_), "operator").ok());
  Cosignature forged = cosignature;
  forged.cosignature = core::BytesToHex(registry_.Sign(head.signed_message));
  Cosignature other_head = cosignature;
  other_head.head.timestamp = "2000-01-01T00:00:00Z";
  if (GetParam() == StoreKind::kSqlite) {
    EXPECT_EQ(CheckOf(AcceptCosignature(*store_, forged)), 443);
    EXPECT_EQ(CheckOf(AcceptCosignature(*store_, other_head)), 442);
    auto kept = AcceptCosignature(*store_, cosignature);
    ASSERT_TRUE(kept.ok() && !IsRejected(*kept));
    const auto& accepted = std::get<AcceptedCosignature>(*kept);
    EXPECT_EQ(accepted.witness, "partner MN");
    EXPECT_FALSE(accepted.replayed);
    auto again = AcceptCosignature(*store_, cosignature);
    ASSERT_TRUE(again.ok() && !IsRejected(*again));
    EXPECT_TRUE(std::get<AcceptedCosignature>(*again).replayed);
    EXPECT_EQ(std::get<AcceptedCosignature>(*again).seq, accepted.seq);
    auto latest = LatestCosignedHead(*store_);
    ASSERT_TRUE(latest.ok() && latest->has_value());
    EXPECT_EQ((*latest)->head.tree_size, head.tree_size);
    ASSERT_EQ((*latest)->cosignatures.size(), 1u);
    EXPECT_TRUE(CosignatureVerifies((*latest)->head, Hex(witness_),
                                    (*latest)->cosignatures[0].cosignature.cosignature));
  } else {
    // The memory store keeps no heads: no head is the registry's, so nothing is kept.
    EXPECT_EQ(CheckOf(AcceptCosignature(*store_, cosignature)), 442);
  }
}

TEST_P(LogWitnessTest, AWitnessCosignsOnlyAHeadThatExtendsTheLastOne) {
  const SignedTreeHead first = Head();
  const auto stranger = core::Ed25519PrivateKey::Generate().value();
  EXPECT_EQ(CheckOf(CosignHead(first, Hex(stranger), std::nullopt, {}, witness_)), 444);
  SignedTreeHead altered = first;
  altered.tree_size += 1;  // the message no longer states its fields
  EXPECT_EQ(CheckOf(CosignHead(altered, Hex(registry_), std::nullopt, {}, witness_)), 444);
  ASSERT_TRUE(AddWitness(*store_, "partner MN", Hex(witness_), "operator").ok());
  const SignedTreeHead second = Head("2026-11-30T10:00:00Z");
  ASSERT_GT(second.tree_size, first.tree_size);
  auto proof = ProveConsistency(*store_, first.tree_size, second.tree_size).value().proof;
  auto extended = CosignHead(second, Hex(registry_), first, proof, witness_);
  ASSERT_TRUE(extended.ok() && !IsRejected(*extended));
  EXPECT_TRUE(
      CosignatureVerifies(second, Hex(witness_), std::get<Cosignature>(*extended).cosignature));
  // Without the proof, backwards, or from a head of another log: refused.
  EXPECT_EQ(CheckOf(CosignHead(second, Hex(registry_), first, {}, witness_)), 445);
  EXPECT_EQ(CheckOf(CosignHead(first, Hex(registry_), second, {}, witness_)), 445);
  SignedTreeHead other_log = first;
  other_log.root_hash = std::string(64, '0');
  EXPECT_EQ(CheckOf(CosignHead(second, Hex(registry_), other_log, proof, witness_)), 445);
}

TEST_P(LogWitnessTest, TheAuditRechecksEveryKeptCosignatureAndNamesOneWrittenAroundTheChecks) {
  if (GetParam() != StoreKind::kSqlite) GTEST_SKIP() << "only the SQLite store keeps heads";
  const SignedTreeHead head = Head();
  ASSERT_TRUE(AddWitness(*store_, "partner MN", Hex(witness_), "operator").ok());
  ASSERT_FALSE(IsRejected(AcceptCosignature(*store_, Cosign(head)).value()));
  const auto clean = AuditAll(*store_).value();
  EXPECT_TRUE(std::none_of(clean.violations.begin(), clean.violations.end(),
                           [](const ledger::Violation& v) { return v.invariant == "INV-32"; }));
  // A co-signature journaled without AcceptCosignature: the registry's key signed it, not the
  // witness's (what check 443 refuses).
  core::Record body;
  body.Add("witness", "partner MN")
      .Add("witness_key", Hex(witness_))
      .AddInt("tree_size", head.tree_size)
      .Add("root_hash", head.root_hash)
      .Add("timestamp", head.timestamp)
      .Add("public_key", head.public_key)
      .Add("signature", head.signature)
      .Add("cosignature", core::BytesToHex(registry_.Sign(head.signed_message)));
  auto forged = store_->Submit(ledger::AppendEvent{std::string(kCosignedKind), body, "", -1});
  ASSERT_TRUE(forged.ok() && !forged->rejection);
  const auto audit = AuditAll(*store_).value();
  ASSERT_EQ(std::count_if(audit.violations.begin(), audit.violations.end(),
                          [](const ledger::Violation& v) { return v.invariant == "INV-32"; }),
            1);
  const auto it = std::find_if(audit.violations.begin(), audit.violations.end(),
                               [](const ledger::Violation& v) { return v.invariant == "INV-32"; });
  EXPECT_EQ(it->seq, forged->entry.seq);
  EXPECT_NE(it->message.find("cosignature_invalid"), std::string::npos) << it->message;
}

TEST_P(LogWitnessTest, ARemovedWitnessIsRefusedFromThenOnAndItsEarlierCosignaturesStayValid) {
  EXPECT_EQ(CheckOf(RemoveWitness(*store_, "partner MN", "key retired", "operator")), 446);
  ASSERT_TRUE(AddWitness(*store_, "partner MN", Hex(witness_), "operator").ok());
  EXPECT_EQ(RemoveWitness(*store_, "partner MN", "", "operator").status().code(),
            core::StatusCode::kInvalidArgument);
  const bool keeps_heads = GetParam() == StoreKind::kSqlite;
  const SignedTreeHead first = Head();
  if (keeps_heads) {
    ASSERT_FALSE(IsRejected(AcceptCosignature(*store_, Cosign(first)).value()));
  }
  auto removed = RemoveWitness(*store_, "partner MN", "key retired", "operator");
  ASSERT_TRUE(removed.ok() && !IsRejected(*removed));
  EXPECT_EQ(store_->ReadJournal(1).value().back().kind, kWitnessRemovedKind);
  EXPECT_EQ(std::get<Witness>(*removed).removal_reason, "key retired");
  EXPECT_TRUE(ListWitnesses(*store_).value().empty());
  EXPECT_EQ(CheckOf(RemoveWitness(*store_, "partner MN", "again", "operator")), 446);
  // A later head co-signed with the removed key: no configured witness's (441).
  const SignedTreeHead second = Head("2026-11-30T10:00:00Z");
  EXPECT_EQ(CheckOf(AcceptCosignature(*store_, Cosign(second))), 441);
  if (keeps_heads) {
    // The co-signature kept while it was configured still passes the audit (INV-32).
    const auto audit = AuditAll(*store_).value();
    EXPECT_TRUE(std::none_of(audit.violations.begin(), audit.violations.end(),
                             [](const ledger::Violation& v) { return v.invariant == "INV-32"; }));
    EXPECT_EQ(LatestCosignedHead(*store_).value()->head.tree_size, first.tree_size);
  }
  // The name and key may be configured again; the new witness is accepted from then on.
  auto again = AddWitness(*store_, "partner MN", Hex(witness_), "operator");
  ASSERT_TRUE(again.ok() && !IsRejected(*again));
  ASSERT_EQ(ListWitnesses(*store_).value().size(), 1u);
  EXPECT_EQ(ListWitnesses(*store_).value()[0].seq, std::get<Witness>(*again).seq);
}

INSTANTIATE_TEST_SUITE_P(Stores, LogWitnessTest,
                         ::testing::Values(StoreKind::kMemory, StoreKind::kSqlite), StoreKindName);

}  // namespace
}  // namespace jcm::service
