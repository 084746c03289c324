// init, account, issue, transfer, retire, cancel, holdings: argv → RegistryService → printer.
#include <algorithm>
#include <ostream>
#include <sstream>

#include "cli/commands.h"
#include "core/record.h"
#include "ledger/serial_identifier.h"
#include "service/article6_service.h"
#include "service/json/ledger_json.h"
#include "service/registry_service.h"

namespace jcm::cli {
namespace {

namespace sj = service::json;

// "JP, MN" → {"JP", "MN"}: spaces around a code are not part of it.
std::vector<std::string> SplitComma(const std::string& text) {
  std::vector<std::string> parts;
  std::stringstream stream(text);
  for (std::string part; std::getline(stream, part, ',');) {
    const size_t first = part.find_first_not_of(' ');
    if (first == std::string::npos) continue;
    parts.push_back(part.substr(first, part.find_last_not_of(' ') - first + 1));
  }
  return parts;
}

void TransactionText(const service::TransactionResult& t, std::ostream& out) {
  out << t.type << " " << t.seq << (t.replayed ? " (already committed)" : "") << ": " << t.quantity
      << " units\n";
  for (const ledger::UnitBlock& b : t.blocks) {
    out << "  " << ledger::SerialIdentifier(b) << "  " << b.account << "\n";
  }
}

void PrintTransaction(CommandRun& run,
                      const service::OrRejection<service::TransactionResult>& outcome) {
  run.print.Outcome(outcome, sj::TransactionJson, TransactionText);
}

core::Status Init(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run, store::OpenMode::kCreate));
  service::RegistryService registry(*store);
  JCM_ASSIGN_OR_RETURN(auto outcome, registry.InitRegistries(
                                         SplitComma(run.args.Get("registries").value_or("JP,MN"))));
  run.print.Outcome(outcome, sj::InitJson, [](const service::InitResult& r, std::ostream& out) {
    for (const std::string& code : r.initialised) out << "initialised registry " << code << "\n";
  });
  return core::OkStatus();
}

core::Status AccountOpen(CommandRun& run) {
  const Args& a = run.args;
  JCM_ASSIGN_OR_RETURN(std::string registry_code, a.Require("registry"));
  JCM_ASSIGN_OR_RETURN(std::string name, a.Require("holder-name"));
  const auto type = ledger::AccountTypeFromName(a.Get("type").value_or("holding"));
  if (!type) return core::InvalidArgument("--type is holding or government_holding");
  const ledger::OpenAccount open{
      registry_code, *type,
      ledger::Holder{name, a.Get("holder-name-ja").value_or(""),
                     a.Get("representative").value_or(""), a.Get("address").value_or(""),
                     a.Get("contact").value_or("")},
      a.Get("key").value_or("")};
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run));
  service::RegistryService registry(*store);
  JCM_ASSIGN_OR_RETURN(auto outcome, registry.OpenAccount(open));
  run.print.Outcome(outcome, sj::AccountOpenedJson,
                    [](const service::AccountOpened& opened, std::ostream& out) {
                      out << "opened account " << opened.account.number
                          << (opened.replayed ? " (already opened)" : "") << "\n";
                    });
  return core::OkStatus();
}

core::Status AccountList(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run, store::OpenMode::kReadOnly));
  service::RegistryService registry(*store);
  JCM_ASSIGN_OR_RETURN(auto accounts, registry.ListAccounts(run.args.Get("registry")));
  run.print.Json(sj::AccountListJson(accounts));
  if (run.print.json()) return core::OkStatus();
  for (const service::AccountBalance& b : accounts) {
    const ledger::Account& a = b.account;
    run.print.out() << a.number << "  " << ledger::AccountTypeName(a.type) << "  "
                    << ledger::AccountStateName(a.state) << "  " << b.units << "  " << a.holder.name
                    << "\n";
  }
  return core::OkStatus();
}

