#include "service/committees.h"

namespace jcm::service {
namespace {

CommitteeView ViewOf(const cycle::State& state, const cycle::JointCommittee& committee) {
  CommitteeView view{committee, {}, {}, {}};
  if (const auto party = state.parties.find(committee.partner); party != state.parties.end()) {
    view.partner_name = party->second.name;
  }
  for (const cycle::JcDecisionEntry& entry : state.decisions) {
    if (entry.partner == committee.partner) view.decisions.push_back(entry);
  }
  // Form codes name their committee: JCM_<partner>_…
  const std::string marker = "_" + committee.partner + "_";
  for (const auto& [code, versions] : state.forms) {
    if (code.find(marker) != std::string::npos) view.forms.push_back({code, versions});
  }
  return view;
}

}  // namespace

std::vector<CommitteeView> JointCommittees(const cycle::State& state) {
  std::vector<CommitteeView> views;
  for (const auto& [partner, committee] : state.committees) {
    views.push_back(ViewOf(state, committee));
  }
  return views;
}

std::optional<CommitteeView> FindJointCommittee(const cycle::State& state,
                                                const std::string& partner) {
  const auto found = state.committees.find(partner);
  if (found == state.committees.end()) return std::nullopt;
  return ViewOf(state, found->second);
}

}  // namespace jcm::service
