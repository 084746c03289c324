// JSON codecs of the project cycle's results (docs/cli.md, "Project cycle"). The field names are
// a contract with every client: add fields freely, never rename one.
#pragma once

#include <boost/json.hpp>
#include <vector>

#include "core/date.h"
#include "cycle/due.h"
#include "cycle/state.h"
#include "service/audit_service.h"
#include "service/cycle_service.h"

namespace jcm::service::json {

// {"seq", "kind", "time", "hash", "replayed", "fields": {…}} (a repeated field: its first value)
boost::json::object EventObject(const CycleEventResult& event);
// {"event": EventObject}
boost::json::object EventJson(const CycleEventResult& event);
// {"event": …, "transaction": {"id", "decision", "quantity", "targets": [{"account", "quantity"}]}}
boost::json::object ExecutionJson(const ExecutionResult& execution);

boost::json::object ProjectSummaryJson(const cycle::Project& project);
boost::json::object ProjectDetailJson(const cycle::Project& project);
boost::json::array ProjectListJson(const std::vector<cycle::Project>& projects);
// [{"proposal_code", "approved_code", "partner", "status", "title", "versions"}]
boost::json::array CycleMethodologyListJson(const std::vector<cycle::Methodology>& methodologies);
// {"today", "items": [{"subject", "what", "who", "due", "overdue"}]}
boost::json::object DueJson(core::Date today, const std::vector<cycle::DueItem>& items);
// {"org", "today", "items": [{"project", "partner", "title", "function", "period", "done",
// "tco2e"}]}: `period` null for a validation, `tco2e` 0 for one.
boost::json::object TpeWorkJson(std::string_view org, core::Date today,
                                const std::vector<cycle::TpeWorkItem>& items);
boost::json::object SummaryJson(const RegistrySummary& summary);
// {"events_added", "unchanged", "issuances_executed", "rows_rejected", "projects", "notes"}
boost::json::object ImportJson(const ImportReport& report);
// {"ok", "cycle_events", "projects", "violations": [{"entry", "message"}]}
boost::json::object CycleAuditJson(const CycleAuditReport& report);

}  // namespace jcm::service::json
