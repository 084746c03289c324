// The check every store adapter makes before answering a retry with the entry its idempotency
// key names (INV-13, docs/invariants.md): that entry must be one written under the key. A ledger
// command's entry carries the key in its `key` field; a project-cycle event's entry hashes
// (kind, newline, body: ledger::AppendEvent's digest) to the digest the key is bound to. A row
// redirected to another entry would make the retry answer with an unrelated entry as its
// result; it is refused as kDataLoss instead.
#pragma once

#include <optional>
#include <string>
#include <type_traits>
#include <variant>

#include "core/sha256.h"
#include "core/status.h"
#include "ledger/decide.h"
#include "ledger/reader.h"
#include "store/store.h"

namespace jcm::store {

inline std::string IdempotencyKeyOf(const ledger::Command& command) {
  return std::visit(
      [](const auto& c) -> std::string {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, ledger::InitRegistry>) {
          return "";
        } else if constexpr (std::is_same_v<T, ledger::RecordDecisions>) {
          return c.event.idempotency_key;
        } else if constexpr (std::is_same_v<T, ledger::ExecuteDecision>) {
          return c.issuance.idempotency_key;
        } else {
          return c.idempotency_key;
        }
      },
      command);
}

inline core::Status CheckReplayedEntry(ledger::Reader& reader, const ledger::Command& command,
                                       const ledger::JournalEntry& entry) {
  const std::string key = IdempotencyKeyOf(command);
  if (!key.empty() && entry.body.Find("key") == key) return core::OkStatus();
  if (entry.kind.starts_with("cycle.")) {
    JCM_ASSIGN_OR_RETURN(auto row, reader.FindIdempotencyKey(key));
    if (row && row->digest == core::Sha256Hex(entry.kind + "\n" + entry.body.Encode())) {
      return core::OkStatus();
    }
  }
  return core::DataLoss("idempotency key '" + key + "' points to journal entry " +
                        std::to_string(entry.seq) +
                        ", which was not written under it: the registry's idempotency table is "
                        "damaged (jcm audit verify names it); nothing was done");
}

// The answer to a verdict that writes nothing: the rejection, or for a retry the entry its key
// names, checked above (outcome.replayed set); nullopt for a Delta, which the store writes.
// DataLoss as CheckReplayedEntry. `Reader`: a ledger::Reader with EntryAt(seq).
template <typename Reader>
core::Result<std::optional<Outcome>> OutcomeWithoutWrite(Reader& reader,
                                                         const ledger::Command& command,
                                                         const ledger::Verdict& verdict) {
  Outcome outcome;
  if (const auto* rejection = std::get_if<ledger::Rejection>(&verdict)) {
    outcome.rejection = *rejection;
    return std::optional(std::move(outcome));
  }
  const auto* replay = std::get_if<ledger::Replay>(&verdict);
  if (replay == nullptr) return std::optional<Outcome>();
  JCM_ASSIGN_OR_RETURN(outcome.entry, reader.EntryAt(replay->seq));
  JCM_RETURN_IF_ERROR(CheckReplayedEntry(reader, command, outcome.entry));
  outcome.replayed = true;
  return std::optional(std::move(outcome));
}

// The answer to a Delta the store has written.
inline Outcome OutcomeOfWritten(const ledger::Delta& delta) {
  Outcome outcome;
  outcome.entry = delta.entry;
  outcome.follow_entry = delta.follow_entry;
  return outcome;
}

// Whether an operating error fails only the command it came from (InvalidArgument for a
// malformed event, DataLoss for a retry whose key names a foreign entry: Decide and the replay
// check write nothing), not the write batch it is in (a database error).
inline bool FailsOnlyTheCommand(const core::Status& status) {
  return status.code() == core::StatusCode::kInvalidArgument ||
         status.code() == core::StatusCode::kDataLoss;
}

}  // namespace jcm::store
