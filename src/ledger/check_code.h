// The ledger's numbered checks: every business rule of a registry transaction has one.
//
// Persisted and public: the numbers appear in the journal, the CLI's JSON and the API. Never
// renumber, never reuse; append new checks. Checks run in ascending number order (the order is
// the precedence), so the same bad request always gets the same, most fundamental, rejection.
// docs/checks.md lists each code with its meaning. Codes 1–99 are the ledger's; the project
// cycle uses 100 and above; 620–626 are Article 6 checks on units, run by the ledger.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace jcm::ledger {

enum class CheckCode : uint16_t {
  kIdempotencyKeyReused = 1,        // key seen before with different content
  kQuantityNotPositive = 2,         // quantity must be a positive integer
  kQuantityAboveLimit = 3,          // above kUnitsPerTransactionMax
  kSerialRangeInvalid = 4,          // named serials malformed or not matching the quantity
  kRegistryUnknown = 5,             // registry not initialised in this deployment
  kDetailsInvalid = 6,              // issuance reference / reason / holder data missing or bad
  kSourceAccountNumberInvalid = 7,  // malformed or failing its check digits
  kSourceAccountUnknown = 8,
  kSourceAccountNotOpen = 9,      // suspended or closed
  kSourceAccountMayNotSend = 10,  // its type may not initiate this transaction type
  kDestinationAccountNumberInvalid = 11,
  kDestinationAccountUnknown = 12,
  kDestinationAccountNotOpen = 13,
  kDestinationAccountMayNotReceive = 14,
  kSameAccount = 15,                // source and destination are the same account
  kDifferentRegistries = 16,        // accounts (or issuing registry) are not one registry
  kUnitsInsufficient = 17,          // source holds fewer units than the quantity
  kSerialsNotHeld = 18,             // some named serials are not held by the source
  kUnitsNotAuthorised = 19,         // e.g. retirement of units not authorised for NDC use
  kTooManyBlocks = 20,              // more than kBlocksPerTransactionMax blocks touched
  kAccountStateChangeInvalid = 21,  // e.g. reopening a closed account, closing a non-empty one
  kRegistryExists = 22,             // registry already initialised
  kEventFamilyMoved = 23,           // another event of the family was journaled meanwhile
  // An issuance must execute a Joint Committee decision recorded for its registry (or be the
  // journaled import of a historical record, with its evidence).
  kDecisionUnknown = 24,
  kDecisionMismatch = 25,       // project or period differ from the decision's
  kDecisionExceeded = 26,       // more than the decision notified to this registry
  kDecisionRecordInvalid = 27,  // a decision to record is malformed or contradicts a recorded one
  kSerialsExhausted = 28,       // the issuance would number a serial above kSerialMax
  // Article 6 (600–649, docs/checks.md "Article 6"): the rules on units citing an
  // authorisation, which only the ledger can hold against the units as they are.
  kArticle6CapExceeded = 620,             // more units would cite it than its quantity cap
  kArticle6UnitsAlreadyAuthorised = 621,  // named units already cite an authorisation
  kVintageAmountsMismatch = 622,          // amounts per vintage do not sum to the decision's
  kVintageYearsInvalid = 623,  // a vintage is not a year of the period, in order, amount >= 0
  kUseYearInvalid = 624,       // the year used precedes a retired unit's vintage or the future
  kUseYearNotNdc = 625,        // a year of NDC use for units not authorised for NDC use
  kCancellationPurposeInvalid = 626,  // not omge, voluntary or other
  // Transfers between registries (830–849 of the exchange's 800–849, docs/exchange.md): the
  // rules on the units of an external transfer, which only the ledger can hold.
  kUnitsReserved = 830,               // units reserved by an external transfer may not move
  kExternalDestinationInvalid = 831,  // not an account number of another registry
  kReservationNotOpen = 832,          // the cited reservation is unknown, released or completed
  kIncomingBlocksInvalid = 833,       // an acquisition's blocks are malformed or do not sum
};

// Stable snake_case name, e.g. "units_insufficient".
std::string_view CheckName(CheckCode code);

// A business rejection: which check failed and a sentence for the person who asked.
struct Rejection {
  // Always set by the check that rejects; initialised so that GCC 12 at -O3 does not report a
  // copy of a Rejection inside a Verdict as maybe-uninitialised.
  CheckCode check{};
  std::string message;
};

}  // namespace jcm::ledger
