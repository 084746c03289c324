// Internal to the ledger's Decide implementation files.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

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

// Check 6 on a transaction's details (texts, an issuance's origin, a cancellation's reason, an
// Article 6 authorisation's reference).
std::optional<Rejection> CheckDetails(const TransactionRequest& request);

// The account checks shared by source and destination: number, existence, state, type.
struct AccountCheckCodes {
  CheckCode invalid, unknown, not_open, wrong_type;
  const char* role;
};
inline constexpr AccountCheckCodes kSourceCodes = {
    CheckCode::kSourceAccountNumberInvalid, CheckCode::kSourceAccountUnknown,
    CheckCode::kSourceAccountNotOpen, CheckCode::kSourceAccountMayNotSend, "source"};
inline constexpr AccountCheckCodes kDestinationCodes = {
    CheckCode::kDestinationAccountNumberInvalid, CheckCode::kDestinationAccountUnknown,
    CheckCode::kDestinationAccountNotOpen, CheckCode::kDestinationAccountMayNotReceive,
    "destination"};
// Checks 7–14 on one account: the account, or the first failing check.
core::Result<std::variant<Rejection, Account>> CheckAccount(
    Reader& reader, const std::string& number, std::initializer_list<AccountType> allowed_types,
    const AccountCheckCodes& codes, std::string_view type_code);
// The body every transaction entry starts with: type, registry, key.
core::Record BaseBody(const TransactionRequest& r, const core::RegistryCode& registry);

// Check 620: `quantity` more units citing the request's Article 6 authorisation stay within its
// cap (none cited, or no cap: nullopt). decide_article6.cc.
core::Result<std::optional<Rejection>> CheckArticle6Cap(Reader& reader,
                                                        const TransactionRequest& request,
                                                        int64_t quantity);
// An article6_authorisation transaction: checks 6–10, 17, 18, 20, 620, 621, and the Delta
// that replaces the named units of `request.from` by children citing the authorisation.
core::Result<Verdict> DecideArticle6Authorisation(Reader& reader, const TransactionRequest& request,
                                                  const Context& context);

core::Result<Verdict> DecideTransaction(Reader& reader, const TransactionRequest& request,
                                        const Context& context);
// Checks 17–20 and the Delta for a movement whose accounts passed their checks.
core::Result<Verdict> DecideSelection(Reader& reader, const TransactionRequest& request,
                                      const Account& source, const Account& destination,
                                      const Context& context);

}  // namespace jcm::ledger
