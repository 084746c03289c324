// Table: a report's rows as typed cells — the neutral result of a tabular use case (the public
// reports, public_reports.h; the programme report's tables). It holds values, never a format:
// service/tables writes it as CSV, JSON or XLSX for the CLI and the API.
//
// Contract: every row has exactly columns.size() cells (AddRow enforces it by construction of
// the callers; the writers treat a short row as padded with empty text). A Decimal cell keeps
// its text as written ("12.5", exact), so no writer rounds a figure through a double except
// XLSX, whose numbers are doubles by the file format.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace jcm::service {

// A decimal number kept as its exact text, as JSON writes a number ("12.5", "-1.25E0").
struct Decimal {
  std::string text;
  friend bool operator==(const Decimal&, const Decimal&) = default;
};

// Text, an integer or a decimal; std::monostate is an empty cell (JSON null).
using Cell = std::variant<std::monostate, std::string, int64_t, Decimal>;

struct Table {
  std::string name;  // a short title: the XLSX sheet's (writers shorten it to 31 characters)
  std::vector<std::string> columns;
  std::vector<std::vector<Cell>> rows;
};

}  // namespace jcm::service
