#include "service/internal/exchange_state.h"

#include <algorithm>
#include <cstdio>

#include "core/date.h"
#include "service/internal/journal_replay.h"

namespace jcm::service::internal {
namespace {

using exchange::MessageKind;

std::string Field(const core::Record& body, std::string_view key) {
  return std::string(body.Find(key).value_or(""));
}

core::RegistryCode PeerIn(const core::Record& body, std::string_view key) {
  core::Result<core::RegistryCode> code = core::RegistryCode::Parse(Field(body, key));
  return code.ok() ? *code : core::RegistryCode();
}

}  // namespace

core::Result<int64_t> UnixSecondsOf(std::string_view iso) {
  const auto field = [&](size_t at) { return core::ParseInt64(iso.substr(at, 2)); };
  if (iso.size() < 20) return core::Internal("not a UTC time: '" + std::string(iso) + "'");
  const auto h = field(11), m = field(14), s = field(17);
  if (!h || !m || !s) return core::Internal("not a UTC time: '" + std::string(iso) + "'");
  JCM_ASSIGN_OR_RETURN(const core::Date date, core::Date::Parse(iso.substr(0, 10)));
  return date.days_since_epoch() * 86'400 + *h * 3600 + *m * 60 + *s;
}

std::string IsoOfUnixSeconds(int64_t seconds) {
  const int64_t days = seconds >= 0 ? seconds / 86'400 : (seconds - 86'399) / 86'400;
  const int64_t in_day = seconds - days * 86'400;
  char time[16];
  std::snprintf(time, sizeof time, "T%02d:%02d:%02dZ", static_cast<int>(in_day / 3600),
                static_cast<int>(in_day / 60 % 60), static_cast<int>(in_day % 60));
  return core::Date::FromDaysSinceEpoch(days).ToString() + time;
}

core::Result<int64_t> NowSeconds(const ExchangeIdentity& identity) {
  if (identity.clock == nullptr) {
    return core::FailedPrecondition("the exchange identity names no clock");
  }
  return UnixSecondsOf(identity.clock->NowUtc());
}

core::Status ExchangeState::Apply(const ledger::JournalEntry& entry) {
  const std::string_view kind = entry.kind;
  const core::Record& body = entry.body;
  JCM_RETURN_IF_ERROR(peers.Apply(kind, body, entry.seq));
  JCM_RETURN_IF_ERROR(book.Apply(kind, body, entry.seq));
  JCM_RETURN_IF_ERROR(reconciliations.Apply(kind, body, entry.seq));
  last_seq = std::max(last_seq, entry.seq);
  JCM_ASSIGN_OR_RETURN(const int64_t at, UnixSecondsOf(entry.time));
  const std::string transaction = Field(body, "transaction");
  const IncomingKey incoming{PeerIn(body, "peer"), transaction};
  if (kind == exchange::kEventTransferProposed) {
    if (const std::string key = Field(body, "request.key"); !key.empty()) {
      proposed_by_key[key] = transaction;
    }
    outgoing_retries[transaction] = RetryCount{0, at};
  } else if (kind == exchange::kEventIncomingPending) {
    incoming_retries[incoming] = RetryCount{0, at};
  } else if (kind == exchange::kEventIncomingRejected) {
    incoming_checks[incoming] = {
        static_cast<int>(core::ParseInt64(Field(body, "check")).value_or(0)),
        Field(body, "check_name")};
  } else if (kind == exchange::kEventTransferFailed && body.Find("check")) {
    outgoing_checks[transaction] = {
        static_cast<int>(core::ParseInt64(Field(body, "check")).value_or(0)),
        Field(body, "check_name")};
  } else if (kind == kEventIncomingEscalated) {
    escalated.insert(incoming);
  }
  const std::string prefix = kind == exchange::kEventMessageQueued ? "" : "queued.";
  if (!body.Find(prefix + "seq")) return core::OkStatus();
  const std::string queued_kind = Field(body, prefix + "kind");
  const std::string about = Field(body, prefix + "transaction");
  const core::RegistryCode peer = PeerIn(body, prefix + "peer");
  if (queued_kind == exchange::MessageKindName(MessageKind::kProposal)) {
    proposal_queued.insert(about);
  } else if (queued_kind == exchange::MessageKindName(MessageKind::kStatusRequest)) {
    const auto outgoing = book.outgoing().find(about);
    RetryCount& count = outgoing != book.outgoing().end() && outgoing->second.peer == peer
                            ? outgoing_retries[about]
                            : incoming_retries[IncomingKey{peer, about}];
    count = RetryCount{count.sent + 1, at};
  }
  return core::OkStatus();
}

exchange::OutgoingTransfer ExchangeState::Outgoing(const std::string& transaction) const {
  exchange::OutgoingTransfer machine = book.outgoing().at(transaction).machine;
  const auto retries = outgoing_retries.find(transaction);
  if (retries != outgoing_retries.end()) {
    machine.next_retry_s =
        retries->second.last_s + exchange::RetryDelaySeconds(retries->second.sent);
  }
  return machine;
}

exchange::IncomingTransfer ExchangeState::Incoming(const IncomingKey& key) const {
  exchange::IncomingTransfer machine = book.incoming().at(key).machine;
  const auto retries = incoming_retries.find(key);
  if (retries != incoming_retries.end()) {
    machine.retries = retries->second.sent;
    machine.next_retry_s =
        retries->second.last_s + exchange::RetryDelaySeconds(retries->second.sent);
  }
  return machine;
}

