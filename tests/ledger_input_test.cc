// The ledger's checks on the text it journals (check 6: at most 1,000 bytes of UTF-8, no control
// character in a name or key) and on the serial space (check 28), through both stores.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "ledger/jc_decision.h"
#include "ledger/serial_identifier.h"
#include "store/testing/ledger_fixture.h"

namespace jcm::store {
namespace {

using ledger::CheckCode;

class LedgerInputTest : public LedgerFixture, public ::testing::WithParamInterface<bool> {
 protected:
  LedgerInputTest() { use_memory_store_ = GetParam(); }

  Outcome Open(ledger::Holder holder, std::string key = "") {
    return Must(ledger::OpenAccount{"MN", ledger::AccountType::kEntityHolding, std::move(holder),
                                    std::move(key)});
  }
};

const std::string kTooLong(ledger::kTextFieldBytesMax + 1, 'x');

TEST_P(LedgerInputTest, HolderNamesHoldNoControlCharacters) {
  // A newline would forge a row of `jcm account list`.
  ExpectRejected(Open({"Mallory\nMN-121-0000009-00  holding  open  999999", "", "", "", ""}),
                 CheckCode::kDetailsInvalid);
  ExpectRejected(Open({"Tab\tName", "", "", "", ""}), CheckCode::kDetailsInvalid);
  ExpectRejected(Open({"Name", "名前\x1f", "", "", ""}), CheckCode::kDetailsInvalid);
  ExpectRejected(Open({"Name", "", "Rep\r", "", ""}), CheckCode::kDetailsInvalid);
  ExpectRejected(Open({"Caf\xe9", "", "", "", ""}), CheckCode::kDetailsInvalid);  // not UTF-8
  ExpectRejected(Open({"Name", "", "", "", kTooLong}), CheckCode::kDetailsInvalid);
  // A postal address may span lines; names may be any UTF-8 text.
  EXPECT_FALSE(
      Open({"Ulaanbaatar Нарны 🌞", "株式会社", "", "Street 1\nUlaanbaatar", ""}).rejection);
}

TEST_P(LedgerInputTest, KeysAndReasonsAreBounded) {
  ExpectRejected(Open({"Name", "", "", "", ""}, kTooLong), CheckCode::kDetailsInvalid);
  ExpectRejected(Open({"Name", "", "", "", ""}, "key\n1"), CheckCode::kDetailsInvalid);
  ExpectRejected(
      Must(ledger::ChangeAccountState{alice_, ledger::AccountState::kSuspended, kTooLong, ""}),
      CheckCode::kDetailsInvalid);
  ExpectRejected(
      Must(ledger::ChangeAccountState{alice_, ledger::AccountState::kSuspended, "r", kTooLong}),
      CheckCode::kDetailsInvalid);
  ExpectRejected(Must(TransferRequest(alice_, bob_, 1, "", kTooLong)), CheckCode::kDetailsInvalid);
  ExpectRejected(Must(ledger::SetRegistryPolicy{"MN", {true}, kTooLong}),
                 CheckCode::kDetailsInvalid);
  ledger::TransactionRequest cancel = TransferRequest(alice_, "", 1);
  cancel.type = ledger::TransactionType::kCancellation;
  cancel.reason = "Caf\xe9";
  ExpectRejected(Must(cancel), CheckCode::kDetailsInvalid);
  // Exactly the limit is accepted.
  EXPECT_FALSE(Must(ledger::ChangeAccountState{alice_, ledger::AccountState::kSuspended,
                                               std::string(ledger::kTextFieldBytesMax, 'r'),
                                               std::string(ledger::kTextFieldBytesMax, 'k')})
                   .rejection);
}

TEST_P(LedgerInputTest, ProjectReferencesArePartnerCodeAndThreeDigits) {
  for (const char* reference : {"XX003", "JP001", "MN0003", "MN000", "mn003", "MN03"}) {
    EXPECT_FALSE(ledger::IsProjectReference(reference)) << reference;
    ledger::TransactionRequest r;
    r.type = ledger::TransactionType::kIssuance;
    r.registry = "MN";
    r.project = reference;
    r.period = "2019-01-01..2019-12-31";
    r.targets = {{alice_, 1}};
    ExpectRejected(Must(r), CheckCode::kDetailsInvalid);
  }
  EXPECT_TRUE(ledger::IsProjectReference("MN003"));
  EXPECT_TRUE(ledger::IsProjectReference("ID999"));
}

INSTANTIATE_TEST_SUITE_P(Stores, LedgerInputTest, ::testing::Bool(),
                         [](const auto& param) { return param.param ? "memory" : "sqlite"; });

// Check 28: serials stay within 12 digits, so the identifiers of a project and vintage keep
// sorting in serial order as text. The counter is moved near the end with raw SQL (SQLite).
class SerialSpaceTest : public LedgerFixture {};

TEST_F(SerialSpaceTest, AnIssuancePastTheLastSerialIsRejected) {
  store_.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE registries SET next_serial = 999999999990 WHERE code = 'MN'",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  Reopen();
  const Outcome over = Issue("MN003", "2017-08-26..2018-05-31", {{alice_, 11}},
                             ledger::Authorization::kNdc, /*expect_ok=*/false);
  ExpectRejected(over, CheckCode::kSerialsExhausted);
  // One calendar year, so one block per destination.
  const Outcome last = Issue("MN003", "2018-01-01..2018-12-31", {{alice_, 4}, {bob_, 6}});
  ASSERT_FALSE(last.rejection);
  const auto blocks = *ledger::CreatedBlocks(last.entry);
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[1].serial_last(), ledger::kSerialMax);
  const std::string first = ledger::SerialIdentifier(blocks[0]);
  const std::string second = ledger::SerialIdentifier(blocks[1]);
  EXPECT_EQ(second, "JCM-JPMN.MN.MN.MN003.2018.999999999994-999999999999");
  EXPECT_LT(first, second);  // text order is serial order
  ExpectRejected(Issue("MN003", "2017-08-26..2018-05-31", {{alice_, 1}},
                       ledger::Authorization::kNdc, /*expect_ok=*/false),
                 CheckCode::kSerialsExhausted);
}

}  // namespace
}  // namespace jcm::store
