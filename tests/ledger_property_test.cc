// Property test: random operation sequences against a model that predicts every outcome — the
// exact check that rejects a command, or, when it is accepted, which serials end up in which
// account — with every invariant checked after every step, on every store of the conformance
// suite: in `make test` 10,000 sequences on the memory store, 2,000 on SQLite and 100 on
// PostgreSQL (SequencesToRun: environment variables raise or lower them), in four shards per
// store. Each step draws a command of any kind, valid or not: unknown and mistyped accounts,
// suspended accounts, accounts of another registry, overdrawn quantities, serial ranges that
// are not held, retirements of unauthorised units under either retirement policy.
//
// The model keeps one record per unit (serial → account, NDC authorisation): quantities are
// small, so it can follow the ledger's rule "lowest serials first" unit by unit, independently
// of the block algebra it checks.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <random>

#include "store/testing/ledger_fixture.h"

namespace jcm::store {
namespace {

using KindAndNumber = std::tuple<StoreKind, int>;

using ledger::CheckCode;
using Expected = std::optional<CheckCode>;  // nullopt: accepted

// The store and the shard (sequences shard, shard + kShards, …): the shards of one store are
// separate CTest cases, so `ctest -j` spreads them over the cores.
constexpr int kShards = 4;

class LedgerPropertyTest : public LedgerFixture,
                           public ::testing::WithParamInterface<KindAndNumber> {
 protected:
  LedgerPropertyTest() {
    UseStore(std::get<0>(GetParam()));
    // What is tested is the SQL and the adapter, not the disk: on tmpfs a commit's fsync is free,
    // so 10,000 fresh registries take seconds rather than half an hour.
    if (std::filesystem::is_directory("/dev/shm")) sqlite_directory_ = "/dev/shm";
  }

  struct Unit {
    std::string account;
    bool ndc = false;
  };
  struct Model {
    std::map<int64_t, Unit> units;         // MN serial → where it is (only MN ever issues)
    std::map<std::string, bool> open;      // alice, bob → open (false: suspended)
    bool mn_retirement_needs_ndc = false;  // MN's policy in this sequence
    int64_t next_serial = 1;
  };

  // 10,000 on the memory store (JCM_PROPERTY_SEQUENCES), 2,000 on SQLite
  // (JCM_PROPERTY_SEQUENCES_SQLITE) and 100 on PostgreSQL (JCM_PROPERTY_SEQUENCES_POSTGRES): a
  // fresh registry per sequence and an audit after every step cost about 40 ms on SQLite and
  // 250 ms on PostgreSQL, where every commit waits for an fsync (docs/testing.md).
  static int64_t SequencesToRun(StoreKind kind) {
    const char* variable = kind == StoreKind::kMemory   ? "JCM_PROPERTY_SEQUENCES"
                           : kind == StoreKind::kSqlite ? "JCM_PROPERTY_SEQUENCES_SQLITE"
                                                        : "JCM_PROPERTY_SEQUENCES_POSTGRES";
    const int64_t by_default = kind == StoreKind::kMemory   ? 10'000
                               : kind == StoreKind::kSqlite ? 2'000
                                                            : 100;
    const char* text = std::getenv(variable);
    return text ? std::max<int64_t>(1, std::atoll(text)) : by_default;
  }

  std::string PickAccount(std::mt19937_64& random) {
    switch (random() % 8) {
      case 0:
        return Mistyped(alice_);
      case 1:
        return Unknown();
      case 2:
        return vn_holder_;
      case 3:
        return retirement_;
      case 4:
      case 5:
        return bob_;
      default:
        return alice_;
    }
  }

  bool IsHolder(const std::string& a) const { return a == alice_ || a == bob_ || a == vn_holder_; }
  bool IsOpen(const Model& m, const std::string& a) const {
    return a == vn_holder_ || a == retirement_ || m.open.at(a);
  }
  static int64_t HeldIn(const Model& m, const std::string& account) {
    int64_t n = 0;
    for (const auto& [serial, unit] : m.units) n += unit.account == account;
    return n;
  }

  // Checks 7–10 on a source account (nullopt: passes).
  Expected SourceCheck(const Model& m, const std::string& from) const {
    if (from == Mistyped(alice_)) return CheckCode::kSourceAccountNumberInvalid;
    if (from == Unknown()) return CheckCode::kSourceAccountUnknown;
    if (!IsOpen(m, from)) return CheckCode::kSourceAccountNotOpen;
    if (from == retirement_) return CheckCode::kSourceAccountMayNotSend;
    return std::nullopt;
  }
  // Checks 11–14 on a destination of a transfer or issuance.
  Expected DestinationCheck(const Model& m, const std::string& to) const {
    if (to == Mistyped(alice_)) return CheckCode::kDestinationAccountNumberInvalid;
    if (to == Unknown()) return CheckCode::kDestinationAccountUnknown;
    if (!IsOpen(m, to)) return CheckCode::kDestinationAccountNotOpen;
    if (to == retirement_) return CheckCode::kDestinationAccountMayNotReceive;
    return std::nullopt;
  }

  // The serials a movement of `quantity` takes from `from`: the lowest, or the named range.
  static std::vector<int64_t> Taken(const Model& m, const std::string& from, int64_t quantity,
                                    std::optional<int64_t> first_named) {
    std::vector<int64_t> taken;
    for (const auto& [serial, unit] : m.units) {
      if (unit.account != from || static_cast<int64_t>(taken.size()) == quantity) continue;
      if (!first_named || (serial >= *first_named && serial < *first_named + quantity)) {
        taken.push_back(serial);
      }
    }
    return taken;
  }

  // Predicts a transfer, retirement or cancellation; on acceptance applies it to the model.
  Expected PredictMovement(Model& m, ledger::TransactionType type, const std::string& from,
                           const std::string& to, int64_t quantity,
                           std::optional<int64_t> first_named) {
    if (quantity <= 0) return CheckCode::kQuantityNotPositive;
    if (auto code = SourceCheck(m, from)) return code;
    std::string destination = to;
    if (type == ledger::TransactionType::kInternalTransfer) {
      if (auto code = DestinationCheck(m, to)) return code;
      if (from == to) return CheckCode::kSameAccount;
      if ((from == vn_holder_) != (to == vn_holder_)) return CheckCode::kDifferentRegistries;
    } else if (from == vn_holder_) {
      destination = "VN terminal account";  // VN never holds units: rejected below
    } else {
      destination = type == ledger::TransactionType::kRetirement ? retirement_ : "cancelled";
    }
    if (HeldIn(m, from) < quantity) return CheckCode::kUnitsInsufficient;
    const std::vector<int64_t> taken = Taken(m, from, quantity, first_named);
    if (static_cast<int64_t>(taken.size()) < quantity) return CheckCode::kSerialsNotHeld;
    if (type == ledger::TransactionType::kRetirement && m.mn_retirement_needs_ndc) {
      for (int64_t serial : taken) {
        if (!m.units[serial].ndc) return CheckCode::kUnitsNotAuthorised;
      }
    }
    for (int64_t serial : taken) m.units[serial].account = destination;
    return std::nullopt;
  }

  Expected PredictIssuance(Model& m, const std::string& to, int64_t quantity, bool ndc) {
    if (quantity <= 0) return CheckCode::kQuantityNotPositive;
    if (auto code = DestinationCheck(m, to)) return code;
    if (to == vn_holder_) return CheckCode::kDifferentRegistries;
    for (int64_t i = 0; i < quantity; ++i) m.units[m.next_serial++] = Unit{to, ndc};
    return std::nullopt;
  }

  static void ExpectOutcome(const Outcome& out, const Expected& expected, const std::string& what) {
    if (!expected) {
      EXPECT_FALSE(out.rejection) << what << ": rejected by " << out.rejection->message;
    } else if (!out.rejection) {
      ADD_FAILURE() << what << ": accepted, expected check " << static_cast<int>(*expected);
    } else {
      EXPECT_EQ(out.rejection->check, *expected) << what << ": " << out.rejection->message;
    }
  }

  // One random step; returns a description for failure messages.
  std::string Step(std::mt19937_64& random, Model& m) {
    const int64_t quantity = static_cast<int64_t>(random() % 30) - 2;  // includes 0 and negatives
    const std::string from = PickAccount(random), to = PickAccount(random);
    const std::string what = from + " → " + to + " " + std::to_string(quantity);
    switch (random() % 6) {
      case 0: {
        const bool ndc = random() % 2;
        const Expected expected = PredictIssuance(m, to, quantity, ndc);
        ExpectOutcome(
            Issue("MN00" + std::to_string(1 + random() % 2), "2021-01-01..2021-12-31",
                  {{to, quantity}},
                  ndc ? ledger::Authorization::kNdc : ledger::Authorization::kNone, false),
            expected, "issue " + what);
        return "issue " + what;
      }
      case 1: {
        const Expected expected =
            PredictMovement(m, ledger::TransactionType::kInternalTransfer, from, to, quantity, {});
        ExpectOutcome(Transfer(from, to, quantity), expected, "transfer " + what);
        return "transfer " + what;
      }
      case 2: {
        const Expected expected =
            PredictMovement(m, ledger::TransactionType::kRetirement, from, "", quantity, {});
        ExpectOutcome(Retire(from, quantity), expected, "retire " + what);
        return "retire " + what;
      }
      case 3: {
        const Expected expected =
            PredictMovement(m, ledger::TransactionType::kCancellation, from, "", quantity, {});
        ExpectOutcome(Cancel(from, quantity, "property test"), expected, "cancel " + what);
        return "cancel " + what;
      }
      case 4: {  // named serials near what `from` holds, sometimes partly not held
        if (quantity <= 0) return "skip";
        int64_t first = 1 + static_cast<int64_t>(random() % 3);
        for (const auto& [serial, unit] : m.units) {
          if (unit.account == from) {
            first = serial + static_cast<int64_t>(random() % 3);
            break;
          }
        }
        const std::string range =
            std::to_string(first) + ".." + std::to_string(first + quantity - 1);
        const Expected expected = PredictMovement(m, ledger::TransactionType::kInternalTransfer,
                                                  from, to, quantity, first);
        ExpectOutcome(Transfer(from, to, quantity, range), expected, "transfer " + range + what);
        return "transfer-serials " + range + " " + what;
      }
      default: {  // suspend or reopen
        if (from != alice_ && from != bob_) return "skip";
        const bool suspend = m.open[from];
        auto out = SetState(
            from, suspend ? ledger::AccountState::kSuspended : ledger::AccountState::kOpen);
        EXPECT_FALSE(out.rejection);
        m.open[from] = !suspend;
        return "state";
      }
    }
  }

  // Every account holds exactly the serials the model says, with their authorisation.
  void ExpectModelHolds(const Model& m) {
    for (const std::string& account : {alice_, bob_, vn_holder_, retirement_}) {
      std::map<int64_t, bool> held;
      const std::vector<ledger::UnitBlock> blocks = *store_->LiveBlocks(account);
      for (const ledger::UnitBlock& b : blocks) {
        for (int64_t s = b.serial_first; s <= b.serial_last(); ++s) {
          held[s] = ledger::AllowsNdcUse(b.authorization);
        }
      }
      std::map<int64_t, bool> expected;
      for (const auto& [serial, unit] : m.units) {
        if (unit.account == account) expected[serial] = unit.ndc;
      }
      EXPECT_EQ(held, expected) << account;
    }
  }
};

TEST_P(LedgerPropertyTest, RandomSequencesMatchTheModelAndKeepEveryInvariant) {
  const int64_t sequences = SequencesToRun(std::get<0>(GetParam()));
  for (int64_t sequence = std::get<1>(GetParam()); sequence < sequences; sequence += kShards) {
    std::mt19937_64 random(static_cast<uint64_t>(sequence));
    if (!use_memory_store_) Remove();  // a fresh registry: the memory store's is a new store
    Reopen();
    Populate();
    Model m;
    m.open[alice_] = m.open[bob_] = true;
    m.mn_retirement_needs_ndc = random() % 2;
    if (m.mn_retirement_needs_ndc) {
      ASSERT_FALSE(Must(ledger::SetRegistryPolicy{"MN", {true}, ""}).rejection);
    }
    const int steps = 1 + static_cast<int>(random() % 12);
    for (int step = 0; step < steps; ++step) {
      const std::string what = Step(random, m);
      const auto violations = AuditNow();
      ASSERT_TRUE(violations.empty())
          << "sequence " << sequence << " step " << step << " (" << what
          << "): " << violations[0].invariant << " " << violations[0].message;
      if (HasFailure()) FAIL() << "sequence " << sequence << " step " << step << " " << what;
    }
    ExpectModelHolds(m);
    if (HasFailure()) FAIL() << "sequence " << sequence;
  }
}

INSTANTIATE_TEST_SUITE_P(Stores, LedgerPropertyTest,
                         ::testing::Combine(::testing::ValuesIn(ConformanceStoreKinds()),
                                            ::testing::Range(0, kShards)),
                         StoreAndNumberName<::testing::TestParamInfo<KindAndNumber>>);

}  // namespace
}  // namespace jcm::store