core::Status ChangeState(CommandRun& run, ledger::AccountState state) {
  JCM_ASSIGN_OR_RETURN(std::string account, run.args.Require("account"));
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run));
  service::RegistryService registry(*store);
  JCM_ASSIGN_OR_RETURN(auto outcome, registry.ChangeAccountState(ledger::ChangeAccountState{
                                         account, state, run.args.Get("reason").value_or(""),
                                         run.args.Get("key").value_or("")}));
  PrintTransaction(run, outcome);
  return core::OkStatus();
}

core::Result<std::vector<ledger::IssuanceTarget>> IssuanceTargets(const Args& args) {
  std::vector<ledger::IssuanceTarget> targets;
  for (const std::string& target : args.GetAll("to")) {
    const size_t colon = target.rfind(':');
    auto quantity = core::ParseInt64(colon == std::string::npos ? "" : target.substr(colon + 1));
    if (!quantity) return core::InvalidArgument("--to is ACCOUNT:QUANTITY, got '" + target + "'");
    targets.push_back({target.substr(0, colon), *quantity});
  }
  return targets;
}

core::Status Issue(CommandRun& run) {
  const Args& a = run.args;
  ledger::TransactionRequest r;
  r.type = ledger::TransactionType::kIssuance;
  r.registry = a.Get("registry").value_or("");
  r.project = a.Get("project").value_or("");
  r.period = a.Get("period").value_or("");
  r.decision = a.Get("decision").value_or("");
  r.import_source = a.Get("import-source").value_or("");
  JCM_ASSIGN_OR_RETURN(r.import_line, a.RequireInt("import-line", 0));
  r.idempotency_key = a.Get("key").value_or("");
  const auto authorization = ledger::AuthorizationFromName(a.Get("authorization").value_or("none"));
  if (!authorization)
    return core::InvalidArgument("--authorization is none, ndc, oimp or ndc+oimp");
  if (a.Has("authorization") && a.Has("authorisation")) {
    return core::InvalidArgument(
        "--authorisation PARTY/ID sets the units' authorisation; leave out --authorization");
  }
  r.authorization = *authorization;
  JCM_ASSIGN_OR_RETURN(r.targets, IssuanceTargets(a));
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run));
  core::Result<service::OrRejection<service::TransactionResult>> outcome =
      a.Has("authorisation")
          ? service::Article6Service(*store).IssueCiting(r, *a.Get("authorisation"))
          : service::RegistryService(*store).Issue(r);
  JCM_RETURN_IF_ERROR(outcome.status());
  PrintTransaction(run, *outcome);
  return core::OkStatus();
}

core::Status Move(CommandRun& run, ledger::TransactionType type) {
  const Args& a = run.args;
  ledger::TransactionRequest r;
  r.type = type;
  r.from = a.Get("from").value_or("");
  r.to = a.Get("to").value_or("");
  JCM_ASSIGN_OR_RETURN(r.quantity, a.RequireInt("quantity"));
  r.serials = a.Get("serials").value_or("");
  r.beneficiary = a.Get("beneficiary").value_or("");
  r.reason = a.Get("reason").value_or("");
  if (a.Has("use-year")) {
    JCM_ASSIGN_OR_RETURN(r.use_year, a.RequireInt("use-year"));
  }
  r.cancellation_purpose = a.Get("purpose").value_or("");
  r.idempotency_key = a.Get("key").value_or("");
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run));
  service::RegistryService registry(*store);
  JCM_ASSIGN_OR_RETURN(auto outcome, registry.Move(r));
  PrintTransaction(run, outcome);
  return core::OkStatus();
}

core::Status Decisions(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run, store::OpenMode::kReadOnly));
  service::RegistryService registry(*store);
  JCM_ASSIGN_OR_RETURN(std::vector<ledger::JcDecision> decisions,
                       registry.Decisions(run.args.Get("registry")));
  run.print.Json(sj::DecisionsJson(decisions));
  if (run.print.json()) return core::OkStatus();
  for (const ledger::JcDecision& d : decisions) {
    run.print.out() << d.registry.str() << "  " << d.id << "  notified " << d.notified_tco2e
                    << ", issued " << d.executed_tco2e << "\n";
  }
  return core::OkStatus();
}

