// Internal to the ledger's Decide implementation files.
#pragma once

#include "ledger/decide.h"

namespace jcm::ledger {

core::Result<Verdict> DecideTransaction(Reader& reader, const TransactionRequest& request,
                                        const Context& context);
// Checks 17–20 and the Delta for a movement whose accounts passed their checks.
core::Result<Verdict> DecideSelection(Reader& reader, const TransactionRequest& request,
                                      const Account& source, const Account& destination,
                                      const Context& context);

}  // namespace jcm::ledger
