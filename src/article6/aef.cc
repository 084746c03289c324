#include "article6/aef.h"

#include <algorithm>

#include "article6/authorisation.h"
#include "article6/vocabulary.h"
#include "core/date.h"
#include "core/sha256.h"
#include "core/text.h"

namespace jcm::article6 {
namespace {

using std::string_view_literals::operator""sv;

constexpr std::array kSubmissionColumns = {"Party"sv,
                                           "Version"sv,
                                           "Reported year"sv,
                                           "Date of submission"sv,
                                           "NDC first year"sv,
                                           "NDC last year"sv,
                                           "Initial report review status"sv,
                                           "Consistency check result"sv,
                                           "TER report link"sv};
constexpr std::array kAuthorisationColumns = {"Authorization ID"sv,
                                              "Date"sv,
                                              "Cooperative approach ID"sv,
                                              "Authorization version"sv,
                                              "Authorized quantity"sv,
                                              "Metric"sv,
                                              "GWP values"sv,
                                              "Non-GHG metric"sv,
                                              "Sectors"sv,
                                              "Activity types"sv,
                                              "Purposes for authorization"sv,
                                              "Authorized Party IDs"sv,
                                              "Authorized entity IDs"sv,
                                              "OIMP authorized"sv,
                                              "Authorized timeframe"sv,
                                              "Terms and conditions"sv,
                                              "Authorization documentation"sv,
                                              "First transfer definition for OIMP"sv,
                                              "Additional information"sv};
constexpr std::array kActionColumns = {"Action date"sv,
                                       "Action type"sv,
                                       "Action subtype"sv,
                                       "Cooperative approach ID"sv,
                                       "Authorization ID"sv,
                                       "First transferring Party ID"sv,
                                       "Party ITMO registry ID"sv,
                                       "First ID"sv,
                                       "Last ID"sv,
                                       "Underlying unit registry ID"sv,
                                       "Underlying first unit ID"sv,
                                       "Underlying last unit ID"sv,
                                       "Metric"sv,
                                       "GWP values"sv,
                                       "Non-GHG metric"sv,
                                       "Quantity (tCO2e)"sv,
                                       "Non-GHG quantity"sv,
                                       "Mitigation type"sv,
                                       "Vintage"sv,
                                       "Transferring Party ID"sv,
                                       "Acquiring Party ID"sv,
                                       "OIMP purpose of use"sv,
                                       "Using or cancelling Party ID"sv,
                                       "Using or cancelling entity ID"sv,
                                       "Year used toward NDC"sv,
                                       "Consistency check result"sv,
                                       "Additional information"sv};
constexpr std::array kHoldingColumns = {"Cooperative approach ID"sv,
                                        "Authorization ID"sv,
                                        "First transferring Party ID"sv,
                                        "Party ITMO registry ID"sv,
                                        "First ID"sv,
                                        "Last ID"sv,
                                        "Underlying unit registry ID"sv,
                                        "Underlying first unit ID"sv,
                                        "Underlying last unit ID"sv,
                                        "Metric"sv,
                                        "GWP values"sv,
                                        "Non-GHG metric"sv,
                                        "Quantity (tCO2e)"sv,
                                        "Non-GHG quantity"sv,
                                        "Mitigation type"sv,
                                        "Vintage"sv};
constexpr std::array kEntityColumns = {
    "Date of authorization"sv,           "Name"sv,
    "Country of incorporation"sv,        "Identification number"sv,
    "Cooperative approach ID"sv,         "Conditions"sv,
    "Change or revocation conditions"sv, "Additional information"sv};

constexpr std::array kMitigationTypes = {"Emission reductions"sv, "Removals"sv,
                                         "Emission reductions and removals"sv};
constexpr std::array kUnderlyingRegistries = {"VCS"sv,  "GS"sv,   "CAR"sv,        "ACR"sv,
                                              "ART"sv,  "GCC"sv,  "Cercarbono"sv, "Isometric"sv,
                                              "ISFL"sv, "FCPF"sv, "T-VER"sv,      "JCM"sv};
constexpr std::array kCancellationSubtypes = {
    "Mandatory"sv, "Voluntary cancellation to deliver OMGE"sv, "Other cancellations"sv};

template <size_t N>
bool OneOf(const std::array<std::string_view, N>& values, std::string_view text) {
  return std::find(values.begin(), values.end(), text) != values.end();
}

// The subtypes the nomenclature lists for an action type; "NA" for a type with none.
bool IsSubtypeOf(std::string_view type, std::string_view subtype) {
  if (subtype == "Not yet defined") return true;
  if (type == "First transfer") {
    return OneOf(std::array{"First transfer to another Party"sv, "Authorization"sv, "Issuance"sv,
                            "Use or cancellation"sv, "Voluntary cancellation to deliver OMGE"sv,
                            "Other cancellations"sv},
                 subtype);
  }
  if (type == "Transfer") {
    return subtype == "Mandatory" ||
           subtype == "Voluntary transfer to the Adaptation Fund (A6.4 ERs)";
  }
  if (type == "Cancellation" || type == "Voluntary Cancellation") {
    return OneOf(kCancellationSubtypes, subtype);
  }
  return subtype == kNotApplicable;
}

bool IsActionType(std::string_view text) {
  return OneOf(std::array{"Authorization"sv, "First transfer"sv, "Transfer"sv, "Acquisition"sv,
                          "Use"sv, "Cancellation"sv, "Voluntary Cancellation"sv},
               text);
}

bool IsPositiveInteger(std::string_view text) {
  const std::optional<int64_t> value = core::ParseInt64(text);
  return value && *value > 0 && text.front() != '+' && text.front() != '0';
}

bool IsYear(std::string_view text) {
  const std::optional<int64_t> value = core::ParseInt64(text);
  return text.size() == 4 && value && *value >= 1990 && *value <= 2100;
}

bool IsVersion(std::string_view text) {
  const size_t dot = text.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == text.size()) return false;
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return c == '.' || (c >= '0' && c <= '9'); }) &&
         text.find('.', dot + 1) == std::string_view::npos;
}

