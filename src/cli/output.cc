#include "cli/output.h"

#include <ostream>

#include "ledger/decide.h"
#include "ledger/serial_identifier.h"

namespace jcm::cli {

namespace json = boost::json;

json::object BlockJson(const ledger::UnitBlock& b) {
  return {{"serial_first", b.serial_first},
          {"serial_last", b.serial_last()},
          {"quantity", b.unit_count},
          {"identifier", ledger::SerialIdentifier(b)},
          {"account", b.account},
          {"project", b.project},
          {"monitoring_period", b.monitoring_period.ToString()},
          {"vintage", b.monitoring_period.end.year()},
          {"issuance_number", b.issuance_number},
          {"authorization", ledger::AuthorizationName(b.authorization)},
          {"first_transferred", b.first_transferred},
          {"block_id", b.id},
          {"parent_block_id", b.parent_id}};
}

json::object AccountJson(const ledger::Account& a) {
  return {{"id", a.number},
          {"registry", a.registry.str()},
          {"type", ledger::AccountTypeName(a.type)},
          {"state", ledger::AccountStateName(a.state)},
          {"holder_name", a.holder.name},
          {"holder_name_ja", a.holder.name_ja},
          {"representative", a.holder.representative},
          {"address", a.holder.address},
          {"contact", a.holder.contact}};
}

int ReportOutcome(const store::Outcome& outcome, bool as_json, Environment& env) {
  if (outcome.rejection) {
    const auto& r = *outcome.rejection;
    if (as_json) {
      PrintJson(json::object{{"rejected",
                              {{"check", static_cast<int>(r.check)},
                               {"name", ledger::CheckName(r.check)},
                               {"message", r.message}}}},
                env.out);
    } else {
      env.err << "rejected by check " << static_cast<int>(r.check) << " ("
              << ledger::CheckName(r.check) << "): " << r.message << "\n";
    }
    return kExitRejected;
  }
  const ledger::JournalEntry& e = outcome.entry;
  auto created = ledger::CreatedBlocks(e);
  if (!created.ok()) return ReportError(created.status(), as_json, env);
  const std::string to(e.body.Find("to").value_or(""));
  json::array blocks;
  int64_t total = 0;
  for (const ledger::UnitBlock& b : *created) {
    if (!to.empty() && b.account != to) continue;  // remainders left with the source
    blocks.push_back(BlockJson(b));
    total += b.unit_count;
  }
  const std::string type(e.body.Find("type").value_or(e.kind));
  if (as_json) {
    PrintJson(json::object{{"transaction",
                            {{"id", e.seq},
                             {"type", type},
                             {"time", e.time},
                             {"quantity", total},
                             {"blocks", std::move(blocks)},
                             {"hash", e.hash},
                             {"replayed", outcome.replayed}}}},
              env.out);
  } else {
    env.out << type << " " << e.seq << (outcome.replayed ? " (already committed)" : "") << ": "
            << total << " units\n";
    for (const auto& b : blocks) {
      env.out << "  " << b.as_object().at("identifier").as_string().c_str() << "  "
              << b.as_object().at("account").as_string().c_str() << "\n";
    }
  }
  return kExitOk;
}

int ReportError(const core::Status& status, bool as_json, Environment& env) {
  if (as_json) {
    PrintJson(json::object{{"error",
                            {{"code", core::StatusCodeName(status.code())},
                             {"message", status.message()}}}},
              env.out);
  }
  env.err << "jcm: " << status.ToString() << "\n";
  return status.code() == core::StatusCode::kInvalidArgument ? kExitUsage : kExitError;
}

}  // namespace jcm::cli
