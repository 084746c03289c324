// Internal to the services: how many times a use case decides again, on its state refreshed,
// when check 23 refuses its append because another process journaled an event of the family it
// decided on meanwhile, before it answers with check 23 ("run the command again"). Five rounds
// absorb a burst of other writers (a JC decision executed while organisations are registered
// one after another needed two); a service whose writers race harder keeps a larger count of
// its own (programme, the exchange's state).
#pragma once

namespace jcm::service::internal {

inline constexpr int kAppendAttempts = 5;

}  // namespace jcm::service::internal
