// Commands and events of the project cycle.
//
// A Command is what an actor asks for; Decide (decide.h) checks it against the State and either
// rejects it with a numbered check or returns the Event to journal. An Event is the accepted
// command with its derived fields filled (e.g. the reference assigned at registration, the
// per-side amounts of an issuance decision, the form version valid on the submission date).
// Every payload struct lists its fields once in Visit(); the record codec (codec.h) and the
// tests use that list, so adding a field cannot desynchronise encoding and decoding.
// Payload kinds are journaled as "cycle.<kKind>": never rename one.
#pragma once

#include <variant>

#include "cycle/issuance_payloads.h"
#include "cycle/payload_common.h"

namespace jcm::cycle {

// ---- Parties, Joint Committees, rules ----
struct RegisterParty {
  JCM_CYCLE_PAYLOAD(RegisterParty, "party_registered");
  std::string partner;  // registry code of the partner country
  std::string name;
  std::optional<core::Date> bilateral_date;
  template <class V>
  void Visit(V&& v) {
    v("partner", partner);
    v("name", name);
    v("bilateral_date", bilateral_date);
  }
};
struct EstablishJointCommittee {
  JCM_CYCLE_PAYLOAD(EstablishJointCommittee, "joint_committee_established");
  std::string partner;
  std::vector<std::string> members;
  std::string secretariat;
  core::Date date;
  template <class V>
  void Visit(V&& v) {
    v("partner", partner);
    v("member", members);
    v("secretariat", secretariat);
    v("date", date);
  }
};
struct RecordJcDecision {
  JCM_CYCLE_PAYLOAD(RecordJcDecision, "jc_decision_recorded");
  std::string partner;
  std::string type;  // e.g. "rules_adopted", "tpe_designated", "other"
  std::string subject;
  bool electronic = false;  // decided by electronic means rather than at a meeting
  std::vector<std::string> annexes;
  core::Date date;
  template <class V>
  void Visit(V&& v) {
    v("partner", partner);
    v("type", type);
    v("subject", subject);
    v("electronic", electronic);
    v("annex", annexes);
    v("date", date);
  }
};
struct AdoptForm {
  JCM_CYCLE_PAYLOAD(AdoptForm, "form_adopted");
  std::string partner;
  std::string form;                     // file code without version, e.g. "JCM_MN_F_PIN"
  std::string version;                  // "06.0"
  std::optional<core::Date> effective;  // unknown for imported forms
  template <class V>
  void Visit(V&& v) {
    v("partner", partner);
    v("form", form);
    v("version", version);
    v("effective", effective);
  }
};
struct RegisterOrganisation {
  JCM_CYCLE_PAYLOAD(RegisterOrganisation, "organisation_registered");
  std::string org_id;
  std::string name;
  std::string country;
  template <class V>
  void Visit(V&& v) {
    v("org_id", org_id);
    v("name", name);
    v("country", country);
  }
};
struct DesignateTpe {
  JCM_CYCLE_PAYLOAD(DesignateTpe, "tpe_designated");
  std::string partner;
  std::string org_id;
  int64_t sectoral_scope = 0;
  TpeFunction function = TpeFunction::kValidation;
  core::Date date;
  template <class V>
  void Visit(V&& v) {
    v("partner", partner);
    v("org_id", org_id);
    v("sectoral_scope", sectoral_scope);
    v("function", function);
    v("date", date);
  }
};

// ---- Methodologies ----
struct ProposeMethodology {
  JCM_CYCLE_PAYLOAD(ProposeMethodology, "methodology_proposed");
  std::string proposal_code;  // <CC>_PM<nnn>
  std::string partner;
  std::string title;
  std::string proponent;
  int64_t sectoral_scope = 0;
  Document document;
  core::Date date;
  template <class V>
  void Visit(V&& v) {
    v("proposal_code", proposal_code);
    v("partner", partner);
    v("title", title);
    v("proponent", proponent);
    v("sectoral_scope", sectoral_scope);
    v("document", document);
    v("date", date);
  }
};
struct CheckMethodologyCompleteness {
  JCM_CYCLE_PAYLOAD(CheckMethodologyCompleteness, "methodology_completeness_checked");
  std::string proposal_code;
  bool complete = true;  // complete: the public input opens on `date`
  core::Date date;
  template <class V>
  void Visit(V&& v) {
    v("proposal_code", proposal_code);
    v("complete", complete);
    v("date", date);
  }
};
struct ExtendMethodologyConsideration {
  JCM_CYCLE_PAYLOAD(ExtendMethodologyConsideration, "methodology_consideration_extended");
  std::string proposal_code;
  core::Date date;
  template <class V>
  void Visit(V&& v) {
    v("proposal_code", proposal_code);
    v("date", date);
  }
};
struct DecideMethodology {
  JCM_CYCLE_PAYLOAD(DecideMethodology, "methodology_decided");
  std::string proposal_code;
  bool approve = true;
  std::string approved_code;  // <CC>_AM<nnn>, when approved
  std::string version;        // "1.0", when approved
  core::Date date;
  template <class V>
  void Visit(V&& v) {
    v("proposal_code", proposal_code);
    v("approve", approve);
    v("approved_code", approved_code);
    v("version", version);
    v("date", date);
  }
};
struct ReviseMethodology {
  JCM_CYCLE_PAYLOAD(ReviseMethodology, "methodology_revised");
  std::string approved_code;
  std::string version;
  Document document;
  core::Date date;
  template <class V>
  void Visit(V&& v) {
    v("approved_code", approved_code);
    v("version", version);
    v("document", document);
    v("date", date);
  }
};
// Publishes an approved methodology whose history is not in the journal (import).
struct RecordMethodology {
  JCM_CYCLE_PAYLOAD(RecordMethodology, "methodology_recorded");
  std::string approved_code;
  std::vector<std::string> proposal_codes;
  std::string partner;
  std::string title;
  std::string proponent;
  int64_t sectoral_scope = 0;
  std::string version;
  core::Date approval_date;
  std::optional<core::Date> input_start;
  std::optional<core::Date> input_end;
  template <class V>
  void Visit(V&& v) {
    v("approved_code", approved_code);
    v("proposal_code", proposal_codes);
    v("partner", partner);
    v("title", title);
    v("proponent", proponent);
    v("sectoral_scope", sectoral_scope);
    v("version", version);
    v("approval_date", approval_date);
    v("input_start", input_start);
    v("input_end", input_end);
  }
};

// ---- Projects ----
struct SubmitPin {
  JCM_CYCLE_PAYLOAD(SubmitPin, "pin_submitted");
  std::string pin_id;  // <CC>_PIN<nnn>; also the project's id until and after registration
  std::string partner;
  std::string title;
  std::vector<std::string> host_participants;
  std::vector<std::string> japanese_participants;
  std::string focal_point;  // one of the participants (Modalities of Communication)
  std::string methodology;  // approved code, e.g. "MN_AM003"
  std::string methodology_version;
  int64_t sectoral_scope = 0;
  FundingSource funding = FundingSource::kUnknown;
  Document document;
  core::Date date;
  std::string form_version;  // derived: the PIN form version valid on `date` ("" if none)
  template <class V>
  void Visit(V&& v) {
    v("pin_id", pin_id);
    v("partner", partner);
    v("title", title);
    v("host_participant", host_participants);
    v("japanese_participant", japanese_participants);
    v("focal_point", focal_point);
    v("methodology", methodology);
    v("methodology_version", methodology_version);
    v("sectoral_scope", sectoral_scope);
    v("funding", funding);
    v("document", document);
    v("date", date);
    v("form_version", form_version);
  }
};
struct DecidePin {
  JCM_CYCLE_PAYLOAD(DecidePin, "pin_decided");
  std::string project;
  bool no_objection = true;
  core::Date date;
  template <class V>
  void Visit(V&& v) {
    v("project", project);
    v("no_objection", no_objection);
    v("date", date);
  }
};
struct SubmitPdd {
  JCM_CYCLE_PAYLOAD(SubmitPdd, "pdd_submitted");
  std::string project;
  Document document;
  std::optional<Document> public_copy;  // required when document.confidential
  core::Date date;
  std::string form_version;  // derived
  template <class V>
  void Visit(V&& v) {
    v("project", project);
    v("document", document);
    v("public_copy", public_copy);
    v("date", date);
    v("form_version", form_version);
  }
};
struct SubmitValidation {
  JCM_CYCLE_PAYLOAD(SubmitValidation, "validation_submitted");
  std::string project;
  bool positive = true;
  Document report;
  core::Date date;
  template <class V>
  void Visit(V&& v) {
    v("project", project);
    v("positive", positive);
    v("report", report);
    v("date", date);
  }
};
struct RequestRegistration {
  JCM_CYCLE_PAYLOAD(RequestRegistration, "registration_requested");
  std::string project;
  std::vector<Share> allocation;
  Document document;
  core::Date date;
  template <class V>
  void Visit(V&& v) {
    v("project", project);
    v("share", allocation);
    v("document", document);
    v("date", date);
  }
};
struct DecideRegistration {
  JCM_CYCLE_PAYLOAD(DecideRegistration, "registration_decided");
  std::string project;
  bool approve = true;
  std::string reference;  // derived when empty: <CC><nnn>, next free number of the partner
  core::Date date;
  template <class V>
  void Visit(V&& v) {
    v("project", project);
    v("approve", approve);
    v("reference", reference);
    v("date", date);
  }
};
struct WithdrawRegistrationRequest {
  JCM_CYCLE_PAYLOAD(WithdrawRegistrationRequest, "registration_request_withdrawn");
  std::string project;
  core::Date date;
  template <class V>
  void Visit(V&& v) {
    v("project", project);
    v("date", date);
  }
};
struct ApprovePostRegistrationChange {
  JCM_CYCLE_PAYLOAD(ApprovePostRegistrationChange, "post_registration_change_approved");
  std::string project;
  std::string description;
  Document document;
  core::Date date;
  template <class V>
  void Visit(V&& v) {
    v("project", project);
    v("description", description);
    v("document", document);
    v("date", date);
  }
};
struct RenewCreditingPeriod {
  JCM_CYCLE_PAYLOAD(RenewCreditingPeriod, "crediting_period_renewed");
  std::string project;
  core::Date until;
  core::Date date;
  template <class V>
  void Visit(V&& v) {
    v("project", project);
    v("until", until);
    v("date", date);
  }
};
struct WithdrawProject {
  JCM_CYCLE_PAYLOAD(WithdrawProject, "project_withdrawn");
  std::string project;
  core::Date date;
  template <class V>
  void Visit(V&& v) {
    v("project", project);
    v("date", date);
  }
};
// Publishes a project whose history is not in the journal (import).
struct RecordProject {
  JCM_CYCLE_PAYLOAD(RecordProject, "project_recorded");
  std::string reference;
  std::string partner;
  std::string title;
  ProjectStatus status = ProjectStatus::kValidation;
  std::optional<core::Date> registration_date;
  std::vector<std::string> host_participants;
  std::vector<std::string> japanese_participants;
  std::vector<std::string> methodologies;  // "MN_AM003 Ver2.0"
  template <class V>
  void Visit(V&& v) {
    v("reference", reference);
    v("partner", partner);
    v("title", title);
    v("status", status);
    v("registration_date", registration_date);
    v("host_participant", host_participants);
    v("japanese_participant", japanese_participants);
    v("methodology", methodologies);
  }
};

using Payload = std::variant<
    RegisterParty, EstablishJointCommittee, RecordJcDecision, AdoptForm, RegisterOrganisation,
    DesignateTpe, ProposeMethodology, CheckMethodologyCompleteness, ExtendMethodologyConsideration,
    DecideMethodology, ReviseMethodology, RecordMethodology, SubmitPin, DecidePin, SubmitPdd,
    SubmitValidation, RequestRegistration, DecideRegistration, WithdrawRegistrationRequest,
    ApprovePostRegistrationChange, RenewCreditingPeriod, WithdrawProject, RecordProject,
    AddMonitoringPeriod, SubmitMonitoringReport, SubmitVerification, RequestIssuance,
    WithdrawIssuanceRequest, DecideIssuance, RecordIssuanceDecision, ExecuteIssuance>;

struct Command {
  Actor actor;
  Payload payload;
};

// An accepted command with its derived fields filled: what the journal stores.
struct Event {
  Actor actor;
  Payload payload;
  friend bool operator==(const Event&, const Event&) = default;
};

}  // namespace jcm::cycle
