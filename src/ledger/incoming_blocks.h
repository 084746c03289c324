// Check 833 on the blocks an external transfer brings in (docs/exchange.md): each a run of
// serials within kSerialMax of some registry whose first-transferring Party, if any, is the one
// of the authorisation it cites, their units summing to `request.quantity`, at most
// kBlocksPerTransactionMax of them. The acquisition runs it; the receiving registry's service
// runs it on a proposal too, so that it never accepts blocks its acquisition would refuse after
// the sender has ended them. Pure.
#pragma once

#include <optional>

#include "ledger/check_code.h"
#include "ledger/types.h"

namespace jcm::ledger {

std::optional<Rejection> CheckIncomingBlocks(const TransactionRequest& request);

}  // namespace jcm::ledger