namespace {

core::Status ApplyEntries(ExchangeState& state, std::span<const ledger::JournalEntry> entries) {
  for (const ledger::JournalEntry& entry : entries) {
    core::Status applied = state.Apply(entry);
    if (!applied.ok()) {
      return core::DataLoss("journal entry " + std::to_string(entry.seq) + ": " +
                            applied.message());
    }
  }
  return core::OkStatus();
}

}  // namespace

core::Result<ExchangeState> ReadExchangeState(store::Store& store) {
  JCM_ASSIGN_OR_RETURN(std::vector<ledger::JournalEntry> entries,
                       store.ReadJournal(1, std::string(exchange::kEventKindPrefix)));
  ExchangeState state;
  JCM_RETURN_IF_ERROR(ApplyEntries(state, entries));
  return state;
}

core::Status RefreshExchangeState(CachedExchangeState& cached, store::Store& store) {
  const std::string prefix(exchange::kEventKindPrefix);
  const int64_t from = cached.state.last_seq;
  JCM_ASSIGN_OR_RETURN(std::vector<ledger::JournalEntry> entries,
                       store.ReadJournal(std::max<int64_t>(from, 1), prefix));
  std::span<const ledger::JournalEntry> tail(entries);
  // The entry the cache was brought to, unchanged, vouches for every entry before it.
  if (from > 0 && !tail.empty() && tail.front().seq == from &&
      tail.front().hash == cached.state_hash) {
    tail = tail.subspan(1);
  } else {
    ++cached.replays;
    if (from > 0) {
      cached.state = ExchangeState();
      JCM_ASSIGN_OR_RETURN(entries, store.ReadJournal(1, prefix));
      tail = entries;
    }
  }
  if (tail.empty()) return core::OkStatus();
  core::Status applied = ApplyEntries(cached.state, tail);
  if (!applied.ok()) {
    cached.state = ExchangeState();  // partly applied: replayed at the next call
    cached.state_hash.clear();
    return applied;
  }
  cached.state_hash = tail.back().hash;
  return core::OkStatus();
}

void NoteDecision(CachedExchangeState& cached, store::Store& store, size_t outbox_before) {
  // The decision is committed: a failed read here is the next call's to repeat.
  if (!RefreshExchangeState(cached, store).ok()) return;
  if (cached.state.book.outbox().size() <= outbox_before) return;
  ++cached.owed_writes;
  cached.owed.notify_all();
}

std::string SignedWire(const ExchangeIdentity& identity, const core::RegistryCode& peer,
                       int64_t seq, const std::string& transaction, exchange::MessageKind kind,
                       int64_t now_s, core::Record body) {
  exchange::Envelope envelope;
  envelope.from = identity.self;
  envelope.to = peer;
  envelope.seq = seq;
  envelope.transaction = transaction;
  envelope.kind = kind;
  envelope.sent_at = IsoOfUnixSeconds(now_s);
  envelope.body = std::move(body);
  envelope.Sign(identity.key);
  return envelope.Encode();
}

void QueueWith(const ExchangeState& state, const ExchangeIdentity& identity,
               const core::RegistryCode& peer, const std::string& transaction,
               exchange::MessageKind kind, int64_t now_s, core::Record body, core::Record* event) {
  const int64_t seq = state.book.NextSendSeq(peer);
  const std::string wire =
      SignedWire(identity, peer, seq, transaction, kind, now_s, std::move(body));
  event->Add("queued.peer", peer.str())
      .AddInt("queued.seq", seq)
      .Add("queued.transaction", transaction)
      .Add("queued.kind", exchange::MessageKindName(kind))
      .Add("queued.wire", wire);
}

void ReceivedWith(const exchange::Envelope& message, core::Record* event) {
  event->Add("received.peer", message.from.str()).AddInt("received.seq", message.seq);
  event->Add("received.kind", exchange::MessageKindName(message.kind));
}

core::Result<std::optional<store::Outcome>> SubmitLocked(store::Store& store,
                                                         const ledger::Command& command) {
  JCM_ASSIGN_OR_RETURN(store::Outcome outcome, store.Submit(command));
  if (outcome.rejection && outcome.rejection->check == ledger::CheckCode::kEventFamilyMoved) {
    return std::optional<store::Outcome>();
  }
  return std::optional<store::Outcome>(std::move(outcome));
}

core::Result<std::optional<store::Outcome>> AppendLocked(store::Store& store,
                                                         const ExchangeState& state,
                                                         std::string_view kind, core::Record body) {
  return SubmitLocked(store,
                      ledger::AppendEvent{std::string(kind), std::move(body), "", state.last_seq});
}

core::Result<std::string> TransitAccountOf(store::Store& store, const core::RegistryCode& self) {
  JCM_ASSIGN_OR_RETURN(std::vector<ledger::Account> accounts, store.ListAccounts(self.str()));
  for (const ledger::Account& account : accounts) {
    if (account.type == ledger::AccountType::kExchangeTransit) return account.number;
  }
  return core::NotFound("registry " + self.str() + " has no exchange transit account");
}

}  // namespace jcm::service::internal

namespace jcm::service {

ExchangeStateCache::ExchangeStateCache()
    : cached_(std::make_unique<internal::CachedExchangeState>()) {}
ExchangeStateCache::~ExchangeStateCache() = default;

bool ExchangeStateCache::WaitForOwedMessages(std::stop_token stop,
                                             std::chrono::milliseconds timeout) {
  internal::CachedExchangeState& cached = *cached_;
  std::unique_lock lock(cached.mu);
  cached.owed.wait_for(lock, stop, timeout,
                       [&cached] { return cached.owed_writes != cached.owed_writes_seen; });
  cached.owed_writes_seen = cached.owed_writes;
  return !stop.stop_requested();
}

}  // namespace jcm::service
