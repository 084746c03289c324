#include "service/cycle_service.h"

#include <algorithm>

#include "core/registry_code.h"
#include "core/sha256.h"
#include "cycle/codec.h"
#include "cycle/decide.h"
#include "service/internal/append_attempts.h"
#include "service/internal/cycle_journal.h"
#include "service/registry_service.h"

namespace jcm::service {

using internal::kAppendAttempts;

using internal::kRequestKeyField;
using internal::kRequestSha256Field;

namespace {

using EventOutcome = OrRejection<CycleEventResult>;

// The MRV result of a report's evidence, its files added to `documents` (see
// MonitoringReportRequest); nullopt when the report cites no evidence.
core::Result<std::optional<MrvResult>> FromEvidence(store::Store& store,
                                                    const MonitoringReportRequest& request,
                                                    cycle::SubmitMonitoringReport& report,
                                                    std::vector<std::string>& documents) {
  if (!report.mrv_params_sha256 && report.mrv_data_sha256.empty()) {
    if (report.mrv_methodology || report.mrv_methodology_sha256) {
      return core::InvalidArgument("mrv_methodology is given only with MRV evidence");
    }
    return std::optional<MrvResult>();
  }
  if (request.mrv) return core::InvalidArgument("give MRV evidence or an MRV result, not both");
  if (request.methodologies == nullptr || request.print_mrv_report == nullptr) {
    return core::FailedPrecondition("no methodology directory to calculate MRV evidence with");
  }
  JCM_ASSIGN_OR_RETURN(PreparedMrvEvidence prepared,
                       PrepareMrvEvidence(store, *request.methodologies, request.print_mrv_report,
                                          request.mrv_threads, request.documents, report));
  if (request.mrv_calculation != nullptr) *request.mrv_calculation = prepared.calculation;
  documents.insert(documents.end(), prepared.documents.begin(), prepared.documents.end());
  return std::optional<MrvResult>(std::move(prepared.result));
}

}  // namespace

core::Status CycleService::Refresh() {
  JCM_ASSIGN_OR_RETURN(
      std::vector<ledger::JournalEntry> entries,
      store_.ReadJournal(last_event_seq_ + 1, std::string(cycle::kEventKindPrefix)));
  for (ledger::JournalEntry& entry : entries) {
    auto event = cycle::DecodeEvent(entry.kind, entry.body);
    if (!event.ok()) {
      return core::DataLoss("journal entry " + std::to_string(entry.seq) + ": " +
                            event.status().message());
    }
    cycle::Apply(state_, *event);
    last_event_seq_ = entry.seq;
    if (auto key = entry.body.Find(kRequestKeyField)) {
      const std::string digest(entry.body.Find(kRequestSha256Field).value_or(""));
      keyed_[std::string(*key)] = KeyedRequest{digest, std::move(entry)};
    }
  }
  return core::OkStatus();
}

std::optional<OrRejection<CycleEventResult>> CycleService::Replayed(
    const std::string& key, const std::string& request_sha256) const {
  if (key.empty()) return std::nullopt;
  auto it = keyed_.find(key);
  if (it == keyed_.end()) return std::nullopt;
  if (it->second.request_sha256 == request_sha256) {
    return EventOutcome(internal::EventResultOf(it->second.entry, /*replayed=*/true));
  }
  return EventOutcome(internal::KeyReused(key, it->second.entry.seq));
}

ledger::AppendEvent CycleService::ToAppend(const Pending& pending) const {
  cycle::EncodedEvent encoded = cycle::EncodeEvent(pending.event);
  std::string key = pending.idempotency_key;
  if (key.empty()) {
    key = internal::ContentKey(encoded.kind, encoded.body);
  } else {
    encoded.body.Add(kRequestKeyField, key).Add(kRequestSha256Field, pending.request_sha256);
  }
  ledger::AppendEvent append;
  append.kind = encoded.kind;
  append.body = std::move(encoded.body);
  append.idempotency_key = std::move(key);
  append.expected_last_event_seq = last_event_seq_;  // the optimistic lock (check 23)
  return append;
}

// A JC issuance decision is recorded in the ledger with its event, in the same write: what a
// later issuance must cite (checks 24-26).
ledger::Command CycleService::ToCommand(const Pending& pending) const {
  ledger::AppendEvent append = ToAppend(pending);
  std::vector<ledger::JcDecision> decisions = internal::DecisionsRecorded(state_, pending.event);
  if (decisions.empty()) return append;
  return ledger::RecordDecisions{std::move(append), std::move(decisions)};
}

CycleEventResult CycleService::Applied(const Pending& pending, const store::Outcome& outcome) {
  if (!outcome.replayed) {
    cycle::Apply(state_, pending.event);
    last_event_seq_ = outcome.entry.seq;
    if (!pending.idempotency_key.empty()) {
      keyed_[pending.idempotency_key] = KeyedRequest{pending.request_sha256, outcome.entry};
    }
  }
  return internal::EventResultOf(outcome.entry, outcome.replayed);
}

core::Result<OrRejection<CycleEventResult>> CycleService::DecideAndAppend(
    const cycle::Command& command, core::Date today, const std::string& key,
    const std::vector<std::string>& documents) {
  const std::string request_sha256 = key.empty() ? "" : internal::RequestSha256(command);
  for (int attempt = 0;; ++attempt) {
    if (auto replayed = Replayed(key, request_sha256)) return *replayed;
    cycle::Outcome decided = cycle::Decide(state_, command, today);
    if (auto* rejection = std::get_if<cycle::Rejection>(&decided)) {
      return EventOutcome(FromCycle(*rejection));
    }
    const Pending pending{std::get<cycle::Event>(std::move(decided)), key, request_sha256};
    for (const std::string& bytes : documents) {  // content-addressed: storing twice is a no-op
      JCM_RETURN_IF_ERROR(store_.PutDocument(core::Sha256Hex(bytes), bytes));
    }
    JCM_ASSIGN_OR_RETURN(store::Outcome outcome, store_.Submit(ToCommand(pending)));
    if (outcome.rejection && outcome.rejection->check == ledger::CheckCode::kEventFamilyMoved &&
        attempt + 1 < kAppendAttempts) {
      JCM_RETURN_IF_ERROR(Refresh());  // another process journaled a cycle event: decide again
      continue;
    }
    if (outcome.rejection) return EventOutcome(FromLedger(*outcome.rejection));
    return EventOutcome(Applied(pending, outcome));
  }
}

core::Result<OrRejection<CycleEventResult>> CycleService::Step(const StepRequest& request) {
  JCM_RETURN_IF_ERROR(Refresh());
  const cycle::Command command{ImpliedActor(request.payload, request.by), request.payload};
  return DecideAndAppend(command, request.today, request.idempotency_key, request.documents);
}

core::Result<OrRejection<CycleEventResult>> CycleService::SubmitMonitoringReport(
    const MonitoringReportRequest& request) {
  JCM_RETURN_IF_ERROR(Refresh());
  cycle::SubmitMonitoringReport report = request.report;
  std::vector<std::string> documents = request.documents;
  JCM_ASSIGN_OR_RETURN(std::optional<MrvResult> evidence,
                       FromEvidence(store_, request, report, documents));
  const std::optional<MrvResult>& offered = evidence ? evidence : request.mrv;
  if (offered) {
    const MrvResult& mrv = *offered;
    if (request.reported_given && report.reported_tco2e != mrv.er_tco2e) {
      return core::InvalidArgument("--reported " + std::to_string(report.reported_tco2e) +
                                   " differs from the MRV result's " +
                                   std::to_string(mrv.er_tco2e));
    }
    report.reported_tco2e = mrv.er_tco2e;
    report.mrv_calculation_sha256 = mrv.calculation_sha256;
    report.mrv_input_sha256 = mrv.input_sha256;
  }
  const cycle::Command command{ImpliedActor(report, request.by), report};
  const std::string& key = request.idempotency_key;
  if (auto replayed = Replayed(key, key.empty() ? "" : internal::RequestSha256(command))) {
    return *replayed;
  }
  // The cycle's checks (100–199) come before the service's (200–299).
  cycle::Outcome decided = cycle::Decide(state_, command, request.today);
  if (auto* rejection = std::get_if<cycle::Rejection>(&decided)) {
    return EventOutcome(FromCycle(*rejection));
  }
  if (offered) {
    if (auto rejection = internal::JudgeMrvForProject(state_, report.project, *offered)) {
      return EventOutcome(std::move(*rejection));
    }
  }
  return DecideAndAppend(command, request.today, key, documents);
}

cycle::Document CycleService::DocumentOf(std::string_view bytes, std::string type,
                                         std::string version, bool confidential) {
  cycle::Document document;
  document.sha256 = core::Sha256Hex(bytes);
  document.type = std::move(type);
  document.version = std::move(version);
  document.confidential = confidential;
  return document;
}

core::Result<ProjectFilter> ProjectFilter::FromText(std::optional<std::string> country,
                                                    const std::optional<std::string>& status,
                                                    std::optional<std::string> methodology,
                                                    const std::optional<std::string>& technology) {
  ProjectFilter filter;
  filter.country = std::move(country);
  filter.methodology = std::move(methodology);
  if (status) {
    filter.status = cycle::ParseProjectStatus(*status);
    if (!filter.status) return core::InvalidArgument("unknown project status '" + *status + "'");
  }
  if (technology) {
    for (const programme::Technology t :
         {programme::Technology::kTransformers, programme::Technology::kChillers,
          programme::Technology::kSolarPv, programme::Technology::kWasteToEnergy,
          programme::Technology::kOther}) {
      if (programme::TechnologyName(t) == *technology) filter.technology = t;
    }
    if (!filter.technology) {
      return core::InvalidArgument("unknown technology '" + *technology +
                                   "' (transformers, chillers, solar_pv, waste_to_energy, other)");
    }
  }
  return filter;
}

programme::Technology ProjectTechnology(const cycle::State& state, const cycle::Project& p) {
  std::string text = p.title;
  for (const std::string& m : p.methodologies) {
    const cycle::Methodology* methodology = state.FindMethodology(m.substr(0, m.find(' ')));
    if (methodology != nullptr) text += " " + methodology->title;
  }
  return programme::ClassifyTechnology(text);
}

namespace {

bool UsesMethodology(const cycle::Project& p, std::string_view code) {
  return std::any_of(p.methodologies.begin(), p.methodologies.end(), [&](const std::string& m) {
    return m == code || (m.starts_with(code) && m.size() > code.size() && m[code.size()] == ' ');
  });
}

}  // namespace

core::Result<std::vector<cycle::Project>> CycleService::Projects(const ProjectFilter& filter) {
  if (filter.country && (*filter.country == "JP" || !core::IsKnownRegistryCode(*filter.country))) {
    return core::InvalidArgument("unknown country '" + *filter.country +
                                 "': a JCM partner's ISO 3166-1 alpha-2 code (e.g. MN, VN)");
  }
  JCM_RETURN_IF_ERROR(Refresh());
  std::vector<cycle::Project> projects;
  for (const auto& [id, p] : state_.projects) {
    if (filter.country && p.partner != *filter.country) continue;
    if (filter.status && p.status != *filter.status) continue;
    if (filter.methodology && !UsesMethodology(p, *filter.methodology)) continue;
    if (filter.technology && ProjectTechnology(state_, p) != *filter.technology) continue;
    projects.push_back(p);
  }
  return projects;
}

core::Result<cycle::Project> CycleService::Project(const std::string& id_or_reference) {
  JCM_RETURN_IF_ERROR(Refresh());
  const cycle::Project* p = state_.FindProject(id_or_reference);
  if (p == nullptr) return core::NotFound("no project '" + id_or_reference + "'");
  return *p;
}

core::Result<std::vector<cycle::Methodology>> CycleService::Methodologies() {
  JCM_RETURN_IF_ERROR(Refresh());
  std::vector<cycle::Methodology> methodologies;
  for (const auto& [code, m] : state_.methodologies) methodologies.push_back(m);
  return methodologies;
}

core::Result<std::vector<cycle::DueItem>> CycleService::Due(core::Date today) {
  JCM_RETURN_IF_ERROR(Refresh());
  return cycle::Due(state_, today);
}

core::Result<std::vector<cycle::TpeWorkItem>> CycleService::TpeWork(const std::string& org,
                                                                    core::Date today) {
  JCM_RETURN_IF_ERROR(Refresh());
  if (!state_.organisations.contains(org)) {
    return core::InvalidArgument("organisation " + org + " is not registered in the cycle");
  }
  return cycle::TpeWork(state_, org, today);
}

// One snapshot: the balances, counters and decisions are one state, whatever other processes
// write meanwhile. Pending is what each recorded decision notified and the ledger has not yet
// issued under it (the ledger's executed total), so no unit counts as both issued and pending,
// however a decision was executed (jcm issuance execute, or jcm issue --decision).
core::Result<RegistrySummary> CycleService::Summary(const std::string& registry) {
  JCM_RETURN_IF_ERROR(core::RegistryCode::Parse(registry).status());
  JCM_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> snapshot, store_.Snapshot());
  JCM_ASSIGN_OR_RETURN(RegistryBalances balances, AccountTypeTotals(*snapshot, registry));
  RegistrySummary summary;
  summary.registry = registry;
  summary.accounts = balances.accounts;
  summary.units_by_account_type = balances.units_by_type;
  for (const auto& [type, units] : balances.units_by_type) {
    if (type == ledger::AccountType::kRetirement) {
      summary.retired_tco2e += units;
    } else if (type == ledger::AccountType::kCancellation) {
      summary.cancelled_tco2e += units;
    } else {
      summary.held_tco2e += units;
    }
  }
  summary.issued_tco2e = summary.held_tco2e + summary.retired_tco2e + summary.cancelled_tco2e;
  JCM_ASSIGN_OR_RETURN(std::optional<ledger::RegistryCounters> counters,
                       snapshot->FindRegistry(registry));
  if (!counters) {  // a registry never initialised is not one with nothing in it
    return core::NotFound("registry " + registry + " is not initialised here (jcm init)");
  }
  summary.imported_tco2e = counters->imported_units;
  JCM_ASSIGN_OR_RETURN(std::vector<ledger::JcDecision> decisions,
                       snapshot->ListDecisions(registry));
  for (const ledger::JcDecision& d : decisions) {
    summary.issued_under_decisions_tco2e += d.executed_tco2e;
    if (d.executed_tco2e >= d.notified_tco2e) continue;
    summary.pending_issuance_tco2e += d.notified_tco2e - d.executed_tco2e;
    ++summary.pending_issuance_decisions;
  }
  return summary;
}

}  // namespace jcm::service
