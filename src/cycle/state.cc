#include "cycle/state.h"

#include <algorithm>

#include "core/check.h"
#include "core/record.h"
#include "cycle/deadlines.h"

namespace jcm::cycle {

bool Project::IsParticipant(std::string_view org) const {
  auto has = [&](const std::vector<std::string>& list) {
    return std::find(list.begin(), list.end(), org) != list.end();
  };
  return has(host_participants) || has(japanese_participants);
}

const MonitoringPeriodState* Project::FindPeriod(const core::Period& period) const {
  for (const auto& p : periods) {
    if (p.period == period) return &p;
  }
  return nullptr;
}

MonitoringPeriodState* Project::FindPeriod(const core::Period& period) {
  return const_cast<MonitoringPeriodState*>(std::as_const(*this).FindPeriod(period));
}

const Project* State::FindProject(std::string_view id_or_reference) const {
  if (auto it = projects.find(std::string(id_or_reference)); it != projects.end()) {
    return &it->second;
  }
  for (const auto& [id, project] : projects) {
    if (!project.reference.empty() && project.reference == id_or_reference) return &project;
  }
  return nullptr;
}

Project* State::FindProject(std::string_view id_or_reference) {
  return const_cast<Project*>(std::as_const(*this).FindProject(id_or_reference));
}

const Methodology* State::FindMethodology(std::string_view code) const {
  if (auto it = methodologies.find(std::string(code)); it != methodologies.end()) {
    return &it->second;
  }
  for (const auto& [key, m] : methodologies) {
    if (!m.approved_code.empty() && m.approved_code == code) return &m;
    if (std::find(m.proposal_codes.begin(), m.proposal_codes.end(), code) !=
        m.proposal_codes.end()) {
      return &m;
    }
  }
  return nullptr;
}

Methodology* State::FindMethodology(std::string_view code) {
  return const_cast<Methodology*>(std::as_const(*this).FindMethodology(code));
}

bool State::IsTpeDesignated(std::string_view partner, std::string_view org_id, int64_t scope,
                            TpeFunction function, core::Date on) const {
  return std::any_of(tpe_designations.begin(), tpe_designations.end(), [&](const auto& d) {
    return d.partner == partner && d.org_id == org_id && d.sectoral_scope == scope &&
           d.function == function && d.date <= on;
  });
}

std::string State::FormVersionOn(std::string_view form, core::Date date) const {
  auto it = forms.find(std::string(form));
  if (it == forms.end()) return "";
  std::string version;
  for (const FormVersion& v : it->second) {
    if (!v.effective.has_value() || *v.effective <= date) version = v.version;
  }
  return version;
}

std::string State::NextReference(std::string_view partner) const {
  int64_t highest = 0;
  for (const auto& [id, project] : projects) {
    const std::string& ref = project.reference;
    if (ref.size() != partner.size() + 3 || ref.rfind(partner, 0) != 0) continue;
    auto number = core::ParseInt64(std::string_view(ref).substr(partner.size()));
    if (number) highest = std::max(highest, *number);
  }
  std::string digits = std::to_string(highest + 1);
  if (digits.size() < 3) digits.insert(0, 3 - digits.size(), '0');
  return std::string(partner) + digits;
}

namespace {

// Applies one payload; each overload mirrors the Decide function of the same payload.
struct Applier {
  State& s;
  const Actor& actor;

  // Look-ups of what Decide found when it accepted the event: a miss is a corrupt journal or a
  // programmer error, never a business rejection.
  Project& ExistingProject(const std::string& id) {
    Project* project = s.FindProject(id);
    JCM_CHECK(project != nullptr, "Apply: project accepted by Decide exists");
    return *project;
  }
  MonitoringPeriodState& ExistingPeriod(Project& project, const core::Period& period) {
    MonitoringPeriodState* m = project.FindPeriod(period);
    JCM_CHECK(m != nullptr, "Apply: monitoring period accepted by Decide exists");
    return *m;
  }
  Methodology& ExistingMethodology(const std::string& code) {
    Methodology* m = s.FindMethodology(code);
    JCM_CHECK(m != nullptr, "Apply: methodology accepted by Decide exists");
    return *m;
  }
  void Log(Project& p, core::Date date, std::string_view kind, std::string note = "") {
    p.history.push_back({date, std::string(kind), std::move(note)});
  }
  void Decision(const std::string& partner, std::string type, std::string subject, core::Date date,
                bool electronic = false) {
    s.decisions.push_back({partner, std::move(type), std::move(subject), electronic, {}, date});
  }

