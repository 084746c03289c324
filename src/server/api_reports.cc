// GET /api/v1/reports/{name}: the public reports (service/public_reports.h; docs/api.md
// "Reports") as JSON (the service/tables document), CSV or XLSX, chosen as a list's format is
// (export.h) but without JSON lines. Public, and kept by PublicCache per target and journal size.
#include "server/api.h"
#include "server/export.h"
#include "server/paging.h"
#include "service/public_reports.h"
#include "service/tables/tables.h"

namespace jcm::server {

core::Result<HttpResponse> Api::PublicReport(const RouteCall& call) {
  const core::Result<service::PublicReport> named = service::PublicReportFromName(call.params[0]);
  if (!named.ok()) return core::NotFound(named.status().message());
  const service::PublicReport report = *named;
  service::PublicReportRequest request{report, StringParam(call.target, "registry"), std::nullopt};
  if (call.target.query.contains("year")) {
    JCM_ASSIGN_OR_RETURN(const int64_t year, IntParam(call.target, "year", 0, 1900, 9999));
    request.year = static_cast<int>(year);
  }
  if (call.format == ListFormat::kJsonLines) {
    return core::InvalidArgument("a report's format is json, csv or xlsx");
  }
  JCM_ASSIGN_OR_RETURN(std::vector<service::Table> tables,
                       service::ComputePublicReport(store_, request));
  const std::string name(service::PublicReportName(report));
  if (call.format == ListFormat::kJson) {
    return JsonResponse(service::tables::JsonOf(name, tables));
  }
  const std::string csv =
      call.format == ListFormat::kCsv ? service::tables::CsvOf(tables) : std::string();
  return TablesDownload(call.format, csv, tables, "jcm-" + name);
}

}  // namespace jcm::server
