#include "exchange/transfer.h"

#include <algorithm>
#include <array>
#include <utility>

namespace jcm::exchange {
namespace {

constexpr std::array<std::pair<ReportedState, std::string_view>, 7> kStateNames = {{
    {ReportedState::kUnknown, "unknown"},
    {ReportedState::kProposed, "proposed"},
    {ReportedState::kPending, "pending"},
    {ReportedState::kCompleted, "completed"},
    {ReportedState::kRejected, "rejected"},
    {ReportedState::kFailed, "failed"},
    {ReportedState::kTerminated, "terminated"},
}};

bool Final(OutgoingState state) { return state != OutgoingState::kProposed; }

}  // namespace

std::string_view ReportedStateName(ReportedState state) {
  for (const auto& [value, name] : kStateNames) {
    if (value == state) return name;
  }
  return "";
}

std::optional<ReportedState> ReportedStateFromName(std::string_view name) {
  for (const auto& [value, text] : kStateNames) {
    if (text == name) return value;
  }
  return std::nullopt;
}

ReportedState Reported(OutgoingState state) {
  switch (state) {
    case OutgoingState::kProposed:
      return ReportedState::kProposed;
    case OutgoingState::kCompleted:
      return ReportedState::kCompleted;
    case OutgoingState::kFailed:
      return ReportedState::kFailed;
  }
  return ReportedState::kUnknown;
}

ReportedState Reported(IncomingState state) {
  switch (state) {
    case IncomingState::kPending:
      return ReportedState::kPending;
    case IncomingState::kCompleted:
      return ReportedState::kCompleted;
    case IncomingState::kRejected:
      return ReportedState::kRejected;
    case IncomingState::kTerminated:
      return ReportedState::kTerminated;
  }
  return ReportedState::kUnknown;
}

int64_t RetryDelaySeconds(int attempt) {
  int64_t delay = kRetryFirstSeconds;
  for (int i = 0; i < attempt && delay < kRetryMaxSeconds; ++i) delay *= 2;
  return std::min(delay, kRetryMaxSeconds);
}

SenderStep OnAnswer(const OutgoingTransfer& transfer, bool accepted, int64_t now_s) {
  if (Final(transfer.state)) return SenderStep::kNothing;  // a late or repeated answer
  if (!accepted || now_s >= transfer.deadline_s) return SenderStep::kFail;
  return SenderStep::kComplete;
}

SenderStep OnReceiverStatus(const OutgoingTransfer& transfer, ReportedState receiver,
                            int64_t now_s) {
  if (Final(transfer.state)) return SenderStep::kNothing;
  const bool in_time = now_s < transfer.deadline_s;
  switch (receiver) {
    case ReportedState::kPending:  // it accepted; the answer was lost
      return in_time ? SenderStep::kComplete : SenderStep::kFail;
    case ReportedState::kUnknown:  // the proposal was lost
      return in_time ? SenderStep::kResendProposal : SenderStep::kFail;
    case ReportedState::kRejected:
    case ReportedState::kTerminated:
      return SenderStep::kFail;
    default:  // the receiver cannot have completed what this side has not: reconciliation's
      return SenderStep::kNothing;
  }
}

SenderStep OnSenderTick(const OutgoingTransfer& transfer, int64_t now_s) {
  if (Final(transfer.state)) return SenderStep::kNothing;
  if (now_s >= transfer.deadline_s) return SenderStep::kFail;
  return now_s >= transfer.next_retry_s ? SenderStep::kAskStatus : SenderStep::kNothing;
}

std::variant<ReceiverStep, Refusal> OnProposal(const IncomingTransfer* known,
                                               std::string_view digest) {
  if (known == nullptr) return ReceiverStep::kEvaluate;
  if (known->proposal_digest != digest) {
    return Refusal{ExchangeCheck::kTransactionMismatch,
                   "a proposal with this transaction id and other content was received before"};
  }
  return ReceiverStep::kRepeatAnswer;
}

std::variant<ReceiverStep, Refusal> OnOutcome(const IncomingTransfer* known, bool completed) {
  if (known == nullptr) {
    return Refusal{ExchangeCheck::kTransactionUnknown,
                   "an outcome for a transaction this registry never accepted"};
  }
  switch (known->state) {
    case IncomingState::kPending:
      return completed ? ReceiverStep::kCreateBlocks : ReceiverStep::kDropPending;
    case IncomingState::kCompleted:
      if (completed) return ReceiverStep::kNothing;  // a repeated outcome
      break;
    case IncomingState::kRejected:
    case IncomingState::kTerminated:
      if (!completed) return ReceiverStep::kNothing;
      break;
  }
  return Refusal{ExchangeCheck::kTransitionRefused,
                 std::string("the outcome ") + (completed ? "completed" : "failed") +
                     " contradicts this registry's state " +
                     std::string(ReportedStateName(Reported(known->state)))};
}

ReceiverStep OnSenderStatus(const IncomingTransfer& transfer, ReportedState sender) {
  if (transfer.state != IncomingState::kPending) return ReceiverStep::kNothing;
  switch (sender) {
    case ReportedState::kCompleted:
      return ReceiverStep::kCreateBlocks;
    case ReportedState::kFailed:
    case ReportedState::kUnknown:
      return ReceiverStep::kDropPending;
    default:
      return ReceiverStep::kNothing;  // still proposed: wait
  }
}

ReceiverStep OnReceiverTick(const IncomingTransfer& transfer, int64_t now_s) {
  if (transfer.state != IncomingState::kPending || now_s < transfer.next_retry_s) {
    return ReceiverStep::kNothing;
  }
  return transfer.retries >= kRetriesBeforeEscalation ? ReceiverStep::kEscalate
                                                      : ReceiverStep::kAskStatus;
}

}  // namespace jcm::exchange