bool IsDmyDate(std::string_view text) {
  if (text.size() != 10 || text[2] != '/' || text[5] != '/') return false;
  const std::string iso = std::string(text.substr(6, 4)) + "-" + std::string(text.substr(3, 2)) +
                          "-" + std::string(text.substr(0, 2));
  return core::Date::Parse(iso).ok();
}

bool IsActionDate(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS.mmmZ
  if (text.size() != 24 || text[10] != 'T' || text[19] != '.' || text.back() != 'Z') return false;
  return core::Date::Parse(text.substr(0, 10)).ok();
}

// Each of a "; "-separated list passes `is_member`.
template <typename Predicate>
bool IsListOf(std::string_view text, Predicate is_member) {
  size_t start = 0;
  while (true) {
    const size_t end = text.find("; ", start);
    if (!is_member(text.substr(start, end - start))) return false;
    if (end == std::string_view::npos) return true;
    start = end + 2;
  }
}

// Why `value` is not of the form of (table, column) in `row`; nullopt when it is.
std::optional<std::string> CellProblem(AefTableId table, std::string_view column,
                                       std::string_view value, const std::vector<std::string>& row);

std::string_view Cell(AefTableId table, const std::vector<std::string>& row,
                      std::string_view column) {
  const auto columns = AefColumns(table);
  const auto at = std::find(columns.begin(), columns.end(), column);
  const size_t index = static_cast<size_t>(at - columns.begin());
  return index < row.size() ? std::string_view(row[index]) : std::string_view();
}

}  // namespace

std::span<const std::string_view> AefColumns(AefTableId table) {
  switch (table) {
    case AefTableId::kSubmission:
      return kSubmissionColumns;
    case AefTableId::kAuthorisations:
      return kAuthorisationColumns;
    case AefTableId::kActions:
      return kActionColumns;
    case AefTableId::kHoldings:
      return kHoldingColumns;
    case AefTableId::kEntities:
      return kEntityColumns;
  }
  return {};
}

