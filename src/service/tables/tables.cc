#include "service/tables/tables.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace jcm::service::tables {
namespace {

namespace bj = boost::json;

constexpr size_t kSheetNameCharsMax = 31;  // Excel's limit on a sheet name

const Cell& CellAt(const std::vector<Cell>& row, size_t column) {
  static const Cell kEmpty;
  return column < row.size() ? row[column] : kEmpty;
}

void AppendCsvCell(std::string& out, const Cell& cell) {
  if (const auto* text = std::get_if<std::string>(&cell)) {
    AppendCsvField(out, *text, true);
  } else if (const auto* integer = std::get_if<int64_t>(&cell)) {
    out += std::to_string(*integer);
  } else if (const auto* decimal = std::get_if<Decimal>(&cell)) {
    out += decimal->text;
  }
}

bj::value JsonOfCell(const Cell& cell) {
  if (const auto* text = std::get_if<std::string>(&cell)) return bj::value(*text);
  if (const auto* integer = std::get_if<int64_t>(&cell)) return bj::value(*integer);
  if (const auto* decimal = std::get_if<Decimal>(&cell)) return bj::parse(decimal->text);
  return nullptr;
}

// `name` with the characters a sheet name may not hold replaced, cut to `chars` bytes without
// splitting a UTF-8 sequence.
std::string SheetSafe(std::string name, size_t chars) {
  for (char& c : name) {
    if (std::string_view("[]:*?/\\").find(c) != std::string_view::npos) c = '_';
  }
  if (!name.empty() && name.front() == '\'') name.front() = '_';
  if (!name.empty() && name.back() == '\'') name.back() = '_';
  if (name.size() > chars) {
    size_t cut = chars;
    while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;
    name.resize(cut);
  }
  return name.empty() ? "Sheet" : name;
}

std::string Lower(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

void WriteCell(lxw_worksheet* sheet, lxw_row_t row, lxw_col_t column, const Cell& cell) {
  if (const auto* text = std::get_if<std::string>(&cell)) {
    // worksheet_write_string never makes a formula, whatever the text begins with.
    worksheet_write_string(sheet, row, column, text->c_str(), nullptr);
  } else if (const auto* integer = std::get_if<int64_t>(&cell)) {
    worksheet_write_number(sheet, row, column, static_cast<double>(*integer), nullptr);
  } else if (const auto* decimal = std::get_if<Decimal>(&cell)) {
    worksheet_write_number(sheet, row, column, std::strtod(decimal->text.c_str(), nullptr),
                           nullptr);
  }
}

void WriteSheet(lxw_workbook* workbook, const std::string& name, const Table& table,
                lxw_format* bold) {
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, name.c_str());
  for (size_t c = 0; c < table.columns.size(); ++c) {
    worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(c), table.columns[c].c_str(), bold);
    worksheet_set_column(sheet, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c),
                         std::max<double>(10, static_cast<double>(table.columns[c].size()) + 2),
                         nullptr);
  }
  worksheet_freeze_panes(sheet, 1, 0);
  for (size_t r = 0; r < table.rows.size(); ++r) {
    for (size_t c = 0; c < table.columns.size(); ++c) {
      WriteCell(sheet, static_cast<lxw_row_t>(r + 1), static_cast<lxw_col_t>(c),
                CellAt(table.rows[r], c));
    }
  }
}

}  // namespace

void AppendCsvField(std::string& out, std::string text, bool is_text) {
  if (is_text && !text.empty() &&
      std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos) {
    text.insert(text.begin(), '\'');
  }
  if (text.find_first_of("\",\r\n") == std::string::npos) {
    out += text;
    return;
  }
  out += '"';
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

std::string CsvOf(const Table& table) {
  std::string out;
  for (size_t c = 0; c < table.columns.size(); ++c) {
    if (c > 0) out += ',';
    AppendCsvField(out, table.columns[c], true);
  }
  out += "\r\n";
  for (const std::vector<Cell>& row : table.rows) {
    for (size_t c = 0; c < table.columns.size(); ++c) {
      if (c > 0) out += ',';
      AppendCsvCell(out, CellAt(row, c));
    }
    out += "\r\n";
  }
  return out;
}

std::string CsvOf(const std::vector<Table>& tables) {
  std::string out;
  for (size_t i = 0; i < tables.size(); ++i) {
    if (i > 0) out += "\r\n";
    out += CsvOf(tables[i]);
  }
  return out;
}

bj::object JsonOf(std::string_view report, const std::vector<Table>& tables) {
  bj::array items;
  for (const Table& table : tables) {
    bj::array columns;
    for (const std::string& column : table.columns) columns.emplace_back(column);
    bj::array rows;
    for (const std::vector<Cell>& row : table.rows) {
      bj::object object;
      for (size_t c = 0; c < table.columns.size(); ++c) {
        object[table.columns[c]] = JsonOfCell(CellAt(row, c));
      }
      rows.emplace_back(std::move(object));
    }
    items.emplace_back(bj::object{
        {"name", table.name}, {"columns", std::move(columns)}, {"rows", std::move(rows)}});
  }
  return bj::object{{"report", report}, {"tables", std::move(items)}};
}

std::vector<std::string> SheetNames(const std::vector<Table>& tables) {
  std::vector<std::string> names;
  std::set<std::string> taken;  // Excel compares sheet names without case
  for (const Table& table : tables) {
    std::string name = SheetSafe(table.name, kSheetNameCharsMax);
    for (int n = 2; taken.contains(Lower(name)); ++n) {
      const std::string suffix = " (" + std::to_string(n) + ")";
      name = SheetSafe(table.name, kSheetNameCharsMax - suffix.size()) + suffix;
    }
    taken.insert(Lower(name));
    names.push_back(std::move(name));
  }
  return names;
}

core::Status WriteXlsx(const std::vector<Table>& tables, const std::string& path) {
  lxw_workbook* workbook = workbook_new(path.c_str());
  if (workbook == nullptr) return core::Unavailable(path + ": cannot create the workbook");
  lxw_format* bold = workbook_add_format(workbook);
  format_set_bold(bold);
  const std::vector<std::string> names = SheetNames(tables);
  for (size_t i = 0; i < tables.size(); ++i) WriteSheet(workbook, names[i], tables[i], bold);
  if (tables.empty()) workbook_add_worksheet(workbook, "Sheet");  // a workbook needs one
  const lxw_error error = workbook_close(workbook);
  if (error != LXW_NO_ERROR) return core::Unavailable(path + ": " + lxw_strerror(error));
  return core::OkStatus();
}

core::Result<std::string> XlsxOf(const std::vector<Table>& tables) {
  // libxlsxwriter 1.1.4 (Debian 12) writes only to a file: a private temporary one.
  std::string path = (std::filesystem::temp_directory_path() / "jcm-report-XXXXXX").string();
  const int fd = ::mkstemp(path.data());
  if (fd < 0) return core::Unavailable("cannot create a temporary file for the workbook");
  ::close(fd);
  const core::Status written = WriteXlsx(tables, path);
  std::ostringstream bytes;
  if (written.ok()) {
    std::ifstream in(path, std::ios::binary);
    bytes << in.rdbuf();
  }
  std::error_code ignored;
  std::filesystem::remove(path, ignored);
  JCM_RETURN_IF_ERROR(written);
  return bytes.str();
}

}  // namespace jcm::service::tables
