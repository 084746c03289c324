#include "cycle/import/csv.h"

namespace jcm::cycle::import {

int CsvTable::Column(std::string_view name) const {
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return static_cast<int>(i);
  }
  return -1;
}

namespace {

// Reads one record starting at `pos`; advances `pos` and `line` past it.
core::Status ReadRecord(std::string_view text, size_t& pos, int64_t& line, CsvRow* row) {
  row->line = line;
  std::string field;
  bool quoted = false;
  bool after_quote = false;
  while (pos < text.size()) {
    char c = text[pos++];
    if (quoted) {
      if (c == '"') {
        if (pos < text.size() && text[pos] == '"') {
          field += '"';
          ++pos;
        } else {
          quoted = false;
          after_quote = true;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == ',') {
      row->fields.push_back(std::move(field));
      field.clear();
      after_quote = false;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && pos < text.size() && text[pos] == '\n') ++pos;
      ++line;
      row->fields.push_back(std::move(field));
      return core::OkStatus();
    } else if (c == '"' && field.empty() && !after_quote) {
      quoted = true;
    } else if (after_quote) {
      return core::InvalidArgument("line " + std::to_string(line) + ": text after a closing quote");
    } else {
      field += c;
    }
  }
  if (quoted) {
    return core::InvalidArgument("line " + std::to_string(row->line) + ": unterminated quote");
  }
  row->fields.push_back(std::move(field));
  return core::OkStatus();
}

}  // namespace

core::Result<CsvTable> ParseCsv(std::string_view text) {
  if (text.size() > kCsvBytesMax) return core::InvalidArgument("CSV input above 64 MiB");
  CsvTable table;
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (text.substr(0, kBom.size()) == kBom) {
    text.remove_prefix(kBom.size());
    table.had_byte_order_mark = true;
  }
  size_t pos = 0;
  int64_t line = 1;
  bool first = true;
  while (pos < text.size()) {
    CsvRow row;
    JCM_RETURN_IF_ERROR(ReadRecord(text, pos, line, &row));
    bool blank = row.fields.size() == 1 && row.fields[0].empty();
    if (blank) continue;
    if (first) {
      table.header = std::move(row.fields);
      first = false;
    } else {
      table.rows.push_back(std::move(row));
    }
  }
  if (first) return core::InvalidArgument("CSV input has no header");
  return table;
}

}  // namespace jcm::cycle::import
