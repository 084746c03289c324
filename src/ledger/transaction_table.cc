#include "ledger/transaction_table.h"

#include <algorithm>
#include <array>

#include "core/check.h"

namespace jcm::ledger {
namespace {

using enum AccountType;

const std::array<TransactionTypeRow, 9> kTable = {{
    {TransactionType::kIssuance,
     "issuance",
     Initiator::kRegistryManager,
     {},
     {kGovernmentHolding, kEntityHolding},
     Destination::kExplicit,
     false,
     false,
     true},
    {TransactionType::kInternalTransfer,
     "transfer",
     Initiator::kAccountHolder,
     {kGovernmentHolding, kEntityHolding},
     {kGovernmentHolding, kEntityHolding},
     Destination::kExplicit,
     false,
     false,
     false},
    {TransactionType::kRetirement,
     "retirement",
     Initiator::kAccountHolder,
     {kGovernmentHolding, kEntityHolding},
     {kRetirement},
     Destination::kRegistryRetirement,
     true,
     false,
     false},
    {TransactionType::kCancellation,
     "cancellation",
     Initiator::kAccountHolder,
     {kGovernmentHolding, kEntityHolding},
     {kCancellation},
     Destination::kRegistryCancellation,
     false,
     true,
     false},
    {TransactionType::kArticle6Authorisation,
     "article6_authorisation",
     Initiator::kRegistryManager,
     {kGovernmentHolding, kEntityHolding},
     {kGovernmentHolding, kEntityHolding},
     Destination::kSourceAccount,
     false,
     false,
     false},
    // External transfers (docs/exchange.md): the exchange service starts the release, the
    // completion and the acquisition from the protocol's messages, never a person.
    {TransactionType::kExternalTransfer,
     "external_transfer",
     Initiator::kAccountHolder,
     {kGovernmentHolding, kEntityHolding},
     {kExchangeTransit},
     Destination::kRegistryTransit,
     false,
     false,
     true},
    {TransactionType::kExternalRelease,
     "external_release",
     Initiator::kRegistryManager,
     {kExchangeTransit},
     {kGovernmentHolding, kEntityHolding},
     Destination::kReservationSource,
     false,
     false,
     false},
    {TransactionType::kExternalCompletion,
     "external_completion",
     Initiator::kRegistryManager,
     {kExchangeTransit},
     {},
     Destination::kNone,
     false,
     false,
     false},
    {TransactionType::kExternalAcquisition,
     "external_acquisition",
     Initiator::kRegistryManager,
     {},
     {kGovernmentHolding, kEntityHolding},
     Destination::kExplicit,
     false,
     false,
     false},
}};

}  // namespace

std::span<const TransactionTypeRow> TransactionTypeTable() { return kTable; }

const TransactionTypeRow& RowFor(TransactionType type) {
  for (const TransactionTypeRow& row : kTable) {
    if (row.type == type) return row;
  }
  JCM_CHECK(false, "every TransactionType has a row in the table");
  return kTable[0];
}

bool Contains(std::initializer_list<AccountType> types, AccountType type) {
  return std::find(types.begin(), types.end(), type) != types.end();
}

}  // namespace jcm::ledger
