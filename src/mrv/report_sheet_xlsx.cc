// XLSX encoding of the Monitoring Report Sheet: written with libxlsxwriter, read with minizip
// (the zip container) and expat (the sheet XML). Only these two functions touch those
// libraries, so none of their types leave this file.
#include <expat.h>
#include <minizip/unzip.h>
#include <xlsxwriter.h>

#include <map>
#include <memory>

#include "mrv/keyed_text.h"
#include "mrv/report_sheet.h"

namespace jcm::mrv {
namespace {

// A zip entry larger than this is refused (a zip bomb is an error, not an allocation).
constexpr size_t kXlsxPartBytesMax = 64 * 1024 * 1024;
constexpr size_t kXlsxRowsMax = 1'000'000;

core::Result<std::string> ReadZipEntry(unzFile zip, const char* name, bool required) {
  if (unzLocateFile(zip, name, 0) != UNZ_OK) {
    if (!required) return std::string();
    return core::InvalidArgument(std::string("not a workbook: missing ") + name);
  }
  if (unzOpenCurrentFile(zip) != UNZ_OK)
    return core::InvalidArgument(std::string("cannot open ") + name);
  std::string text;
  char buffer[1 << 16];
  while (true) {
    const int n = unzReadCurrentFile(zip, buffer, sizeof buffer);
    if (n < 0) {
      unzCloseCurrentFile(zip);
      return core::InvalidArgument(std::string("corrupt zip entry ") + name);
    }
    if (n == 0) break;
    text.append(buffer, static_cast<size_t>(n));
    if (text.size() > kXlsxPartBytesMax) {
      unzCloseCurrentFile(zip);
      return core::ResourceExhausted(std::string(name) + " is larger than 64 MiB");
    }
  }
  unzCloseCurrentFile(zip);
  return text;
}

// Expat state for sharedStrings.xml and sheet1.xml.
struct XmlState {
  std::vector<std::string> shared;  // shared strings
  bool in_text = false;
  std::string text;  // current <t> or <v> text
  // Sheet parsing.
  std::map<int, std::map<int, std::string>> cells;  // row -> column -> text
  int row = 0, column = 0;
  std::string type;
  bool too_many = false;
};

int ColumnOf(const char* reference) {
  int column = 0;
  for (const char* p = reference; *p >= 'A' && *p <= 'Z'; ++p)
    column = column * 26 + (*p - 'A' + 1);
  return column - 1;
}

int RowOf(const char* reference) {
  const char* p = reference;
  while (*p >= 'A' && *p <= 'Z') ++p;
  return std::atoi(p);
}

void XMLCALL StartShared(void* data, const XML_Char* name, const XML_Char**) {
  auto* s = static_cast<XmlState*>(data);
  const std::string_view element(name);
  if (element == "si") s->text.clear();
  if (element == "t") s->in_text = true;
}
void XMLCALL EndShared(void* data, const XML_Char* name) {
  auto* s = static_cast<XmlState*>(data);
  const std::string_view element(name);
  if (element == "t") s->in_text = false;
  if (element == "si") s->shared.push_back(s->text);
}
void XMLCALL Text(void* data, const XML_Char* text, int length) {
  auto* s = static_cast<XmlState*>(data);
  if (s->in_text) s->text.append(text, static_cast<size_t>(length));
}

void XMLCALL StartSheet(void* data, const XML_Char* name, const XML_Char** attributes) {
  auto* s = static_cast<XmlState*>(data);
  const std::string_view element(name);
  if (element == "c") {
    s->type.clear();
    s->text.clear();
    for (int i = 0; attributes[i] != nullptr; i += 2) {
      const std::string_view key(attributes[i]);
      if (key == "r") {
        s->row = RowOf(attributes[i + 1]);
        s->column = ColumnOf(attributes[i + 1]);
      } else if (key == "t") {
        s->type = attributes[i + 1];
      }
    }
  } else if (element == "v" || element == "t") {
    s->in_text = true;
  }
}
void XMLCALL EndSheet(void* data, const XML_Char* name) {
  auto* s = static_cast<XmlState*>(data);
  const std::string_view element(name);
  if (element == "v" || element == "t") s->in_text = false;
  if (element != "c") return;
  std::string value = s->text;
  if (s->type == "s") {
    const size_t index = static_cast<size_t>(std::atol(value.c_str()));
    value = index < s->shared.size() ? s->shared[index] : std::string();
  }
  if (s->cells.size() > kXlsxRowsMax) {
    s->too_many = true;
    return;
  }
  if (s->row > 0 && s->column >= 0 && s->column < 64) s->cells[s->row][s->column] = value;
}

core::Status ParseXml(const std::string& xml, XmlState* state, bool sheet,
                      const std::string& what) {
  std::unique_ptr<XML_ParserStruct, void (*)(XML_Parser)> parser(XML_ParserCreate(nullptr),
                                                                 XML_ParserFree);
  XML_SetUserData(parser.get(), state);
  if (sheet) {
    XML_SetElementHandler(parser.get(), StartSheet, EndSheet);
  } else {
    XML_SetElementHandler(parser.get(), StartShared, EndShared);
  }
  XML_SetCharacterDataHandler(parser.get(), Text);
  if (XML_Parse(parser.get(), xml.data(), static_cast<int>(xml.size()), 1) == XML_STATUS_ERROR) {
    return core::InvalidArgument(what + ":" +
                                 std::to_string(XML_GetCurrentLineNumber(parser.get())) + ":" +
                                 std::to_string(XML_GetCurrentColumnNumber(parser.get()) + 1) +
                                 ": " + XML_ErrorString(XML_GetErrorCode(parser.get())));
  }
  if (state->too_many) return core::ResourceExhausted(what + ": too many rows");
  return core::OkStatus();
}

}  // namespace

core::Status WriteReportSheetXlsx(const std::string& path, const Methodology& methodology,
                                  const CalcReport& report) {
  lxw_workbook* workbook = workbook_new(path.c_str());
  if (workbook == nullptr) return core::Unavailable(path + ": cannot create workbook");
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, "Monitoring Report Sheet");
  const std::vector<SheetRow> rows = ReportSheetRows(methodology, report);
  for (size_t r = 0; r < rows.size(); ++r) {
    for (size_t c = 0; c < rows[r].size(); ++c) {
      worksheet_write_string(sheet, static_cast<lxw_row_t>(r), static_cast<lxw_col_t>(c),
                             rows[r][c].c_str(), nullptr);
    }
  }
  const lxw_error error = workbook_close(workbook);
  if (error != LXW_NO_ERROR) return core::Unavailable(path + ": " + lxw_strerror(error));
  return core::OkStatus();
}

