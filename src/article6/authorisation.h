// An Article 6.2 authorisation: a Party's decision to authorise mitigation outcomes of a
// cooperative approach for use toward an NDC and/or other international mitigation purposes
// (OIMP), as the AEF's table 2 describes it (../shared/research/turn2-anchors.md §1.1–1.3;
// docs/article6.md). One record per version: a new version supersedes the one before and
// nothing is ever edited (INV-40). Units cite an authorisation by Party and ID.
//
// Validate turns a request as written into an Authorisation, or the first failing check of
// 600–612 (the controlled vocabularies of vocabulary.h). The journal form is ToRecord /
// FromRecord (docs/formats/journal.md, "article6.authorisation"). Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "article6/article6_check.h"
#include "article6/vocabulary.h"
#include "core/date.h"
#include "core/record.h"
#include "core/status.h"

namespace jcm::article6 {

inline constexpr size_t kEntityBytesMax = 200;
inline constexpr size_t kListEntriesMax = 100;  // sectors, activity types, entities each

// The authorised timeframe, calendar years inclusive, written "YYYY - YYYY" as the AEF does.
struct Timeframe {
  int first_year = 0;
  int last_year = 0;
  std::string ToString() const;
  static std::optional<Timeframe> Parse(std::string_view text);
  friend bool operator==(const Timeframe&, const Timeframe&) = default;
};

struct Authorisation {
  std::string party;  // the authorising Party, alpha-3 ("JPN", "MNG")
  std::string id;     // unique per Party; with the Party, what units cite
  int64_t version = 1;
  core::Date date;                   // the date of this version's authorisation
  std::string cooperative_approach;  // "CA0004"
  Metric metric = Metric::kGhg;
  std::vector<std::string> sectors;         // at least one of Sectors()
  std::vector<std::string> activity_types;  // of ActivityTypes(); may be empty
  Purpose purposes = Purpose::kNdc;
  std::optional<int64_t> quantity_cap_tco2e;  // the most units it may cover; none: no cap
  std::optional<Timeframe> timeframe;
  std::vector<std::string> entities;  // authorised entities (their identifiers or names)
  FirstTransferDefinition first_transfer = FirstTransferDefinition::kNone;  // OIMP only
  int64_t recorded_seq = 0;  // the journal entry that recorded it (not part of its content)

  // The event body; equal content gives an equal record.
  core::Record ToRecord() const;
  // DataLoss when a stored body is malformed (it was validated when journaled).
  static core::Result<Authorisation> FromRecord(const core::Record& body);
  bool SameContent(const Authorisation& other) const { return ToRecord() == other.ToRecord(); }
};

// What a Party asks to record, as written: every value is checked against its vocabulary.
struct AuthorisationRequest {
  std::string party;
  std::string id;
  int64_t version = 1;
  core::Date date;
  std::string cooperative_approach;
  std::string metric = "GHG";
  std::vector<std::string> sectors;
  std::vector<std::string> activity_types;
  std::string purposes;
  std::optional<int64_t> quantity_cap_tco2e;
  std::string timeframe;  // empty: none
  std::vector<std::string> entities;
  std::string first_transfer;  // empty: none
};

// Checks 600–612 in order: the authorisation the request describes, or the first failure.
std::variant<Authorisation, Rejection> Validate(const AuthorisationRequest& request);

}  // namespace jcm::article6
