#include "service/programme_service.h"

#include <algorithm>
#include <map>
#include <utility>

#include "cycle/enums.h"

namespace jcm::service {
namespace {

constexpr int kAppendAttempts = 8;  // refresh-and-decide rounds before giving up on check 23

// The project's key: its reference once it has one, else its id.
std::string ProjectKey(const cycle::Project& project) {
  return project.reference.empty() ? project.id : project.reference;
}

bool SameContent(const core::Record& a, const core::Record& b) { return a.Encode() == b.Encode(); }

}  // namespace

Rejection FromProgramme(const programme::Rejection& rejection) {
  return Rejection{rejection.number(), std::string(rejection.name()), rejection.message};
}

core::Result<IssuedCredits> ReadIssuedCredits(store::Store& store) {
  JCM_ASSIGN_OR_RETURN(ledger::StoredState stored, store.ReadState());
  std::map<std::string, ledger::AccountType> type_of;
  for (const ledger::Account& account : stored.accounts) type_of[account.number] = account.type;
  IssuedCredits out;
  for (const ledger::UnitBlock& block : stored.blocks) {
    if (block.parent_id != 0) continue;  // a part of an issued block, counted in its root
    out.by_project[block.project] += block.unit_count;
    const auto type = type_of.find(block.account);
    const bool goj = block.registry.is_japan() && type != type_of.end() &&
                     type->second == ledger::AccountType::kGovernmentHolding;
    out.units.push_back({block.project, block.monitoring_period.ToString(), block.registry.str(),
                         goj, block.unit_count});
  }
  return out;
}

core::Status ProgrammeService::Refresh() {
  JCM_ASSIGN_OR_RETURN(
      std::vector<ledger::JournalEntry> entries,
      store_.ReadJournal(state_.last_seq + 1, std::string(programme::kEventKindPrefix)));
  for (const ledger::JournalEntry& entry : entries) {
    core::Status applied =
        programme::ApplyProgrammeEvent(state_, entry.kind, entry.body, entry.seq);
    if (!applied.ok()) {
      return core::DataLoss("journal entry " + std::to_string(entry.seq) + ": " +
                            applied.message());
    }
  }
  return core::OkStatus();
}

core::Result<bool> ProgrammeService::Append(std::string_view kind, core::Record body,
                                            const std::string& key) {
  ledger::AppendEvent event{std::string(kind), std::move(body), key, state_.last_seq};
  JCM_ASSIGN_OR_RETURN(store::Outcome outcome, store_.Submit(event));
  if (outcome.rejection) {
    if (outcome.rejection->check == ledger::CheckCode::kEventFamilyMoved) return false;
    return core::InvalidArgument(outcome.rejection->message);  // check 1: the key's other use
  }
  JCM_RETURN_IF_ERROR(Refresh());
  return true;
}

core::Result<OrRejection<programme::Funding>> ProgrammeService::RecordFunding(
    programme::Funding funding, const std::string& key) {
  JCM_RETURN_IF_ERROR(programme::ValidateFunding(funding));
  for (int attempt = 0; attempt < kAppendAttempts; ++attempt) {
    JCM_RETURN_IF_ERROR(cycle_.Refresh());
    JCM_RETURN_IF_ERROR(Refresh());
    const cycle::Project* project = cycle_.state().FindProject(funding.project);
    if (project != nullptr) funding.project = ProjectKey(*project);
    if (auto rejection = programme::DecideFunding(state_, funding, project != nullptr)) {
      const auto known = state_.funding.find(funding.project);
      // The same record again (a retry): its first recording.
      if (rejection->check == programme::ProgrammeCheck::kFundingExists &&
          SameContent(programme::FundingRecord(known->second), programme::FundingRecord(funding))) {
        return OrRejection<programme::Funding>(known->second);
      }
      return OrRejection<programme::Funding>(FromProgramme(*rejection));
    }
    JCM_ASSIGN_OR_RETURN(bool appended, Append(programme::kEventFundingRecorded,
                                               programme::FundingRecord(funding), key));
    if (appended) return OrRejection<programme::Funding>(state_.funding.at(funding.project));
  }
  return core::Unavailable("the programme records kept changing; run the command again");
}

core::Result<std::vector<programme::Funding>> ProgrammeService::ListFunding() {
  JCM_RETURN_IF_ERROR(Refresh());
  std::vector<programme::Funding> out;
  for (const auto& [project, funding] : state_.funding) out.push_back(funding);
  return out;
}

std::vector<ContributionView> ProgrammeService::Views(const IssuedCredits& issued) const {
  std::vector<ContributionView> out;
  for (const programme::Contribution& c : state_.contributions) {
    ContributionView view{c, {}, 0};
    for (const auto& [project, funding] : state_.funding) {
      if (funding.channel != c.channel || funding.fiscal_year != c.fiscal_year) continue;
      view.projects.push_back(project);
      const auto credits = issued.by_project.find(project);
      if (credits != issued.by_project.end()) view.credits_issued_tco2e += credits->second;
    }
    out.push_back(std::move(view));
  }
  std::sort(out.begin(), out.end(), [](const ContributionView& a, const ContributionView& b) {
    return std::pair(a.contribution.channel, a.contribution.fiscal_year) <
           std::pair(b.contribution.channel, b.contribution.fiscal_year);
  });
  return out;
}

core::Result<OrRejection<ContributionView>> ProgrammeService::RecordContribution(
    programme::Contribution contribution, const std::string& key) {
  JCM_RETURN_IF_ERROR(programme::ValidateContribution(contribution));
  for (int attempt = 0; attempt < kAppendAttempts; ++attempt) {
    JCM_RETURN_IF_ERROR(Refresh());
    std::optional<programme::Rejection> rejection =
        programme::DecideContribution(state_, contribution);
    const programme::Contribution* known =
        state_.FindContribution(contribution.channel, contribution.fiscal_year);
    if (rejection && !(known && SameContent(programme::ContributionRecord(*known),
                                            programme::ContributionRecord(contribution)))) {
      return OrRejection<ContributionView>(FromProgramme(*rejection));
    }
    if (!rejection) {
      JCM_ASSIGN_OR_RETURN(bool appended, Append(programme::kEventContributionRecorded,
                                                 programme::ContributionRecord(contribution), key));
      if (!appended) continue;
    }
    JCM_ASSIGN_OR_RETURN(IssuedCredits issued, ReadIssuedCredits(store_));
    for (ContributionView& view : Views(issued)) {
      if (view.contribution.channel == contribution.channel &&
          view.contribution.fiscal_year == contribution.fiscal_year) {
        return OrRejection<ContributionView>(std::move(view));
      }
    }
    return core::Internal("a recorded contribution is missing from the replayed state");
  }
  return core::Unavailable("the programme records kept changing; run the command again");
}

core::Result<std::vector<ContributionView>> ProgrammeService::ListContributions() {
  JCM_RETURN_IF_ERROR(Refresh());
  JCM_ASSIGN_OR_RETURN(IssuedCredits issued, ReadIssuedCredits(store_));
  return Views(issued);
}

core::Result<std::vector<programme::ProjectDelivery>> ProgrammeService::GojDelivery() {
  JCM_RETURN_IF_ERROR(Refresh());
  JCM_RETURN_IF_ERROR(cycle_.Refresh());
  std::vector<std::string> subsidised;
  for (const auto& [project, funding] : state_.funding) {
    if (programme::IsSubsidy(funding.channel)) subsidised.push_back(project);
  }
  for (const auto& [id, project] : cycle_.state().projects) {
    const std::string key = ProjectKey(project);
    if (cycle::IsSubsidised(project.funding) && !state_.funding.contains(key)) {
      subsidised.push_back(key);
    }
  }
  JCM_ASSIGN_OR_RETURN(IssuedCredits issued, ReadIssuedCredits(store_));
  return programme::GojDelivery(issued.units, subsidised);
}

}  // namespace jcm::service
