// Compare(mine, theirs): the three phases of a reconciliation (reconcile.h).
#include <algorithm>
#include <array>
#include <set>
#include <utility>

#include "exchange/reconcile.h"

namespace jcm::exchange {
namespace {

using State = ReportedState;

// Differences by phase, at most kDifferencesListed listed per phase.
class Findings {
 public:
  void Add(Phase phase, std::string transaction, std::string text) {
    std::vector<Difference>& list = by_phase_[static_cast<size_t>(phase)];
    if (static_cast<int64_t>(list.size()) >= kDifferencesListed) {
      ++omitted_;
      return;
    }
    list.push_back({phase, std::move(transaction), std::move(text)});
  }
  void MoveInto(ReconcileReport& report) {
    for (std::vector<Difference>& list : by_phase_) {
      for (Difference& d : list) report.differences.push_back(std::move(d));
    }
    report.differences_omitted = omitted_;
  }

 private:
  std::array<std::vector<Difference>, 3> by_phase_;
  int64_t omitted_ = 0;
};

std::string Range(const core::RegistryCode& origin, int64_t first, int64_t last) {
  return origin.str() + " " + std::to_string(first) + ".." + std::to_string(last);
}

std::string Runs(const std::vector<SerialRun>& runs) {
  if (runs.empty()) return "nothing";
  std::string text;
  for (size_t i = 0; i < runs.size() && i < 3; ++i) {
    if (i > 0) text += ", ";
    text += Range(runs[i].origin, runs[i].serial_first, runs[i].serial_last());
    if (runs[i].vintage != 0) text += " (" + std::to_string(runs[i].vintage) + ")";
    if (!runs[i].itmo.empty()) text += " [" + runs[i].itmo + "]";
  }
  if (runs.size() > 3) text += ", … (" + std::to_string(runs.size()) + " runs)";
  return text;
}

std::map<std::string, const TrailEntry*> TrailOf(const ReconcileSnapshot& s) {
  std::map<std::string, const TrailEntry*> trail;
  for (const TrailEntry& entry : s.trail) trail[entry.transaction] = &entry;
  return trail;
}

// One transfer as both sides hold it, oriented sender → receiver.
struct Pair {
  std::string transaction;
  const ReconcileSnapshot* sender = nullptr;
  const ReconcileSnapshot* receiver = nullptr;
  const TrailEntry* sent = nullptr;      // the sender's entry, if it holds one
  const TrailEntry* received = nullptr;  // the receiver's
  State sender_state() const { return sent ? sent->state : State::kUnknown; }
  State receiver_state() const { return received ? received->state : State::kUnknown; }
};

// Units of a transfer completed at its sender and still pending at its receiver, within its
// limit: counted as sent by one side and not yet as received by the other (by sender, origin).
using InFlightUnits = std::map<std::pair<core::RegistryCode, core::RegistryCode>, int64_t>;

void CompareTrail(const std::vector<Pair>& pairs, int64_t now_s, Findings& findings,
                  ReconcileReport& report, InFlightUnits& completed_in_flight) {
  for (const Pair& p : pairs) {
    const Settlement settlement = Settle(p.sender_state(), p.receiver_state());
    std::string text = p.transaction + " " + std::string(ReportedStateName(p.sender_state())) +
                       " at " + p.sender->registry.str() + ", " +
                       std::string(ReportedStateName(p.receiver_state())) + " at " +
                       p.receiver->registry.str();
    if (settlement == Settlement::kAgreed) continue;
    if (settlement == Settlement::kInFlight) {
      const int64_t deadline =
          std::max(p.sent ? p.sent->deadline_s : 0, p.received ? p.received->deadline_s : 0);
      if (now_s <= deadline + kOutcomeDeliverySeconds) {
        ++report.in_flight;
        if (p.sender_state() == State::kCompleted) {
          for (const SerialRun& run : p.sent->blocks) {
            completed_in_flight[{p.sender->registry, run.origin}] += run.unit_count;
          }
        }
        continue;
      }
      text += ", past its time limit";
    }
    findings.Add(Phase::kTrail, p.transaction, std::move(text));
  }
}

void CompareCrossedBlocks(const std::vector<Pair>& pairs, Findings& findings) {
  for (const Pair& p : pairs) {
    if (!p.sent || !p.received || p.received->blocks.empty()) continue;
    const std::vector<SerialRun> sent = Coalesce(p.sent->blocks);
    const std::vector<SerialRun> received = Coalesce(p.received->blocks);
    if (sent == received && p.sent->quantity == p.received->quantity) continue;
    findings.Add(Phase::kUnitBlocks, p.transaction,
                 p.transaction + " serials differ: " + p.sender->registry.str() + " sent " +
                     std::to_string(p.sent->quantity) + " as " + Runs(sent) + ", " +
                     p.receiver->registry.str() + " has " + std::to_string(p.received->quantity) +
                     " as " + Runs(received));
  }
}

std::vector<SerialRun> SortedLive(const std::vector<SerialRun>& live) {
  std::vector<SerialRun> sorted = live;
  auto by_serial = [](const SerialRun& a, const SerialRun& b) {
    return std::tie(a.origin, a.serial_first) < std::tie(b.origin, b.serial_first);
  };
  if (!std::is_sorted(sorted.begin(), sorted.end(), by_serial)) {
    std::sort(sorted.begin(), sorted.end(), by_serial);
  }
  return sorted;
}

// Serials live in both registries: one merge of the two sorted lists, adjacent overlaps
// reported as one range.
void CompareLive(const ReconcileSnapshot& mine, const ReconcileSnapshot& theirs,
                 Findings& findings) {
  const std::vector<SerialRun> a = SortedLive(mine.live), b = SortedLive(theirs.live);
  std::optional<SerialRun> open;  // the overlap being extended
  auto flush = [&] {
    if (!open) return;
    findings.Add(Phase::kUnitBlocks, "",
                 "serials " + Range(open->origin, open->serial_first, open->serial_last()) +
                     " live in both registries");
    open.reset();
  };
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    const SerialRun &x = a[i], &y = b[j];
    if (x.origin != y.origin) {
      (x.origin < y.origin ? i : j)++;
      continue;
    }
    const int64_t first = std::max(x.serial_first, y.serial_first);
    const int64_t last = std::min(x.serial_last(), y.serial_last());
    if (first <= last) {
      if (open && open->origin == x.origin && open->serial_last() + 1 == first) {
        open->unit_count += last - first + 1;
      } else {
        flush();
        open = SerialRun{x.origin, first, last - first + 1, 0, "", 0};
      }
    }
    (x.serial_last() < y.serial_last() ? i : j)++;
  }
  flush();
}

void CompareTotals(const ReconcileSnapshot& mine, const ReconcileSnapshot& theirs,
                   const InFlightUnits& completed_in_flight, Findings& findings) {
  std::set<core::RegistryCode> origins;
  for (const auto& [origin, t] : mine.totals) origins.insert(origin);
  for (const auto& [origin, t] : theirs.totals) origins.insert(origin);
  auto total = [](const ReconcileSnapshot& s, const core::RegistryCode& origin) {
    auto found = s.totals.find(origin);
    return found == s.totals.end() ? Totals{} : found->second;
  };
  for (const core::RegistryCode& origin : origins) {
    for (const auto* from : {&mine, &theirs}) {
      const ReconcileSnapshot* to = from == &mine ? &theirs : &mine;
      auto in_flight = completed_in_flight.find({from->registry, origin});
      const int64_t sent = total(*from, origin).sent_completed -
                           (in_flight == completed_in_flight.end() ? 0 : in_flight->second);
      const int64_t received = total(*to, origin).received_completed;
      if (sent == received) continue;
      findings.Add(Phase::kTotals, "",
                   "totals of " + origin.str() + "-origin units from " + from->registry.str() +
                       " to " + to->registry.str() + ": " + from->registry.str() + " says " +
                       std::to_string(sent) + " sent, " + to->registry.str() + " says " +
                       std::to_string(received) + " received");
    }
  }
}

std::vector<Pair> PairsOf(const ReconcileSnapshot& mine, const ReconcileSnapshot& theirs,
                          Findings& findings) {
  const auto my_trail = TrailOf(mine), their_trail = TrailOf(theirs);
  std::set<std::string> transactions;
  for (const auto& [id, entry] : my_trail) transactions.insert(id);
  for (const auto& [id, entry] : their_trail) transactions.insert(id);
  std::vector<Pair> pairs;
  for (const std::string& id : transactions) {
    const std::string sender = id.substr(0, id.find(':'));
    if (sender != mine.registry.str() && sender != theirs.registry.str()) {
      findings.Add(Phase::kTrail, id, id + " was sent by neither registry");
      continue;
    }
    const bool mine_sent = sender == mine.registry.str();
    Pair p{id, mine_sent ? &mine : &theirs, mine_sent ? &theirs : &mine};
    auto lookup = [&](const std::map<std::string, const TrailEntry*>& trail) {
      auto found = trail.find(id);
      return found == trail.end() ? nullptr : found->second;
    };
    p.sent = lookup(mine_sent ? my_trail : their_trail);
    p.received = lookup(mine_sent ? their_trail : my_trail);
    pairs.push_back(p);
  }
  return pairs;
}

}  // namespace