core::Result<std::vector<SheetRow>> ReadReportSheetXlsx(const std::string& path) {
  std::unique_ptr<void, int (*)(unzFile)> zip(unzOpen64(path.c_str()), unzClose);
  if (zip == nullptr) return core::InvalidArgument(path + ": not an XLSX (zip) file");
  XmlState state;
  JCM_ASSIGN_OR_RETURN(std::string shared, ReadZipEntry(zip.get(), "xl/sharedStrings.xml", false));
  if (!shared.empty())
    JCM_RETURN_IF_ERROR(ParseXml(shared, &state, false, path + "!sharedStrings.xml"));
  JCM_ASSIGN_OR_RETURN(std::string sheet,
                       ReadZipEntry(zip.get(), "xl/worksheets/sheet1.xml", true));
  JCM_RETURN_IF_ERROR(ParseXml(sheet, &state, true, path + "!sheet1.xml"));
  std::vector<SheetRow> rows;
  bool header_seen = false;
  for (const auto& [row_number, cells] : state.cells) {
    SheetRow row(kSheetColumns);
    for (const auto& [column, text] : cells) {
      if (static_cast<size_t>(column) < kSheetColumns) row[static_cast<size_t>(column)] = text;
    }
    if (!header_seen) {
      header_seen = row[0].starts_with("(a)");
      continue;
    }
    if (row[0].empty() && row[2].empty()) continue;
    row.push_back(std::to_string(row_number));
    rows.push_back(std::move(row));
  }
  if (!header_seen)
    return PositionError(path, 1, 1,
                         "no Table 1 header \"(a) Monitoring period\" in the first sheet");
  return rows;
}

}  // namespace jcm::mrv
