// The Joint Committees as the public sees them (issue 10): each with its partner Party, members
// and secretariat, its decision log, and the versions of the rules and forms it adopted — a
// read of the replayed project-cycle state (cycle/state.h), nothing stored besides.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cycle/state.h"

namespace jcm::service {

struct CommitteeForm {
  std::string code;                          // e.g. "JCM_MN_F_PIN"
  std::vector<cycle::FormVersion> versions;  // in the order adopted
};

struct CommitteeView {
  cycle::JointCommittee committee;
  std::string partner_name;                       // the Party's name; empty when not registered
  std::vector<cycle::JcDecisionEntry> decisions;  // in the order decided
  std::vector<CommitteeForm> forms;               // by code
};

// Every Joint Committee, by partner code.
std::vector<CommitteeView> JointCommittees(const cycle::State& state);

// The Joint Committee of `partner`, or nullopt.
std::optional<CommitteeView> FindJointCommittee(const cycle::State& state,
                                                const std::string& partner);

}  // namespace jcm::service
