// The ledger's value types: accounts, unit blocks, transaction requests, limits.
//
// A unit is one JCM credit, 1 tCO2e, with a serial number unique within its registry and never
// reused. Units are held in UnitBlocks: a run of consecutive serials with identical attributes
// in one account. Blocks are immutable (INV-4): moving part of a block ends it and creates
// children that inherit every attribute and name their parent (INV-5). Quantities are int64_t
// tonnes; this module contains no floating point.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/record.h"
#include "core/registry_code.h"

namespace jcm::ledger {

// Named limits: everything the ledger accepts is bounded, with a clear rejection beyond.
inline constexpr int64_t kUnitsPerTransactionMax = 1'000'000'000;  // 1 Gt, above any issuance
inline constexpr int64_t kBlocksPerTransactionMax = 10'000;
inline constexpr int64_t kIssuanceTargetsMax = 100;
// The largest serial a registry numbers (check 28): 12 digits, the width of the serials in a
// unit identifier (serial_identifier.h), so identifiers of one project and vintage sort in
// serial order as text. 10^12 units is 5,000 times the JCM's whole 2040 target.
inline constexpr int64_t kSerialMax = 999'999'999'999;
inline constexpr size_t kTextFieldBytesMax = 1'000;

// Account types carry the Kyoto registries' account-type codes (the UK ETS registry's
// KyotoAccountType; docs/formats/accounts.md):
// persisted and part of account numbers — never renumber.
enum class AccountType : uint16_t {
  kGovernmentHolding = 100,  // 政府保有口座
  kEntityHolding = 121,      // 法人等保有口座
  kCancellation = 230,       // 取消口座
  kRetirement = 300,         // 無効化口座 (use toward the NDC)
};
std::string_view AccountTypeName(AccountType type);  // "government_holding", …
std::optional<AccountType> AccountTypeFromCode(int code);
std::optional<AccountType> AccountTypeFromName(std::string_view name);
// Units in these accounts are final: nothing ever leaves them (INV-6).
inline bool IsTerminal(AccountType type) {
  return type == AccountType::kRetirement || type == AccountType::kCancellation;
}

enum class AccountState : uint8_t { kOpen = 0, kSuspended = 1, kClosed = 2 };
std::string_view AccountStateName(AccountState state);
std::optional<AccountState> AccountStateFromName(std::string_view name);

struct Holder {
  std::string name;     // English, required for entity accounts
  std::string name_ja;  // Japanese, optional
  std::string representative;
  std::string address;
  std::string contact;
  friend bool operator==(const Holder&, const Holder&) = default;
};

struct Account {
  std::string number;  // core::AccountNumber text form
  core::RegistryCode registry;
  AccountType type = AccountType::kEntityHolding;
  AccountState state = AccountState::kOpen;
  Holder holder;
  friend bool operator==(const Account&, const Account&) = default;
};

// Article 6 authorisation of the units (docs/glossary.md).
enum class Authorization : uint8_t { kNone = 0, kNdc = 1, kOimp = 2, kNdcAndOimp = 3 };
std::string_view AuthorizationName(Authorization a);  // "none", "ndc", "oimp", "ndc+oimp"
std::optional<Authorization> AuthorizationFromName(std::string_view name);
inline bool AllowsNdcUse(Authorization a) {
  return a == Authorization::kNdc || a == Authorization::kNdcAndOimp;
}

struct UnitBlock {
  int64_t id = 0;
  core::RegistryCode registry;
  int64_t serial_first = 0;
  int64_t unit_count = 0;
  std::string account;  // holding account number
  std::string project;  // e.g. "MN003"
  core::Period monitoring_period;
  int64_t issuance_number = 0;  // 1 for the project's first issuance in this registry, …
  Authorization authorization = Authorization::kNone;
  bool first_transferred = false;
  // Issued by the journaled import of historical records (evidence in the issuance entry),
  // not by executing a Joint Committee decision of this registry (INV-11).
  bool imported = false;
  // The Article 6.2 authorisation the units cite, "PARTY/ID" (docs/article6.md); empty: none.
  // Set at issuance or by an article6_authorisation transaction, then inherited by every
  // child (INV-5), so no split loses it (INV-41).
  std::string article6_authorisation;
  int64_t parent_id = 0;    // 0 for blocks created by issuance
  int64_t created_seq = 0;  // journal entry that created it
  int64_t ended_seq = 0;    // journal entry that ended it; 0 while live

