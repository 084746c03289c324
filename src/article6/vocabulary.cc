#include "article6/vocabulary.h"

#include <algorithm>
#include <array>
#include <utility>

namespace jcm::article6 {
namespace {

constexpr std::array<std::pair<Purpose, std::string_view>, 7> kPurposes = {{
    {Purpose::kNdc, "NDC"},
    {Purpose::kOimp, "OIMP"},
    {Purpose::kImp, "IMP"},
    {Purpose::kOp, "OP"},
    {Purpose::kNdcAndOimp, "NDC and OIMP"},
    {Purpose::kNdcAndImp, "NDC and IMP"},
    {Purpose::kNdcAndOp, "NDC and OP"},
}};

constexpr std::array<std::pair<FirstTransferDefinition, std::string_view>, 3> kDefinitions = {{
    {FirstTransferDefinition::kAuthorisation, "Authorisation"},
    {FirstTransferDefinition::kIssuance, "Issuance"},
    {FirstTransferDefinition::kUseOrCancellation, "Use or Cancellation"},
}};

constexpr std::array<std::string_view, 9> kSectors = {
    "Agriculture",       "Building and construction", "Cross-sectoral mechanisms",
    "Energy generation", "Forestry and land use",     "Industrial processes",
    "Transportation",    "Urban development",         "Waste management",
};

constexpr std::array<std::string_view, 27> kActivityTypes = {
    "Afforestation",
    "Agriculture",
    "Biogas",
    "Biomass Energy",
    "Cement",
    "C02 usage",  // sic: a digit zero, as the nomenclature writes it
    "Coal bed/mine methane",
    "Energy distribution",
    "Energy Efficiency households",
    "Energy Efficiency Industry",
    "Energy Efficiency own generation",
    "Energy Efficiency service",
    "Energy Efficiency supply side",
    "Fossil fuel switch",
    "Fugitive",
    "Geothermal",
    "Hydro",
    "Landfill gas",
    "Methane avoidance",
    "N2O",
    "PFCs and SF6",
    "Reforestation",
    "Solar",
    "Tidal",
    "Transport",
    "Waste",
    "Wind",
};

template <typename Enum, size_t N>
std::optional<Enum> Lookup(const std::array<std::pair<Enum, std::string_view>, N>& table,
                           std::string_view name) {
  for (const auto& [value, text] : table) {
    if (text == name) return value;
  }
  return std::nullopt;
}

template <typename Enum, size_t N>
std::string_view NameOf(const std::array<std::pair<Enum, std::string_view>, N>& table, Enum value) {
  for (const auto& [v, text] : table) {
    if (v == value) return text;
  }
  return "";
}

bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::string_view PurposeName(Purpose purpose) { return NameOf(kPurposes, purpose); }
std::optional<Purpose> PurposeFromName(std::string_view name) { return Lookup(kPurposes, name); }

std::string_view MetricName(Metric metric) { return metric == Metric::kGhg ? "GHG" : "non-GHG"; }
std::optional<Metric> MetricFromName(std::string_view name) {
  if (name == "GHG") return Metric::kGhg;
  if (name == "non-GHG") return Metric::kNonGhg;
  return std::nullopt;
}

std::string_view FirstTransferDefinitionName(FirstTransferDefinition definition) {
  return NameOf(kDefinitions, definition);
}
std::optional<FirstTransferDefinition> FirstTransferDefinitionFromName(std::string_view name) {
  return Lookup(kDefinitions, name);
}

std::span<const std::string_view> Sectors() { return kSectors; }
std::span<const std::string_view> ActivityTypes() { return kActivityTypes; }
bool IsSector(std::string_view name) {
  return std::find(kSectors.begin(), kSectors.end(), name) != kSectors.end();
}
bool IsActivityType(std::string_view name) {
  return std::find(kActivityTypes.begin(), kActivityTypes.end(), name) != kActivityTypes.end();
}

bool IsPartyCode(std::string_view text) {
  return text.size() == 3 && std::all_of(text.begin(), text.end(), IsUpper);
}
bool IsCooperativeApproachId(std::string_view text) {
  return text.size() == 6 && text.starts_with("CA") &&
         std::all_of(text.begin() + 2, text.end(), IsDigit);
}
bool IsPartyItmoRegistryId(std::string_view text) {
  return text.size() == 5 && IsPartyCode(text.substr(0, 3)) && IsDigit(text[3]) && IsDigit(text[4]);
}
bool IsAuthorisationId(std::string_view text) {
  if (text.empty() || text.size() > kAuthorisationIdBytesMax) return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    return IsUpper(c) || IsDigit(c) || (c >= 'a' && c <= 'z') || c == ' ' || c == '-';
  });
}

}  // namespace jcm::article6