Settlement Settle(ReportedState sender, ReportedState receiver) {
  switch (sender) {
    case State::kProposed:  // the answer, or the proposal itself, is on its way
      return receiver == State::kUnknown || receiver == State::kPending ||
                     receiver == State::kRejected
                 ? Settlement::kInFlight
                 : Settlement::kDiffers;
    case State::kCompleted:
      if (receiver == State::kCompleted) return Settlement::kAgreed;
      return receiver == State::kPending ? Settlement::kInFlight : Settlement::kDiffers;
    case State::kFailed:  // the receiver never got it, refused it, or dropped it
      if (receiver == State::kPending) return Settlement::kInFlight;
      return receiver == State::kCompleted ? Settlement::kDiffers : Settlement::kAgreed;
    case State::kUnknown:  // the receiver holds a transfer its sender never made
      return receiver == State::kUnknown ? Settlement::kAgreed : Settlement::kDiffers;
    default:  // a receiver's state where the sender's belongs
      return Settlement::kDiffers;
  }
}

std::string_view PhaseName(Phase phase) {
  switch (phase) {
    case Phase::kTotals:
      return "totals";
    case Phase::kUnitBlocks:
      return "unit_blocks";
    case Phase::kTrail:
      return "trail";
  }
  return "";
}

std::string_view ItlStatusName(ItlStatus status) {
  switch (status) {
    case ItlStatus::kTotalInconsistent:
      return "TOTAL_INCON";
    case ItlStatus::kUnitInconsistent:
      return "UNIT_INCON";
    case ItlStatus::kCompleted:
      return "COMPLETED";
    case ItlStatus::kCompletedManualIntervention:
      return "COMPLETED_MAN_INT";
  }
  return "";
}