  int64_t serial_last() const { return serial_first + unit_count - 1; }
  bool live() const { return ended_seq == 0; }
  // Same attributes apart from position, account and lineage: children inherit these.
  bool SameAttributes(const UnitBlock& other) const;
  friend bool operator==(const UnitBlock&, const UnitBlock&) = default;
};

// Encodes a block as one journal field value and back (docs/formats/journal.md). Eleven parts,
// then optional tagged parts in this order: "imported" for an imported block, "a6=PARTY/ID"
// for units citing an Article 6.2 authorisation. Blocks of earlier journals have none or only
// the first, and decode as they did.
std::string EncodeBlock(const UnitBlock& block);
core::Result<UnitBlock> DecodeBlock(std::string_view text);

// A Joint Committee's issuance decision as the ledger knows it: the amount the decision
// notified to one registry (side). It is recorded in the same write as the project-cycle event
// of the decision, and a ledger issuance executes it (checks 24-26); the registry's executed
// total never exceeds the notified amount (INV-11). Project, period and vintage of the issued
// units come from here, not from the person executing.
struct JcDecision {
  std::string id;  // "MN003:2017-08-26..2018-05-31@2018-11-06": project, period, decision date
  core::RegistryCode registry;
  std::string project;
  core::Period period;
  int64_t notified_tco2e = 0;
  int64_t executed_tco2e = 0;  // issued so far under this decision in this registry
  int64_t recorded_seq = 0;    // the journal entry that recorded it
  friend bool operator==(const JcDecision&, const JcDecision&) = default;
};

// A registry's own rules, one row per registry (docs/checks.md, "Registry policies").
struct RegistryPolicy {
  // Japan's statute: only units authorised for NDC use may be retired toward the NDC. A
  // partner registry is bound by it only when configured so.
  bool retirement_needs_ndc_authorization = false;
  friend bool operator==(const RegistryPolicy&, const RegistryPolicy&) = default;
};
// The policy a registry starts with: Japan's rule for JP, none for the others.
RegistryPolicy DefaultPolicy(const core::RegistryCode& registry);

// An inclusive serial range as users write it: "FIRST..LAST".
struct SerialRange {
  int64_t first = 0;
  int64_t last = 0;
  int64_t count() const { return last - first + 1; }
  static core::Result<SerialRange> Parse(std::string_view text);
};

enum class TransactionType : uint8_t {
  kIssuance = 1,
  kInternalTransfer = 10,
  kRetirement = 5,
  kCancellation = 4,
  // Units of an account come to cite an Article 6.2 authorisation; they stay in the account.
  // No Kyoto code exists for it: 60 is ours.
  kArticle6Authorisation = 60,
};

// "PARTY/ID": how a block and a request cite an authorisation (IDs never contain '/').
inline std::string Article6Reference(std::string_view party, std::string_view id) {
  return std::string(party) + "/" + std::string(id);
}

struct IssuanceTarget {
  std::string account;
  int64_t quantity = 0;
};

// What a participant or registry manager asks the ledger to do. Fields not used by a type are
// left empty; the checks say which are required.
struct TransactionRequest {
  TransactionType type = TransactionType::kInternalTransfer;
  std::string idempotency_key;  // empty: none
  // Issuance.
  std::string registry;
  std::string project;
  std::string period;    // "START..END"
  std::string decision;  // the recorded JC decision executed (JcDecision::id)
  // Import of a historical issuance instead of a decision: where the record comes from.
  std::string import_source;  // e.g. "data/jcm/issuances.csv"
  int64_t import_line = 0;    // 1-based line in import_source
  Authorization authorization = Authorization::kNone;
  // Issuance or article6_authorisation: the Article 6.2 authorisation cited ("PARTY/ID", empty:
  // none), the flag its purposes give (`authorization` above) and its quantity cap as the
  // service read it (0: none). The ledger enforces the cap over every unit citing it (INV-41).
  std::string article6_authorisation;
  int64_t article6_cap_tco2e = 0;
  std::vector<IssuanceTarget> targets;
  // Transfer, retirement, cancellation, article6_authorisation (`from` is the account).
  std::string from;
  std::string to;  // transfer only; retirement/cancellation go to the registry's own
  int64_t quantity = 0;
  std::string serials;      // optional "FIRST..LAST"
  std::string beneficiary;  // retirement
  std::string reason;       // cancellation

  // Canonical content (without the key): what an idempotency key is bound to.
  core::Record ToRecord() const;
};

}  // namespace jcm::ledger
