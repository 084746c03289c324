// Who takes each step of the project cycle (docs/cli.md, "Steps"): one overload per payload and
// no catch-all, so a new payload without an actor fails the build.
#include <variant>

#include "service/cycle_service.h"

namespace jcm::service {
namespace {

using cycle::Actor;
using cycle::Role;

// The pair a methodology belongs to: the prefix of its code ("MN" of "MN_PM005").
std::string PairOf(const std::string& code) { return code.substr(0, code.find('_')); }

struct ActorOfStep {
  const cycle::State& state;
  const std::string& by;

  Actor Participant() const { return {Role::kParticipant, by}; }
  Actor Tpe() const { return {Role::kTpe, by}; }
  Actor JointCommittee(const std::string& partner) const {
    return {Role::kJointCommittee, partner};
  }
  // The Joint Committee of the project's pair (an unknown project is Decide's to reject).
  Actor JointCommitteeOfProject(const std::string& project) const {
    const cycle::Project* p = state.FindProject(project);
    return JointCommittee(p == nullptr ? "" : p->partner);
  }
  Actor Secretariat(const std::string& partner) const { return {Role::kSecretariat, partner}; }
  Actor Government() const { return {Role::kGovernment, "JP"}; }

  Actor operator()(const cycle::RegisterParty&) const { return Government(); }
  Actor operator()(const cycle::EstablishJointCommittee&) const { return Government(); }
  Actor operator()(const cycle::RecordJcDecision& c) const { return JointCommittee(c.partner); }
  Actor operator()(const cycle::AdoptForm& c) const { return JointCommittee(c.partner); }
  Actor operator()(const cycle::RegisterOrganisation& c) const { return Secretariat(c.country); }
  Actor operator()(const cycle::DesignateTpe& c) const { return JointCommittee(c.partner); }
  Actor operator()(const cycle::ProposeMethodology& c) const {
    return {Role::kProponent, c.proponent};
  }
  Actor operator()(const cycle::CheckMethodologyCompleteness& c) const {
    return Secretariat(PairOf(c.proposal_code));
  }
  Actor operator()(const cycle::ExtendMethodologyConsideration& c) const {
    return JointCommittee(PairOf(c.proposal_code));
  }
  Actor operator()(const cycle::DecideMethodology& c) const {
    return JointCommittee(PairOf(c.proposal_code));
  }
  Actor operator()(const cycle::ReviseMethodology& c) const {
    return JointCommittee(PairOf(c.approved_code));
  }
  Actor operator()(const cycle::RecordMethodology& c) const { return Secretariat(c.partner); }
  Actor operator()(const cycle::SubmitPin&) const { return Participant(); }
  Actor operator()(const cycle::DecidePin& c) const { return JointCommitteeOfProject(c.project); }
  Actor operator()(const cycle::SubmitPdd&) const { return Participant(); }
  Actor operator()(const cycle::SubmitValidation&) const { return Tpe(); }
  Actor operator()(const cycle::RequestRegistration&) const { return Participant(); }
  Actor operator()(const cycle::DecideRegistration& c) const {
    return JointCommitteeOfProject(c.project);
  }
  Actor operator()(const cycle::WithdrawRegistrationRequest&) const { return Participant(); }
  Actor operator()(const cycle::ApprovePostRegistrationChange& c) const {
    return JointCommitteeOfProject(c.project);
  }
  Actor operator()(const cycle::RenewCreditingPeriod& c) const {
    return JointCommitteeOfProject(c.project);
  }
  Actor operator()(const cycle::WithdrawProject& c) const {
    return JointCommitteeOfProject(c.project);
  }
  Actor operator()(const cycle::RecordProject& c) const { return Secretariat(c.partner); }
  Actor operator()(const cycle::AddMonitoringPeriod&) const { return Participant(); }
  Actor operator()(const cycle::SubmitMonitoringReport&) const { return Participant(); }
  Actor operator()(const cycle::SubmitVerification&) const { return Tpe(); }
  Actor operator()(const cycle::RequestIssuance&) const { return Participant(); }
  Actor operator()(const cycle::WithdrawIssuanceRequest&) const { return Participant(); }
  Actor operator()(const cycle::DecideIssuance& c) const {
    return JointCommitteeOfProject(c.project);
  }
  Actor operator()(const cycle::RecordIssuanceDecision& c) const {
    const cycle::Project* p = state.FindProject(c.project);
    return Secretariat(p == nullptr ? "" : p->partner);
  }
  Actor operator()(const cycle::ExecuteIssuance& c) const {
    return {Role::kRegistryManager, c.side};
  }
};

}  // namespace

cycle::Actor CycleService::ImpliedActor(const cycle::Payload& payload,
                                        const std::string& by) const {
  return std::visit(ActorOfStep{state_, by}, payload);
}

}  // namespace jcm::service
