// The registry's public reports (issue 15 §3; docs/cli.md "Reports", docs/api.md "Reports"),
// each a list of service::Table (report_table.h) that service/tables writes as CSV, JSON or
// XLSX. All are read from one Store::Snapshot (when the store keeps snapshots), so no write lands
// between the blocks and the journal they combine.
//
// - annual-summary: the Annual Transactions Summary of JCM credits per registry, one row per
//   registry and calendar year (UTC: a year runs from 01-01T00:00:00Z to 12-31T23:59:59Z of the
//   journal's times) from the registry's first transaction to its last: units issued,
//   transferred, retired and cancelled in the year, and held at the year's end per account type.
//   A transaction counts at the time service/flows.h gives it (an imported issuance at its JC
//   decision's date), and so do the blocks it creates and ends. INV-51: the held totals roll
//   forward by issuance, and the last row's holdings are the ledger's AccountTypeTotals.
// - accounts: the entity holding accounts with their public fields only — registry, number,
//   holder's name (English, Japanese), type, state and the date opened (its account.open entry);
//   never the representative, address or contact (INV-52, as INV-22 keeps them off the feed).
// - issuances: one row per block an issuance created: registry, transaction, date, project,
//   monitoring period, serial range, units, the type of the account credited, authorisation,
//   the Article 6.2 authorisation and the JC decision executed (or the import's source).
// - retirements: one row per block that reached a retirement account: registry, transaction,
//   date, project, monitoring period, serial range, units, the retiring account's holder name,
//   the beneficiary and the units' authorisation (their authorised use: ndc, oimp, …).
//
// Filters: `registry` (a registry code) keeps its rows; `year` keeps the summary's row of that
// year, and the other reports' rows dated in it (accounts: opened in it). Errors:
// InvalidArgument for an unknown report name, registry code or a year outside 1900-9999;
// DataLoss for an undecodable journal entry; any store error as it came. Thread-safe as the
// store is.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "service/report_table.h"
#include "store/store.h"

namespace jcm::service {

enum class PublicReport { kAnnualSummary, kAccounts, kIssuances, kRetirements };
// "annual-summary", "accounts", "issuances", "retirements".
std::string_view PublicReportName(PublicReport report);
core::Result<PublicReport> PublicReportFromName(std::string_view name);

struct PublicReportRequest {
  PublicReport report = PublicReport::kAnnualSummary;
  std::optional<std::string> registry;
  std::optional<int> year;
};

// The report's tables (one each today).
core::Result<std::vector<Table>> ComputePublicReport(store::Store& store,
                                                     const PublicReportRequest& request);

}  // namespace jcm::service