std::string_view AefTableName(AefTableId table) {
  switch (table) {
    case AefTableId::kSubmission:
      return "T1 Submission";
    case AefTableId::kAuthorisations:
      return "T2 Authorizations";
    case AefTableId::kActions:
      return "T3 Actions";
    case AefTableId::kHoldings:
      return "T4 Holdings";
    case AefTableId::kEntities:
      return "T5 Authorized entities";
  }
  return "";
}

std::vector<AefTable> EmptyAefTables() {
  return {{AefTableId::kSubmission, {}},
          {AefTableId::kAuthorisations, {}},
          {AefTableId::kActions, {}},
          {AefTableId::kHoldings, {}},
          {AefTableId::kEntities, {}}};
}

std::string AefDate(const core::Date& date) {
  const std::string iso = date.ToString();  // YYYY-MM-DD
  return iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(0, 4);
}

std::string AefActionDate(std::string_view journal_time) {
  // "YYYY-MM-DDTHH:MM:SSZ" → "YYYY-MM-DDTHH:MM:SS.000Z"; times already with a fraction keep
  // its first three digits.
  const std::string_view seconds = journal_time.substr(0, 19);
  std::string fraction = "000";
  if (journal_time.size() > 20 && journal_time[19] == '.') {
    const std::string_view digits = journal_time.substr(20, 3);
    for (size_t i = 0; i < digits.size() && digits[i] >= '0' && digits[i] <= '9'; ++i) {
      fraction[i] = digits[i];
    }
  }
  return std::string(seconds) + "." + fraction + "Z";
}

std::optional<Rejection> ValidateAefTables(std::span<const AefTable> tables) {
  for (const AefTable& table : tables) {
    const auto columns = AefColumns(table.id);
    for (size_t r = 0; r < table.rows.size(); ++r) {
      const std::vector<std::string>& row = table.rows[r];
      for (size_t c = 0; c < columns.size(); ++c) {
        const std::string_view value = c < row.size() ? std::string_view(row[c]) : "";
        std::optional<std::string> problem = CellProblem(table.id, columns[c], value, row);
        if (!problem) continue;
        return Rejection{Article6Check::kAefValueInvalid,
                         std::string(AefTableName(table.id)) + " row " + std::to_string(r + 1) +
                             ", field \"" + std::string(columns[c]) + "\": \"" +
                             std::string(value) + "\" " + *problem};
      }
    }
  }
  return std::nullopt;
}

std::string AefDigest(std::span<const AefTable> tables) {
  core::Record content;
  for (const AefTable& table : tables) {
    content.Add("table", AefTableName(table.id));
    const auto columns = AefColumns(table.id);
    for (const std::vector<std::string>& row : table.rows) {
      for (size_t c = 0; c < row.size(); ++c) {
        const bool excluded = table.id == AefTableId::kSubmission &&
                              (columns[c] == "Version" || columns[c] == "Date of submission");
        content.Add("cell", excluded ? "" : row[c]);
      }
      content.Add("row_end", "");
    }
  }
  return core::Sha256Hex(content.Encode());
}

