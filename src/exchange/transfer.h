// The external transfer's two state machines (docs/exchange.md; issue 12 §2), after the Kyoto
// Data Exchange Standards as the UK ETS registry implements them (turn2-anchors §2.2, §2.4).
//
// The sending registry alone decides a transfer's outcome; the receiver follows it:
//
//   sender:   reserve the blocks + send the proposal ─── kProposed
//               answer accepted (before the deadline) ─► end the blocks, send "completed" ─►
//               kCompleted answer rejected, or the deadline passes ► release the blocks, send
//               "failed" ─► kFailed
//   receiver: proposal ─► its own checks ─► accepted: pending blocks ─► kPending
//                                        └► rejected (with check codes) ──► kRejected
//             outcome completed ─► create the blocks in the destination account ─► kCompleted
//             outcome failed, or the sender reports failed or never heard of it ─► kTerminated
//
// Why no unit is lost or doubled: the receiver creates blocks only on the sender's "completed",
// which the sender sends only after ending its own blocks in the same write that records the
// state; the sender completes only on an acceptance, which the receiver gives only after
// recording its pending blocks. A lost message is recovered by asking for the other side's
// state (status requests, retried with back-off); a reply for a transaction already in a final
// state is ignored, so duplicates and late replies change nothing. Every step below is a pure
// decision over the recorded state; the caller performs it and journals the result.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "exchange/exchange_check.h"

namespace jcm::exchange {

enum class OutgoingState : uint8_t { kProposed, kCompleted, kFailed };
enum class IncomingState : uint8_t { kPending, kCompleted, kRejected, kTerminated };

// What a registry reports for a transaction in a status message: the names of both machines'
// states, or "unknown" when it holds none. Persisted on the wire.
enum class ReportedState : uint8_t {
  kUnknown,
  kProposed,
  kPending,
  kCompleted,
  kRejected,
  kFailed,
  kTerminated,
};
std::string_view ReportedStateName(ReportedState state);
std::optional<ReportedState> ReportedStateFromName(std::string_view name);
ReportedState Reported(OutgoingState state);
ReportedState Reported(IncomingState state);

// Retries: the delay before attempt `attempt` (0, 1, …) is kRetryFirstSeconds doubled each
// time, at most kRetryMaxSeconds. A sender stops at its deadline; a receiver whose transfer is
// still pending after kRetriesBeforeEscalation status requests reports it for reconciliation
// (it never decides alone: only the sender knows whether it completed).
inline constexpr int64_t kRetryFirstSeconds = 5;
inline constexpr int64_t kRetryMaxSeconds = 300;
inline constexpr int kRetriesBeforeEscalation = 12;
int64_t RetryDelaySeconds(int attempt);

struct OutgoingTransfer {
  OutgoingState state = OutgoingState::kProposed;
  int64_t deadline_s = 0;    // proposal time + the time limit (UTC seconds)
  int64_t next_retry_s = 0;  // when to ask the receiver if no answer came
  friend bool operator==(const OutgoingTransfer&, const OutgoingTransfer&) = default;
};

enum class SenderStep : uint8_t {
  kNothing,         // a final state, or nothing to do yet
  kComplete,        // end the reserved blocks, then send the outcome "completed"
  kFail,            // release the reservation, then send the outcome "failed"
  kResendProposal,  // the receiver never got it and time remains: send it again (new seq)
  kAskStatus,       // no answer by the retry time: send a status request
};

SenderStep OnAnswer(const OutgoingTransfer& transfer, bool accepted, int64_t now_s);
SenderStep OnReceiverStatus(const OutgoingTransfer& transfer, ReportedState receiver,
                            int64_t now_s);
SenderStep OnSenderTick(const OutgoingTransfer& transfer, int64_t now_s);

struct IncomingTransfer {
  IncomingState state = IncomingState::kPending;
  std::string proposal_digest;  // of the proposal's body: a retry must carry the same
  int retries = 0;              // status requests sent while pending
  int64_t next_retry_s = 0;
  friend bool operator==(const IncomingTransfer&, const IncomingTransfer&) = default;
};

enum class ReceiverStep : uint8_t {
  kNothing,
  kEvaluate,      // a new proposal: run the checks, then record pending blocks or the rejection
  kRepeatAnswer,  // the same proposal again: send the answer already given
  kCreateBlocks,  // the sender completed: create the blocks in the destination account
  kDropPending,   // the sender failed (or never heard of it): drop the pending blocks
  kAskStatus,     // still pending at the retry time: send a status request
  kEscalate,      // still pending after kRetriesBeforeEscalation requests: for reconciliation
};

// `known`: the transfer recorded under this transaction id, if any.
std::variant<ReceiverStep, Refusal> OnProposal(const IncomingTransfer* known,
                                               std::string_view digest);
std::variant<ReceiverStep, Refusal> OnOutcome(const IncomingTransfer* known, bool completed);
ReceiverStep OnSenderStatus(const IncomingTransfer& transfer, ReportedState sender);
ReceiverStep OnReceiverTick(const IncomingTransfer& transfer, int64_t now_s);

}  // namespace jcm::exchange