  void operator()(const RegisterParty& e) {
    s.parties[e.partner] = {e.partner, e.name, e.bilateral_date};
  }
  void operator()(const EstablishJointCommittee& e) {
    s.committees[e.partner] = {e.partner, e.members, e.secretariat, e.date};
  }
  void operator()(const RecordJcDecision& e) {
    s.decisions.push_back({e.partner, e.type, e.subject, e.electronic, e.annexes, e.date});
  }
  void operator()(const AdoptForm& e) { s.forms[e.form].push_back({e.version, e.effective}); }
  void operator()(const RegisterOrganisation& e) {
    s.organisations[e.org_id] = {e.org_id, e.name, e.country};
  }
  void operator()(const DesignateTpe& e) {
    s.tpe_designations.push_back({e.partner, e.org_id, e.sectoral_scope, e.function, e.date});
    Decision(e.partner, "tpe_designated",
             e.org_id + " " + std::string(ToString(e.function)) + " scope " +
                 std::to_string(e.sectoral_scope),
             e.date);
  }
  void operator()(const ProposeMethodology& e) {
    Methodology m;
    m.proposal_code = e.proposal_code;
    m.proposal_codes = {e.proposal_code};
    m.partner = e.partner;
    m.title = e.title;
    m.proponent = e.proponent;
    m.sectoral_scope = e.sectoral_scope;
    m.proposed = e.date;
    m.documents.push_back(e.document);
    s.methodologies[e.proposal_code] = std::move(m);
  }
  void operator()(const CheckMethodologyCompleteness& e) {
    Methodology& m = ExistingMethodology(e.proposal_code);
    if (!e.complete) {
      m.status = MethodologyStatus::kIncomplete;
      return;
    }
    m.status = MethodologyStatus::kPublicInput;
    m.input_start = e.date;
    m.input_end = e.date.PlusDays(kMethodologyPublicInputDays - 1);
  }
  void operator()(const ExtendMethodologyConsideration& e) {
    ExistingMethodology(e.proposal_code).extended = true;
  }
  void operator()(const DecideMethodology& e) {
    Methodology& m = ExistingMethodology(e.proposal_code);
    if (!e.approve) {
      m.status = MethodologyStatus::kNotApproved;
      Decision(m.partner, "methodology_not_approved", e.proposal_code, e.date);
      return;
    }
    m.status = MethodologyStatus::kApproved;
    m.approved_code = e.approved_code;
    m.versions.push_back({e.version, e.date});
    Decision(m.partner, "methodology_approved", e.approved_code + " Ver" + e.version, e.date);
  }
  void operator()(const ReviseMethodology& e) {
    Methodology& m = ExistingMethodology(e.approved_code);
    m.versions.push_back({e.version, e.date});
    m.documents.push_back(e.document);
    Decision(m.partner, "methodology_revised", e.approved_code + " Ver" + e.version, e.date);
  }
  void operator()(const RecordMethodology& e) {
    Methodology m;
    m.proposal_code = e.proposal_codes.empty() ? e.approved_code : e.proposal_codes.front();
    m.proposal_codes = e.proposal_codes;
    m.partner = e.partner;
    m.title = e.title;
    m.proponent = e.proponent;
    m.sectoral_scope = e.sectoral_scope;
    m.status = MethodologyStatus::kApproved;
    m.proposed = e.input_start.value_or(e.approval_date);
    m.input_start = e.input_start;
    m.input_end = e.input_end;
    m.approved_code = e.approved_code;
    m.versions.push_back({e.version, e.approval_date});
    s.methodologies[m.proposal_code] = std::move(m);
  }
  void operator()(const SubmitPin& e) {
    Project p;
    p.id = e.pin_id;
    p.partner = e.partner;
    p.title = e.title;
    p.status = ProjectStatus::kPinSubmitted;
    p.host_participants = e.host_participants;
    p.japanese_participants = e.japanese_participants;
    p.focal_point = e.focal_point;
    p.methodologies = {e.methodology + " Ver" + e.methodology_version};
    p.sectoral_scope = e.sectoral_scope;
    p.funding = e.funding;
    p.documents.push_back(e.document);
    Log(p, e.date, e.kKind, "form version " + e.form_version);
    s.projects[p.id] = std::move(p);
  }
  void operator()(const DecidePin& e) {
    Project& p = ExistingProject(e.project);
    p.status = e.no_objection ? ProjectStatus::kPinNoObjection : ProjectStatus::kPinObjected;
    Log(p, e.date, e.kKind, e.no_objection ? "no objection" : "objection");
    Decision(p.partner, e.no_objection ? "pin_no_objection" : "pin_objection", p.id, e.date);
  }
  void operator()(const SubmitPdd& e) {
    Project& p = ExistingProject(e.project);
    p.status = ProjectStatus::kValidation;
    p.documents.push_back(e.document);
    if (e.public_copy) p.documents.push_back(*e.public_copy);
    p.pdd_input_start = e.date;
    Log(p, e.date, e.kKind, "PDD version " + e.document.version);
  }
  void operator()(const SubmitValidation& e) {
    Project& p = ExistingProject(e.project);
    p.status = e.positive ? ProjectStatus::kValidated : ProjectStatus::kValidationNegative;
    p.validator = actor.org;
    p.documents.push_back(e.report);
    Log(p, e.date, e.kKind, e.positive ? "positive" : "negative");
  }
  void operator()(const RequestRegistration& e) {
    Project& p = ExistingProject(e.project);
    p.status = ProjectStatus::kRegistrationRequested;
    p.allocation = e.allocation;
    p.documents.push_back(e.document);
    Log(p, e.date, e.kKind);
  }
  void operator()(const DecideRegistration& e) {
    Project& p = ExistingProject(e.project);
    Log(p, e.date, e.kKind, e.approve ? "registered as " + e.reference : "rejected");
    if (!e.approve) {
      p.status = ProjectStatus::kRegistrationRejected;
      Decision(p.partner, "registration_rejected", p.id, e.date);
      return;
    }
    p.status = ProjectStatus::kRegistered;
    p.reference = e.reference;
    p.registration_date = e.date;
    Decision(p.partner, "project_registered", e.reference + " " + p.title, e.date);
  }
  void operator()(const WithdrawRegistrationRequest& e) {
    Project& p = ExistingProject(e.project);
    p.status = ProjectStatus::kRegistrationWithdrawn;
    Log(p, e.date, e.kKind);
  }
  void operator()(const ApprovePostRegistrationChange& e) {
    Project& p = ExistingProject(e.project);
    p.documents.push_back(e.document);
    Log(p, e.date, e.kKind, e.description);
    Decision(p.partner, "post_registration_change", p.reference + ": " + e.description, e.date);
  }
  void operator()(const RenewCreditingPeriod& e) {
    Project& p = ExistingProject(e.project);
    p.crediting_end = e.until;
    Log(p, e.date, e.kKind, "until " + e.until.ToString());
    Decision(p.partner, "crediting_period_renewed", p.reference, e.date);
  }
  void operator()(const WithdrawProject& e) {
    Project& p = ExistingProject(e.project);
    p.status = ProjectStatus::kWithdrawn;
    Log(p, e.date, e.kKind);
  }
  void operator()(const RecordProject& e) {
    Project p;
    p.id = e.reference;
    p.reference = e.reference;
    p.partner = e.partner;
    p.title = e.title;
    p.status = e.status;
    p.registration_date = e.registration_date;
    p.host_participants = e.host_participants;
    p.japanese_participants = e.japanese_participants;
    p.methodologies = e.methodologies;
    p.imported = true;
    Log(p, e.registration_date.value_or(core::Date()), e.kKind, std::string(ToString(e.status)));
    s.projects[p.id] = std::move(p);
  }
  void operator()(const AddMonitoringPeriod& e) {
    Project& p = ExistingProject(e.project);
    MonitoringPeriodState m;
    m.period = e.period;
    p.periods.push_back(std::move(m));
    Log(p, e.date, e.kKind, e.period.ToString());
  }
  void operator()(const SubmitMonitoringReport& e) {
    Project& p = ExistingProject(e.project);
    MonitoringPeriodState& m = ExistingPeriod(p, e.period);
    m.status = MonitoringStatus::kReported;
    m.reported_tco2e = e.reported_tco2e;
    m.mrv_calculation_sha256 = e.mrv_calculation_sha256;
    m.mrv_input_sha256 = e.mrv_input_sha256;
    p.documents.push_back(e.document);
    Log(p, e.date, e.kKind, e.period.ToString());
  }
  void operator()(const SubmitVerification& e) {
    Project& p = ExistingProject(e.project);
    MonitoringPeriodState& m = ExistingPeriod(p, e.period);
    m.status = MonitoringStatus::kVerified;
    m.verifier = actor.org;
    m.verified_tco2e = e.verified_tco2e;
    m.verified_known = true;
    p.documents.push_back(e.report);
    Log(p, e.date, e.kKind, e.period.ToString());
  }
  void operator()(const RequestIssuance& e) {
    Project& p = ExistingProject(e.project);
    MonitoringPeriodState& m = ExistingPeriod(p, e.period);
    m.status = MonitoringStatus::kIssuanceRequested;
    m.requested_tco2e = e.requested_tco2e;
    p.documents.push_back(e.document);
    Log(p, e.date, e.kKind, e.period.ToString());
  }
  void operator()(const WithdrawIssuanceRequest& e) {
    Project& p = ExistingProject(e.project);
    MonitoringPeriodState& m = ExistingPeriod(p, e.period);
    m.status = MonitoringStatus::kVerified;
    m.requested_tco2e = 0;
    Log(p, e.date, e.kKind, e.period.ToString());
  }
  void Decided(Project& p, const core::Period& period, const std::vector<SideAmount>& sides,
               core::Date date, bool electronic, std::string_view kind) {
    MonitoringPeriodState* m = p.FindPeriod(period);
    if (m == nullptr) {  // imported decision: the period enters with its decision
      p.periods.push_back({});
      m = &p.periods.back();
      m->period = period;
    }
    m->status = MonitoringStatus::kDecided;
    m->decision_date = date;
    m->decided_tco2e = 0;
    m->sides.clear();
    for (const SideAmount& side : sides) {
      m->decided_tco2e += side.amount_tco2e;
      m->sides.push_back({side.side, side.amount_tco2e, std::nullopt, ""});
    }
    Log(p, date, kind, period.ToString() + " total " + std::to_string(m->decided_tco2e));
    Decision(p.partner, "issuance", p.reference + " " + period.ToString(), date, electronic);
  }
  void operator()(const DecideIssuance& e) {
    Decided(ExistingProject(e.project), e.period, e.sides, e.date, e.electronic, e.kKind);
  }
  void operator()(const RecordIssuanceDecision& e) {
    Decided(ExistingProject(e.project), e.period, e.sides, e.date, false, e.kKind);
  }
  void operator()(const ExecuteIssuance& e) {
    Project& p = ExistingProject(e.project);
    MonitoringPeriodState& m = ExistingPeriod(p, e.period);
    for (SideState& side : m.sides) {
      if (side.side != e.side) continue;
      side.executed = e.date;
      side.ledger_transaction = e.ledger_transaction;
    }
    Log(p, e.date, e.kKind, e.side + " " + e.period.ToString());
  }
};

}  // namespace

void Apply(State& state, const Event& event) {
  std::visit(Applier{state, event.actor}, event.payload);
}

}  // namespace jcm::cycle
