// JSON codecs of four-eyes approval (docs/cli.md, "Transaction proposals"; docs/api.md,
// "Transactions"). Times are Unix seconds; a field that does not apply yet is null.
#pragma once

#include <boost/json.hpp>
#include <vector>

#include "service/approval_service.h"

namespace jcm::service::json {

// {"id", "type", "from", "to", "quantity", "serials", "beneficiary", "reason", "status",
//  "initiator", "proposed_at", "expires_at", "approver", "approved_at", "execute_at",
//  "to_trusted", "ended_by", "ended_at", "comment", "ledger_transaction",
//  "failure" ({"check", "name", "message"} or null), "replayed"}
boost::json::object ProposalJson(const ProposalResult& result);
// {"proposals": [ProposalJson…]}
boost::json::object ProposalListJson(const std::vector<ProposalResult>& results);
// {"id", "account", "trusted", "added_by", "added_at", "effective_at", "effective", "removed",
//  "replayed"}
// An account's transaction rules (docs/api/openapi.json, TransactionRules).
boost::json::object TransactionRulesJson(const RulesResult& result);
boost::json::object TrustedEntryJson(const TrustedResult& result);
// {"trusted": [TrustedEntryJson…]}
boost::json::object TrustedListJson(const std::vector<TrustedResult>& results);
// {"now", "expired": [id…], "completed": [id…], "failed": [id…]}
boost::json::object RunDueJson(const RunDueResult& result);

}  // namespace jcm::service::json
