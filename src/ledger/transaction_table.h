// The declarative transaction-type table (the UK ETS registry's model; docs/checks.md prints it):
// one row per transaction type, naming who may start it, which account types may send and
// receive it, and whether a second person must approve it. The checks read this table; they
// hold no per-type rules of their own beyond what the row says. docs/checks.md prints it.
#pragma once

#include <initializer_list>
#include <span>
#include <string_view>

#include "ledger/types.h"

namespace jcm::ledger {

enum class Initiator : uint8_t { kRegistryManager, kAccountHolder };

enum class Destination : uint8_t {
  kExplicit,            // the request names the destination account
  kRegistryRetirement,  // the registry's own retirement account
  kRegistryCancellation,
  kSourceAccount,      // the units stay where they are (an Article 6 authorisation)
  kRegistryTransit,    // the registry's exchange transit account (an external transfer)
  kReservationSource,  // back to the account the reservation took them from (a release)
  kNone,               // the units end, leaving the registry (an external completion)
};

struct TransactionTypeRow {
  TransactionType type;
  std::string_view code;  // "issuance", "transfer", … (journal and CLI name)
  Initiator initiator;
  std::initializer_list<AccountType> source_types;  // empty: units are created
  std::initializer_list<AccountType> destination_types;
  Destination destination;
  bool needs_ndc_authorization;
  bool needs_reason;
  bool approval_required;  // four-eyes approval: recorded, enforced once users sign in (API)
};

const TransactionTypeRow& RowFor(TransactionType type);
std::span<const TransactionTypeRow> TransactionTypeTable();
bool Contains(std::initializer_list<AccountType> types, AccountType type);

}  // namespace jcm::ledger
