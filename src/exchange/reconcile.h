// Reconciliation between two registries (docs/exchange.md, "Reconciliation"; issue 12 §3), after
// the ITL's three phases TOTALS → UNIT_BLOCK_DETAIL → TRAIL (turn2-anchors §2.3).
//
// Each registry describes itself *for one peer* at one journal seq — a ReconcileSnapshot — and
// signs it with its exchange key; Compare(mine, theirs) lays the two side by side and names each
// difference by phase:
//   totals      units sent to / received from the peer per origin registry (completed), and in
//               flight (reserved at the sender, pending at the receiver); the live units held
//               here per account type and origin are listed for the report, not compared (the
//               two registries hold different units);
//   unit blocks the serial runs (with vintage and ITMO IDs) that crossed, per transaction, must
//               be the same on both sides, and no serial of either registry may be live in both;
//   trail       each external transfer between the two with its state on each side: final and
//               agreeing, in flight within its time limit (not a difference), or a difference.
// A snapshot lists every live block of the two registries' serials held here (not only those
// that crossed): only then are serials that one side created without the other's sending them
// (the doubled units reconciliation exists to find) seen live in both. Account numbers are not
// in a snapshot: a peer learns the account *types* that hold units, as the ITL does.
//
// Pure: the service builds snapshots from the store (service/exchange_reconcile.h).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/ed25519.h"
#include "core/record.h"
#include "core/registry_code.h"
#include "core/status.h"
#include "exchange/exchange_check.h"
#include "exchange/transfer.h"

namespace jcm::exchange {

inline constexpr std::string_view kSnapshotProtocol = "jcm-reconcile/1";

// A run of one registry's serials: the units of a block (or of adjacent blocks alike).
struct SerialRun {
  core::RegistryCode origin;  // whose serials
  int64_t serial_first = 0;
  int64_t unit_count = 0;
  int64_t vintage = 0;   // 0: not recorded
  std::string itmo;      // "CA0004/JPN01:17" (approach/registry:first ITMO ID) or empty
  int account_type = 0;  // live runs: the holding account's type code; 0 in a trail
  int64_t serial_last() const { return serial_first + unit_count - 1; }
  friend bool operator==(const SerialRun&, const SerialRun&) = default;
};

// One external transfer between the two registries as this registry holds it.
struct TrailEntry {
  std::string transaction;  // the sender's id, "JP:7": the sender is the prefix
  ReportedState state = ReportedState::kUnknown;
  int64_t quantity = 0;
  int64_t deadline_s = 0;         // the sender's time limit (UTC seconds); 0 when not known here
  std::vector<SerialRun> blocks;  // what crossed (or is pending); empty when not known here
};

// Units between the two registries, of one origin registry's serials.
struct Totals {
  int64_t sent_completed = 0;      // to the peer
  int64_t sent_in_flight = 0;      // reserved here, outcome not given
  int64_t received_completed = 0;  // from the peer
  int64_t received_pending = 0;    // accepted here, the sender's outcome not received
  friend bool operator==(const Totals&, const Totals&) = default;
};

struct ReconcileSnapshot {
  core::RegistryCode registry;                  // whose snapshot
  core::RegistryCode peer;                      // for whom
  int64_t journal_seq = 0;                      // the registry's journal as of this entry
  std::string taken_at;                         // ISO 8601 UTC
  std::map<core::RegistryCode, Totals> totals;  // by origin: registry and peer
  // Live units held here by (origin, account type code).
  std::map<std::pair<core::RegistryCode, int>, int64_t> live_units;
  std::vector<TrailEntry> trail;  // by transaction id
  std::vector<SerialRun> live;    // live runs of both registries' serials, by (origin, serial)
  std::string signature;          // Ed25519 over SignedBytes(), raw; empty until signed

  // Totals and live_units from trail and live (what BuildSnapshot states).
  void DeriveTotals();
  // The canonical encoding of every field but the signature (core/record.h).
  core::Record ToRecord() const;
  // kSnapshotProtocol, a newline, the hex SHA-256 of ToRecord().Encode().
  std::string Digest() const;
  std::string SignedBytes() const;
  void Sign(const core::Ed25519PrivateKey& key);
  bool SignatureVerifies(std::string_view public_key) const;
  // The wire form: ToRecord() with the signature (hex) appended.
  std::string Encode() const;
  // InvalidArgument for text that is not a snapshot's encoding (the service answers it with
  // check 846, snapshot_invalid); the signature is not verified here.
  static core::Result<ReconcileSnapshot> Decode(std::string_view wire);
};

// A transfer's pair of states, the sender's and the receiver's.
enum class Settlement : uint8_t {
  kAgreed,    // final on both sides, the same outcome
  kInFlight,  // a combination the protocol passes through: not a difference within the limit
  kDiffers,   // no run of the protocol ends here: a difference
};
Settlement Settle(ReportedState sender, ReportedState receiver);

// How long after a transfer's time limit its outcome may still be on its way: the receiver's
// kRetriesBeforeEscalation status requests at the back-off span about 35 minutes.
inline constexpr int64_t kOutcomeDeliverySeconds = 3600;

enum class Phase : uint8_t { kTotals, kUnitBlocks, kTrail };
std::string_view PhaseName(Phase phase);  // "totals", "unit_blocks", "trail"

struct Difference {
  Phase phase = Phase::kTotals;
  std::string transaction;  // when it concerns one
  std::string text;         // "JP:7 completed at JP, pending at MN"
  friend bool operator==(const Difference&, const Difference&) = default;
};

// The ITL's reconciliation statuses (UK ITLReconciliationStatus): the numbers are the ITL's.
enum class ItlStatus : uint8_t {
  kTotalInconsistent = 3,
  kUnitInconsistent = 4,
  kCompleted = 5,
  kCompletedManualIntervention = 6,
};
std::string_view ItlStatusName(ItlStatus status);  // "TOTAL_INCON", …

struct ReconcileReport {
  core::RegistryCode registry, peer;
  int64_t registry_seq = 0, peer_seq = 0;
  std::string registry_digest, peer_digest;
  std::vector<Difference> differences;  // in phase order
  int64_t differences_omitted = 0;      // beyond kDifferencesListed per phase
  int in_flight = 0;                    // transfers in flight within their limit
  int transactions = 0;                 // transfers between the two, on either side
  bool consistent() const { return differences.empty() && differences_omitted == 0; }
  ItlStatus itl_status() const;
};

// At most this many differences are listed per phase; the rest are counted.
inline constexpr int64_t kDifferencesListed = 100;

// Compares this registry's snapshot with the peer's, at `now_s` (UTC seconds: what is in flight
// past its limit + kOutcomeDeliverySeconds is a difference). REQUIRES: theirs.registry ==
// mine.peer and theirs.peer == mine.registry (the caller checks; 846 otherwise).
ReconcileReport Compare(const ReconcileSnapshot& mine, const ReconcileSnapshot& theirs,
                        int64_t now_s);

// The serial runs of `runs` merged where one continues the other with the same attributes, in
// (origin, serial) order: two descriptions of the same units compare equal however split.
std::vector<SerialRun> Coalesce(std::vector<SerialRun> runs);

}  // namespace jcm::exchange
