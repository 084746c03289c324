// Internal to the ledger's Decide implementation files.
#pragma once

#include <optional>
#include <string_view>

#include "ledger/decide.h"

namespace jcm::ledger {

// One text field to journal, for check 6: at most kTextFieldBytesMax bytes of UTF-8, and for a
// `single_line` field (a name, a key) no control character.
struct TextField {
  std::string_view text;
  std::string_view what;  // for the message: "the holder name", "--reason"
  bool single_line = true;
};
// Check 6 over `fields`: the first that does not fit, or nullopt.
std::optional<Rejection> CheckTextFields(std::initializer_list<TextField> fields);

core::Result<Verdict> DecideTransaction(Reader& reader, const TransactionRequest& request,
                                        const Context& context);
// Checks 17–20 and the Delta for a movement whose accounts passed their checks.
core::Result<Verdict> DecideSelection(Reader& reader, const TransactionRequest& request,
                                      const Account& source, const Account& destination,
                                      const Context& context);

}  // namespace jcm::ledger
