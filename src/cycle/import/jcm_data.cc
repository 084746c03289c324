#include "cycle/import/jcm_data.h"

#include <algorithm>
#include <map>

#include "core/record.h"
#include "cycle/import/sheet.h"

namespace jcm::cycle::import {
namespace {

using internal::IsEmptyValue;
using internal::RegisterPartyOnce;
using internal::SecretariatOf;
using internal::Sheet;
using internal::SplitList;
using internal::SplitMethodologies;

std::optional<ProjectStatus> StatusFromCsv(std::string_view text) {
  if (text == "Project registered") return ProjectStatus::kRegistered;
  if (text == "Validation") return ProjectStatus::kValidation;
  if (text == "Request for Registration withdrawn") return ProjectStatus::kRegistrationWithdrawn;
  return std::nullopt;
}

void PlanProjects(Sheet& sheet, std::map<std::string, bool>* parties, ImportPlan* plan) {
  if (!sheet.HasColumns({"reference_no", "host_country", "project_title", "status"})) return;
  std::map<std::string, int64_t> seen;  // reference → line
  for (const CsvRow& row : sheet.rows()) {
    std::string reference = sheet.Get(row, "reference_no");
    std::string country = sheet.Get(row, "host_country");
    std::string code(CountryCode(country));
    if (code.empty() || code == "JP") {
      sheet.Note(row.line, true, reference + ": unknown host country '" + country + "'");
      continue;
    }
    auto status = StatusFromCsv(sheet.Get(row, "status"));
    if (!status) {
      sheet.Note(row.line, true, reference + ": unknown status '" + sheet.Get(row, "status") + "'");
      continue;
    }
    bool bad = false;
    auto registered = sheet.DateOf(row, "registration_date_raw", "registration_date", &bad);
    if (bad) continue;
    if (auto it = seen.find(reference); it != seen.end()) {
      sheet.Note(row.line, true,
                 reference + ": duplicate of line " + std::to_string(it->second) + "; not loaded");
      continue;
    }
    seen[reference] = row.line;
    RecordProject command;
    command.reference = reference;
    command.partner = code;
    command.title = sheet.Get(row, "project_title");
    command.status = *status;
    command.registration_date = registered;
    command.host_participants = SplitList(sheet.Get(row, "host_country_participant"), ';');
    command.japanese_participants = SplitList(sheet.Get(row, "japanese_participant"), ';');
    if (command.japanese_participants.empty()) {
      sheet.Note(row.line, false,
                 reference + ": no Japanese participant listed ('" +
                     sheet.Get(row, "japanese_participant") + "')");
    }
    command.methodologies = SplitMethodologies(sheet.Get(row, "methodology_no"));
    RegisterPartyOnce(code, country, sheet, row, parties, plan);
    plan->commands.push_back(
        {Command{SecretariatOf(code), std::move(command)}, sheet.file(), row.line});
  }
}

void PlanMethodologies(Sheet& sheet, std::map<std::string, bool>* parties, ImportPlan* plan) {
  if (!sheet.HasColumns({"host_country", "methodology_code", "latest_version"})) return;
  for (const CsvRow& row : sheet.rows()) {
    std::string country = sheet.Get(row, "host_country");
    std::string code(CountryCode(country));
    std::string am = sheet.Get(row, "methodology_code");
    if (code.empty() || code == "JP") {
      sheet.Note(row.line, true, am + ": unknown host country '" + country + "'");
      continue;
    }
    if (sheet.Get(row, "status") != "Approved") {
      sheet.Note(row.line, true, am + ": status '" + sheet.Get(row, "status") + "' not approved");
      continue;
    }
    bool bad = false;
    auto approved = sheet.DateOf(row, "approval_date_raw", "approval_date", &bad);
    auto input_start = sheet.DateOf(row, "public_input_start_raw", "public_input_start", &bad);
    auto input_end = sheet.DateOf(row, "public_input_end_raw", "public_input_end", &bad);
    if (bad) continue;
    if (!approved) {
      sheet.Note(row.line, true, am + ": no approval date");
      continue;
    }
    std::string version = sheet.Get(row, "latest_version");
    if (version.rfind("Ver", 0) == 0) version = version.substr(3);
    std::string scope_text = sheet.Get(row, "sectoral_scope");
    auto scope = core::ParseInt64(scope_text.substr(0, scope_text.find('.')));
    RecordMethodology command{am,
                              SplitList(sheet.Get(row, "proposed_methodology_code"), ' '),
                              code,
                              sheet.Get(row, "title"),
                              sheet.Get(row, "proponent"),
                              scope.value_or(0),
                              version,
                              *approved,
                              input_start,
                              input_end};
    RegisterPartyOnce(code, country, sheet, row, parties, plan);
    plan->commands.push_back(
        {Command{SecretariatOf(code), std::move(command)}, sheet.file(), row.line});
  }
}

void PlanForms(Sheet& sheet, std::map<std::string, bool>* parties, ImportPlan* plan) {
  if (!sheet.HasColumns({"host_country", "file_url"})) return;
  std::map<std::string, int64_t> seen;  // form + version → line (DOCX and PDF of one form)
  for (const CsvRow& row : sheet.rows()) {
    std::string country = sheet.Get(row, "host_country");
    std::string code(CountryCode(country));
    if (code.empty() || code == "JP") {
      sheet.Note(row.line, true, "unknown host country '" + country + "'");
      continue;
    }
    std::string url = sheet.Get(row, "file_url");
    std::string name = url.substr(url.find_last_of('/') + 1);
    size_t ver = name.rfind("_ver");
    size_t ext = name.rfind('.');
    std::string prefix = "JCM_" + code + "_";
    if (name.rfind(prefix, 0) != 0 || ver == std::string::npos || ext == std::string::npos ||
        ext < ver) {
      sheet.Note(row.line, true,
                 "'" + sheet.Get(row, "document_title") + "' has no versioned file code (" + name +
                     "); not recorded");
      continue;
    }
    std::string form = name.substr(0, ver);
    std::string version = name.substr(ver + 4, ext - ver - 4);
    if (seen.count(form + " " + version) != 0) continue;  // same form in another file format
    seen[form + " " + version] = row.line;
    RegisterPartyOnce(code, country, sheet, row, parties, plan);
    plan->commands.push_back(
        {Command{SecretariatOf(code), AdoptForm{code, form, version, std::nullopt}}, sheet.file(),
         row.line});
  }
}

}  // namespace

ImportPlan PlanJcmDataImport(const JcmDataFiles& files) {
  ImportPlan plan;
  std::map<std::string, bool> parties;
  Sheet projects(kProjectsAllFile, files.projects_all, &plan.notes);
  Sheet mongolia(kProjectsMongoliaFile, files.projects_mongolia, &plan.notes);
  Sheet methodologies(kMethodologiesFile, files.methodologies, &plan.notes);
  Sheet forms(kRulesFormsFile, files.rules_forms, &plan.notes);
  Sheet issuances(kIssuanceRecordsFile, files.issuance_records, &plan.notes);
  // Order matters: parties come with their first row; projects before their issuances.
  PlanMethodologies(methodologies, &parties, &plan);
  PlanForms(forms, &parties, &plan);
  PlanProjects(projects, &parties, &plan);
  PlanProjects(mongolia, &parties, &plan);
  internal::PlanIssuances(issuances, &plan);
  // Party registrations first, whichever file named the country first.
  std::stable_partition(plan.commands.begin(), plan.commands.end(), [](const SourcedCommand& c) {
    return std::holds_alternative<RegisterParty>(c.command.payload);
  });
  return plan;
}

}  // namespace jcm::cycle::import
