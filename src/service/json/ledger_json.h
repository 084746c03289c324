// JSON codecs of the ledger's results and of the error model (docs/cli.md). The field names are
// a contract with every client: add fields freely, never rename one.
#pragma once

#include <boost/json.hpp>
#include <vector>

#include "core/status.h"
#include "service/account_applications.h"
#include "service/audit_service.h"
#include "service/errors.h"
#include "service/migrate_service.h"
#include "service/registry_service.h"

namespace jcm::service::json {

// {"rejected": {"check", "name", "message"}}
boost::json::object RejectionJson(const Rejection& rejection);
// {"error": {"code": "invalid_argument", "message"}}
boost::json::object ErrorJson(const core::Status& status);

boost::json::object BlockJson(const ledger::UnitBlock& block);
boost::json::object AccountJson(const ledger::Account& account);
// {"transaction": {"id", "type", "time", "quantity", "blocks", "hash", "replayed"}}
boost::json::object TransactionJson(const TransactionResult& transaction);
// {"initialised": [codes]}
boost::json::object InitJson(const InitResult& result);
// {"account": {…}, "replayed"}
boost::json::object AccountOpenedJson(const AccountOpened& opened);
// {"id", "registry", "type", holder fields, "applicant", "submitted", "state", "decided_by",
// "decided", "reason", "account", "right"} (docs/api.md, "Account applications")
boost::json::object ApplicationJson(const AccountApplication& application);
// [ {account fields…, "total"} ]
boost::json::array AccountListJson(const std::vector<AccountBalance>& accounts);
// {"account", "type", "total", "blocks"}
boost::json::object HoldingsJson(const Holdings& holdings);
// {"decisions": [{"id", "registry", "project", "monitoring_period", "vintage", "notified_tco2e",
// "executed_tco2e", "pending_tco2e", "recorded_entry"}]}
boost::json::object DecisionsJson(const std::vector<ledger::JcDecision>& decisions);
// {"ok", "entries", "blocks", "head_hash", "elapsed_ms", "violations": [{invariant, entry,
// message}]}
boost::json::object AuditJson(const AuditReport& report);
// jcm migrate (docs/cli.md): what was copied and the audit of each side.
boost::json::object MigrationJson(const MigrationReport& report);

}  // namespace jcm::service::json
