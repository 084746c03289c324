#include "cycle/import/jcm_data.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <optional>
#include <utility>

#include "core/record.h"
#include "cycle/import/csv.h"

namespace jcm::cycle::import {
namespace {

const Actor kImportSecretariat(std::string partner) {
  return Actor{Role::kSecretariat, std::move(partner)};
}

constexpr std::array<std::pair<std::string_view, std::string_view>, 34> kCountries = {{
    {"Japan", "JP"}, {"Mongolia", "MN"}, {"Bangladesh", "BD"}, {"Ethiopia", "ET"},
    {"Kenya", "KE"}, {"Maldives", "MV"}, {"Viet Nam", "VN"}, {"Laos", "LA"},
    {"Indonesia", "ID"}, {"Costa Rica", "CR"}, {"Palau", "PW"}, {"Cambodia", "KH"},
    {"Mexico", "MX"}, {"Saudi Arabia", "SA"}, {"Chile", "CL"}, {"Myanmar", "MM"},
    {"Thailand", "TH"}, {"Philippines", "PH"}, {"Sri Lanka", "LK"}, {"Tunisia", "TN"},
    {"Azerbaijan", "AZ"}, {"Moldova", "MD"}, {"Georgia", "GE"}, {"Senegal", "SN"},
    {"Ukraine", "UA"}, {"Papua New Guinea", "PG"}, {"United Arab Emirates", "AE"},
    {"Kyrgyz Republic", "KG"}, {"Kazakhstan", "KZ"}, {"Uzbekistan", "UZ"}, {"Ghana", "GH"},
    {"India", "IN"}, {"Tanzania", "TZ"}, {"Lao PDR", "LA"},
}};

constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

bool IsEmptyValue(std::string_view v) { return v.empty() || v == "N/A"; }

// One CSV file being read: the table, its name, and where notes go.
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
  }

  const std::vector<CsvRow>& rows() const { return table_.rows; }
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
      if (!parsed.ok()) return Bad(row, bad, std::string(iso_column) + " '" + iso + "' is not a date");
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
      return Bad(row, bad, std::string(raw_column) + " '" + raw + "' and " +
                               std::string(iso_column) + " '" + iso + "' disagree");
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

std::vector<std::string> SplitList(std::string_view text, char separator) {
  std::vector<std::string> items;
  while (!text.empty()) {
    size_t cut = text.find(separator);
    std::string_view item = text.substr(0, cut);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!IsEmptyValue(item)) items.emplace_back(item);
    if (cut == std::string_view::npos) break;
    text.remove_prefix(cut + 1);
  }
  return items;
}

// "VN_AM011 Ver1.0 VN_AM012 Ver1.0" → {"VN_AM011 Ver1.0", "VN_AM012 Ver1.0"}.
std::vector<std::string> SplitMethodologies(std::string_view text) {
  std::vector<std::string> words = SplitList(text, ' ');
  std::vector<std::string> out;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i + 1 < words.size() && words[i + 1].rfind("Ver", 0) == 0) {
      out.push_back(words[i] + " " + words[i + 1]);
      ++i;
    } else {
      out.push_back(words[i]);
    }
  }
  return out;
}

// "24249.0" → 24249; nullopt for fractions, signs other than '-', or garbage.
std::optional<int64_t> ParseWholeNumber(std::string_view text) {
  size_t dot = text.find('.');
  if (dot != std::string_view::npos) {
    std::string_view fraction = text.substr(dot + 1);
    for (char c : fraction) {
      if (c != '0') return std::nullopt;
    }
    text = text.substr(0, dot);
  }
  return core::ParseInt64(text);
}

void RegisterPartyOnce(std::string_view code, std::string_view name, const Sheet& sheet,
                       const CsvRow& row, std::map<std::string, bool>* seen,
                       ImportPlan* plan) {
  if (code == "JP" || (*seen)[std::string(code)]) return;
  (*seen)[std::string(code)] = true;
  plan->commands.push_back({Command{Actor{Role::kGovernment, "JP"},
                                    RegisterParty{std::string(code), std::string(name), {}}},
                            sheet.file(), row.line});
}


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
      sheet.Note(row.line, false, reference + ": no Japanese participant listed ('" +
                                      sheet.Get(row, "japanese_participant") + "')");
    }
    command.methodologies = SplitMethodologies(sheet.Get(row, "methodology_no"));
    RegisterPartyOnce(code, country, sheet, row, parties, plan);
    plan->commands.push_back(
        {Command{kImportSecretariat(code), std::move(command)}, sheet.file(), row.line});
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
        {Command{kImportSecretariat(code), std::move(command)}, sheet.file(), row.line});
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
      sheet.Note(row.line, true, "'" + sheet.Get(row, "document_title") +
                                     "' has no versioned file code (" + name + "); not recorded");
      continue;
    }
    std::string form = name.substr(0, ver);
    std::string version = name.substr(ver + 4, ext - ver - 4);
    if (seen.count(form + " " + version) != 0) continue;  // same form in another file format
    seen[form + " " + version] = row.line;
    RegisterPartyOnce(code, country, sheet, row, parties, plan);
    plan->commands.push_back(
        {Command{kImportSecretariat(code), AdoptForm{code, form, version, std::nullopt}},
         sheet.file(), row.line});
  }
}


