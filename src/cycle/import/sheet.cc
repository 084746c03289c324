#include "cycle/import/sheet.h"

#include <array>
#include <cstdio>
#include <utility>

#include "core/record.h"

namespace jcm::cycle::import {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 34> kCountries = {{
    {"Japan", "JP"},
    {"Mongolia", "MN"},
    {"Bangladesh", "BD"},
    {"Ethiopia", "ET"},
    {"Kenya", "KE"},
    {"Maldives", "MV"},
    {"Viet Nam", "VN"},
    {"Laos", "LA"},
    {"Indonesia", "ID"},
    {"Costa Rica", "CR"},
    {"Palau", "PW"},
    {"Cambodia", "KH"},
    {"Mexico", "MX"},
    {"Saudi Arabia", "SA"},
    {"Chile", "CL"},
    {"Myanmar", "MM"},
    {"Thailand", "TH"},
    {"Philippines", "PH"},
    {"Sri Lanka", "LK"},
    {"Tunisia", "TN"},
    {"Azerbaijan", "AZ"},
    {"Moldova", "MD"},
    {"Georgia", "GE"},
    {"Senegal", "SN"},
    {"Ukraine", "UA"},
    {"Papua New Guinea", "PG"},
    {"United Arab Emirates", "AE"},
    {"Kyrgyz Republic", "KG"},
    {"Kazakhstan", "KZ"},
    {"Uzbekistan", "UZ"},
    {"Ghana", "GH"},
    {"India", "IN"},
    {"Tanzania", "TZ"},
    {"Lao PDR", "LA"},
}};

constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

}  // namespace

namespace internal {

bool IsEmptyValue(std::string_view v) { return v.empty() || v == "N/A"; }

Actor SecretariatOf(std::string partner) { return Actor{Role::kSecretariat, std::move(partner)}; }

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
                       const CsvRow& row, std::map<std::string, bool>* seen, ImportPlan* plan) {
  if (code == "JP" || (*seen)[std::string(code)]) return;
  (*seen)[std::string(code)] = true;
  plan->commands.push_back({Command{Actor{Role::kGovernment, "JP"},
                                    RegisterParty{std::string(code), std::string(name), {}}},
                            sheet.file(), row.line});
}

}  // namespace internal

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
  std::vector<std::string> parts = internal::SplitList(raw, ' ');
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
