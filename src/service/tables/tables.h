// Writers of service::Table (report_table.h): the formats every public report and the
// programme report are offered in, shared by the CLI (`jcm report`, `jcm programme report
// --xlsx`) and the HTTP API (`/api/v1/reports/{name}`). Nothing here reads the store.
//
// CSV (RFC 4180): a header row of the column names, CRLF after every record, a field quoted
// (`"` doubled) when it holds '"', ',', CR or LF. A text cell beginning with '=', '+', '-',
// '@', TAB or CR is prefixed with "'" so a spreadsheet shows it instead of running it as a
// formula (OWASP "CSV injection"); integers and decimals are written as they are (a negative
// number is data, not a formula). This is the one place the rule is written: the API's list
// export (server/export.h) uses CsvField too.
//
// JSON: {"report": NAME, "tables": [{"name", "columns": [...], "rows": [{column: value}]}]},
// integers as JSON integers, decimals as JSON numbers, empty cells null.
//
// XLSX (libxlsxwriter): one sheet per table, in order, the header row in bold and frozen;
// integers and decimals are numeric cells, text is text (never a formula, whatever it begins
// with). Sheet names are the tables' names made valid: the characters []:*?/\ replaced by '_',
// cut to 31 characters, and made unique with " (2)", " (3)", …
#pragma once

#include <boost/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "service/report_table.h"

namespace jcm::service::tables {

// One CSV field: `text` quoted when needed and, when `is_text`, guarded against formulas.
void AppendCsvField(std::string& out, std::string text, bool is_text);

// One table as CSV. Several tables: each in turn, separated by one empty line (a reader that
// wants one table asks for one).
std::string CsvOf(const Table& table);
std::string CsvOf(const std::vector<Table>& tables);

boost::json::object JsonOf(std::string_view report, const std::vector<Table>& tables);

// The sheet names XLSX gives `tables`, in order (valid, ≤ 31 characters, unique).
std::vector<std::string> SheetNames(const std::vector<Table>& tables);

// The workbook's bytes. Unavailable when libxlsxwriter cannot write its temporary file.
core::Result<std::string> XlsxOf(const std::vector<Table>& tables);
// The workbook written to `path`. Unavailable when it cannot be written.
core::Status WriteXlsx(const std::vector<Table>& tables, const std::string& path);

inline constexpr std::string_view kXlsxContentType =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

}  // namespace jcm::service::tables
