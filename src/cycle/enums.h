// The enumerations of the project cycle and their stable text names (journaled: never rename).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace jcm::cycle {

// Who issues a command. An organisation id goes with the role (Actor in command.h).
enum class Role : uint8_t {
  kParticipant,      // a project participant (the focal point speaks for the project)
  kProponent,        // a methodology proponent
  kSecretariat,      // the JC secretariat of a pair (also publishes facts: Record* commands)
  kJointCommittee,   // the Joint Committee of a pair
  kTpe,              // a third-party entity
  kRegistryManager,  // a side's registry manager; its organisation id is the registry code
  kGovernment,       // a government of a pair (signs bilateral documents, sets up the JC)
};

enum class TpeFunction : uint8_t { kValidation, kVerification };

// Where the project's money comes from. Subsidised sources oblige >= 50 % to the GoJ.
enum class FundingSource : uint8_t {
  kUnknown,          // not stated (imported projects)
  kMoejSubsidy,      // MOEJ equipment subsidy (JCM model projects)      — subsidised
  kHydrogenSubsidy,  // MOEJ hydrogen / new-technology subsidy            — subsidised
  kAdbJfjcm,         // ADB Japan Fund for the JCM
  kUnido,
  kNedo,
  kPrivate,  // private JCM (民間JCM)
};

enum class ProjectStatus : uint8_t {
  kPinSubmitted,
  kPinNoObjection,
  kPinObjected,
  kValidation,          // PDD published, public input and validation under way
  kValidated,           // positive validation opinion
  kValidationNegative,  // negative validation opinion
  kRegistrationRequested,
  kRegistered,
  kRegistrationWithdrawn,
  kRegistrationRejected,
  kWithdrawn,  // registered project withdrawn
};

enum class MethodologyStatus : uint8_t {
  kProposed,
  kIncomplete,   // failed the completeness check
  kPublicInput,  // complete; public input window, then JC consideration
  kApproved,
  kNotApproved,
};

enum class MonitoringStatus : uint8_t {
  kOpen,
  kReported,
  kVerified,
  kIssuanceRequested,
  kDecided,
};

bool IsSubsidised(FundingSource source);

std::string_view ToString(Role value);
std::string_view ToString(TpeFunction value);
std::string_view ToString(FundingSource value);
std::string_view ToString(ProjectStatus value);
std::string_view ToString(MethodologyStatus value);
std::string_view ToString(MonitoringStatus value);

// nullopt when `text` is not a name above.
std::optional<Role> ParseRole(std::string_view text);
std::optional<TpeFunction> ParseTpeFunction(std::string_view text);
std::optional<FundingSource> ParseFundingSource(std::string_view text);
std::optional<ProjectStatus> ParseProjectStatus(std::string_view text);
std::optional<MethodologyStatus> ParseMethodologyStatus(std::string_view text);
std::optional<MonitoringStatus> ParseMonitoringStatus(std::string_view text);

// Generic access for the record codec.
inline bool ParseEnum(std::string_view t, Role* v) {
  auto r = ParseRole(t);
  if (r) *v = *r;
  return r.has_value();
}
inline bool ParseEnum(std::string_view t, TpeFunction* v) {
  auto r = ParseTpeFunction(t);
  if (r) *v = *r;
  return r.has_value();
}
inline bool ParseEnum(std::string_view t, FundingSource* v) {
  auto r = ParseFundingSource(t);
  if (r) *v = *r;
  return r.has_value();
}
inline bool ParseEnum(std::string_view t, ProjectStatus* v) {
  auto r = ParseProjectStatus(t);
  if (r) *v = *r;
  return r.has_value();
}

}  // namespace jcm::cycle
