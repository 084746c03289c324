// Property test (issue 2 §7): random operation sequences against a simple model, every
// invariant checked after every step. At least 10,000 sequences run in `make test`
// (JCM_PROPERTY_SEQUENCES raises or lowers it). Each step draws a command of any kind — valid
// or not: unknown and mistyped accounts, suspended accounts, overdrawn quantities, serial
// ranges that are not held, retirements of unauthorised units — and the model predicts
// whether it is accepted and what every balance becomes.
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <random>

#include "store/testing/ledger_fixture.h"

namespace jcm::store {
namespace {

class LedgerPropertyTest : public LedgerFixture {
 protected:
  LedgerPropertyTest() { use_memory_store_ = true; }

  struct Model {
    std::map<std::string, int64_t> units;      // account → units held
    std::map<std::string, int64_t> ndc_units;  // account → units authorised for NDC use
    std::map<std::string, bool> open;          // account → open (false: suspended)
  };

  static int64_t SequencesToRun() {
    const char* text = std::getenv("JCM_PROPERTY_SEQUENCES");
    return text ? std::max<int64_t>(1, std::atoll(text)) : 10'000;
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

  // One random step; returns a description for failure messages.
  std::string Step(std::mt19937_64& random, Model& m) {
    const int64_t quantity = static_cast<int64_t>(random() % 30) - 2;  // includes 0 and negatives
    const std::string from = PickAccount(random), to = PickAccount(random);
    const bool movable = (from == alice_ || from == bob_) && m.open[from];
    switch (random() % 6) {
      case 0: {  // issuance into MN
        const bool ndc = random() % 2;
        auto out = Issue("MN00" + std::to_string(1 + random() % 2), "2021-01-01..2021-12-31",
                         {{to, quantity}},
                         ndc ? ledger::Authorization::kNdc : ledger::Authorization::kNone, false);
        const bool ok = quantity > 0 && (to == alice_ || to == bob_) && m.open[to];
        EXPECT_EQ(!out.rejection, ok) << "issue " << quantity << " to " << to;
        if (ok) {
          m.units[to] += quantity;
          if (ndc) m.ndc_units[to] += quantity;
        }
        return "issue";
      }
      case 1: {  // transfer by quantity
        auto out = Transfer(from, to, quantity);
        const bool ok = quantity > 0 && movable && (to == alice_ || to == bob_) && to != from &&
                        m.open[to] && m.units[from] >= quantity;
        EXPECT_EQ(!out.rejection, ok) << "transfer " << quantity << " " << from << "→" << to
                                      << (out.rejection ? ": " + out.rejection->message : "");
        if (ok) MoveModel(m, from, to, out);
        return "transfer";
      }
      case 2: {  // retirement: accepted only when every unit taken is NDC-authorised
        auto out = Retire(from, quantity);
        if (!out.rejection) {
          EXPECT_TRUE(movable && quantity > 0 && m.units[from] >= quantity);
          MoveModel(m, from, retirement_, out);
        } else {
          EXPECT_TRUE(!movable || quantity <= 0 || m.units[from] < quantity ||
                      out.rejection->check == ledger::CheckCode::kUnitsNotAuthorised)
              << out.rejection->message;
        }
        return "retire";
      }
      case 3: {  // cancellation
        auto out = Cancel(from, quantity, "property test");
        const bool ok = quantity > 0 && movable && m.units[from] >= quantity;
        EXPECT_EQ(!out.rejection, ok) << "cancel";
        if (ok) MoveModel(m, from, "", out);
        return "cancel";
      }
      case 4: {  // transfer of named serials, sometimes partly not held
        auto blocks = store_->LiveBlocks(from);
        if (!blocks.ok() || blocks->empty() || quantity <= 0) return "skip";
        const auto& b = (*blocks)[random() % blocks->size()];
        const int64_t first = b.serial_first + static_cast<int64_t>(random() % 3);
        auto out = Transfer(from, to, quantity,
                            std::to_string(first) + ".." + std::to_string(first + quantity - 1));
        if (!out.rejection) MoveModel(m, from, to, out);
        return "transfer-serials";
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

  // Applies an accepted movement to the model, using the blocks the store reports as created
  // (which units moved is the store's choice; how many and their authorisation are checked).
  void MoveModel(Model& m, const std::string& from, const std::string& to, const Outcome& out) {
    auto created = ledger::CreatedBlocks(out.entry);
    ASSERT_TRUE(created.ok());
    for (const auto& b : *created) {
      if (b.account == from) continue;  // remainder stays
      m.units[from] -= b.unit_count;
      if (ledger::AllowsNdcUse(b.authorization)) m.ndc_units[from] -= b.unit_count;
      if (!to.empty()) {
        m.units[to] += b.unit_count;
        if (ledger::AllowsNdcUse(b.authorization)) m.ndc_units[to] += b.unit_count;
      }
    }
  }

  void ExpectModelHolds(const Model& m) {
    for (const auto& [account, units] : m.units) {
      EXPECT_EQ(Held(account), units) << account;
    }
  }
};

TEST_F(LedgerPropertyTest, RandomSequencesKeepEveryInvariantAfterEveryStep) {
  const int64_t sequences = SequencesToRun();
  for (int64_t sequence = 0; sequence < sequences; ++sequence) {
    std::mt19937_64 random(static_cast<uint64_t>(sequence));
    Reopen();
    Populate();
    Model m;
    m.open[alice_] = m.open[bob_] = true;
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

}  // namespace
}  // namespace jcm::store
