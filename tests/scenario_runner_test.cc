// Runs the ledger scenario files in tests/scenarios/*.scn (format: tests/scenarios/README.md)
// against every store — memory and SQLite, or PostgreSQL in the binary built for it
// (store/testing/store_kind.h) — and runs the full audit after each scenario.
// A scenario is a table of operations and their expected results, in the spirit of
// TigerBeetle's state-machine tests: adding a case is adding a line.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "core/account_number.h"
#include "store/testing/ledger_fixture.h"

namespace jcm::store {
namespace {

struct ScenarioParam {
  std::string path;
  StoreKind kind;
};

void PrintTo(const ScenarioParam& param, std::ostream* out) {
  *out << param.path << " (" << StoreKindName(param.kind) << " store)";
}

std::vector<ScenarioParam> AllScenarios() {
  std::vector<ScenarioParam> params;
  const char* root = std::getenv("JCM_SOURCE_DIR");
  const std::filesystem::path dir =
      std::filesystem::path(root ? root : ".") / "tests" / "scenarios";
  std::vector<std::string> files;
  if (std::filesystem::exists(dir)) {
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      if (entry.path().extension() == ".scn") files.push_back(entry.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    for (const StoreKind kind : ConformanceStoreKinds()) params.push_back({f, kind});
  }
  return params;
}

// Splits a line into words; "double quotes" group words and are removed.
std::vector<std::string> Words(const std::string& line) {
  std::vector<std::string> words;
  std::string current;
  bool quoted = false, any = false;
  for (char c : line) {
    if (c == '"') {
      quoted = !quoted;
      any = true;
    } else if (c == ' ' && !quoted) {
      if (any) words.push_back(current);
      current.clear();
      any = false;
    } else {
      current += c;
      any = true;
    }
  }
  if (any) words.push_back(current);
  return words;
}

class ScenarioTest : public LedgerFixture, public ::testing::WithParamInterface<ScenarioParam> {
 protected:
  ScenarioTest() { UseStore(GetParam().kind); }
  void SetUp() override {
    if (!use_memory_store_) Remove();
    Reopen();  // an empty store: scenarios declare their own registries and accounts
  }

  // Resolves an account name: a declared name, government:CC, retirement:CC, cancellation:CC,
  // mistyped:NAME (one digit changed), unknown:CC (well-formed, never opened), or a literal.
  std::string Resolve(const std::string& name) {
    const size_t colon = name.find(':');
    if (colon != std::string::npos) {
      const std::string kind = name.substr(0, colon), arg = name.substr(colon + 1);
      if (kind == "mistyped") return Mistyped(Resolve(arg));
      if (kind == "unknown") {
        return core::AccountNumber{core::RegistryCode::FromTrusted(arg), 121, 9'999'999}.ToString();
      }
      auto type = ledger::AccountTypeFromName(kind == "government" ? "government_holding" : kind);
      const auto accounts = store_->ListAccounts(arg);
      for (const auto& a : *accounts) {
        if (type && a.type == *type) return a.number;
      }
    }
    auto it = names_.find(name);
    return it == names_.end() ? name : it->second;
  }

  // Options of the form key=value after the positional words.
  static std::map<std::string, std::string> Options(const std::vector<std::string>& words,
                                                    size_t from) {
    std::map<std::string, std::string> options;
    for (size_t i = from; i < words.size(); ++i) {
      const size_t eq = words[i].find('=');
      if (eq != std::string::npos) options[words[i].substr(0, eq)] = words[i].substr(eq + 1);
    }
    return options;
  }

  static int64_t Int(const std::string& text) { return core::ParseInt64(text).value_or(-1); }

  // "issue …" or "import …" (README.md).
  ledger::TransactionRequest IssuanceCommand(const std::vector<std::string>& w) {
    ledger::TransactionRequest r;
    r.type = ledger::TransactionType::kIssuance;
    r.registry = w.at(1);
    r.project = w.at(2);
    r.period = w.at(3);
    for (size_t i = 4; i < w.size() && w[i].find('=') == std::string::npos; ++i) {
      const size_t colon = w[i].rfind(':');
      r.targets.push_back({Resolve(w[i].substr(0, colon)), Int(w[i].substr(colon + 1))});
    }
    auto options = Options(w, 4);
    r.authorization = ledger::AuthorizationFromName(
                          options.count("authorization") ? options["authorization"] : "none")
                          .value_or(ledger::Authorization::kNone);
    r.idempotency_key = options["key"];
    r.import_source = options["source"];
    r.import_line = options.count("line") ? Int(options["line"]) : 0;
    if (w[0] == "issue") {
      r.decision = options.count("decision") ? options["decision"] : ImplicitDecision(r);
    }
    return r;
  }

  // Runs one operation; returns "ok", "replayed" or the failed check's name.
  std::string Run(const std::vector<std::string>& w) {
    ledger::Command command;
    const std::string& verb = w[0];
    if (verb == "registry") {
      command = ledger::InitRegistry{w.at(1)};
    } else if (verb == "account") {
      auto options = Options(w, 4);
      auto type = ledger::AccountTypeFromName(options.count("type") ? options["type"] : "holding");
      command = ledger::OpenAccount{w.at(2),
                                    type.value_or(ledger::AccountType::kRetirement),
                                    {w.at(3), options["ja"], "", "", ""},
                                    options["key"]};
    } else if (verb == "issue" || verb == "import") {
      command = IssuanceCommand(w);
    } else if (verb == "decide") {
      auto options = Options(w, 5);
      ledger::JcDecision d;
      d.id = options["id"];
      d.registry = core::RegistryCode::FromTrusted(w.at(1));
      d.project = w.at(2);
      d.period = *core::Period::Parse(w.at(3));
      d.notified_tco2e = Int(w.at(4));
      command = ledger::RecordDecisions{{"cycle.test_decision", core::Record(), "", -1}, {d}};
    } else if (verb == "policy") {
      auto options = Options(w, 2);
      command = ledger::SetRegistryPolicy{
          w.at(1), ledger::RegistryPolicy{options["ndc_retirement_needs_authorization"] == "1"},
          options["key"]};
    } else if (verb == "transfer" || verb == "retire" || verb == "cancel") {
      ledger::TransactionRequest r;
      r.type = verb == "transfer" ? ledger::TransactionType::kInternalTransfer
               : verb == "retire" ? ledger::TransactionType::kRetirement
                                  : ledger::TransactionType::kCancellation;
      size_t next = 1;
      r.from = Resolve(w.at(next++));
      if (verb == "transfer") r.to = Resolve(w.at(next++));
      r.quantity = Int(w.at(next));
      auto options = Options(w, next + 1);
      r.serials = options["serials"];
      r.reason = options["reason"];
      r.beneficiary = options["beneficiary"];
      r.idempotency_key = options["key"];
      command = r;
    } else if (verb == "suspend" || verb == "reopen" || verb == "close") {
      command = ledger::ChangeAccountState{Resolve(w.at(1)),
                                           verb == "suspend"  ? ledger::AccountState::kSuspended
                                           : verb == "reopen" ? ledger::AccountState::kOpen
                                                              : ledger::AccountState::kClosed,
                                           "scenario", ""};
    } else {
      ADD_FAILURE() << "unknown operation '" << verb << "'";
      return "?";
    }
    auto outcome = store_->Submit(command);
    if (!outcome.ok()) return "error:" + outcome.status().ToString();
    if (outcome->rejection) return std::string(ledger::CheckName(outcome->rejection->check));
    if (verb == "account") names_[w.at(1)] = *outcome->entry.body.Get("account");
    return outcome->replayed ? "replayed" : "ok";
  }

  // "holdings NAME = N", "holder NAME = TEXT" and "blocks NAME = A..B C..D".
  void Assert(const std::vector<std::string>& w, const std::string& where) {
    const std::string account = Resolve(w.at(1));
    if (w[0] == "holdings") {
      EXPECT_EQ(Held(account), Int(w.at(3))) << where;
    } else if (w[0] == "holder") {
      auto found = store_->FindAccount(account);
      ASSERT_TRUE(found.ok() && *found) << where;
      std::string expected;
      for (size_t i = 3; i < w.size(); ++i) expected += (i > 3 ? " " : "") + w[i];
      EXPECT_EQ((*found)->holder.name, expected) << where;
    } else {
      std::string ranges;
      const auto blocks = store_->LiveBlocks(account);
      for (const auto& b : *blocks) {
        ranges += (ranges.empty() ? "" : " ") + std::to_string(b.serial_first) + ".." +
                  std::to_string(b.serial_last());
      }
      std::string expected;
      for (size_t i = 3; i < w.size(); ++i) expected += (i > 3 ? " " : "") + w[i];
      EXPECT_EQ(ranges, expected) << where;
    }
  }

  // An `issue` line without decision= executes a decision recorded for exactly its total just
  // before it (same line and key, same decision: so a keyed retry replays).
  std::string ImplicitDecision(const ledger::TransactionRequest& r) {
    int64_t total = 0;
    for (const ledger::IssuanceTarget& t : r.targets) total += t.quantity;
    const std::string id =
        r.project + ":" + r.period + "@scenario-" +
        (r.idempotency_key.empty() ? std::to_string(++implicit_decisions_) : r.idempotency_key);
    if (core::IsKnownRegistryCode(r.registry) && core::Period::Parse(r.period).ok() && total > 0 &&
        total <= ledger::kUnitsPerTransactionMax) {
      ledger::JcDecision d{id, core::RegistryCode::FromTrusted(r.registry), r.project,
                           *core::Period::Parse(r.period), total};
      auto recorded =  // rejected when the project reference is malformed or it is a retry
          store_->Submit(
              ledger::RecordDecisions{{"cycle.test_decision", core::Record(), "", -1}, {d}});
      EXPECT_TRUE(recorded.ok()) << recorded.status().ToString();
    }
    return id;
  }

  std::map<std::string, std::string> names_;
  int64_t implicit_decisions_ = 0;
};

TEST_P(ScenarioTest, RunsAsWritten) {
  std::ifstream file(GetParam().path);
  ASSERT_TRUE(file) << GetParam().path;
  std::string line;
  int line_number = 0;
  int operations = 0;
  while (std::getline(file, line)) {
    ++line_number;
    if (line.empty() || line[0] == '#') continue;
    const std::string where = GetParam().path + ":" + std::to_string(line_number);
    const size_t arrow = line.find(" -> ");
    const std::vector<std::string> words = Words(line.substr(0, arrow));
    if (words.empty()) continue;
    if (arrow == std::string::npos) {
      Assert(words, where);
      continue;
    }
    ++operations;
    EXPECT_EQ(Run(words), line.substr(arrow + 4)) << where << ": " << line;
  }
  EXPECT_GT(operations, 0) << "a scenario with no operations tests nothing";
  ExpectAuditClean();
}

std::string ParamName(const ::testing::TestParamInfo<ScenarioParam>& info) {
  std::string name =
      std::filesystem::path(info.param.path).stem().string() + "_" + StoreKindName(info.param.kind);
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Files, ScenarioTest, ::testing::ValuesIn(AllScenarios()), ParamName);

}  // namespace
}  // namespace jcm::store