core::Status Policy(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(std::string code, run.args.Require("registry"));
  JCM_ASSIGN_OR_RETURN(std::string needs, run.args.Require("retirement-needs-ndc-authorization"));
  if (needs != "yes" && needs != "no") {
    return core::InvalidArgument("--retirement-needs-ndc-authorization is yes or no");
  }
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run));
  service::RegistryService registry(*store);
  JCM_ASSIGN_OR_RETURN(auto outcome, registry.SetPolicy(ledger::SetRegistryPolicy{
                                         code, ledger::RegistryPolicy{needs == "yes"},
                                         run.args.Get("key").value_or("")}));
  PrintTransaction(run, outcome);
  return core::OkStatus();
}

core::Status Holdings(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(std::string account, run.args.Require("account"));
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run, store::OpenMode::kReadOnly));
  service::RegistryService registry(*store);
  JCM_ASSIGN_OR_RETURN(service::Holdings holdings, registry.GetHoldings(account));
  run.print.Json(sj::HoldingsJson(holdings));
  if (run.print.json()) return core::OkStatus();
  run.print.out() << account << " holds " << holdings.units << " units in "
                  << holdings.blocks.size() << " blocks\n";
  for (const ledger::UnitBlock& b : holdings.blocks) {
    run.print.out() << "  " << ledger::SerialIdentifier(b) << "  " << b.unit_count << "  "
                    << ledger::AuthorizationName(b.authorization) << "\n";
  }
  return core::OkStatus();
}

constexpr std::string_view kRegistry = "registry";

