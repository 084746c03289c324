// Import of the public JCM data set (data/jcm/README.md) into project-cycle commands.
//
// Two steps, both pure (the caller reads the files and appends the events):
//   PlanJcmDataImport: parses the CSV texts into commands, each with the file and line it came
//     from, and notes every quirk or bad row found while parsing (a bad row yields no command).
//   RunImport: decides each command against the current state in order, applying the accepted
//     ones; a command whose fact is already recorded identically counts as unchanged (so a
//     re-import adds nothing); any other rejection is reported with its source row.
// Nothing stops half-way: every row is either loaded whole or reported.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "cycle/command.h"
#include "cycle/state.h"

namespace jcm::cycle::import {

inline constexpr std::string_view kProjectsAllFile = "projects_all_jcm.csv";
inline constexpr std::string_view kProjectsMongoliaFile = "projects_mongolia.csv";
inline constexpr std::string_view kMethodologiesFile = "methodologies.csv";
inline constexpr std::string_view kRulesFormsFile = "rules_forms.csv";
inline constexpr std::string_view kIssuanceRecordsFile = "issuance_records.csv";

// The contents of the five files; an empty view means the file is absent (reported).
struct JcmDataFiles {
  std::string_view projects_all;
  std::string_view projects_mongolia;
  std::string_view methodologies;
  std::string_view rules_forms;
  std::string_view issuance_records;
};

struct ImportNote {
  std::string file;
  int64_t line = 0;       // 0: about the whole file
  bool rejected = false;  // true: the row was not loaded; false: loaded, with this remark
  std::string message;
};

struct SourcedCommand {
  Command command;
  std::string file;
  int64_t line = 0;
};

struct ImportPlan {
  std::vector<SourcedCommand> commands;
  std::vector<ImportNote> notes;
};

ImportPlan PlanJcmDataImport(const JcmDataFiles& files);

// Where a row of the public data set is: the evidence an imported issuance cites.
struct SourceRow {
  std::string file;
  int64_t line = 0;
};

struct ImportResult {
  std::vector<Event> events;             // accepted, in order: append them to the journal
  std::vector<SourceRow> event_sources;  // event_sources[i]: the row events[i] comes from
  std::vector<ImportNote> notes;
  int64_t unchanged = 0;  // commands whose fact was already recorded identically
  State state;            // the state after the events
};

ImportResult RunImport(const State& state, const ImportPlan& plan, core::Date today);

// "Viet Nam" → "VN"; empty when the name is not a JCM partner (or Japan → "JP").
std::string_view CountryCode(std::string_view name);

// "24 Jan 26" → 2026-01-24, "20240731" → 2024-07-31; InvalidArgument otherwise.
core::Result<core::Date> ParseRawDate(std::string_view raw);

}  // namespace jcm::cycle::import
