// Article 6.2 over HTTP (docs/api.md, "Article 6"): the authorisations in force, a Party's
// corresponding-adjustment ledger and its AEF for a year — the documents `jcm article6
// authorisation list`, `jcm article6 ca` and `jcm article6 aef` print with --json. Public, as
// Article 6.2 reporting is; read-only: the AEF here never freezes a T4 (the CLI's first report
// of a year that is over does, and submissions are the CLI's).
#include "server/api.h"
#include "server/export.h"
#include "server/paging.h"
#include "server/problem.h"
#include "service/aef.h"
#include "service/article6_service.h"
#include "service/corresponding_adjustments.h"
#include "service/json/aef_json.h"
#include "service/json/article6_json.h"
#include "service/json/corresponding_adjustment_json.h"
#include "service/tables/tables.h"

namespace jcm::server {

core::Result<HttpResponse> Api::Article6Authorisations(const RouteCall& call) {
  service::Article6Service article6(store_);
  JCM_ASSIGN_OR_RETURN(auto all,
                       article6.ListAuthorisations(StringParam(call.target, "party").value_or("")));
  return JsonResponse(service::json::AuthorisationListJson(all));
}

core::Result<HttpResponse> Api::CorrespondingAdjustments(const RouteCall& call) {
  JCM_ASSIGN_OR_RETURN(article6::CaLedger ledger,
                       service::CorrespondingAdjustmentsOf(store_, call.params[0]));
  return JsonResponse(service::json::CaLedgerJson(ledger));
}

core::Result<HttpResponse> Api::Article6Aef(const RouteCall& call) {
  const std::optional<int64_t> year = core::ParseInt64(call.params[1]);
  if (!year || *year < 1990 || *year > 2100) {
    return core::InvalidArgument("the year must be 1990-2100");
  }
  if (clock_ == nullptr) return core::Unavailable("this server has no clock to date the report");
  if (call.format == ListFormat::kJsonLines) {
    return core::InvalidArgument("the AEF's format is json, csv or xlsx");
  }
  service::AefRequest request{call.params[0], static_cast<int>(*year), false, false};
  JCM_ASSIGN_OR_RETURN(auto outcome, service::ArticleSixAef(store_, request, clock_->NowUtc()));
  if (const auto* rejection = std::get_if<service::Rejection>(&outcome)) {
    return ProblemFromRejection(*rejection, call.target.path, call.context.request_id);
  }
  const auto& report = std::get<service::AefReport>(outcome);
  if (call.format == ListFormat::kJson) return JsonResponse(service::json::AefReportJson(report));
  const std::vector<service::Table> tables = service::AefAsTables(report);
  const std::string filename = "jcm-aef-" + report.party + "-" + std::to_string(report.year);
  if (call.format != ListFormat::kCsv) return TablesDownload(call.format, "", tables, filename);
  // One table per CSV document, as `jcm article6 aef --csv DIR` writes one file per table.
  JCM_ASSIGN_OR_RETURN(const int64_t table, IntParam(call.target, "table", 3, 1, 5));
  return TablesDownload(call.format, service::tables::CsvOf(tables[static_cast<size_t>(table - 1)]),
                        tables, filename + ".T" + std::to_string(table));
}

}  // namespace jcm::server
