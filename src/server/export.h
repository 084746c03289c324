// List exports (docs/api.md, "Formats"): a list route answers JSON, CSV or JSON lines, chosen by
// the `format` query parameter (json | csv | jsonl) or, without it, by the Accept header.
//
// CSV is RFC 4180: a header row, CRLF line ends, a field quoted when it holds '"', ',', CR or
// LF. Columns are the items' fields in first-seen order across the page; a nested object's
// fields are flattened to "outer.inner"; an array is one cell holding its JSON text; null is an
// empty cell. A text cell beginning with '=', '+', '-', '@', TAB or CR is prefixed with "'" so a
// spreadsheet does not run it as a formula (OWASP "CSV injection"); numbers and booleans are
// written as JSON writes them. JSON lines: one item per line, each a JSON object ending in "\n".
// The next page of a CSV or JSON-lines export is named by a `Link: <…>; rel="next"` header.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "server/http_message.h"
#include "server/request_target.h"

namespace jcm::server {

enum class ListFormat { kJson, kCsv, kJsonLines };

inline constexpr std::string_view kCsvContentType = "text/csv; charset=utf-8; header=present";
inline constexpr std::string_view kJsonLinesContentType = "application/x-ndjson";

// The format a request asks for: `format` when given (InvalidArgument for another value), else
// the Accept media range of highest q among application/json, text/csv and
// application/x-ndjson (ties: the first listed), else JSON.
core::Result<ListFormat> ChooseListFormat(const RequestTarget& target, const HeaderList& headers);

// The RFC 4180 text of `items` (objects; anything else is one column "value").
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

}  // namespace jcm::server