// One row of issuance_records.csv, checked.
struct IssuanceRow {
  int64_t line = 0;
  std::string reference;
  std::string side;
  core::Period period;
  core::Date decision;
  int64_t notified_tco2e = 0;
  std::optional<core::Date> issued;
  int64_t total_notified = 0;
};

std::optional<IssuanceRow> ReadIssuanceRow(Sheet& sheet, const CsvRow& row) {
  IssuanceRow r;
  r.line = row.line;
  r.reference = sheet.Get(row, "reference_no");
  std::string country = sheet.Get(row, "country");
  r.side = std::string(CountryCode(country));
  if (r.side.empty()) {
    sheet.Note(row.line, true, r.reference + ": unknown country '" + country + "'");
    return std::nullopt;
  }
  bool bad = false;
  auto start = sheet.DateOf(row, "", "monitoring_start", &bad);
  auto end = sheet.DateOf(row, "", "monitoring_end", &bad);
  auto decision = sheet.DateOf(row, "decision_date_raw", "decision_date", &bad);
  r.issued = sheet.DateOf(row, "issuance_date_raw", "issuance_date", &bad);
  if (bad) return std::nullopt;
  if (!start || !end || !decision || *end < *start) {
    sheet.Note(row.line, true, r.reference + ": monitoring period or decision date missing/invalid");
    return std::nullopt;
  }
  std::string raw_period = sheet.Get(row, "monitoring_period_raw");
  size_t dash = raw_period.find(" - ");
  if (dash != std::string::npos) {
    auto raw_start = ParseRawDate(raw_period.substr(0, dash));
    auto raw_end = ParseRawDate(raw_period.substr(dash + 3));
    if (!raw_start.ok() || !raw_end.ok() || *raw_start != *start || *raw_end != *end) {
      sheet.Note(row.line, true, r.reference + ": monitoring_period_raw '" + raw_period +
                                     "' disagrees with monitoring_start/monitoring_end");
      return std::nullopt;
    }
  }
  r.period = {*start, *end};
  r.decision = *decision;
  auto notified = ParseWholeNumber(sheet.Get(row, "notified_amount"));
  auto total = ParseWholeNumber(sheet.Get(row, "total_notified"));
  if (!notified || !total) {
    sheet.Note(row.line, true, r.reference + ": notified_amount or total_notified not a whole number");
    return std::nullopt;
  }
  if (*notified < 0 || *total < 0) {
    sheet.Note(row.line, true, r.reference + ": negative amount (notified " +
                                   std::to_string(*notified) + ")");
    return std::nullopt;
  }
  r.notified_tco2e = *notified;
  r.total_notified = *total;
  std::string issued_text = sheet.Get(row, "issued_amount");
  if (r.issued.has_value()) {
    auto issued = ParseWholeNumber(issued_text);
    if (!issued || *issued != r.notified_tco2e) {
      sheet.Note(row.line, true, r.reference + ": issued_amount '" + issued_text +
                                     "' differs from notified_amount");
      return std::nullopt;
    }
    if (*r.issued < r.decision) {
      sheet.Note(row.line, true,
                 r.reference + " " + r.side + ": issuance date " + r.issued->ToString() +
                     " precedes the JC decision of " + r.decision.ToString() +
                     " for period " + r.period.ToString() +
                     " (the row likely belongs to a period missing from the data)");
      return std::nullopt;
    }
  } else if (r.notified_tco2e > 0) {
    sheet.Note(row.line, false, r.reference + " " + r.side + ": no issuance date: pending on " +
                                    r.side + "'s side");
  } else {
    sheet.Note(row.line, false, r.reference + " " + r.side + ": notified 0: nothing to issue");
  }
  return r;
}

struct DecisionGroup {
  std::string reference;
  core::Period period;
  core::Date decision;
  std::vector<IssuanceRow> rows;
};

