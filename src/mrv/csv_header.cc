// The header of a monitoring CSV file: which layout, which columns (internal to the ingest).
#include <cctype>
#include <map>

#include "mrv/csv_scan.h"
#include "mrv/ingest_internal.h"
#include "mrv/keyed_text.h"
#include "mrv/monitoring_csv.h"

namespace jcm::mrv::internal {
namespace {

std::string Lower(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c != ' ') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

core::Status ParseWideHeader(const std::vector<std::string_view>& fields, std::string_view header,
                             IngestContext* c) {
  c->wide = true;
  if (fields.size() - 1 > kWideColumnsMax)
    return PositionError(c->file_name, 1, 1, "too many columns");
  std::map<std::string, size_t> seen;
  for (size_t i = 1; i < fields.size(); ++i) {
    const std::string_view f = fields[i];
    const int column = static_cast<int>(f.data() - header.data()) + 1;
    const size_t colon = f.find(':'), open = f.find('[');
    if (colon == std::string_view::npos || open == std::string_view::npos || open < colon ||
        f.back() != ']') {
      return PositionError(
          c->file_name, 1, column,
          "wide column must be POINT:PARAMETER[UNIT], got \"" + std::string(f) + "\"");
    }
    auto plan = MakeSeriesPlan(*c, f.substr(0, colon), f.substr(colon + 1, open - colon - 1),
                               f.substr(open + 1, f.size() - open - 2));
    if (!plan.ok()) return PositionError(c->file_name, 1, column, plan.status().message());
    if (!seen.emplace(std::string(f), i).second) {
      return PositionError(c->file_name, 1, column, "duplicate column " + std::string(f));
    }
    const SeriesPlan& added = c->wide_plans.emplace_back(std::move(plan).value());
    const bool min_is_zero = added.definition->range_min && added.definition->range_min->is_zero();
    c->wide_fast.push_back(
        {min_is_zero && !added.has_max && !added.high_side && !added.has_calibration});
  }
  return core::OkStatus();
}

}  // namespace

core::Status ParseHeader(std::string_view header, IngestContext* c) {
  std::vector<std::string_view> fields;
  std::vector<std::string> storage;
  size_t error_column = 0;
  if (!SplitCsvLine(header, &fields, &storage, &error_column)) {
    return PositionError(c->file_name, 1, static_cast<int>(error_column), "malformed header");
  }
  c->column_count = fields.size();
  const std::string first = Lower(fields[0]);
  if ((first == "timestamp" || first == "time" || first == "datetime") && fields.size() >= 2) {
    return ParseWideHeader(fields, header, c);
  }
  for (size_t i = 0; i < fields.size(); ++i) {
    const std::string name = Lower(fields[i]);
    int* slot = name == "point"       ? &c->col_point
                : name == "parameter" ? &c->col_parameter
                : name == "timestamp" ? &c->col_timestamp
                : name == "period"    ? &c->col_period
                : name == "value"     ? &c->col_value
                : name == "unit"      ? &c->col_unit
                                      : nullptr;
    if (slot == nullptr) continue;
    if (*slot >= 0) {
      // Two "value" columns: which one is the reading is a guess, never made silently.
      // A quoted field lives in `storage`, outside the header text: column 1 then.
      const bool in_header =
          fields[i].data() >= header.data() && fields[i].data() < header.data() + header.size();
      const int column = in_header ? static_cast<int>(fields[i].data() - header.data()) + 1 : 1;
      return PositionError(
          c->file_name, 1, column,
          "duplicate column \"" + name + "\" (first is field " + std::to_string(*slot + 1) + ")");
    }
    *slot = static_cast<int>(i);
  }
  if (c->col_point < 0 || c->col_parameter < 0 || c->col_value < 0 || c->col_unit < 0 ||
      (c->col_timestamp < 0) == (c->col_period < 0)) {
    return PositionError(c->file_name, 1, 1,
                         "header must be 'point,parameter,timestamp|period,value,unit' (long form) "
                         "or 'timestamp,POINT:PARAMETER[UNIT],…' (wide form)");
  }
  return core::OkStatus();
}

}  // namespace jcm::mrv::internal