namespace {

std::optional<std::string> Expect(bool ok, std::string_view why) {
  if (ok) return std::nullopt;
  return std::string(why);
}

bool IsText(std::string_view value) {
  return !value.empty() && core::IsValidUtf8(value) && !core::HasControlCharacter(value);
}

std::optional<std::string> NaOr(std::string_view value, bool applies, bool ok,
                                std::string_view why) {
  if (!applies) return Expect(value == kNotApplicable, "must be NA here: the field does not apply");
  if (value == kNotApplicable) return std::nullopt;
  return Expect(ok, why);
}

std::optional<std::string> IdentifierProblem(std::string_view column, std::string_view value,
                                             std::string_view underlying) {
  if (column == "Cooperative approach ID") {
    return Expect(IsCooperativeApproachId(value), "is not a cooperative approach ID (CANNNN)");
  }
  if (column == "Authorization ID") {
    return Expect(IsAuthorisationId(value), "is not an authorization ID");
  }
  if (column == "Party ITMO registry ID") {
    return Expect(IsPartyItmoRegistryId(value), "is not a Party ITMO registry ID (AAA00)");
  }
  if (column == "First ID" || column == "Last ID" || column == "Quantity (tCO2e)") {
    return Expect(IsPositiveInteger(value), "is not a positive integer");
  }
  if (column == "Underlying unit registry ID") {
    return Expect(value == kNotApplicable || OneOf(kUnderlyingRegistries, value),
                  "is not an underlying unit registry of the nomenclature");
  }
  if (column == "Underlying first unit ID" || column == "Underlying last unit ID") {
    return NaOr(value, underlying != kNotApplicable, IsPositiveInteger(value),
                "is not a positive integer");
  }
  return std::nullopt;
}

// The fields T3 and T4 share: identifiers, metric, quantities, mitigation type and vintage.
std::optional<std::string> UnitFieldProblem(AefTableId table, std::string_view column,
                                            std::string_view value,
                                            const std::vector<std::string>& row, bool* known) {
  *known = true;
  const bool non_ghg = Cell(table, row, "Metric") == "non-GHG";
  if (column == "Metric") return Expect(MetricFromName(value).has_value(), "is not GHG or non-GHG");
  if (column == "GWP values") return Expect(IsText(value), "is empty");
  if (column == "Non-GHG metric" || column == "Non-GHG quantity") {
    return NaOr(value, non_ghg, IsText(value), "is empty");
  }
  if (column == "Mitigation type") {
    return Expect(OneOf(kMitigationTypes, value), "is not a mitigation type of the nomenclature");
  }
  if (column == "Vintage") return Expect(IsYear(value), "is not a year (the vintage is required)");
  if (column == "First transferring Party ID") {
    return Expect(IsPartyCode(value), "is not a Party (alpha-3)");
  }
  if (column == "Last ID" || column == "Underlying last unit ID") {
    const std::string_view first =
        Cell(table, row, column == "Last ID" ? "First ID" : "Underlying first unit ID");
    const auto first_id = core::ParseInt64(first), last_id = core::ParseInt64(value);
    if (first_id && last_id) {
      if (*last_id < *first_id) return "is below the first ID";
      const auto quantity = core::ParseInt64(Cell(table, row, "Quantity (tCO2e)"));
      if (!non_ghg && quantity && *last_id - *first_id + 1 != *quantity) {
        return "does not span the quantity of the row";
      }
    }
  }
  std::optional<std::string> identifier =
      IdentifierProblem(column, value, Cell(table, row, "Underlying unit registry ID"));
  if (identifier) return identifier;
  *known = column == "Cooperative approach ID" || column == "Authorization ID" ||
           column == "Party ITMO registry ID" || column == "First ID" || column == "Last ID" ||
           column == "Quantity (tCO2e)" || column.starts_with("Underlying");
  return std::nullopt;
}

std::optional<std::string> ActionProblem(std::string_view column, std::string_view value,
                                         const std::vector<std::string>& row) {
  const std::string_view type = Cell(AefTableId::kActions, row, "Action type");
  if (column == "Action date") {
    return Expect(IsActionDate(value), "is not an ISO 8601 UTC time with milliseconds");
  }
  if (column == "Action type") return Expect(IsActionType(value), "is not an action type");
  if (column == "Action subtype") {
    return Expect(IsSubtypeOf(type, value), "is not a subtype of this action type");
  }
  if (column == "Transferring Party ID") {
    return NaOr(value, type == "Acquisition", IsPartyCode(value), "is not a Party (alpha-3)");
  }
  if (column == "Acquiring Party ID") {
    return NaOr(value, type == "First transfer" || type == "Transfer", IsPartyCode(value),
                "is not a Party (alpha-3)");
  }
  const bool using_action = type == "Use" || type == "First transfer" || type == "Cancellation" ||
                            type == "Voluntary Cancellation";
  if (column == "OIMP purpose of use" || column == "Using or cancelling entity ID") {
    return NaOr(value, using_action, IsText(value), "is empty");
  }
  if (column == "Using or cancelling Party ID") {
    return NaOr(value, using_action, IsPartyCode(value), "is not a Party (alpha-3)");
  }
  if (column == "Year used toward NDC") {
    return NaOr(value, type == "Use", IsYear(value), "is not a year");
  }
  if (column == "Consistency check result") return Expect(value.empty(), "is the CARP's to fill");
  if (column == "Additional information") return Expect(IsText(value), "is empty");
  bool known = false;
  std::optional<std::string> unit =
      UnitFieldProblem(AefTableId::kActions, column, value, row, &known);
  if (unit || known) return unit;
  return "is not a field of the table";
}

std::optional<std::string> AuthorisationProblem(std::string_view column, std::string_view value,
                                                const std::vector<std::string>& row) {
  const std::optional<Purpose> purposes =
      PurposeFromName(Cell(AefTableId::kAuthorisations, row, "Purposes for authorization"));
  const bool oimp = purposes && CoversOimp(*purposes);
  if (column == "Date") return Expect(IsDmyDate(value), "is not a date dd/mm/yyyy");
  if (column == "Authorization version")
    return Expect(IsPositiveInteger(value), "is not a version");
  if (column == "Authorized quantity") {
    return NaOr(value, true, IsPositiveInteger(value), "is not a positive integer");
  }
  if (column == "Sectors") return Expect(IsListOf(value, IsSector), "is not a list of sectors");
  if (column == "Activity types") {
    return NaOr(value, true, IsListOf(value, IsActivityType), "is not a list of activity types");
  }
  if (column == "Purposes for authorization") {
    return Expect(purposes.has_value(), "is not a purpose of the nomenclature");
  }
  if (column == "Authorized Party IDs") {
    return NaOr(value, true, IsListOf(value, IsPartyCode), "is not a list of Parties");
  }
  if (column == "OIMP authorized") return NaOr(value, oimp, IsText(value), "is empty");
  if (column == "First transfer definition for OIMP") {
    return NaOr(value, oimp, FirstTransferDefinitionFromName(value).has_value(),
                "is not a first-transfer definition");
  }
  if (column == "Authorized timeframe") {
    return NaOr(value, true, Timeframe::Parse(value).has_value(), "is not YYYY - YYYY");
  }
  if (column == "Authorization documentation") {
    return Expect(value.empty(), "is the CARP's to fill");
  }
  if (column == "Authorized entity IDs" || column == "Terms and conditions" ||
      column == "Additional information") {
    return Expect(IsText(value), "is empty");
  }
  bool known = false;
  std::optional<std::string> unit =
      UnitFieldProblem(AefTableId::kAuthorisations, column, value, row, &known);
  if (unit || known) return unit;
  return "is not a field of the table";
}

std::optional<std::string> CellProblem(AefTableId table, std::string_view column,
                                       std::string_view value,
                                       const std::vector<std::string>& row) {
  switch (table) {
    case AefTableId::kSubmission:
      if (column == "Party") return Expect(IsPartyCode(value), "is not a Party (alpha-3)");
      if (column == "Version") return Expect(IsVersion(value), "is not a version X.Y");
      if (column == "Date of submission") {
        return Expect(IsDmyDate(value), "is not a date dd/mm/yyyy");
      }
      if (column.ends_with("year")) return Expect(IsYear(value), "is not a year");
      return Expect(value.empty(), "is the CARP's to fill");
    case AefTableId::kAuthorisations:
      return AuthorisationProblem(column, value, row);
    case AefTableId::kActions:
      return ActionProblem(column, value, row);
    case AefTableId::kHoldings: {
      bool known = false;
      std::optional<std::string> unit = UnitFieldProblem(table, column, value, row, &known);
      if (unit || known) return unit;
      return "is not a field of the table";
    }
    case AefTableId::kEntities:
      if (column == "Date of authorization") {
        return Expect(IsDmyDate(value), "is not a date dd/mm/yyyy");
      }
      if (column == "Country of incorporation") {
        return Expect(IsPartyCode(value), "is not a country (alpha-3)");
      }
      if (column == "Cooperative approach ID") {
        return Expect(IsCooperativeApproachId(value), "is not a cooperative approach ID (CANNNN)");
      }
      return Expect(IsText(value), "is empty");
  }
  return std::nullopt;
}

}  // namespace
}  // namespace jcm::article6
