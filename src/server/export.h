// List exports (docs/api.md, "Formats"): a list route answers JSON, CSV, JSON lines or XLSX,
// chosen by the `format` query parameter (json | csv | jsonl | xlsx) or, without it, by the
// Accept header. XLSX is the CSV's table as one sheet "items" (service/tables/tables.h), its
// integers and decimals numeric cells.
//
// CSV is RFC 4180: a header row, CRLF line ends, a field quoted when it holds '"', ',', CR or
// LF. Columns are the items' fields in first-seen order across the page; a nested object's
// fields are flattened to "outer.inner"; an array is one cell holding its JSON text; null is an
// empty cell. A text cell beginning with '=', '+', '-', '@', TAB or CR is prefixed with "'" so a
// spreadsheet does not run it as a formula (OWASP "CSV injection"); numbers and booleans are
// written as JSON writes them (the rule is service::tables::AppendCsvField's). JSON lines: one
// item per line, each a JSON object ending in "\n".
// The next page of a CSV or JSON-lines export is named by a `Link: <…>; rel="next"` header.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "server/http_message.h"
#include "server/request_target.h"
#include "service/report_table.h"

namespace jcm::server {

enum class ListFormat { kJson, kCsv, kJsonLines, kXlsx };

inline constexpr std::string_view kCsvContentType = "text/csv; charset=utf-8; header=present";
inline constexpr std::string_view kJsonLinesContentType = "application/x-ndjson";

// The format a request asks for: `format` when given (InvalidArgument for another value), else
// the Accept media range of highest q among application/json, text/csv, application/x-ndjson
// and the XLSX media type (ties: the first listed), else JSON.
core::Result<ListFormat> ChooseListFormat(const RequestTarget& target, const HeaderList& headers);

// `items` as one table: columns as the CSV's below (objects; anything else is one column
// "value"), integers as integers, other numbers as decimals.
service::Table TableOf(const boost::json::array& items);
// The RFC 4180 text of TableOf(items) (service::tables::CsvOf, which guards formulas).
std::string CsvOf(const boost::json::array& items);
// One serialized item per line.
std::string JsonLinesOf(const boost::json::array& items);

// A target for the next page: `target`'s path and query with `key` set to `value`, every query
// value percent-encoded.
std::string TargetWith(const RequestTarget& target, const std::string& key,
                       const std::string& value);

// `items` as a CSV or JSON-lines response, with a Link header to `next_target` when given.
HttpResponse ExportResponse(ListFormat format, const boost::json::array& items,
                            const std::optional<std::string>& next_target);

// Tables as a download (a public report, the AEF): `csv` for ListFormat::kCsv, else the
// workbook of `tables`, with a Content-Disposition naming the file `filename` + ".csv" or
// ".xlsx". Unavailable when libxlsxwriter cannot write its temporary file.
core::Result<HttpResponse> TablesDownload(ListFormat format, std::string csv,
                                          const std::vector<service::Table>& tables,
                                          const std::string& filename);

}  // namespace jcm::server
