#include "service/json/cycle_json.h"

#include "cycle/enums.h"

namespace jcm::service::json {

namespace bj = boost::json;

namespace {

bj::array Strings(const std::vector<std::string>& items) {
  bj::array out;
  for (const std::string& s : items) out.emplace_back(s);
  return out;
}

bj::value DateOrNull(const std::optional<core::Date>& date) {
  if (!date) return nullptr;
  return bj::value(date->ToString());
}

bj::array SidesJson(const std::vector<cycle::SideState>& sides) {
  bj::array out;
  for (const cycle::SideState& s : sides) {
    out.push_back(
        {{"registry", s.side},
         {"notified_tco2e", s.amount_tco2e},
         {"issued_on", DateOrNull(s.executed)},
         {"status", s.executed ? "issued" : (s.amount_tco2e == 0 ? "nothing_to_issue" : "pending")},
         {"ledger_transaction", s.ledger_transaction}});
  }
  return out;
}

bj::array PeriodsJson(const std::vector<cycle::MonitoringPeriodState>& periods) {
  bj::array out;
  for (const cycle::MonitoringPeriodState& m : periods) {
    out.push_back({{"period", m.period.ToString()},
                   {"status", cycle::ToString(m.status)},
                   {"reported_tco2e", m.reported_tco2e},
                   {"verified_tco2e", m.verified_tco2e},
                   {"verifier", m.verifier},
                   {"mrv_calculation_sha256", m.mrv_calculation_sha256},
                   {"mrv_input_sha256", Strings(m.mrv_input_sha256)},
                   {"requested_tco2e", m.requested_tco2e},
                   {"decision_date", DateOrNull(m.decision_date)},
                   {"decided_tco2e", m.decided_tco2e},
                   {"sides", SidesJson(m.sides)}});
  }
  return out;
}

}  // namespace

bj::object EventObject(const CycleEventResult& event) {
  bj::object fields;
  for (const auto& [key, value] : event.fields.fields()) {
    if (!fields.contains(key)) fields[key] = value;
  }
  return {{"seq", event.seq},   {"kind", event.kind},         {"time", event.time},
          {"hash", event.hash}, {"replayed", event.replayed}, {"fields", std::move(fields)}};
}

bj::object EventJson(const CycleEventResult& event) { return {{"event", EventObject(event)}}; }

bj::object ExecutionJson(const ExecutionResult& execution) {
  bj::array targets;
  for (const ledger::IssuanceTarget& t : execution.targets) {
    targets.push_back({{"account", t.account}, {"quantity", t.quantity}});
  }
  return {{"event", EventObject(execution.event)},
          {"transaction",
           {{"id", execution.transaction_seq},
            {"decision", execution.decision},
            {"quantity", execution.quantity},
            {"targets", std::move(targets)}}}};
}

bj::object ProjectSummaryJson(const cycle::Project& p) {
  std::string methodology;
  for (const std::string& m : p.methodologies) methodology += (methodology.empty() ? "" : " ") + m;
  return {{"reference", p.reference.empty() ? p.id : p.reference},
          {"id", p.id},
          {"country", p.partner},
          {"status", cycle::ToString(p.status)},
          {"methodology", methodology},
          {"methodologies", Strings(p.methodologies)},
          {"title", p.title},
          {"registration_date", DateOrNull(p.registration_date)}};
}

bj::object ProjectDetailJson(const cycle::Project& p) {
  bj::object o = ProjectSummaryJson(p);
  o["host_participants"] = Strings(p.host_participants);
  o["japanese_participants"] = Strings(p.japanese_participants);
  o["focal_point"] = p.focal_point;
  o["funding"] = cycle::ToString(p.funding);
  o["sectoral_scope"] = p.sectoral_scope;
  o["validator"] = p.validator;
  o["crediting_end"] = DateOrNull(p.crediting_end);
  o["imported"] = p.imported;
  bj::array allocation;
  for (const cycle::Share& s : p.allocation) {
    allocation.push_back({{"side", s.side}, {"holder", s.holder}, {"share_bp", s.share_bp}});
  }
  o["allocation"] = std::move(allocation);
  bj::array documents;
  for (const cycle::Document& d : p.documents) {
    documents.push_back({{"sha256", d.sha256},
                         {"type", d.type},
                         {"version", d.version},
                         {"confidential", d.confidential}});
  }
  o["documents"] = std::move(documents);
  o["monitoring_periods"] = PeriodsJson(p.periods);
  bj::array history;
  for (const cycle::HistoryEntry& h : p.history) {
    history.push_back({{"date", h.date.ToString()}, {"kind", h.kind}, {"note", h.note}});
  }
  o["history"] = std::move(history);
  return o;
}

bj::array ProjectListJson(const std::vector<cycle::Project>& projects) {
  bj::array list;
  for (const cycle::Project& p : projects) list.push_back(ProjectSummaryJson(p));
  return list;
}

bj::array CycleMethodologyListJson(const std::vector<cycle::Methodology>& methodologies) {
  bj::array list;
  for (const cycle::Methodology& m : methodologies) {
    bj::array versions;
    for (const cycle::MethodologyVersion& v : m.versions) versions.emplace_back(v.version);
    list.push_back({{"proposal_code", m.proposal_code},
                    {"approved_code", m.approved_code},
                    {"partner", m.partner},
                    {"status", cycle::ToString(m.status)},
                    {"title", m.title},
                    {"versions", std::move(versions)}});
  }
  return list;
}

bj::object DueJson(core::Date today, const std::vector<cycle::DueItem>& items) {
  bj::array rows;
  for (const cycle::DueItem& item : items) {
    rows.push_back({{"subject", item.subject},
                    {"what", item.what},
                    {"who", item.who},
                    {"due", DateOrNull(item.due)},
                    {"overdue", item.overdue}});
  }
  return {{"today", today.ToString()}, {"items", std::move(rows)}};
}

bj::object TpeWorkJson(std::string_view org, core::Date today,
                       const std::vector<cycle::TpeWorkItem>& items) {
  bj::array rows;
  for (const cycle::TpeWorkItem& item : items) {
    rows.push_back({{"project", item.project},
                    {"partner", item.partner},
                    {"title", item.title},
                    {"function", cycle::ToString(item.function)},
                    {"period", item.period ? bj::value(item.period->ToString()) : bj::value()},
                    {"done", item.done},
                    {"tco2e", item.tco2e}});
  }
  return {{"org", org}, {"today", today.ToString()}, {"items", std::move(rows)}};
}

bj::object SummaryJson(const RegistrySummary& s) {
  bj::object types;
  for (const auto& [type, units] : s.units_by_account_type) {
    types[ledger::AccountTypeName(type)] = units;
  }
  return {{"registry", s.registry},
          {"issued_tco2e", s.issued_tco2e},
          {"held_tco2e", s.held_tco2e},
          {"retired_tco2e", s.retired_tco2e},
          {"cancelled_tco2e", s.cancelled_tco2e},
          {"pending_issuance_tco2e", s.pending_issuance_tco2e},
          {"pending_issuance_decisions", s.pending_issuance_decisions},
          {"issued_under_decisions_tco2e", s.issued_under_decisions_tco2e},
          {"imported_tco2e", s.imported_tco2e},
          {"accounts", s.accounts},
          {"by_account_type", std::move(types)}};
}

bj::object ImportJson(const ImportReport& report) {
  bj::array notes;
  for (const cycle::import::ImportNote& n : report.notes) {
    notes.push_back(
        {{"file", n.file}, {"line", n.line}, {"rejected", n.rejected}, {"message", n.message}});
  }
  return {{"events_added", report.events_added},
          {"unchanged", report.unchanged},
          {"issuances_executed", report.issuances_executed},
          {"rows_rejected", report.rows_rejected},
          {"projects", report.projects},
          {"notes", std::move(notes)}};
}

bj::object CycleAuditJson(const CycleAuditReport& report) {
  bj::array violations;
  for (const ledger::Violation& v : report.violations) {
    violations.push_back({{"entry", v.seq}, {"message", v.message}});
  }
  return {{"ok", report.violations.empty()},
          {"cycle_events", report.events},
          {"projects", report.projects},
          {"violations", std::move(violations)}};
}

}  // namespace jcm::service::json