void PlanIssuances(Sheet& sheet, ImportPlan* plan) {
  if (!sheet.HasColumns({"reference_no", "country", "notified_amount", "total_notified"})) return;
  std::vector<DecisionGroup> groups;
  std::map<std::string, std::vector<IssuanceRow>> by_project;
  for (const CsvRow& row : sheet.rows()) {
    auto r = ReadIssuanceRow(sheet, row);
    if (!r) continue;
    auto group = std::find_if(groups.begin(), groups.end(), [&](const DecisionGroup& g) {
      return g.reference == r->reference && g.period == r->period && g.decision == r->decision;
    });
    if (group == groups.end()) {
      groups.push_back({r->reference, r->period, r->decision, {}});
      group = groups.end() - 1;
    }
    auto same_side = std::find_if(group->rows.begin(), group->rows.end(),
                                  [&](const IssuanceRow& o) { return o.side == r->side; });
    if (same_side != group->rows.end()) {
      sheet.Note(row.line, true, r->reference + ": second " + r->side + " row for the decision of " +
                                     r->decision.ToString() + " (first on line " +
                                     std::to_string(same_side->line) + "); not loaded");
      continue;
    }
    group->rows.push_back(*r);
    by_project[r->reference].push_back(*r);
  }
  // total_notified is cumulative per project (README): check it against the rows loaded.
  for (const auto& [reference, rows] : by_project) {
    int64_t sum = 0;
    for (const IssuanceRow& r : rows) sum += r.notified_tco2e;
    if (sum != rows.front().total_notified) {
      sheet.Note(rows.front().line, false,
                 reference + ": cumulative total_notified " +
                     std::to_string(rows.front().total_notified) + " but the loaded rows sum to " +
                     std::to_string(sum) + " (some decisions are missing from the data)");
    }
  }
  for (const DecisionGroup& g : groups) {
    std::string partner;
    std::vector<SideAmount> sides;
    for (const IssuanceRow& r : g.rows) {
      sides.push_back({r.side, r.notified_tco2e});
      if (r.side != "JP") partner = r.side;
    }
    if (partner.empty()) partner = g.reference.substr(0, 2);
    plan->commands.push_back({Command{kImportSecretariat(partner),
                                      RecordIssuanceDecision{g.reference, g.period, sides,
                                                             g.decision}},
                              sheet.file(), g.rows.front().line});
    for (const IssuanceRow& r : g.rows) {
      if (!r.issued || r.notified_tco2e == 0) continue;
      plan->commands.push_back(
          {Command{Actor{Role::kRegistryManager, r.side},
                   ExecuteIssuance{g.reference, g.period, r.side, "", *r.issued}},
           sheet.file(), r.line});
    }
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
  PlanIssuances(issuances, &plan);
  // Party registrations first, whichever file named the country first.
  std::stable_partition(plan.commands.begin(), plan.commands.end(), [](const SourcedCommand& c) {
    return std::holds_alternative<RegisterParty>(c.command.payload);
  });
  return plan;
}

std::string_view CountryCode(std::string_view name) {
  for (const auto& [country, code] : kCountries) {
    if (country == name) return code;
  }
  return "";
}

core::Result<core::Date> ParseRawDate(std::string_view raw) {
  if (raw.size() == 8 && raw.find_first_not_of("0123456789") == std::string_view::npos) {
    std::string iso = std::string(raw.substr(0, 4)) + "-" + std::string(raw.substr(4, 2)) + "-" +
                      std::string(raw.substr(6, 2));
    return core::Date::Parse(iso);
  }
  std::vector<std::string> parts = SplitList(raw, ' ');
  if (parts.size() != 3 || parts[2].size() != 2 || parts[0].size() > 2 || parts[0].empty()) {
    return core::InvalidArgument("not a 'DD Mon YY' date: '" + std::string(raw) + "'");
  }
  int month = 0;
  for (size_t i = 0; i < kMonths.size(); ++i) {
    if (kMonths[i] == parts[1]) month = static_cast<int>(i) + 1;
  }
  auto day = core::ParseInt64(parts[0]);
  auto year = core::ParseInt64(parts[2]);
  if (month == 0 || !day || !year || *year < 0) {
    return core::InvalidArgument("not a 'DD Mon YY' date: '" + std::string(raw) + "'");
  }
  char iso[32];
  std::snprintf(iso, sizeof iso, "%04d-%02d-%02d", static_cast<int>(2000 + *year % 100), month,
                static_cast<int>(*day % 100));
  return core::Date::Parse(iso);
}

}  // namespace jcm::cycle::import
