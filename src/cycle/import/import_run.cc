// RunImport: decides the planned commands in order; idempotent against facts already recorded.
#include <algorithm>

#include "cycle/decide.h"
#include "cycle/import/jcm_data.h"

namespace jcm::cycle::import {
namespace {

// True when the command's fact is already in `state` with the same content: a re-import.
struct SameAsRecorded {
  const State& s;

  bool operator()(const RegisterParty& c) const { return s.parties.count(c.partner) != 0; }
  bool operator()(const AdoptForm& c) const {
    auto it = s.forms.find(c.form);
    return it != s.forms.end() &&
           std::any_of(it->second.begin(), it->second.end(),
                       [&](const FormVersion& v) { return v.version == c.version; });
  }
  bool operator()(const RecordMethodology& c) const {
    const Methodology* m = s.FindMethodology(c.approved_code);
    return m != nullptr && m->partner == c.partner && !m->versions.empty() &&
           m->versions.back().version == c.version && m->versions.back().date == c.approval_date;
  }
  bool operator()(const RecordProject& c) const {
    const Project* p = s.FindProject(c.reference);
    return p != nullptr && p->partner == c.partner && p->title == c.title &&
           p->status == c.status && p->registration_date == c.registration_date &&
           p->host_participants == c.host_participants &&
           p->japanese_participants == c.japanese_participants &&
           p->methodologies == c.methodologies;
  }
  bool operator()(const RecordIssuanceDecision& c) const {
    const Project* p = s.FindProject(c.project);
    const MonitoringPeriodState* m = p == nullptr ? nullptr : p->FindPeriod(c.period);
    if (m == nullptr || m->decision_date != c.date || m->sides.size() != c.sides.size()) {
      return false;
    }
    for (size_t i = 0; i < c.sides.size(); ++i) {
      if (m->sides[i].side != c.sides[i].side ||
          m->sides[i].amount_tco2e != c.sides[i].amount_tco2e) {
        return false;
      }
    }
    return true;
  }
  bool operator()(const ExecuteIssuance& c) const {
    const Project* p = s.FindProject(c.project);
    const MonitoringPeriodState* m = p == nullptr ? nullptr : p->FindPeriod(c.period);
    if (m == nullptr) return false;
    return std::any_of(m->sides.begin(), m->sides.end(), [&](const SideState& side) {
      return side.side == c.side && side.executed == c.date;
    });
  }
  template <typename T>
  bool operator()(const T&) const {
    return false;
  }
};

}  // namespace

ImportResult RunImport(const State& state, const ImportPlan& plan, core::Date today) {
  ImportResult result;
  result.state = state;
  result.notes = plan.notes;
  for (const SourcedCommand& sourced : plan.commands) {
    Outcome outcome = Decide(result.state, sourced.command, today);
    if (const Event* event = std::get_if<Event>(&outcome)) {
      Apply(result.state, *event);
      result.events.push_back(*event);
      result.event_sources.push_back({sourced.file, sourced.line});
      continue;
    }
    if (std::visit(SameAsRecorded{result.state}, sourced.command.payload)) {
      ++result.unchanged;
      continue;
    }
    const Rejection& rejection = std::get<Rejection>(outcome);
    result.notes.push_back({sourced.file, sourced.line, true,
                            "check " + std::to_string(rejection.number()) + " " +
                                std::string(rejection.name()) + ": " + rejection.message});
  }
  std::stable_sort(result.notes.begin(), result.notes.end(),
                   [](const ImportNote& a, const ImportNote& b) {
                     return std::tie(a.file, a.line) < std::tie(b.file, b.line);
                   });
  return result;
}

}  // namespace jcm::cycle::import
