// Internal to the importer: one CSV file being read (with its notes) and the row helpers the
// per-file planners share.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/text.h"
#include "cycle/import/csv.h"
#include "cycle/import/jcm_data.h"

namespace jcm::cycle::import::internal {

// "" and "N/A" mean "no value" in the public files.
bool IsEmptyValue(std::string_view v);

// The JC secretariat of a pair: who publishes the facts the import records.
Actor SecretariatOf(std::string partner);

class Sheet {
 public:
  Sheet(std::string_view file, std::string_view text, std::vector<ImportNote>* notes)
      : file_(file), notes_(notes) {
    if (text.empty()) {
      Note(0, true, "file absent or empty");
      return;
    }
    auto table = ParseCsv(text);
    if (!table.ok()) {
      Note(0, true, "unreadable CSV: " + table.status().message());
      return;
    }
    table_ = std::move(table).value();
    if (table_.had_byte_order_mark) Note(0, false, "UTF-8 byte-order mark before the header");
    RepairDoubleEncoding();
  }

  const std::vector<CsvRow>& rows() const { return table_.rows; }

  // Fields whose UTF-8 was encoded twice (their C1 control characters would fail check 156)
  // are restored, with a note: the file's text is what the record says, in a broken encoding.
  void RepairDoubleEncoding() {
    for (CsvRow& row : table_.rows) {
      for (size_t i = 0; i < row.fields.size(); ++i) {
        if (!core::HasControlCharacter(row.fields[i])) continue;
        auto repaired = core::UndoDoubleEncoding(row.fields[i]);
        if (!repaired) continue;
        const std::string column = i < table_.header.size() ? table_.header[i] : "?";
        Note(row.line, false, column + ": UTF-8 encoded twice, repaired: '" + *repaired + "'");
        row.fields[i] = std::move(*repaired);
      }
    }
  }
  const std::string& file() const { return file_; }

  // The named column of a row; "" when the column or field is missing.
  std::string Get(const CsvRow& row, std::string_view column) const {
    int i = table_.Column(column);
    if (i < 0 || static_cast<size_t>(i) >= row.fields.size()) return "";
    return row.fields[static_cast<size_t>(i)];
  }
  bool HasColumns(std::initializer_list<std::string_view> columns) {
    for (std::string_view c : columns) {
      if (table_.Column(c) < 0 && !table_.header.empty()) {
        Note(0, true, "missing column '" + std::string(c) + "'");
        return false;
      }
    }
    return !table_.header.empty();
  }
  void Note(int64_t line, bool rejected, std::string message) {
    notes_->push_back({file_, line, rejected, std::move(message)});
  }

  // Resolves a date given both raw and ISO forms. nullopt + no note: both empty.
  // Sets *bad when unusable (and notes it as a rejection).
  std::optional<core::Date> DateOf(const CsvRow& row, std::string_view raw_column,
                                   std::string_view iso_column, bool* bad) {
    std::string raw = Get(row, raw_column);
    std::string iso = Get(row, iso_column);
    if (IsEmptyValue(raw) && IsEmptyValue(iso)) return std::nullopt;
    std::optional<core::Date> from_iso;
    if (!IsEmptyValue(iso)) {
      auto parsed = core::Date::Parse(iso);
      if (!parsed.ok())
        return Bad(row, bad, std::string(iso_column) + " '" + iso + "' is not a date");
      from_iso = *parsed;
    }
    if (IsEmptyValue(raw)) return from_iso;
    auto from_raw = ParseRawDate(raw);
    if (!from_raw.ok()) {
      if (from_iso) {
        Note(row.line, false, std::string(raw_column) + " '" + raw + "' unreadable; used ISO");
        return from_iso;
      }
      return Bad(row, bad, std::string(raw_column) + " '" + raw + "' is not a date");
    }
    if (!from_iso) {
      Note(row.line, false, std::string(iso_column) + " empty; used raw '" + raw + "'");
      return *from_raw;
    }
    if (*from_raw != *from_iso) {
      return Bad(row, bad,
                 std::string(raw_column) + " '" + raw + "' and " + std::string(iso_column) + " '" +
                     iso + "' disagree");
    }
    return from_iso;
  }

 private:
  std::optional<core::Date> Bad(const CsvRow& row, bool* bad, std::string message) {
    Note(row.line, true, std::move(message));
    *bad = true;
    return std::nullopt;
  }

  std::string file_;
  std::vector<ImportNote>* notes_;
  CsvTable table_;
};

// Splits on `separator`, trimming spaces and dropping empty / "N/A" items.
std::vector<std::string> SplitList(std::string_view text, char separator);
// "VN_AM011 Ver1.0 VN_AM012 Ver1.0" → {"VN_AM011 Ver1.0", "VN_AM012 Ver1.0"}.
std::vector<std::string> SplitMethodologies(std::string_view text);
// "24249.0" → 24249; nullopt for fractions or garbage.
std::optional<int64_t> ParseWholeNumber(std::string_view text);
// Plans RegisterParty for a partner the first time a row names it.
void RegisterPartyOnce(std::string_view code, std::string_view name, const Sheet& sheet,
                       const CsvRow& row, std::map<std::string, bool>* seen, ImportPlan* plan);

// issuance_records.csv: JC decisions per (project, period, decision date) and their executions.
void PlanIssuances(Sheet& sheet, ImportPlan* plan);

}  // namespace jcm::cycle::import::internal
