#include "service/public_reports.h"

#include <algorithm>
#include <array>
#include <map>

#include "core/registry_code.h"
#include "service/flows.h"
#include "service/retirements.h"

namespace jcm::service {
namespace {

using ledger::AccountType;

// The four Kyoto account types in the summary's column order. The exchange's transit account
// (units reserved by external transfers in flight at the year's end) has the last column, after
// the external flows, so that the columns before them keep their places.
constexpr std::array<AccountType, 4> kHeldTypes = {
    AccountType::kGovernmentHolding, AccountType::kEntityHolding, AccountType::kRetirement,
    AccountType::kCancellation};

// What every report reads: the ledger's tables and its transaction entries, one state.
struct Facts {
  ledger::StoredState state;
  std::vector<ledger::JournalEntry> transactions;
  std::map<int64_t, std::string> time_of;  // transaction seq → FlowTimeOf
  std::map<std::string, ledger::Account> account_of;
};

core::Result<Facts> ReadFacts(store::Store& store) {
  Facts facts;
  JCM_ASSIGN_OR_RETURN(facts.state, store.ReadState());
  JCM_ASSIGN_OR_RETURN(facts.transactions, store.ReadJournal(1, "transaction"));
  for (const ledger::JournalEntry& entry : facts.transactions) {
    facts.time_of[entry.seq] = FlowTimeOf(entry);
  }
  for (const ledger::Account& account : facts.state.accounts) {
    facts.account_of[account.number] = account;
  }
  return facts;
}

// The calendar year of a journal time or date ("2026-…"); 0 when it has none.
int YearOf(std::string_view time) {
  int year = 0;
  for (size_t i = 0; i < 4 && i < time.size(); ++i) {
    if (time[i] < '0' || time[i] > '9') return 0;
    year = year * 10 + (time[i] - '0');
  }
  return year;
}

core::Result<int> YearOfSeq(const Facts& facts, int64_t seq) {
  const auto it = facts.time_of.find(seq);
  if (it == facts.time_of.end() || YearOf(it->second) == 0) {
    return core::DataLoss("block names journal entry " + std::to_string(seq) +
                          ", which is not a dated transaction");
  }
  return YearOf(it->second);
}

bool Keeps(const PublicReportRequest& request, std::string_view registry, int year) {
  return (!request.registry || *request.registry == registry) &&
         (!request.year || *request.year == year);
}

// One registry's year: the flows and the holdings at its end.
struct YearRow {
  int64_t issued = 0, transferred = 0, retired = 0, cancelled = 0;
  int64_t acquired = 0;     // external acquisitions: units that arrived from another registry
  int64_t sent_abroad = 0;  // external completions: units that left for another registry
  std::map<AccountType, int64_t> held;
};
using YearRows = std::map<std::string, std::map<int, YearRow>>;  // registry → year → row

core::Status AddFlows(const Facts& facts, YearRows& rows) {
  for (const ledger::JournalEntry& entry : facts.transactions) {
    const std::string_view type = entry.body.Find("type").value_or("");
    // An article6_authorisation moves no unit between accounts; an external transfer moves
    // them into the transit account and its release out again, both inside the registry.
    if (type != "issuance" && type != "transfer" && type != "retirement" &&
        type != "cancellation" && type != "external_acquisition" && type != "external_completion") {
      continue;
    }
    JCM_ASSIGN_OR_RETURN(std::string registry, entry.body.Get("registry"));
    JCM_ASSIGN_OR_RETURN(int64_t quantity, entry.body.GetInt("quantity"));
    YearRow& row = rows[registry][YearOf(facts.time_of.at(entry.seq))];
    if (type == "issuance") row.issued += quantity;
    if (type == "transfer") row.transferred += quantity;
    if (type == "retirement") row.retired += quantity;
    if (type == "cancellation") row.cancelled += quantity;
    if (type == "external_acquisition") row.acquired += quantity;
    if (type == "external_completion") row.sent_abroad += quantity;
  }
  // Every year from a registry's first to its last is a row, quiet years too.
  for (auto& [registry, years] : rows) {
    for (int year = years.begin()->first; year < years.rbegin()->first; ++year) years[year];
  }
  return core::OkStatus();
}

// A block counts as held at the end of each year from the one that created it to the one before
// the one that ended it, in the registry of the account holding it: since external transfers,
// a registry holds other registries' serials (block.registry is the serials' origin).
core::Status AddHoldings(const Facts& facts, YearRows& rows) {
  for (const ledger::UnitBlock& block : facts.state.blocks) {
    JCM_ASSIGN_OR_RETURN(const int created, YearOfSeq(facts, block.created_seq));
    int ended = INT32_MAX;
    if (!block.live()) {
      JCM_ASSIGN_OR_RETURN(ended, YearOfSeq(facts, block.ended_seq));
    }
    const auto account = facts.account_of.find(block.account);
    if (account == facts.account_of.end()) {
      return core::DataLoss("block " + std::to_string(block.id) + " is held by a missing account");
    }
    auto& years = rows[account->second.registry.str()];
    for (auto it = years.lower_bound(created); it != years.end() && it->first < ended; ++it) {
      it->second.held[account->second.type] += block.unit_count;
    }
  }
  return core::OkStatus();
}

core::Result<std::vector<Table>> AnnualSummary(const Facts& facts,
                                               const PublicReportRequest& request) {
  YearRows rows;
  JCM_RETURN_IF_ERROR(AddFlows(facts, rows));
  JCM_RETURN_IF_ERROR(AddHoldings(facts, rows));
  Table table{"Annual Transactions Summary",
              {"registry", "year", "issued_tco2e", "transferred_tco2e", "retired_tco2e",
               "cancelled_tco2e", "held_government_holding_tco2e", "held_entity_holding_tco2e",
               "held_retirement_tco2e", "held_cancellation_tco2e", "acquired_tco2e",
               "sent_abroad_tco2e", "held_exchange_transit_tco2e"},
              {}};
  for (const auto& [registry, years] : rows) {
    for (const auto& [year, row] : years) {
      if (!Keeps(request, registry, year)) continue;
      std::vector<Cell> cells = {registry,        int64_t{year}, row.issued,
                                 row.transferred, row.retired,   row.cancelled};
      const auto held_of = [&row](AccountType type) {
        const auto held = row.held.find(type);
        return held == row.held.end() ? int64_t{0} : held->second;
      };
      for (const AccountType type : kHeldTypes) cells.emplace_back(held_of(type));
      cells.emplace_back(row.acquired);
      cells.emplace_back(row.sent_abroad);
      cells.emplace_back(held_of(AccountType::kExchangeTransit));
      table.rows.push_back(std::move(cells));
    }
  }
  return std::vector<Table>{std::move(table)};
}

core::Result<std::vector<Table>> EntityAccounts(store::Store& store, const Facts& facts,
                                                const PublicReportRequest& request) {
  JCM_ASSIGN_OR_RETURN(std::vector<ledger::JournalEntry> opened,
                       store.ReadJournal(1, "account.open"));
  std::map<std::string, std::string> opened_on;
  for (const ledger::JournalEntry& entry : opened) {
    opened_on[std::string(entry.body.Find("account").value_or(""))] = entry.time.substr(0, 10);
  }
  Table table{"Entity holding accounts",
              {"registry", "account", "holder_name", "holder_name_ja", "type", "state", "opened"},
              {}};
  for (const ledger::Account& account : facts.state.accounts) {
    if (account.type != AccountType::kEntityHolding) continue;
    const std::string opened_date = opened_on[account.number];
    if (!Keeps(request, account.registry.str(), YearOf(opened_date))) continue;
    table.rows.push_back({account.registry.str(), account.number, account.holder.name,
                          account.holder.name_ja,
                          std::string(ledger::AccountTypeName(account.type)),
                          std::string(ledger::AccountStateName(account.state)), opened_date});
  }
  return std::vector<Table>{std::move(table)};
}

std::string TypeOfAccount(const Facts& facts, const std::string& number) {
  const auto it = facts.account_of.find(number);
  return it == facts.account_of.end() ? "" : std::string(ledger::AccountTypeName(it->second.type));
}

core::Result<std::vector<Table>> Issuances(const Facts& facts, const PublicReportRequest& request) {
  std::map<int64_t, const ledger::JournalEntry*> entry_of;
  for (const ledger::JournalEntry& entry : facts.transactions) entry_of[entry.seq] = &entry;
  Table table{"Issuances",
              {"registry", "transaction", "date", "project", "monitoring_period", "serial_first",
               "serial_last", "units", "account_type", "authorization", "article6_authorisation",
               "decision"},
              {}};
  for (const ledger::UnitBlock& block : facts.state.blocks) {
    if (block.parent_id != 0) continue;
    const auto entry = entry_of.find(block.created_seq);
    if (entry == entry_of.end()) return core::DataLoss("a block without its transaction");
    // An external acquisition's blocks have no parent here either: they were issued abroad.
    if (entry->second->body.Find("type").value_or("") != "issuance") continue;
    const std::string date = facts.time_of.at(block.created_seq).substr(0, 10);
    if (!Keeps(request, block.registry.str(), YearOf(date))) continue;
    const ledger::JournalEntry& e = *entry->second;
    std::string decision(e.body.Find("decision").value_or(""));
    if (decision.empty()) decision = std::string(e.body.Find("import_source").value_or(""));
    table.rows.push_back({block.registry.str(), block.created_seq, date, block.project,
                          block.monitoring_period.ToString(), block.serial_first,
                          block.serial_last(), block.unit_count,
                          TypeOfAccount(facts, block.account),
                          std::string(ledger::AuthorizationName(block.authorization)),
                          block.article6_authorisation, decision});
  }
  std::stable_sort(table.rows.begin(), table.rows.end(), [](const auto& a, const auto& b) {
    return std::tie(std::get<std::string>(a[0]), std::get<int64_t>(a[5])) <
           std::tie(std::get<std::string>(b[0]), std::get<int64_t>(b[5]));
  });
  return std::vector<Table>{std::move(table)};
}

core::Result<std::vector<Table>> Retirements(const Facts& facts,
                                             const PublicReportRequest& request) {
  Table table{"Retirements",
              {"registry", "transaction", "date", "project", "monitoring_period", "serial_first",
               "serial_last", "units", "account_holder", "beneficiary", "authorization",
               "article6_authorisation"},
              {}};
  for (const ledger::JournalEntry& entry : facts.transactions) {
    JCM_ASSIGN_OR_RETURN(std::optional<Retirement> retirement, RetirementOf(entry));
    if (!retirement) continue;
    const std::string date = retirement->time.substr(0, 10);
    if (!Keeps(request, retirement->registry, YearOf(date))) continue;
    const auto from = facts.account_of.find(retirement->from_account);
    const std::string holder = from == facts.account_of.end() ? "" : from->second.holder.name;
    for (const ledger::UnitBlock& block : retirement->blocks) {
      table.rows.push_back({retirement->registry, retirement->seq, date, block.project,
                            block.monitoring_period.ToString(), block.serial_first,
                            block.serial_last(), block.unit_count, holder, retirement->beneficiary,
                            std::string(ledger::AuthorizationName(block.authorization)),
                            block.article6_authorisation});
    }
  }
  return std::vector<Table>{std::move(table)};
}

core::Result<std::vector<Table>> Compute(store::Store& store, const PublicReportRequest& request) {
  JCM_ASSIGN_OR_RETURN(const Facts facts, ReadFacts(store));
  switch (request.report) {
    case PublicReport::kAnnualSummary:
      return AnnualSummary(facts, request);
    case PublicReport::kAccounts:
      return EntityAccounts(store, facts, request);
    case PublicReport::kIssuances:
      return Issuances(facts, request);
    case PublicReport::kRetirements:
      return Retirements(facts, request);
  }
  return core::InvalidArgument("unknown report");
}

}  // namespace

std::string_view PublicReportName(PublicReport report) {
  switch (report) {
    case PublicReport::kAnnualSummary:
      return "annual-summary";
    case PublicReport::kAccounts:
      return "accounts";
    case PublicReport::kIssuances:
      return "issuances";
    case PublicReport::kRetirements:
      return "retirements";
  }
  return "";
}

core::Result<PublicReport> PublicReportFromName(std::string_view name) {
  for (const PublicReport report : {PublicReport::kAnnualSummary, PublicReport::kAccounts,
                                    PublicReport::kIssuances, PublicReport::kRetirements}) {
    if (PublicReportName(report) == name) return report;
  }
  return core::InvalidArgument(
      "a report is annual-summary, accounts, issuances or retirements; "
      "got '" +
      std::string(name) + "'");
}

core::Result<std::vector<Table>> ComputePublicReport(store::Store& store,
                                                     const PublicReportRequest& request) {
  if (request.registry) JCM_RETURN_IF_ERROR(core::RegistryCode::Parse(*request.registry).status());
  if (request.year && (*request.year < 1900 || *request.year > 9999)) {
    return core::InvalidArgument("a year is 1900-9999");
  }
  // One state for the blocks and the journal; a store without snapshots (a test double) is
  // read as it is.
  core::Result<std::unique_ptr<store::Store>> snapshot = store.Snapshot();
  if (snapshot.ok()) return Compute(**snapshot, request);
  if (snapshot.status().code() != core::StatusCode::kFailedPrecondition) return snapshot.status();
  return Compute(store, request);
}

}  // namespace jcm::service
