#include "mrv/report_sheet.h"

#include <fstream>

#include "mrv/csv_scan.h"
#include "mrv/keyed_text.h"

namespace jcm::mrv {
namespace {

constexpr const char* kHeader[kSheetColumns] = {"(a) Monitoring period",
                                                "(b) Monitoring point No.",
                                                "(c) Parameter",
                                                "(d) Description",
                                                "(e) Monitored value",
                                                "(f) Unit",
                                                "(g) Monitoring option",
                                                "(h) Source of data",
                                                "(i) Measurement methods and procedures",
                                                "(j) Monitoring frequency",
                                                "(k) Other comments"};

std::string CsvQuote(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

}  // namespace

std::vector<SheetRow> ReportSheetRows(const Methodology& methodology, const CalcReport& report) {
  std::vector<SheetRow> rows;
  rows.emplace_back(std::begin(kHeader), std::end(kHeader));
  for (const ParameterUse& use : report.parameters) {
    const ParameterDef* def = methodology.FindParameter(use.name);
    if (def == nullptr || def->kind != ParameterKind::kMonitored) continue;
    bool exact = false;
    std::string value = use.value.ToDecimalString(60, &exact);
    if (!exact) value = use.value.ToFractionString();
    rows.push_back({use.period, use.point, use.name, def->description, value, use.unit,
                    use.option.empty() ? def->options : use.option,
                    use.source == "monitored" ? "monitoring data (jcm mrv calc)" : use.source, "",
                    def->frequency, ""});
  }
  return rows;
}

core::Status WriteReportSheetCsv(const std::string& path, const Methodology& methodology,
                                 const CalcReport& report) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return core::Unavailable(path + ": cannot create");
  for (const SheetRow& row : ReportSheetRows(methodology, report)) {
    for (size_t i = 0; i < row.size(); ++i) out << (i ? "," : "") << CsvQuote(row[i]);
    out << "\n";
  }
  out.flush();
  if (!out) return core::Unavailable(path + ": write error");
  return core::OkStatus();
}

core::Result<std::vector<SheetRow>> ReadReportSheetCsv(const std::string& path) {
  JCM_ASSIGN_OR_RETURN(std::string text, ReadSmallFile(path, kReportSheetCsvBytesMax));
  std::vector<SheetRow> rows;
  std::vector<std::string_view> fields;
  std::vector<std::string> storage;
  size_t pos = text.starts_with(kUtf8Bom) ? kUtf8Bom.size() : 0;
  int line_number = 0;
  bool header_seen = false;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + pos, end - pos);
    pos = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    size_t error_column = 0;
    if (!SplitCsvLine(line, &fields, &storage, &error_column)) {
      return PositionError(path, line_number, static_cast<int>(error_column),
                           "malformed quoted field");
    }
    if (!header_seen) {
      header_seen = fields[0].starts_with("(a)");
      if (!header_seen)
        return PositionError(path, line_number, 1,
                             "expected the Table 1 header \"(a) Monitoring period,…\"");
      continue;
    }
    if (fields.size() < 6)
      return PositionError(path, line_number, 1, "a Table 1 row needs columns (a) to (f)");
    rows.emplace_back(fields.begin(), fields.end());
    rows.back().resize(kSheetColumns);
    rows.back().push_back(std::to_string(line_number));  // position, for messages
  }
  return rows;
}

bool IsReportSheetFile(const std::string& path) {
  if (path.size() > 5 && path.ends_with(".xlsx")) return true;
  std::ifstream in(path);
  char start[6] = {};
  in.read(start, 6);
  std::string_view head(start, static_cast<size_t>(in.gcount()));
  if (head.starts_with(kUtf8Bom)) head.remove_prefix(kUtf8Bom.size());
  return head.starts_with("(a)");
}

core::Status AddReportSheet(const std::string& path, const Methodology& methodology,
                            const std::vector<core::Period>& periods, MonitoringData* data) {
  auto rows = path.ends_with(".xlsx") ? ReadReportSheetXlsx(path) : ReadReportSheetCsv(path);
  if (!rows.ok()) return rows.status();
  InputFile file{path, 0, 0, ""};
  for (const SheetRow& row : *rows) {
    const int line = std::stoi(row.back());
    auto at = [&](int column, const std::string& message) {
      return PositionError(path, line, column, message);
    };
    auto period = core::Period::Parse(row[0]);
    if (!period.ok()) return at(1, period.status().message());
    size_t index = periods.size();
    for (size_t p = 0; p < periods.size(); ++p) {
      if (periods[p] == *period) index = p;
    }
    ++file.rows;
    if (index == periods.size()) continue;  // another period: not used (counted in rows)
    const ParameterDef* def = methodology.FindParameter(row[2]);
    if (def == nullptr || def->kind != ParameterKind::kMonitored) {
      return at(3, "\"" + row[2] + "\" is not a monitored parameter of " + methodology.ref());
    }
    auto value = Rational::Parse(row[4]);
    if (!value.ok()) return at(5, value.status().message());
    auto unit = Unit::Parse(row[5]);
    if (!unit.ok()) return at(6, unit.status().message());
    if (!unit->SameDimension(def->unit)) {
      return at(6, "unit mismatch: " + row[5] + " does not measure " + def->unit.ToString());
    }
    SeriesKey key{index, row[1], row[2]};
    if (data->series.contains(key)) {
      return at(1, "a second value for " + row[2] + " at " + row[1] + " in " + row[0]);
    }
    Rational total = *value * unit->FactorTo(def->unit);
    const bool below = def->range_min && total < *def->range_min;
    const bool above = def->range_max && total > *def->range_max;
    if (below || (above && def->conservative == Conservative::kLow)) {
      // The same conservative replacement as for CSV readings (docs/formats/monitoring-csv.md).
      data->findings.push_back(
          Finding{Severity::kWarning, "out_of_range", row[0], row[1], row[2], 1,
                  "sheet value " + row[4] + " " + row[5] +
                      " is outside the valid range; replaced by the range minimum",
                  SourceLine{path, std::stoll(row.back())}});
      total = def->range_min ? *def->range_min : Rational();
    }
    data->series[key] = SeriesTotal{total, 1};
  }
  data->files.push_back(file);
  return core::OkStatus();
}

}  // namespace jcm::mrv