ItlStatus ReconcileReport::itl_status() const {
  if (consistent()) return ItlStatus::kCompleted;
  const bool totals = std::any_of(differences.begin(), differences.end(),
                                  [](const Difference& d) { return d.phase == Phase::kTotals; });
  return totals ? ItlStatus::kTotalInconsistent : ItlStatus::kUnitInconsistent;
}

ReconcileReport Compare(const ReconcileSnapshot& mine, const ReconcileSnapshot& theirs,
                        int64_t now_s) {
  ReconcileReport report;
  report.registry = mine.registry;
  report.peer = mine.peer;
  report.registry_seq = mine.journal_seq;
  report.peer_seq = theirs.journal_seq;
  report.registry_digest = mine.Digest();
  report.peer_digest = theirs.Digest();
  Findings findings;
  const std::vector<Pair> pairs = PairsOf(mine, theirs, findings);
  report.transactions = static_cast<int>(pairs.size());
  InFlightUnits completed_in_flight;
  CompareTrail(pairs, now_s, findings, report, completed_in_flight);
  CompareTotals(mine, theirs, completed_in_flight, findings);
  CompareCrossedBlocks(pairs, findings);
  CompareLive(mine, theirs, findings);
  findings.MoveInto(report);
  return report;
}

}  // namespace jcm::exchange
