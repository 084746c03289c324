// Internal to the ledger's Decide implementation files.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "ledger/block_algebra.h"
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

// Checks 622, 623: the decision's amount per vintage year — the request's (from the MRV
// report), or `total` split by days (SplitByDays). decide_issuance_blocks.cc.
std::variant<Rejection, std::vector<VintageAmount>> DecisionVintages(
    const TransactionRequest& request, const core::Period& period, int64_t total);
// Where an issuance's blocks go: the decision's vintages, of which `issued_before` units were
// issued by earlier issuances under it (earliest year first), and the registry's next serial.
struct IssuedBlocksPlan {
  core::RegistryCode registry;
  core::Period period;
  std::vector<VintageAmount> vintages;  // sum >= issued_before + the request's quantity
  int64_t issued_before = 0;
  int64_t issuance_number = 0;
  int64_t first_serial = 0;
  int64_t seq = 0;  // the issuance's journal entry
};
// The plan's registry, period and vintages for an issuance of `quantity` executing `executed`
// (its decision, already counting this issuance; empty for an import without one): 622, 623.
std::variant<Rejection, IssuedBlocksPlan> PlanIssuedBlocks(const TransactionRequest& request,
                                                           const core::RegistryCode& registry,
                                                           std::span<const JcDecision> executed,
                                                           int64_t quantity);
// One block per target and vintage year, in target order, consecutive serials from
// plan.first_serial; units citing an authorisation get ITMO IDs from *next_itmo on (INV-42).
std::vector<UnitBlock> IssuedBlocks(const TransactionRequest& request, const IssuedBlocksPlan& plan,
                                    int64_t* next_id, int64_t* next_itmo);
// The ITMO identifier parts of units coming to cite the request's authorisation: its
// cooperative approach, the registry's ITMO registry ID, and ITMO IDs from *next_itmo on.
void GiveItmoIds(const TransactionRequest& request, UnitBlock* block, int64_t* next_itmo);

// What a retirement or cancellation records under Article 6.2 (decide_use.cc).
inline constexpr int64_t kUseYearMax = 2100;
struct UseRecord {
  int64_t use_year = 0;              // a retirement of units authorised for NDC use
  std::string cancellation_purpose;  // a cancellation: omge, voluntary, other
};
// Checks 624-626 on the units `selection` moves out of `live`, at `time` (the entry's).
std::variant<Rejection, UseRecord> CheckUse(const TransactionRequest& request,
                                            std::span<const UnitBlock> live,
                                            const Selection& selection, const std::string& time);
// Journals `use` in `body` and first-transfers the `children` used or cancelled (those in
// `destination`) citing an
// authorisation of request.first_transfer_at_use (each such reference once as
// "first_transfer").
void RecordUse(const TransactionRequest& request, const UseRecord& use,
               const std::string& destination, std::span<UnitBlock> children, core::Record* body);
// Units first transferred now, by the Party whose authorisation they cite (INV-44).
void MarkFirstTransferred(UnitBlock* block);

// External transfers' transactions (decide_external.cc): the reservation (checks 6-10, 830,
// 831, 17-20), its release or completion (832), the acquisition (833).
bool IsExternal(TransactionType type);
core::Result<Verdict> DecideExternal(Reader& reader, const TransactionRequest& request,
                                     const Context& context);
// A reservation's entry names the destination in the other registry and the exchange
// transaction, and the transit account `destination` when this entry opens it (for the audit's
// replay). Nothing for other transactions.
core::Status AddReservationFields(Reader& reader, const TransactionRequest& request,
                                  const Account& destination, core::Record* body);

core::Result<Verdict> DecideTransaction(Reader& reader, const TransactionRequest& request,
                                        const Context& context);
// Checks 17–20 and the Delta for a movement whose accounts passed their checks.
core::Result<Verdict> DecideSelection(Reader& reader, const TransactionRequest& request,
                                      const Account& source, const Account& destination,
                                      const Context& context);

}  // namespace jcm::ledger
