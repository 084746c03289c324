// Internal to ReceiveMessage (service/exchange_transfers.h): one received message decided on one
// replayed state. Each handler returns the result, or nullopt when its append found the family
// head moved (check 23: DecideLocked decides again on a fresh state). The receiver's handlers are
// in exchange_receive.cc, the sender's replies and the status requests in exchange_replies.cc.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "exchange/envelope.h"
#include "exchange/transfer.h"
#include "service/exchange_transfers.h"
#include "service/internal/exchange_state.h"

namespace jcm::service::internal {

struct Context {
  store::Store& store;
  const ExchangeIdentity& identity;
  const ExchangeState& state;
  const exchange::Envelope& message;
  int64_t now_s = 0;
  // The connection's client certificate's name under mutual TLS (ReceiveMessage); null: none.
  const std::optional<std::string>* certified_as = nullptr;
};

using Handled = std::optional<OrRejection<ReceiveResult>>;  // nullopt: decide again
using Attempt = core::Result<Handled>;

// The gate (800–803), the connection's certificate (836), then the handler of the message's kind.
Attempt Dispatch(const Context& c);

Attempt OnAnswerMessage(const Context& c);
Attempt OnStatusRequestMessage(const Context& c);
Attempt OnStatusMessage(const Context& c);

// The fields naming a received message (peer, seq, transaction, kind) and received.*.
core::Record MessageFields(const exchange::Envelope& m);
// Appends `event` and reports `effect`.
Attempt Journal(const Context& c, std::string_view kind, core::Record event, std::string effect);
// Journals the message's refusal (exchange.message_refused: sender, seq, transaction, kind, check,
// never its signature) and returns it as the Rejection. `consumed`: the gate passed, so the
// message's seq counts as received (received.*) and a replay of it is 803.
Attempt Refuse(const Context& c, const exchange::Refusal& refusal, bool consumed);
// The receiver's step the sender's outcome or status calls for: the acquisition with
// incoming_completed, incoming_terminated, or the message recorded as ignored.
Attempt FollowSender(const Context& c, const IncomingKey& key, exchange::ReceiverStep step);

}  // namespace jcm::service::internal
