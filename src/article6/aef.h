// The Agreed Electronic Format (AEF; Decision 4/CMA.6 annex II, issue 11 §4; docs/article6.md,
// "The AEF"): the five tables a Party reports for each calendar year — T1 submission, T2
// authorisations, T3 actions, T4 holdings at 31 December UTC, T5 authorised entities — as rows
// of text under the nomenclature's column names, with "NA" where a field does not apply and an
// empty cell for the fields the CARP fills (../shared/research/turn2-anchors.md §1.1–1.2, 1.6).
//
// What is here is pure: the tables' columns, the validation of every cell against the
// controlled vocabularies and formats (check 646 names the table, row and field of the first
// violation), and the book of what the journal records about a Party's reports — T4 frozen
// once the year is over (never derived again) and each submitted version. Which rows a
// registry's records give is the service's (service/aef.h).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "article6/article6_check.h"
#include "core/date.h"
#include "core/record.h"
#include "core/status.h"

namespace jcm::article6 {

inline constexpr std::string_view kNotApplicable = "NA";

enum class AefTableId : uint8_t { kSubmission, kAuthorisations, kActions, kHoldings, kEntities };

// Column names, in the order of the nomenclature's tables (9, 19, 27, 16 and 8 fields).
std::span<const std::string_view> AefColumns(AefTableId table);
std::string_view AefTableName(AefTableId table);  // "T1 Submission", …, "T5 Authorized entities"

struct AefTable {
  AefTableId id = AefTableId::kSubmission;
  std::vector<std::vector<std::string>> rows;  // each of AefColumns(id).size() cells
};

// The five tables in order, empty.
std::vector<AefTable> EmptyAefTables();

// Check 646 on the first cell (table order, then row, then column) that is not of its form:
// required and empty, not of its controlled vocabulary, a malformed date, year, identifier or
// quantity, "NA" where the field applies or a value where it does not, a CARP-filled field
// written. The message names the table, the 1-based row and the field.
std::optional<Rejection> ValidateAefTables(std::span<const AefTable> tables);

// Formats the AEF asks for: a date as dd/mm/yyyy; an action date as ISO 8601 UTC with
// milliseconds, from a journal time "YYYY-MM-DDTHH:MM:SSZ".
std::string AefDate(const core::Date& date);
std::string AefActionDate(std::string_view journal_time);

// Event kinds (article6.* family; persisted, never rename).
inline constexpr std::string_view kEventAefHoldings = "article6.aef_holdings";
inline constexpr std::string_view kEventAefSubmission = "article6.aef_submission";

// T4 of (party, year) as frozen: the rows and the journal entry whose position they are (the
// last entry of the year).
struct FrozenHoldings {
  std::string party;
  int year = 0;
  int64_t as_of_seq = 0;
  std::vector<std::vector<std::string>> rows;
  core::Record ToRecord() const;
  static core::Result<FrozenHoldings> FromRecord(const core::Record& body);
};

// A submitted version of (party, year): "1.0" first, then "1.1", "1.2", … for each
// resubmission with other content; `digest` is the SHA-256 of the tables' content apart from
// T1's version and date (AefDigest).
struct AefSubmission {
  std::string party;
  int year = 0;
  std::string version;
  std::string date;  // dd/mm/yyyy
  std::string digest;
  core::Record ToRecord() const;
  static core::Result<AefSubmission> FromRecord(const core::Record& body);
};

std::string AefDigest(std::span<const AefTable> tables);

// The frozen holdings and submissions replayed from the journal (other article6.* kinds are
// skipped). DataLoss on a malformed body, a second freeze of one (party, year) or a version
// out of order.
class AefBook {
 public:
  core::Status Apply(std::string_view kind, const core::Record& body, int64_t seq);
  const FrozenHoldings* Holdings(const std::string& party, int year) const;
  // Submissions of (party, year), oldest first (empty when none).
  std::span<const AefSubmission> Submissions(const std::string& party, int year) const;
  // The version the next submission of content `digest` gets: the last one's when the content
  // is unchanged (a replay: nothing to record), else "1.0" first and the minor number + 1.
  std::pair<std::string, bool> NextVersion(const std::string& party, int year,
                                           const std::string& digest) const;
  int64_t last_seq() const { return last_seq_; }

 private:
  std::map<std::pair<std::string, int>, FrozenHoldings> holdings_;
  std::map<std::pair<std::string, int>, std::vector<AefSubmission>> submissions_;
  int64_t last_seq_ = 0;
};

}  // namespace jcm::article6
