#include "service/json/ledger_json.h"

#include <algorithm>
#include <cctype>

#include "ledger/serial_identifier.h"

namespace jcm::service::json {

namespace bj = boost::json;

bj::object RejectionJson(const Rejection& r) {
  return {{"rejected", {{"check", r.check}, {"name", r.name}, {"message", r.message}}}};
}

bj::object ErrorJson(const core::Status& status) {
  std::string code(core::StatusCodeName(status.code()));
  std::transform(code.begin(), code.end(), code.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return {{"error", {{"code", code}, {"message", status.message()}}}};
}

namespace {

// The ITMO identifier parts of units citing an authorisation (docs/article6.md); null: none.
bj::value ItmoJson(const ledger::UnitBlock& b) {
  if (b.itmo_first == 0) return nullptr;
  return bj::object{{"cooperative_approach", b.cooperative_approach},
                    {"party_itmo_registry_id", b.itmo_registry},
                    {"first_id", b.itmo_first},
                    {"last_id", b.itmo_last()},
                    {"first_transferring_party", b.first_transferring_party.empty()
                                                     ? bj::value(nullptr)
                                                     : bj::value(b.first_transferring_party)}};
}

}  // namespace

bj::object BlockJson(const ledger::UnitBlock& b) {
  return {
      {"serial_first", b.serial_first},
      {"serial_last", b.serial_last()},
      {"quantity", b.unit_count},
      {"identifier", ledger::SerialIdentifier(b)},
      {"account", b.account},
      {"project", b.project},
      {"monitoring_period", b.monitoring_period.ToString()},
      // The calendar year of the mitigation; for blocks issued before it was recorded, the
      // year the period ends, as the serial identifier has it (vintage_recorded false).
      {"vintage", b.vintage != 0 ? b.vintage : b.monitoring_period.end.year()},
      {"vintage_recorded", b.vintage != 0},
      {"issuance_number", b.issuance_number},
      {"authorization", ledger::AuthorizationName(b.authorization)},
      {"first_transferred", b.first_transferred},
      {"imported", b.imported},
      {"block_id", b.id},
      {"parent_block_id", b.parent_id},
      {"article6_authorisation",
       b.article6_authorisation.empty() ? bj::value(nullptr) : bj::value(b.article6_authorisation)},
      {"itmo", ItmoJson(b)}};
}

bj::object AccountJson(const ledger::Account& a) {
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

bj::object ApplicationJson(const AccountApplication& a) {
  return {{"id", a.id},
          {"registry", a.registry},
          {"type", ledger::AccountTypeName(a.type)},
          {"holder_name", a.holder.name},
          {"holder_name_ja", a.holder.name_ja},
          {"representative", a.holder.representative},
          {"address", a.holder.address},
          {"contact", a.holder.contact},
          {"applicant", a.applicant},
          {"submitted", a.submitted},
          {"state", ApplicationStateName(a.state)},
          {"decided_by", a.decided_by},
          {"decided", a.decided},
          {"reason", a.reason},
          {"account", a.account},
          {"right", a.right}};
}

bj::object TransactionJson(const TransactionResult& t) {
  bj::array blocks;
  for (const ledger::UnitBlock& b : t.blocks) blocks.push_back(BlockJson(b));
  return {{"transaction",
           {{"id", t.seq},
            {"type", t.type},
            {"time", t.time},
            {"quantity", t.quantity},
            {"blocks", std::move(blocks)},
            {"hash", t.hash},
            {"replayed", t.replayed}}}};
}

bj::object InitJson(const InitResult& result) {
  bj::array created;
  for (const std::string& code : result.initialised) created.emplace_back(code);
  return {{"initialised", std::move(created)}};
}

bj::object AccountOpenedJson(const AccountOpened& opened) {
  return {
      {"account", AccountJson(opened.account)}, {"seq", opened.seq}, {"replayed", opened.replayed}};
}

bj::array AccountListJson(const std::vector<AccountBalance>& accounts) {
  bj::array rows;
  for (const AccountBalance& a : accounts) {
    bj::object row = AccountJson(a.account);
    row["total"] = a.units;
    rows.push_back(std::move(row));
  }
  return rows;
}

bj::object HoldingsJson(const Holdings& holdings) {
  bj::array blocks;
  for (const ledger::UnitBlock& b : holdings.blocks) blocks.push_back(BlockJson(b));
  return {{"account", holdings.account.number},
          {"type", ledger::AccountTypeName(holdings.account.type)},
          {"total", holdings.units},
          {"blocks", std::move(blocks)}};
}

bj::object AuditJson(const AuditReport& report) {
  bj::array rows;
  for (const ledger::Violation& v : report.violations) {
    rows.push_back({{"invariant", v.invariant}, {"entry", v.seq}, {"message", v.message}});
  }
  bj::array missing;
  for (const auto& [seq, sha256] : report.documents_missing) {
    missing.push_back({{"entry", seq}, {"sha256", sha256}});
  }
  bj::object o{
      {"ok", report.ok()},
      {"entries", report.entries},
      {"blocks", report.blocks},
      {"head_hash", report.head_hash},
      {"elapsed_ms", report.elapsed_ms},
      {"cycle_events", report.cycle.events},
      {"imported",
       {{"issuances", report.imported_issuance_entries.size()},
        {"units", report.imported_units},
        {"entries", bj::value_from(report.imported_issuance_entries)}}},
      {"documents", {{"checked", report.documents_checked}, {"missing", std::move(missing)}}},
      {"violations", std::move(rows)}};
  if (report.mrv_reports_recomputed >= 0) {
    o["mrv"] = {{"reports_recomputed", report.mrv_reports_recomputed}};
  }
  return o;
}

bj::object MigrationJson(const MigrationReport& report) {
  return {{"ok", report.ok()},
          {"entries", report.target.entries},
          {"blocks", report.target.blocks},
          {"documents", report.documents},
          {"users", report.users},
          {"tokens", report.tokens},
          {"head_hash", report.target.head_hash},
          {"source", AuditJson(report.source)},
          {"target", AuditJson(report.target)}};
}

bj::object DecisionsJson(const std::vector<ledger::JcDecision>& decisions) {
  bj::array rows;
  for (const ledger::JcDecision& d : decisions) {
    rows.push_back({{"id", d.id},
                    {"registry", d.registry.str()},
                    {"project", d.project},
                    {"monitoring_period", d.period.ToString()},
                    {"vintage", d.period.end.year()},
                    {"notified_tco2e", d.notified_tco2e},
                    {"executed_tco2e", d.executed_tco2e},
                    {"pending_tco2e", d.notified_tco2e - d.executed_tco2e},
                    {"recorded_entry", d.recorded_seq}});
  }
  return {{"decisions", std::move(rows)}};
}

}  // namespace jcm::service::json
