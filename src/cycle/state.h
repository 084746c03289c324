// State: the project cycle as rebuilt from the journal's "cycle.*" events, in journal order.
//
// State is never stored: Replay() folds the events with Apply(). Apply REQUIRES an event that
// Decide accepted against the same state (it does not re-check business rules; a violated
// precondition is a programmer error or a corrupt journal and is caught by JCM_CHECK).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "cycle/command.h"
#include "cycle/enums.h"

namespace jcm::cycle {

struct Party {
  std::string code;
  std::string name;
  std::optional<core::Date> bilateral_date;
};

struct JointCommittee {
  std::string partner;
  std::vector<std::string> members;
  std::string secretariat;
  core::Date established;
};

// One entry of a JC's decision log (explicit ones and those implied by cycle decisions).
struct JcDecisionEntry {
  std::string partner;
  std::string type;  // "methodology_approved", "project_registered", "issuance", …
  std::string subject;
  bool electronic = false;
  std::vector<std::string> annexes;
  core::Date date;
};

struct FormVersion {
  std::string version;
  std::optional<core::Date> effective;
};

struct Organisation {
  std::string id;
  std::string name;
  std::string country;
};

struct TpeDesignation {
  std::string partner;
  std::string org_id;
  int64_t sectoral_scope = 0;
  TpeFunction function = TpeFunction::kValidation;
  core::Date date;
};

struct MethodologyVersion {
  std::string version;
  core::Date date;
};

struct Methodology {
  std::string proposal_code;                // key; the first one for imported methodologies
  std::vector<std::string> proposal_codes;  // all proposals merged into it
  std::string partner;
  std::string title;
  std::string proponent;
  int64_t sectoral_scope = 0;
  MethodologyStatus status = MethodologyStatus::kProposed;
  core::Date proposed;
  std::optional<core::Date> input_start;  // public input window, 15 days inclusive
  std::optional<core::Date> input_end;
  bool extended = false;  // JC consideration extended from 60 to 90 days
  std::string approved_code;
  std::vector<MethodologyVersion> versions;  // ascending
  std::vector<Document> documents;
};

struct HistoryEntry {
  core::Date date;
  std::string kind;  // the event kind without prefix
  std::string note;
};

struct SideState {
  std::string side;
  int64_t amount_tco2e = 0;
  std::optional<core::Date> executed;
  std::string ledger_transaction;
};

struct MonitoringPeriodState {
  core::Period period;
  MonitoringStatus status = MonitoringStatus::kOpen;
  int64_t reported_tco2e = 0;
  std::string mrv_calculation_sha256;
  std::vector<std::string> mrv_input_sha256;
  std::string verifier;
  int64_t verified_tco2e = 0;
  bool verified_known = false;  // false for imported decisions (no verification in the data)
  int64_t requested_tco2e = 0;
  std::optional<core::Date> decision_date;
  int64_t decided_tco2e = 0;
  std::vector<SideState> sides;
};

struct Project {
  std::string id;         // PIN id, or the reference for imported projects
  std::string reference;  // <CC><nnn> once registered (imported projects carry theirs)
  std::string partner;
  std::string title;
  ProjectStatus status = ProjectStatus::kPinSubmitted;
  std::vector<std::string> host_participants;
  std::vector<std::string> japanese_participants;
  std::string focal_point;
  std::vector<std::string> methodologies;  // "MN_AM003 Ver2.0"
  int64_t sectoral_scope = 0;
  FundingSource funding = FundingSource::kUnknown;
  std::vector<Document> documents;
  std::optional<core::Date> pdd_input_start;  // PDD public input window
  std::string validator;
  std::vector<Share> allocation;
  std::optional<core::Date> registration_date;
  std::optional<core::Date> crediting_end;
  std::vector<MonitoringPeriodState> periods;  // in the order added
  std::vector<HistoryEntry> history;
  bool imported = false;

  bool IsParticipant(std::string_view org) const;
  const MonitoringPeriodState* FindPeriod(const core::Period& period) const;
  MonitoringPeriodState* FindPeriod(const core::Period& period);
};

class State {
 public:
  std::map<std::string, Party> parties;
  std::map<std::string, JointCommittee> committees;  // by partner code
  std::vector<JcDecisionEntry> decisions;
  std::map<std::string, std::vector<FormVersion>> forms;  // by form code, e.g. "JCM_MN_F_PIN"
  std::map<std::string, Organisation> organisations;
  std::vector<TpeDesignation> tpe_designations;
  std::map<std::string, Methodology> methodologies;  // by proposal code
  std::map<std::string, Project> projects;           // by id

  // By id or reference; nullptr when unknown.
  const Project* FindProject(std::string_view id_or_reference) const;
  Project* FindProject(std::string_view id_or_reference);
  // By proposal code or approved code.
  const Methodology* FindMethodology(std::string_view code) const;
  Methodology* FindMethodology(std::string_view code);
  bool IsTpeDesignated(std::string_view partner, std::string_view org_id, int64_t scope,
                       TpeFunction function, core::Date on) const;
  // The version of `form` valid on `date` (latest adopted with effective <= date or unknown).
  std::string FormVersionOn(std::string_view form, core::Date date) const;
  // The next free reference "<CC><nnn>" for a partner.
  std::string NextReference(std::string_view partner) const;
};

// REQUIRES: `event` was accepted by Decide against `state`.
void Apply(State& state, const Event& event);

}  // namespace jcm::cycle
