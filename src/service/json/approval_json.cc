#include "service/json/approval_json.h"

#include <string>

namespace jcm::service::json {
namespace {

namespace bj = boost::json;

bj::value TextOrNull(const std::string& text) {
  if (text.empty()) return nullptr;
  return bj::value(text);
}

bj::value PositiveOrNull(int64_t value) {  // a time or an entry; 0: not yet
  if (value == 0) return nullptr;
  return value;
}

bj::array Ids(const std::vector<int64_t>& ids) {
  bj::array out;
  for (const int64_t id : ids) out.emplace_back(id);
  return out;
}

}  // namespace

bj::object ProposalJson(const ProposalResult& result) {
  const approval::Proposal& p = result.proposal;
  const approval::ProposedTransaction& t = p.transaction;
  bj::value failure = nullptr;
  if (p.failed_check != 0) {
    failure = bj::object{
        {"check", p.failed_check}, {"name", p.failed_name}, {"message", p.failed_message}};
  }
  return {{"id", p.id},
          {"type", approval::ProposableTypeName(t.type)},
          {"from", t.from},
          {"to", TextOrNull(t.to)},
          {"quantity", t.quantity},
          {"serials", TextOrNull(t.serials)},
          {"beneficiary", TextOrNull(t.beneficiary)},
          {"reason", TextOrNull(t.reason)},
          {"use_year", PositiveOrNull(t.use_year)},
          {"cancellation_purpose", TextOrNull(t.cancellation_purpose)},
          {"status", approval::ProposalStatusName(result.status)},
          {"initiator", p.initiator},
          {"proposed_at", p.proposed_at_s},
          {"expires_at", p.expires_at_s},
          {"approver", TextOrNull(p.approver)},
          {"approved_at", PositiveOrNull(p.approved_at_s)},
          {"execute_at", PositiveOrNull(p.execute_at_s)},
          {"to_trusted", p.to_trusted},
          {"without_second_approval", p.without_second_approval},
          {"ended_by", TextOrNull(p.ended_by)},
          {"ended_at", PositiveOrNull(p.ended_at_s)},
          {"comment", TextOrNull(p.comment)},
          {"ledger_transaction", PositiveOrNull(p.ledger_seq)},
          {"failure", std::move(failure)},
          {"replayed", result.replayed}};
}

bj::object ProposalListJson(const std::vector<ProposalResult>& results) {
  bj::array out;
  for (const ProposalResult& result : results) out.emplace_back(ProposalJson(result));
  return {{"proposals", std::move(out)}};
}

bj::object TransactionRulesJson(const RulesResult& result) {
  const approval::AccountRules& r = result.rules;
  return {
      {"account", result.account},
      {"second_approval_to_trusted", approval::SecondApprovalName(r.second_approval_to_trusted)},
      {"effective_at", PositiveOrNull(r.effective_at_s)},
      {"waived", result.waived},
      {"set_by", TextOrNull(r.set_by)},
      {"set_at", PositiveOrNull(r.set_at_s)},
      {"entry", PositiveOrNull(r.entry)},
      {"replayed", result.replayed}};
}

bj::object TrustedEntryJson(const TrustedResult& result) {
  const approval::TrustedEntry& e = result.entry;
  return {{"id", e.id},
          {"account", e.account},
          {"trusted", e.trusted},
          {"added_by", e.added_by},
          {"added_at", e.added_at_s},
          {"effective_at", e.effective_at_s},
          {"effective", result.effective},
          {"removed", e.removed},
          {"replayed", result.replayed}};
}

bj::object TrustedListJson(const std::vector<TrustedResult>& results) {
  bj::array out;
  for (const TrustedResult& result : results) out.emplace_back(TrustedEntryJson(result));
  return {{"trusted", std::move(out)}};
}

bj::object RunDueJson(const RunDueResult& result) {
  return {{"now", result.now_s},
          {"expired", Ids(result.expired)},
          {"completed", Ids(result.completed)},
          {"failed", Ids(result.failed)}};
}

}  // namespace jcm::service::json
