// The JCM Monitoring Report Sheet, Table 1 "Parameters monitored ex post", as CSV and XLSX.
//
// Columns (a)–(k): (a) monitoring period, (b) monitoring point No., (c) parameter,
// (d) description, (e) monitored value, (f) unit, (g) monitoring option, (h) source of data,
// (i) measurement methods and procedures, (j) monitoring frequency, (k) other comments.
// docs/formats/monitoring-csv.md describes both encodings. Values in (e) are written as text
// holding the exact decimal, so a sheet read back gives the same Rational; a numeric cell typed
// by hand is read from its stored text, exactly as written in the file.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "mrv/calculator.h"
#include "mrv/methodology.h"
#include "mrv/monitoring_data.h"

namespace jcm::mrv {

// One row of Table 1 as text.
using SheetRow = std::vector<std::string>;
inline constexpr size_t kSheetColumns = 11;

// The Table 1 rows for the monitored parameters of a calculated report.
std::vector<SheetRow> ReportSheetRows(const Methodology& methodology, const CalcReport& report);

core::Status WriteReportSheetCsv(const std::string& path, const Methodology& methodology,
                                 const CalcReport& report);
core::Status WriteReportSheetXlsx(const std::string& path, const Methodology& methodology,
                                  const CalcReport& report);

// A Table 1 CSV is read whole; it holds one row per period, point and parameter.
inline constexpr size_t kReportSheetCsvBytesMax = 256 * 1024 * 1024;

// Reads the rows of Table 1 (after the header row whose first cell starts with "(a)"); a
// UTF-8 byte order mark before it is skipped.
core::Result<std::vector<SheetRow>> ReadReportSheetCsv(const std::string& path);
core::Result<std::vector<SheetRow>> ReadReportSheetXlsx(const std::string& path);

// True for *.xlsx files and CSV files whose first cell starts with "(a)" (after a UTF-8 byte
// order mark, if any).
bool IsReportSheetFile(const std::string& path);

// Adds the sheet's monitored values for `periods` to `data` (exact unit conversion; a row for
// a (period, point, parameter) already present is an error: one source per value).
core::Status AddReportSheet(const std::string& path, const Methodology& methodology,
                            const std::vector<core::Period>& periods, MonitoringData* data);

}  // namespace jcm::mrv
