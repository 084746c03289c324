// init, account, issue, transfer, retire, cancel, holdings: argv → ledger commands → store.
#include <ostream>
#include <sstream>

#include "cli/commands.h"
#include "cli/common/args.h"
#include "cli/output.h"
#include "core/record.h"

namespace jcm::cli {
namespace {

namespace json = boost::json;

// Opens the store named by --db; on failure reports and returns nullptr.
std::unique_ptr<store::Store> OpenStore(const Args& args, bool as_json, Environment& env,
                                        int* exit_code) {
  auto path = args.Require("db");
  if (!path.ok()) {
    *exit_code = ReportError(path.status(), as_json, env);
    return nullptr;
  }
  auto opened = env.open_store(*path);
  if (!opened.ok()) {
    *exit_code = ReportError(opened.status(), as_json, env);
    return nullptr;
  }
  return std::move(opened).value();
}

int Submit(store::Store& store, const ledger::Command& command, bool as_json, Environment& env) {
  auto outcome = store.Submit(command);
  if (!outcome.ok()) return ReportError(outcome.status(), as_json, env);
  return ReportOutcome(*outcome, as_json, env);
}

std::vector<std::string> SplitComma(const std::string& text) {
  std::vector<std::string> parts;
  std::stringstream stream(text);
  for (std::string part; std::getline(stream, part, ',');) {
    if (!part.empty()) parts.push_back(part);
  }
  return parts;
}

int AccountOpen(const Args& args, store::Store& store, bool as_json, Environment& env) {
  auto registry = args.Require("registry");
  auto name = args.Require("holder-name");
  if (!registry.ok()) return ReportError(registry.status(), as_json, env);
  if (!name.ok()) return ReportError(name.status(), as_json, env);
  const auto type = ledger::AccountTypeFromName(args.Get("type").value_or("holding"));
  if (!type) {
    return ReportError(core::InvalidArgument("--type is holding or government_holding"), as_json,
                       env);
  }
  ledger::OpenAccount open{
      *registry, *type,
      ledger::Holder{*name, args.Get("holder-name-ja").value_or(""),
                     args.Get("representative").value_or(""), args.Get("address").value_or(""),
                     args.Get("contact").value_or("")},
      args.Get("key").value_or("")};
  auto outcome = store.Submit(open);
  if (!outcome.ok()) return ReportError(outcome.status(), as_json, env);
  if (outcome->rejection) return ReportOutcome(*outcome, as_json, env);
  const std::string number(outcome->entry.body.Find("account").value_or(""));
  if (as_json) {
    auto account = store.FindAccount(number);
    if (!account.ok() || !*account)
      return ReportError(core::Internal("account vanished"), true, env);
    PrintJson(json::object{{"account", AccountJson(**account)}}, env.out);
  } else {
    env.out << "opened account " << number << "\n";
  }
  return kExitOk;
}

int AccountList(const Args& args, store::Store& store, bool as_json, Environment& env) {
  auto accounts = store.ListAccounts(args.Get("registry"));
  if (!accounts.ok()) return ReportError(accounts.status(), as_json, env);
  json::array rows;
  for (const ledger::Account& a : *accounts) {
    auto blocks = store.LiveBlocks(a.number);
    if (!blocks.ok()) return ReportError(blocks.status(), as_json, env);
    int64_t total = 0;
    for (const auto& b : *blocks) total += b.unit_count;
    json::object row = AccountJson(a);
    row["total"] = total;
    if (!as_json) {
      env.out << a.number << "  " << ledger::AccountTypeName(a.type) << "  "
              << ledger::AccountStateName(a.state) << "  " << total << "  " << a.holder.name
              << "\n";
    }
    rows.push_back(std::move(row));
  }
  if (as_json) PrintJson(rows, env.out);
  return kExitOk;
}

int AccountState(const Args& args, store::Store& store, ledger::AccountState state, bool as_json,
                 Environment& env) {
  auto account = args.Require("account");
  if (!account.ok()) return ReportError(account.status(), as_json, env);
  return Submit(store,
                ledger::ChangeAccountState{*account, state, args.Get("reason").value_or(""),
                                           args.Get("key").value_or("")},
                as_json, env);
}

}  // namespace

int RunInit(std::span<const std::string_view> argv, Environment& env) {
  auto args = Args::Parse(argv, {"db", "registries"});
  if (!args.ok()) return ReportError(args.status(), false, env);
  const bool as_json = args->Has("json");
  int exit_code = kExitOk;
  auto store = OpenStore(*args, as_json, env, &exit_code);
  if (!store) return exit_code;
  auto existing = store->ListRegistries();
  if (!existing.ok()) return ReportError(existing.status(), as_json, env);
  json::array created;
  for (const std::string& code : SplitComma(args->Get("registries").value_or("JP,MN"))) {
    if (std::find(existing->begin(), existing->end(), code) != existing->end()) continue;
    auto outcome = store->Submit(ledger::InitRegistry{code});
    if (!outcome.ok()) return ReportError(outcome.status(), as_json, env);
    if (outcome->rejection) return ReportOutcome(*outcome, as_json, env);
    created.push_back(json::value(code));
    if (!as_json) env.out << "initialised registry " << code << "\n";
  }
  if (as_json) PrintJson(json::object{{"initialised", std::move(created)}}, env.out);
  return kExitOk;
}

int RunAccount(std::span<const std::string_view> argv, Environment& env) {
  if (argv.empty())
    return ReportError(core::InvalidArgument("account open|list|suspend|reopen|close"), false, env);
  auto args = Args::Parse(
      argv.subspan(1), {"db", "registry", "type", "holder-name", "holder-name-ja", "representative",
                        "address", "contact", "key", "account", "reason"});
  if (!args.ok()) return ReportError(args.status(), false, env);
  const bool as_json = args->Has("json");
  int exit_code = kExitOk;
  auto store = OpenStore(*args, as_json, env, &exit_code);
  if (!store) return exit_code;
  const std::string_view verb = argv[0];
  if (verb == "open") return AccountOpen(*args, *store, as_json, env);
  if (verb == "list") return AccountList(*args, *store, as_json, env);
  if (verb == "suspend")
    return AccountState(*args, *store, ledger::AccountState::kSuspended, as_json, env);
  if (verb == "reopen")
    return AccountState(*args, *store, ledger::AccountState::kOpen, as_json, env);
  if (verb == "close")
    return AccountState(*args, *store, ledger::AccountState::kClosed, as_json, env);
  return ReportError(core::InvalidArgument("unknown account command '" + std::string(verb) + "'"),
                     as_json, env);
}

int RunIssue(std::span<const std::string_view> argv, Environment& env) {
  auto args = Args::Parse(
      argv, {"db", "registry", "project", "period", "to", "authorization", "decision", "key"});
  if (!args.ok()) return ReportError(args.status(), false, env);
  const bool as_json = args->Has("json");
  ledger::TransactionRequest r;
  r.type = ledger::TransactionType::kIssuance;
  r.registry = args->Get("registry").value_or("");
  r.project = args->Get("project").value_or("");
  r.period = args->Get("period").value_or("");
  r.decision = args->Get("decision").value_or("");
  r.idempotency_key = args->Get("key").value_or("");
  const auto authorization =
      ledger::AuthorizationFromName(args->Get("authorization").value_or("none"));
  if (!authorization) {
    return ReportError(core::InvalidArgument("--authorization is none, ndc, oimp or ndc+oimp"),
                       as_json, env);
  }
  r.authorization = *authorization;
  for (const std::string& target : args->GetAll("to")) {
    const size_t colon = target.rfind(':');
    auto quantity = core::ParseInt64(colon == std::string::npos ? "" : target.substr(colon + 1));
    if (!quantity) {
      return ReportError(core::InvalidArgument("--to is ACCOUNT:QUANTITY, got '" + target + "'"),
                         as_json, env);
    }
    r.targets.push_back({target.substr(0, colon), *quantity});
  }
  int exit_code = kExitOk;
  auto store = OpenStore(*args, as_json, env, &exit_code);
  if (!store) return exit_code;
  return Submit(*store, r, as_json, env);
}

int RunMovement(std::string_view verb, std::span<const std::string_view> argv, Environment& env) {
  auto args = Args::Parse(
      argv, {"db", "from", "to", "quantity", "serials", "beneficiary", "reason", "key"});
  if (!args.ok()) return ReportError(args.status(), false, env);
  const bool as_json = args->Has("json");
  ledger::TransactionRequest r;
  r.type = verb == "transfer" ? ledger::TransactionType::kInternalTransfer
           : verb == "retire" ? ledger::TransactionType::kRetirement
                              : ledger::TransactionType::kCancellation;
  r.from = args->Get("from").value_or("");
  r.to = args->Get("to").value_or("");
  auto quantity = args->RequireInt("quantity");
  if (!quantity.ok()) return ReportError(quantity.status(), as_json, env);
  r.quantity = *quantity;
  r.serials = args->Get("serials").value_or("");
  r.beneficiary = args->Get("beneficiary").value_or("");
  r.reason = args->Get("reason").value_or("");
  r.idempotency_key = args->Get("key").value_or("");
  int exit_code = kExitOk;
  auto store = OpenStore(*args, as_json, env, &exit_code);
  if (!store) return exit_code;
  return Submit(*store, r, as_json, env);
}

int RunHoldings(std::span<const std::string_view> argv, Environment& env) {
  auto args = Args::Parse(argv, {"db", "account"});
  if (!args.ok()) return ReportError(args.status(), false, env);
  const bool as_json = args->Has("json");
  auto account = args->Require("account");
  if (!account.ok()) return ReportError(account.status(), as_json, env);
  int exit_code = kExitOk;
  auto store = OpenStore(*args, as_json, env, &exit_code);
  if (!store) return exit_code;
  auto found = store->FindAccount(*account);
  if (!found.ok()) return ReportError(found.status(), as_json, env);
  if (!*found) return ReportError(core::NotFound("no account " + *account), as_json, env);
  auto blocks = store->LiveBlocks(*account);
  if (!blocks.ok()) return ReportError(blocks.status(), as_json, env);
  json::array rows;
  int64_t total = 0;
  for (const ledger::UnitBlock& b : *blocks) {
    rows.push_back(BlockJson(b));
    total += b.unit_count;
  }
  if (as_json) {
    PrintJson(json::object{{"account", *account},
                           {"type", ledger::AccountTypeName((*found)->type)},
                           {"total", total},
                           {"blocks", std::move(rows)}},
              env.out);
  } else {
    env.out << *account << " holds " << total << " units in " << rows.size() << " blocks\n";
    for (const auto& row : rows) {
      const auto& o = row.as_object();
      env.out << "  " << o.at("identifier").as_string().c_str() << "  "
              << o.at("quantity").as_int64() << "  " << o.at("authorization").as_string().c_str()
              << "\n";
    }
  }
  return kExitOk;
}

}  // namespace jcm::cli
