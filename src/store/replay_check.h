// The check both store adapters make before answering a retry with the entry its idempotency
// key names (INV-13, docs/invariants.md): that entry must be one written under the key. A ledger
// command's entry carries the key in its `key` field; a project-cycle event's entry hashes
// (kind, newline, body: ledger::AppendEvent's digest) to the digest the key is bound to. A row
// redirected to another entry would make the retry answer with an unrelated entry as its
// result; it is refused as kDataLoss instead.
#pragma once

#include <string>
#include <type_traits>
#include <variant>

#include "core/sha256.h"
#include "core/status.h"
#include "ledger/decide.h"
#include "ledger/reader.h"

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

}  // namespace jcm::store
