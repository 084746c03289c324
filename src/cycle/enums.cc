#include "cycle/enums.h"

#include <array>
#include <utility>

namespace jcm::cycle {
namespace {

template <typename E, size_t N>
using Table = std::array<std::pair<E, std::string_view>, N>;

constexpr Table<Role, 7> kRoles = {{{Role::kParticipant, "participant"},
                                    {Role::kProponent, "proponent"},
                                    {Role::kSecretariat, "secretariat"},
                                    {Role::kJointCommittee, "joint_committee"},
                                    {Role::kTpe, "tpe"},
                                    {Role::kRegistryManager, "registry_manager"},
                                    {Role::kGovernment, "government"}}};
constexpr Table<TpeFunction, 2> kFunctions = {
    {{TpeFunction::kValidation, "validation"}, {TpeFunction::kVerification, "verification"}}};
constexpr Table<FundingSource, 7> kFunding = {
    {{FundingSource::kUnknown, "unknown"},
     {FundingSource::kMoejSubsidy, "moej_subsidy"},
     {FundingSource::kHydrogenSubsidy, "hydrogen_subsidy"},
     {FundingSource::kAdbJfjcm, "adb_jfjcm"},
     {FundingSource::kUnido, "unido"},
     {FundingSource::kNedo, "nedo"},
     {FundingSource::kPrivate, "private"}}};
constexpr Table<ProjectStatus, 11> kProjectStatuses = {
    {{ProjectStatus::kPinSubmitted, "pin_submitted"},
     {ProjectStatus::kPinNoObjection, "pin_no_objection"},
     {ProjectStatus::kPinObjected, "pin_objected"},
     {ProjectStatus::kValidation, "validation"},
     {ProjectStatus::kValidated, "validated"},
     {ProjectStatus::kValidationNegative, "validation_negative"},
     {ProjectStatus::kRegistrationRequested, "registration_requested"},
     {ProjectStatus::kRegistered, "registered"},
     {ProjectStatus::kRegistrationWithdrawn, "registration_withdrawn"},
     {ProjectStatus::kRegistrationRejected, "registration_rejected"},
     {ProjectStatus::kWithdrawn, "withdrawn"}}};
constexpr Table<MethodologyStatus, 5> kMethodologyStatuses = {
    {{MethodologyStatus::kProposed, "proposed"},
     {MethodologyStatus::kIncomplete, "incomplete"},
     {MethodologyStatus::kPublicInput, "public_input"},
     {MethodologyStatus::kApproved, "approved"},
     {MethodologyStatus::kNotApproved, "not_approved"}}};
constexpr Table<MonitoringStatus, 5> kMonitoringStatuses = {
    {{MonitoringStatus::kOpen, "open"},
     {MonitoringStatus::kReported, "reported"},
     {MonitoringStatus::kVerified, "verified"},
     {MonitoringStatus::kIssuanceRequested, "issuance_requested"},
     {MonitoringStatus::kDecided, "decided"}}};

template <typename E, size_t N>
std::string_view NameOf(const Table<E, N>& table, E value) {
  for (const auto& [v, name] : table) {
    if (v == value) return name;
  }
  return "unknown";
}

template <typename E, size_t N>
std::optional<E> ValueOf(const Table<E, N>& table, std::string_view text) {
  for (const auto& [v, name] : table) {
    if (name == text) return v;
  }
  return std::nullopt;
}

}  // namespace

bool IsSubsidised(FundingSource source) {
  return source == FundingSource::kMoejSubsidy || source == FundingSource::kHydrogenSubsidy;
}

std::string_view ToString(Role value) { return NameOf(kRoles, value); }
std::string_view ToString(TpeFunction value) { return NameOf(kFunctions, value); }
std::string_view ToString(FundingSource value) { return NameOf(kFunding, value); }
std::string_view ToString(ProjectStatus value) { return NameOf(kProjectStatuses, value); }
std::string_view ToString(MethodologyStatus value) { return NameOf(kMethodologyStatuses, value); }
std::string_view ToString(MonitoringStatus value) { return NameOf(kMonitoringStatuses, value); }

std::optional<Role> ParseRole(std::string_view text) { return ValueOf(kRoles, text); }
std::optional<TpeFunction> ParseTpeFunction(std::string_view text) {
  return ValueOf(kFunctions, text);
}
std::optional<FundingSource> ParseFundingSource(std::string_view text) {
  return ValueOf(kFunding, text);
}
std::optional<ProjectStatus> ParseProjectStatus(std::string_view text) {
  return ValueOf(kProjectStatuses, text);
}
std::optional<MethodologyStatus> ParseMethodologyStatus(std::string_view text) {
  return ValueOf(kMethodologyStatuses, text);
}
std::optional<MonitoringStatus> ParseMonitoringStatus(std::string_view text) {
  return ValueOf(kMonitoringStatuses, text);
}

}  // namespace jcm::cycle