const CommandSpec kLedgerCommands[] = {
    {"init",
     kRegistry,
     "create the registries (JP and partners) and their government accounts",
     "jcm init --db FILE [--registries JP,MN,…] [--json]\n"
     "  Creates the database (migrating its schema) and each registry not yet present, with\n"
     "  its government holding, retirement and cancellation accounts. Default: JP,MN.\n",
     {"db", "registries"},
     {},
     Init},
    {"account open",
     kRegistry,
     "open | list | suspend | reopen | close accounts",
     "jcm account open --db FILE --registry CC [--type holding|government_holding]\n"
     "                 --holder-name \"…\" [--holder-name-ja \"…\"] [--representative \"…\"]\n"
     "                 [--address \"…\"] [--contact \"…\"] [--key K] [--json]\n",
     {"db", "registry", "type", "holder-name", "holder-name-ja", "representative", "address",
      "contact", "key"},
     {},
     AccountOpen},
    {"account list",
     kRegistry,
     "",
     "jcm account list --db FILE [--registry CC] [--json]\n",
     {"db", "registry"},
     {},
     AccountList},
    {"account suspend",
     kRegistry,
     "",
     "jcm account suspend|reopen|close --db FILE --account ACCOUNT [--reason \"…\"] [--key K]\n"
     "                 [--json]\n"
     "  Account numbers are CC-TTT-NNNNNNN-KK with ISO 7064 check digits: a typo is rejected.\n",
     {"db", "account", "reason", "key"},
     {},
     [](CommandRun& run) { return ChangeState(run, ledger::AccountState::kSuspended); }},
    {"account reopen",
     kRegistry,
     "",
     "",
     {"db", "account", "reason", "key"},
     {},
     [](CommandRun& run) { return ChangeState(run, ledger::AccountState::kOpen); }},
    {"account close",
     kRegistry,
     "",
     "",
     {"db", "account", "reason", "key"},
     {},
     [](CommandRun& run) { return ChangeState(run, ledger::AccountState::kClosed); }},
    {"issue",
     kRegistry,
     "issue units into holding accounts of one registry",
     "jcm issue --db FILE --registry CC --decision ID --to ACCOUNT:QTY [--to ACCOUNT:QTY …]\n"
     "          [--project REF --period START..END] [--authorization none|ndc|oimp|ndc+oimp]\n"
     "          [--authorisation PARTY/ID] [--import-source FILE --import-line N] [--key K]\n"
     "          [--json]\n"
     "  Executes a Joint Committee decision recorded for CC (jcm registry decisions): one block\n"
     "  of new consecutive serials per --to, in open holding accounts of CC; project, period and\n"
     "  vintage come from the decision, and CC never issues more than it notified (checks\n"
     "  24-26). Only the import of a historical record may go without a decision, naming its\n"
     "  evidence (--import-source, --import-line); its units are flagged imported.\n",
     {"db", "registry", "project", "period", "to...", "authorization", "authorisation", "decision",
      "import-source", "import-line", "key"},
     {},
     Issue},
    {"transfer",
     kRegistry,
     "move units between holding accounts of one registry",
     "jcm transfer --db FILE --from ACCOUNT --to ACCOUNT --quantity N [--serials FIRST..LAST]\n"
     "             [--key K] [--json]\n"
     "  Without --serials the lowest serials go first. Both accounts in one registry.\n",
     {"db", "from", "to", "quantity", "serials", "key"},
     {},
     [](CommandRun& run) { return Move(run, ledger::TransactionType::kInternalTransfer); }},
    {"retire",
     kRegistry,
     "move units into the retirement account (use toward the NDC)",
     "jcm retire --db FILE --from ACCOUNT --quantity N [--serials FIRST..LAST]\n"
     "           [--beneficiary \"…\"] [--use-year YYYY] [--key K] [--json]\n"
     "  Into the registry's retirement account; only units authorised for NDC use.\n"
     "  Units authorised for NDC use are used toward the NDC of --use-year (default: this\n"
     "  year; not before their vintage).\n",
     {"db", "from", "quantity", "serials", "beneficiary", "use-year", "key"},
     {},
     [](CommandRun& run) { return Move(run, ledger::TransactionType::kRetirement); }},
    {"cancel",
     kRegistry,
     "move units into the cancellation account",
     "jcm cancel --db FILE --from ACCOUNT --quantity N [--serials FIRST..LAST] --reason \"…\"\n"
     "           [--purpose omge|voluntary|other] [--key K] [--json]\n"
     "  --purpose: to deliver OMGE, voluntary, or other (the default; --reason says which).\n",
     {"db", "from", "quantity", "serials", "reason", "purpose", "key"},
     {},
     [](CommandRun& run) { return Move(run, ledger::TransactionType::kCancellation); }},
    {"registry decisions",
     kRegistry,
     "decisions: the JC decisions recorded for a registry, issued and pending",
     "jcm registry decisions --db FILE [--registry CC] [--json]\n"
     "  Each recorded Joint Committee issuance decision with the amount it notified to the\n"
     "  registry and the amount issued under it so far.\n",
     {"db", "registry"},
     {},
     Decisions},
    {"registry policy",
     kRegistry,
     "policy: set a registry's retirement rule",
     "jcm registry policy --db FILE --registry CC --retirement-needs-ndc-authorization yes|no\n"
     "                    [--key K] [--json]\n"
     "  Whether retirement (use toward the NDC) takes only units authorised for NDC use: Japan's\n"
     "  statute, JP's default; a partner registry follows it only when set (docs/checks.md).\n",
     {"db", "registry", "retirement-needs-ndc-authorization", "key"},
     {},
     Policy},
    {"holdings",
     kRegistry,
     "the blocks an account holds",
     "jcm holdings --db FILE --account ACCOUNT [--json]\n",
     {"db", "account"},
     {},
     Holdings},
};

}  // namespace

std::span<const CommandSpec> LedgerCommands() { return kLedgerCommands; }

}  // namespace jcm::cli
