#include "service/json/public_json.h"

#include "service/json/ledger_json.h"

namespace jcm::service::json {

namespace bj = boost::json;

bj::object UnitJson(const UnitLineage& unit) {
  bj::array lineage;
  for (const ledger::UnitBlock& block : unit.lineage) {
    bj::object o = BlockJson(block);
    o["created_entry"] = block.created_seq;
    o["ended_entry"] = block.ended_seq == 0 ? bj::value(nullptr) : bj::value(block.ended_seq);
    lineage.push_back(std::move(o));
  }
  return {{"registry", unit.registry},
          {"serial", unit.serial},
          {"status", unit.status},
          {"holder", AccountJson(unit.holder)},
          {"block", BlockJson(unit.lineage.front())},
          {"lineage", std::move(lineage)}};
}

bj::object JournalEntryJson(const ledger::JournalEntry& entry) {
  bj::array fields;
  for (const auto& [key, value] : entry.body.fields()) fields.push_back(bj::array{key, value});
  return {{"seq", entry.seq},           {"time", entry.time},
          {"kind", entry.kind},         {"prev_hash", entry.prev_hash},
          {"hash", entry.hash},         {"body", entry.body.Encode()},
          {"fields", std::move(fields)}};
}

bj::object DecisionLogEntryJson(const cycle::JcDecisionEntry& entry) {
  bj::array annexes;
  for (const std::string& annex : entry.annexes) annexes.emplace_back(annex);
  return {{"partner", entry.partner},      {"type", entry.type},
          {"subject", entry.subject},      {"electronic", entry.electronic},
          {"annexes", std::move(annexes)}, {"date", entry.date.ToString()}};
}

boost::json::object RetirementJson(const Retirement& retirement) {
  boost::json::array blocks;
  for (const ledger::UnitBlock& block : retirement.blocks) blocks.push_back(BlockJson(block));
  return {{"seq", retirement.seq},
          {"time", retirement.time},
          {"registry", retirement.registry},
          {"from_account", retirement.from_account},
          {"retirement_account", retirement.retirement_account},
          {"quantity", retirement.quantity},
          {"beneficiary", retirement.beneficiary},
          {"hash", retirement.hash},
          {"blocks", std::move(blocks)}};
}

boost::json::object FlowJson(const FlowBucket& bucket) {
  return {{"period", bucket.period},
          {"issued_tco2e", bucket.issued_tco2e},
          {"retired_tco2e", bucket.retired_tco2e},
          {"cancelled_tco2e", bucket.cancelled_tco2e}};
}

boost::json::object CommitteeJson(const CommitteeView& view, bool detail) {
  const cycle::JointCommittee& committee = view.committee;
  boost::json::array members;
  for (const std::string& member : committee.members) members.emplace_back(member);
  boost::json::object o{{"partner", committee.partner},
                        {"partner_name", view.partner_name},
                        {"established", committee.established.ToString()},
                        {"members", std::move(members)},
                        {"secretariat", committee.secretariat},
                        {"decisions_count", view.decisions.size()},
                        {"forms_count", view.forms.size()}};
  if (!detail) return o;
  boost::json::array decisions;
  for (const cycle::JcDecisionEntry& entry : view.decisions) {
    decisions.push_back(DecisionLogEntryJson(entry));
  }
  boost::json::array forms;
  for (const CommitteeForm& form : view.forms) {
    boost::json::array versions;
    for (const cycle::FormVersion& version : form.versions) {
      versions.push_back(
          {{"version", version.version},
           {"effective", version.effective ? boost::json::value(version.effective->ToString())
                                           : boost::json::value(nullptr)}});
    }
    forms.push_back({{"code", form.code}, {"versions", std::move(versions)}});
  }
  o["decisions"] = std::move(decisions);
  o["forms"] = std::move(forms);
  return o;
}

}  // namespace jcm::service::json
