#include "server/export.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>
#include <vector>

#include "service/tables/tables.h"

namespace jcm::server {
namespace {

namespace bj = boost::json;

std::string Lower(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::optional<ListFormat> FormatOfMediaType(std::string_view type) {
  if (type == "application/json" || type == "application/*" || type == "*/*") {
    return ListFormat::kJson;
  }
  if (type == "text/csv" || type == "text/*") return ListFormat::kCsv;
  if (type == "application/x-ndjson" || type == "application/jsonl") {
    return ListFormat::kJsonLines;
  }
  if (type == service::tables::kXlsxContentType) return ListFormat::kXlsx;
  return std::nullopt;
}

// The q of one media range's parameters ("; q=0.5"); 1 when absent, 0 when malformed.
double QualityOf(std::string_view params) {
  while (!params.empty()) {
    const size_t semicolon = params.find(';');
    const std::string_view param = Trim(params.substr(0, semicolon));
    if (param.size() > 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
      const std::string value(param.substr(2));
      char* end = nullptr;
      const double q = std::strtod(value.c_str(), &end);
      return (end == value.c_str() + value.size() && q >= 0 && q <= 1) ? q : 0;
    }
    if (semicolon == std::string_view::npos) break;
    params.remove_prefix(semicolon + 1);
  }
  return 1;
}

ListFormat FormatOfAccept(std::string_view accept) {
  std::optional<ListFormat> best;
  double best_q = 0;
  while (!accept.empty()) {
    const size_t comma = accept.find(',');
    const std::string_view range = accept.substr(0, comma);
    const size_t semicolon = range.find(';');
    const std::string type = Lower(Trim(range.substr(0, semicolon)));
    const double q =
        semicolon == std::string_view::npos ? 1 : QualityOf(range.substr(semicolon + 1));
    const std::optional<ListFormat> format = FormatOfMediaType(type);
    if (format && q > best_q) {
      best = format;
      best_q = q;
    }
    if (comma == std::string_view::npos) break;
    accept.remove_prefix(comma + 1);
  }
  return best.value_or(ListFormat::kJson);
}

// A value's cell: strings as text, integers as integers, other numbers as their JSON text (a
// decimal), null empty, the rest (booleans, arrays) as the text JSON writes for them, which no
// formula guard needs to touch.
service::Cell CellOf(const bj::value& value) {
  if (value.is_string()) return std::string(value.get_string());
  if (value.is_null()) return std::monostate{};
  if (value.is_int64()) return value.get_int64();
  if (value.is_number()) return service::Decimal{bj::serialize(value)};
  return bj::serialize(value);
}

// `value` flattened into `row` under `prefix` ("a.b" for nested objects).
void Flatten(const std::string& prefix, const bj::value& value,
             std::vector<std::pair<std::string, const bj::value*>>& row) {
  if (value.is_object() && !value.get_object().empty()) {
    for (const auto& [key, inner] : value.get_object()) {
      Flatten(prefix.empty() ? std::string(key) : prefix + "." + std::string(key), inner, row);
    }
    return;
  }
  row.emplace_back(prefix.empty() ? "value" : prefix, &value);
}

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char signed_c : text) {
    const auto c = static_cast<unsigned char>(signed_c);
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += signed_c;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace

core::Result<ListFormat> ChooseListFormat(const RequestTarget& target, const HeaderList& headers) {
  if (const auto it = target.query.find("format"); it != target.query.end()) {
    if (it->second == "json") return ListFormat::kJson;
    if (it->second == "csv") return ListFormat::kCsv;
    if (it->second == "jsonl") return ListFormat::kJsonLines;
    if (it->second == "xlsx") return ListFormat::kXlsx;
    return core::InvalidArgument("format must be json, csv, jsonl or xlsx; got '" + it->second +
                                 "'");
  }
  for (const auto& [name, value] : headers) {
    if (Lower(name) == "accept") return FormatOfAccept(value);
  }
  return ListFormat::kJson;
}

service::Table TableOf(const bj::array& items) {
  std::vector<std::vector<std::pair<std::string, const bj::value*>>> rows;
  service::Table table{"items", {}, {}};
  std::map<std::string, size_t> column_index;
  for (const bj::value& item : items) {
    auto& row = rows.emplace_back();
    Flatten("", item, row);
    for (const auto& cell : row) {
      if (column_index.emplace(cell.first, table.columns.size()).second) {
        table.columns.push_back(cell.first);
      }
    }
  }
  for (const auto& row : rows) {
    std::vector<service::Cell>& cells = table.rows.emplace_back(table.columns.size());
    for (const auto& [name, value] : row) cells[column_index.at(name)] = CellOf(*value);
  }
  return table;
}

std::string CsvOf(const bj::array& items) { return service::tables::CsvOf(TableOf(items)); }

std::string JsonLinesOf(const bj::array& items) {
  std::string out;
  for (const bj::value& item : items) {
    out += bj::serialize(item);
    out += '\n';
  }
  return out;
}

std::string TargetWith(const RequestTarget& target, const std::string& key,
                       const std::string& value) {
  std::map<std::string, std::string> query = target.query;
  query[key] = value;
  std::string out = target.path;
  char separator = '?';
  for (const auto& [name, text] : query) {
    out += separator + PercentEncode(name) + "=" + PercentEncode(text);
    separator = '&';
  }
  return out;
}

HttpResponse ExportResponse(ListFormat format, const bj::array& items,
                            const std::optional<std::string>& next_target) {
  HttpResponse response;
  if (format == ListFormat::kCsv) {
    response.content_type = std::string(kCsvContentType);
    response.body = CsvOf(items);
  } else if (format == ListFormat::kXlsx) {
    core::Result<std::string> workbook = service::tables::XlsxOf({TableOf(items)});
    if (!workbook.ok()) {  // libxlsxwriter could not write its temporary file
      response.status = 503;
      response.content_type = "text/plain; charset=utf-8";
      response.body = workbook.status().message();
      return response;
    }
    response.content_type = std::string(service::tables::kXlsxContentType);
    response.body = std::move(*workbook);
  } else {
    response.content_type = std::string(kJsonLinesContentType);
    response.body = JsonLinesOf(items);
  }
  if (next_target) response.headers.emplace_back("Link", "<" + *next_target + ">; rel=\"next\"");
  return response;
}

core::Result<HttpResponse> TablesDownload(ListFormat format, std::string csv,
                                          const std::vector<service::Table>& tables,
                                          const std::string& filename) {
  HttpResponse response;
  std::string extension = "csv";
  if (format == ListFormat::kCsv) {
    response.content_type = std::string(kCsvContentType);
    response.body = std::move(csv);
  } else {
    JCM_ASSIGN_OR_RETURN(response.body, service::tables::XlsxOf(tables));
    response.content_type = std::string(service::tables::kXlsxContentType);
    extension = "xlsx";
  }
  response.headers.emplace_back("Content-Disposition",
                                "attachment; filename=\"" + filename + "." + extension + "\"");
  return response;
}

}  // namespace jcm::server
