// A small RFC 4180 CSV reader for the public JCM data files.
//
// Fields are separated by commas; a field in double quotes may contain commas, newlines and
// doubled quotes (""). A UTF-8 byte-order mark before the header is skipped. Lines may end with
// LF or CRLF. Each row remembers the line on which it starts, for error reports.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace jcm::cycle::import {

struct CsvRow {
  int64_t line = 0;  // 1-based line number in the file where the row starts
  std::vector<std::string> fields;
};

struct CsvTable {
  std::vector<std::string> header;
  std::vector<CsvRow> rows;
  bool had_byte_order_mark = false;

  // Index of a header column, or -1.
  int Column(std::string_view name) const;
};

// Limit on the input size: the public files are a few tens of KB.
inline constexpr size_t kCsvBytesMax = 64 * 1024 * 1024;

// InvalidArgument on an unterminated quote, text after a closing quote, or input above the limit.
core::Result<CsvTable> ParseCsv(std::string_view text);

}  // namespace jcm::cycle::import
