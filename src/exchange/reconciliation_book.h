// ReconciliationBook: the reconciliations with each peer and whether one found differences that
// no operator has resolved yet, replayed from the journal's "exchange.reconciliation_*" events
// (docs/exchange.md, "Reconciliation"), as TransferBook replays the transfers (which skips these
// kinds). While an inconsistency with a peer is open, external transfers with it are frozen
// (check 845): the ITL's rule that no transaction starts while a reconciliation is not complete
// (turn2-anchors §2.3). A reconciliation that finds no difference does not lift the freeze: an
// operator resolves it with a journaled decision (exchange.reconciliation_resolved), because
// the difference may have been repaired by hand on one side only. Pure.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "core/record.h"
#include "core/registry_code.h"
#include "core/status.h"
#include "exchange/exchange_check.h"
#include "exchange/reconcile.h"

namespace jcm::exchange {

// Event kinds. Persisted: never rename one.
inline constexpr std::string_view kEventReconciliationCompleted =
    "exchange.reconciliation_completed";
inline constexpr std::string_view kEventReconciliationInconsistent =
    "exchange.reconciliation_inconsistent";
inline constexpr std::string_view kEventReconciliationResolved = "exchange.reconciliation_resolved";

// The event that records `report`, reconciled at `at_s` (UTC seconds): completed or
// inconsistent, with each difference listed ("difference=PHASE|TRANSACTION|TEXT").
core::Record ReconciliationEvent(const ReconcileReport& report, int64_t at_s);
std::string_view ReconciliationEventKind(const ReconcileReport& report);

struct PeerReconciliation {
  int64_t last_seq = 0;            // the entry of the last reconciliation
  int64_t last_at_s = 0;           // when it ran (UTC seconds)
  std::string last_itl_status;     // "COMPLETED", "TOTAL_INCON", …
  int64_t open_inconsistency = 0;  // the inconsistent entry no resolution has closed; 0: none
  int64_t open_differences = 0;
  friend bool operator==(const PeerReconciliation&, const PeerReconciliation&) = default;
};

class ReconciliationBook {
 public:
  // Applies one journal entry of the exchange.* family (other kinds are skipped; `seq` still
  // counts as the family head). DataLoss for a resolution when none is open.
  core::Status Apply(std::string_view kind, const core::Record& body, int64_t seq);

  const std::map<core::RegistryCode, PeerReconciliation>& peers() const { return peers_; }
  // Check 845 when an inconsistency with `peer` is open.
  std::optional<Refusal> Frozen(const core::RegistryCode& peer) const;
  int64_t last_seq() const { return last_seq_; }
  friend bool operator==(const ReconciliationBook&, const ReconciliationBook&) = default;

 private:
  std::map<core::RegistryCode, PeerReconciliation> peers_;
  int64_t last_seq_ = 0;
};

// The resolution to journal (peer, inconsistency, reason), or 847 when none is open.
std::variant<core::Record, Refusal> DecideResolve(const ReconciliationBook& book,
                                                  const core::RegistryCode& peer,
                                                  const std::string& reason);

}  // namespace jcm::exchange
