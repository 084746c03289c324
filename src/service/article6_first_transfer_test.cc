// The first-transfer rule as the services apply it (docs/article6.md, "First transfer"), on both
// stores: units citing a Party's NDC authorisation are first transferred when another Party's
// registry acquires them (issued there) and not in the authorising Party's own registry; OIMP
// units per their authorisation's definition — at authorisation, or at their retirement or
// cancellation (RegistryService::Move passes the authorisations to the ledger).
#include "service/article6_service.h"
#include "service/registry_service.h"
#include "service/service_fixture_test.h"

namespace jcm::service {
namespace {

using Article6FirstTransferTest = StoreTest;

constexpr const char* kPeriod = "2019-01-01..2019-12-31";

class FirstTransferFixture {
 public:
  explicit FirstTransferFixture(store::Store& store) : store_(store) {}

  void Setup() {
    for (const char* code : {"JP", "MN"}) {
      ASSERT_TRUE(store_.Submit(ledger::InitRegistry{code}).ok());
      ledger::OpenAccount open{
          code, ledger::AccountType::kEntityHolding, {"Holder", "", "", "", ""}, ""};
      auto opened = store_.Submit(open);
      ASSERT_TRUE(opened.ok());
      accounts_[code] = std::string(*opened->entry.body.Get("account"));
      ledger::JcDecision d;
      d.id = std::string("D-") + code;
      d.registry = core::RegistryCode::FromTrusted(code);
      d.project = "MN003";
      d.period = *core::Period::Parse(kPeriod);
      d.notified_tco2e = 1000;
      core::Record body;
      body.Add("decision", d.id);
      ASSERT_TRUE(
          store_.Submit(ledger::RecordDecisions{{"cycle.test_decision", body, "", -1}, {d}}).ok());
    }
    Add("MNG-NDC", "NDC", "");
    Add("MNG-AUTH", "OIMP", "Authorisation");
    Add("MNG-USE", "OIMP", "Use or Cancellation");
  }

  void Add(const std::string& id, const std::string& purposes, const std::string& first) {
    article6::AuthorisationRequest r;
    r.party = "MNG";
    r.id = id;
    r.date = core::Date::FromCivil(2026, 3, 1);
    r.cooperative_approach = "CA0004";
    r.sectors = {"Energy generation"};
    r.purposes = purposes;
    r.first_transfer = first;
    auto added = Article6Service(store_).AddAuthorisation(r);
    ASSERT_TRUE(added.ok()) << added.status().ToString();
    ASSERT_FALSE(IsRejected(*added));
  }

  // 10 units issued into `registry`'s holding account citing MNG/`id`: the blocks created.
  std::vector<ledger::UnitBlock> IssueCiting(const std::string& registry, const std::string& id) {
    ledger::TransactionRequest r;
    r.type = ledger::TransactionType::kIssuance;
    r.registry = registry;
    r.decision = "D-" + registry;
    r.targets = {{accounts_[registry], 10}};
    auto outcome = Article6Service(store_).IssueCiting(r, "MNG/" + id);
    EXPECT_TRUE(outcome.ok()) << outcome.status().ToString();
    if (!outcome.ok() || IsRejected(*outcome)) return {};
    return std::get<TransactionResult>(*outcome).blocks;
  }

  store::Store& store_;
  std::map<std::string, std::string> accounts_;
};

TEST_P(Article6FirstTransferTest, NdcUnitsAreFirstTransferredWhenAnotherPartyAcquiresThem) {
  FirstTransferFixture f(*store_);
  f.Setup();
  const auto japan = f.IssueCiting("JP", "MNG-NDC");
  ASSERT_EQ(japan.size(), 1u);
  EXPECT_TRUE(japan[0].first_transferred);
  EXPECT_EQ(japan[0].first_transferring_party, "MNG");
  EXPECT_EQ(japan[0].itmo_registry, "JPN01");
  const auto mongolia = f.IssueCiting("MN", "MNG-NDC");
  ASSERT_EQ(mongolia.size(), 1u);
  EXPECT_FALSE(mongolia[0].first_transferred);
  EXPECT_EQ(mongolia[0].first_transferring_party, "");
}

TEST_P(Article6FirstTransferTest, OimpUnitsFollowTheirAuthorisationsDefinition) {
  FirstTransferFixture f(*store_);
  f.Setup();
  const auto at_authorisation = f.IssueCiting("MN", "MNG-AUTH");
  ASSERT_EQ(at_authorisation.size(), 1u);
  EXPECT_TRUE(at_authorisation[0].first_transferred);
  const auto at_use = f.IssueCiting("MN", "MNG-USE");
  ASSERT_EQ(at_use.size(), 1u);
  EXPECT_FALSE(at_use[0].first_transferred);
  ledger::TransactionRequest retire;
  retire.type = ledger::TransactionType::kRetirement;
  retire.from = f.accounts_["MN"];
  retire.quantity = 4;
  retire.serials =
      std::to_string(at_use[0].serial_first) + ".." + std::to_string(at_use[0].serial_first + 3);
  auto retired = RegistryService(*store_).Move(retire);
  ASSERT_TRUE(retired.ok()) << retired.status().ToString();
  ASSERT_FALSE(IsRejected(*retired));
  const auto& blocks = std::get<TransactionResult>(*retired).blocks;
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_TRUE(blocks[0].first_transferred);
  EXPECT_EQ(blocks[0].first_transferring_party, "MNG");
  // The 6 left stay not first transferred.
  const auto held = *store_->LiveBlocks(f.accounts_["MN"]);
  for (const ledger::UnitBlock& b : held) {
    if (b.article6_authorisation == "MNG/MNG-USE") {
      EXPECT_FALSE(b.first_transferred);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Stores, Article6FirstTransferTest,
                         ::testing::Values(StoreKind::kMemory, StoreKind::kSqlite), StoreKindName);

}  // namespace
}  // namespace jcm::service
