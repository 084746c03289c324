// JSON codecs of the public read use cases (service/public_queries.h) as the HTTP API serves
// them (docs/api.md, docs/api/openapi.json). The field names are a contract with every client:
// add fields freely, never rename one.
#pragma once

#include <boost/json.hpp>

#include "cycle/state.h"
#include "ledger/reader.h"
#include "service/committees.h"
#include "service/flows.h"
#include "service/public_queries.h"
#include "service/retirements.h"

namespace jcm::service::json {

// {"registry", "serial", "status", "holder": AccountJson, "block": BlockJson,
//  "lineage": [BlockJson + "created_entry", "ended_entry"] from the holding block to issuance}
boost::json::object UnitJson(const UnitLineage& unit);

// {"seq", "time", "kind", "prev_hash", "hash", "body", "fields": [[key, value], …]}: `body` is
// the canonical Record encoding the hash covers (docs/formats/journal.md), so a client can
// verify the chain; `fields` is the same content, every repeated key kept, in order.
boost::json::object JournalEntryJson(const ledger::JournalEntry& entry);

// One entry of a Joint Committee's decision log: {"partner", "type", "subject", "electronic",
// "annexes", "date"}.
boost::json::object DecisionLogEntryJson(const cycle::JcDecisionEntry& entry);

// {"seq", "time", "registry", "from_account", "retirement_account", "quantity", "beneficiary",
//  "hash", "blocks": [BlockJson]}: a retirement as the public list and the certificate show it.
boost::json::object RetirementJson(const Retirement& retirement);

// {"period", "issued_tco2e", "retired_tco2e", "cancelled_tco2e"}.
boost::json::object FlowJson(const FlowBucket& bucket);

// {"partner", "partner_name", "established", "members", "secretariat", "decisions_count",
//  "forms_count"}; with `detail` also "decisions": [DecisionLogEntryJson] and
//  "forms": [{"code", "versions": [{"version", "effective"}]}].
boost::json::object CommitteeJson(const CommitteeView& view, bool detail);

}  // namespace jcm::service::json
