#include "cycle/replay.h"

#include "cycle/codec.h"
#include "cycle/decide.h"

namespace jcm::cycle {

ReplayResult ReplayAndVerify(std::span<const JournaledEvent> entries) {
  ReplayResult result;
  for (const JournaledEvent& entry : entries) {
    ++result.events;
    auto event = DecodeEvent(entry.kind, entry.body);
    if (!event.ok()) {
      result.violations.push_back({entry.seq, event.status().message()});
      continue;
    }
    Outcome outcome =
        Decide(result.state, Command{event->actor, event->payload}, entry.journaled_on);
    if (const Rejection* rejection = std::get_if<Rejection>(&outcome)) {
      result.violations.push_back({entry.seq, "check " + std::to_string(rejection->number()) + " " +
                                                  std::string(rejection->name()) + ": " +
                                                  rejection->message});
      // Apply only what Apply can take: an event about something unknown cannot be applied.
      bool unknown = rejection->check == CycleCheck::kUnknownProject ||
                     rejection->check == CycleCheck::kUnknownMethodology ||
                     rejection->check == CycleCheck::kUnknownMonitoringPeriod;
      if (!unknown) Apply(result.state, *event);
      continue;
    }
    if (!(std::get<Event>(outcome) == *event)) {
      result.violations.push_back(
          {entry.seq, "journaled " + entry.kind + " differs from what Decide derives"});
    }
    Apply(result.state, *event);
  }
  return result;
}

}  // namespace jcm::cycle
