// ProgrammeService::Report: the facts the indicators need (programme/indicators.h), gathered
// from the ledger's blocks and journal, the replayed project cycle and the programme records.
#include <map>
#include <set>

#include "programme/indicators.h"
#include "service/cycle_service.h"
#include "service/programme_service.h"

namespace jcm::service {
namespace {

using programme::FiscalYearOf;

// The date a transaction counts at: an imported issuance at its JC decision's date (the
// decision id ends "@YYYY-MM-DD"), every other one at its journal time (as service/flows.h).
core::Result<std::map<int64_t, core::Date>> TransactionDates(store::Store& store) {
  JCM_ASSIGN_OR_RETURN(std::vector<ledger::JournalEntry> entries,
                       store.ReadJournal(1, "transaction"));
  std::map<int64_t, core::Date> dates;
  for (const ledger::JournalEntry& entry : entries) {
    std::string date = entry.time.substr(0, 10);
    if (entry.body.Find("import_source")) {
      const std::string_view decision = entry.body.Find("decision").value_or("");
      const size_t at = decision.rfind('@');
      if (at != std::string_view::npos) date = std::string(decision.substr(at + 1, 10));
    }
    JCM_ASSIGN_OR_RETURN(dates[entry.seq], core::Date::Parse(date));
  }
  return dates;
}

bool InPipeline(cycle::ProjectStatus status) {
  using cycle::ProjectStatus;
  return status == ProjectStatus::kValidation || status == ProjectStatus::kValidated ||
         status == ProjectStatus::kRegistrationRequested || status == ProjectStatus::kRegistered;
}

std::string ChannelOf(const programme::ProgrammeState& programme, const std::string& key,
                      cycle::FundingSource cycle_funding) {
  if (const auto it = programme.funding.find(key); it != programme.funding.end()) {
    return std::string(programme::ChannelName(it->second.channel));
  }
  return std::string(cycle::ToString(cycle_funding));  // "unknown" when not stated
}

// Issued units, and what reached JP's government holding and retirement accounts: blocks that
// an issuance created there, or that a transaction moved there from another account.
core::Status LedgerFacts(store::Store& store, programme::IndicatorInputs& in) {
  JCM_ASSIGN_OR_RETURN(ledger::StoredState stored, store.ReadState());
  JCM_ASSIGN_OR_RETURN(auto dates, TransactionDates(store));
  std::map<std::string, ledger::AccountType> type_of;
  for (const ledger::Account& account : stored.accounts) type_of[account.number] = account.type;
  std::map<int64_t, const ledger::UnitBlock*> by_id;
  for (const ledger::UnitBlock& block : stored.blocks) by_id[block.id] = &block;
  for (const ledger::UnitBlock& block : stored.blocks) {
    const auto date = dates.find(block.created_seq);
    if (date == dates.end()) return core::DataLoss("block without its transaction");
    const int year = FiscalYearOf(date->second);
    const auto parent = by_id.find(block.parent_id);
    const bool moved_in =
        block.parent_id == 0 || (parent != by_id.end() && parent->second->account != block.account);
    if (block.parent_id == 0) {
      in.issued.push_back({block.project, block.monitoring_period, year, block.unit_count});
    }
    if (!moved_in || !block.registry.is_japan()) continue;
    const ledger::AccountType type = type_of[block.account];
    if (type == ledger::AccountType::kGovernmentHolding) {
      in.goj_acquired.push_back({year, block.unit_count});
    } else if (type == ledger::AccountType::kRetirement) {
      in.ndc_used.push_back({year, block.unit_count});
    }
  }
  return core::OkStatus();
}

// Partners whose Joint Committee exists: set up in the cycle, or evident from its decisions (the
// public data imports decisions and registered projects, not the committees' set-up).
std::set<std::string> PartnersWithJointCommittee(const cycle::State& cycle) {
  std::set<std::string> partners;
  for (const auto& [partner, committee] : cycle.committees) partners.insert(partner);
  for (const cycle::JcDecisionEntry& decision : cycle.decisions) partners.insert(decision.partner);
  for (const auto& [id, project] : cycle.projects) {
    if (project.status == cycle::ProjectStatus::kRegistered) partners.insert(project.partner);
  }
  return partners;
}

}  // namespace

core::Result<programme::IndicatorReport> ProgrammeService::Report(core::Date today) {
  JCM_RETURN_IF_ERROR(Refresh());
  JCM_RETURN_IF_ERROR(cycle_.Refresh());
  const cycle::State& cycle = cycle_.state();
  programme::IndicatorInputs in;
  in.today = today;
  for (const auto& [id, p] : cycle.projects) {
    programme::ProjectFacts facts;
    facts.project = p.reference.empty() ? p.id : p.reference;
    facts.partner = p.partner;
    facts.technology = ProjectTechnology(cycle, p);
    facts.channel = ChannelOf(state_, facts.project, p.funding);
    facts.registered = p.status == cycle::ProjectStatus::kRegistered;
    facts.in_pipeline = InPipeline(p.status);
    if (const auto it = state_.funding.find(facts.project); it != state_.funding.end()) {
      facts.funding = it->second;
    }
    in.projects.push_back(std::move(facts));
  }
  JCM_RETURN_IF_ERROR(LedgerFacts(store_, in));
  in.partner_countries_with_jc = static_cast<int64_t>(PartnersWithJointCommittee(cycle).size());
  return programme::ComputeIndicators(in);
}

}  // namespace jcm::service
