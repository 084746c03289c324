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
  // Units reserved by external transfers until their outcome (docs/exchange.md): one per
  // registry, opened by its first external transfer. No Kyoto code exists for it: 250 is ours.
  kExchangeTransit = 250,
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
  // The ITMO identifier parts (6/CMA.4 annex I para 5; docs/article6.md, "ITMO identifiers"):
  // the cooperative approach ("CA0004") and the Party ITMO registry ID ("JPN01") are set when
  // the units come to cite an authorisation, with the ITMO IDs: itmo_first..itmo_last(), one
  // per serial, in serial order. A child keeps the sub-range parallel to its serials (INV-42).
  // itmo_first 0: the units have no ITMO IDs (they cite no authorisation).
  std::string cooperative_approach;
  std::string itmo_registry;
  int64_t itmo_first = 0;
  // The Party that first transferred the units (alpha-3); empty until then.
  std::string first_transferring_party;
  // The calendar year of the mitigation (INV-43); 0 on blocks issued before vintages were
  // recorded (journals before migration 13), which the registry does not guess.
  int64_t vintage = 0;
  int64_t parent_id = 0;    // 0 for blocks created by issuance
  int64_t created_seq = 0;  // journal entry that created it
  int64_t ended_seq = 0;    // journal entry that ended it; 0 while live

  int64_t serial_last() const { return serial_first + unit_count - 1; }
  int64_t itmo_last() const { return itmo_first == 0 ? 0 : itmo_first + unit_count - 1; }
  bool live() const { return ended_seq == 0; }
  // Same attributes apart from position (serials and ITMO IDs), account and lineage: children
  // inherit these.
  bool SameAttributes(const UnitBlock& other) const;
  friend bool operator==(const UnitBlock&, const UnitBlock&) = default;
};

// Encodes a block as one journal field value and back (docs/formats/journal.md). Eleven parts,
// then optional tagged parts in this order, each only when set: "imported" for an imported
// block, "a6=PARTY/ID" for units citing an Article 6.2 authorisation, "ca=CANNNN",
// "itmo=AAA00:FIRST" (registry ID and first ITMO ID), "ftp=AAA" (first-transferring Party),
// "v=YYYY" (vintage). Blocks of earlier journals have fewer, and decode as they did.
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
// The Party ITMO registry ID (`AAA00`) of a registry's ITMOs: its Party's alpha-3 code and
// "01", the first registry of that Party ("JPN01", "MNG01"; docs/article6.md).
std::string ItmoRegistryId(const core::RegistryCode& registry);

// Units of one vintage (calendar year) in a Joint Committee decision's amount.
struct VintageAmount {
  int64_t year = 0;
  int64_t tco2e = 0;
  friend bool operator==(const VintageAmount&, const VintageAmount&) = default;
};
// A period's amount split over the calendar years it touches by their days in it: each year
// gets floor(total × days / period days), and the units left go one each to the years with
// the largest remainders, the earlier year first on a tie (docs/article6.md, "Vintages").
// The amounts sum to `total`; years in calendar order. REQUIRES: 0 <= total <= kSerialMax.
std::vector<VintageAmount> SplitByDays(const core::Period& period, int64_t total);

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
  // A transfer to an account of another registry (docs/exchange.md). Kyoto's external transfer
  // reserves the units: they move to the registry's exchange transit account, where nothing
  // but the transfer's outcome moves them.
  kExternalTransfer = 3,
  // The outcome of one (`external_reservation` names its entry): failed, the reserved units go
  // back to the source account; completed, they end, leaving the registry. Ours: 31, 32.
  kExternalRelease = 31,
  kExternalCompletion = 32,
  // The receiving side of a completed external transfer: the sender's blocks
  // (`incoming_blocks`) are created in the destination account `to`. Ours: 33.
  kExternalAcquisition = 33,
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
  // Its cooperative approach ("CANNNN"), which the cited units carry.
  std::string article6_cooperative_approach;
  // Issuance: the decision's amount per vintage, from the MRV report (calendar years in order,
  // summing to the amount notified; checks 622-624). Empty: split by days (SplitByDays).
  std::vector<VintageAmount> vintages;
  std::vector<IssuanceTarget> targets;
  // Transfer, retirement, cancellation, article6_authorisation (`from` is the account).
  std::string from;
  std::string to;  // transfer only; retirement/cancellation go to the registry's own
  int64_t quantity = 0;
  std::string serials;      // optional "FIRST..LAST"
  std::string beneficiary;  // retirement
  std::string reason;       // cancellation
  // Retirement of units authorised for NDC use: the year toward whose NDC they are used (0: the
  // year of the retirement; checks 624-625).
  int64_t use_year = 0;
  // Cancellation: why, "omge", "voluntary" or "other" (empty: "other"; the reason is its text;
  // check 626).
  std::string cancellation_purpose;
  // Retirement or cancellation: the authorisations ("PARTY/ID") whose first transfer for OIMP
  // is their use or cancellation, as the service read them; units citing one that are not yet
  // first transferred are first transferred by this transaction (docs/article6.md).
  std::vector<std::string> first_transfer_at_use;
  // Issuance or article6_authorisation: the cited authorisation's OIMP first-transfer
  // definition ("", "Authorisation", "Issuance", "Use or Cancellation"), and whether the units
  // are first transferred as they come to cite it (service: Article6Service::Cite).
  bool article6_first_transfer_now = false;
  // External transfers (docs/exchange.md): the exchange's transaction id ("JP:17", the sending
  // registry and its number), journaled with every step of it.
  std::string external_transaction;
  // Release or completion: the journal entry of the external transfer that reserved the units.
  int64_t external_reservation = 0;
  // Acquisition: the blocks the sending registry transferred, as its proposal named them (their
  // ids and lineage are the sender's; the receiver gives them its own ids).
  std::vector<UnitBlock> incoming_blocks;

  // Canonical content (without the key): what an idempotency key is bound to.
  core::Record ToRecord() const;
};

}  // namespace jcm::ledger
