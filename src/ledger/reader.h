// Reader: the read port the ledger's decisions need, declared here by its consumer and
// implemented by each store adapter. A Reader used inside a write batch sees the effects of
// the batch's earlier transactions (that is how group commit checks each transaction against
// the evolving state).
//
// Errors are operating errors (I/O, corrupt rows: kDataLoss), never business rejections.
// Not thread-safe: one Reader per write batch.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/record.h"
#include "core/status.h"
#include "ledger/types.h"

namespace jcm::ledger {

// What an entry may hold to concern a scoped check 23 (Reader::EntriesOfKindAfter): a kind
// starting with one of `kind_prefixes`, or one of `body_lines` in its encoded body. A kind is
// matched against the kind alone, so each body is searched for the lines only.
struct EntryNeedles {
  std::vector<std::string> kind_prefixes;
  std::vector<std::string> body_lines;

  bool empty() const { return kind_prefixes.empty() && body_lines.empty(); }

  // Whether an entry of `kind` whose encoded body is `body` holds one of the needles.
  bool HeldBy(std::string_view kind, std::string_view body) const {
    for (const std::string& prefix : kind_prefixes) {
      if (kind.starts_with(prefix)) return true;
    }
    for (const std::string& line : body_lines) {
      if (body.find(line) != std::string_view::npos) return true;
    }
    return false;
  }
};

struct JournalEntry {
  int64_t seq = 0;
  std::string time;  // ISO 8601 UTC from the injected clock
  std::string kind;  // "transaction", "registry.init", "account.open", "cycle.…"
  core::Record body;
  std::string prev_hash;  // hex; 64 zeros for the first entry
  std::string hash;       // SHA-256 over the other fields (docs/formats/journal.md)
};

// What a new entry needs of the one before it: its number and hash.
struct JournalHead {
  int64_t seq = 0;
  std::string hash;
};

struct RegistryCounters {
  int64_t next_serial = 1;  // so next_serial - 1 units were ever issued here
  int64_t next_account_sequence = 1;
  int64_t imported_units = 0;  // of those, issued by imports of historical records (INV-11)
  friend bool operator==(const RegistryCounters&, const RegistryCounters&) = default;
};

struct IdempotencyRecord {
  std::string digest;  // SHA-256 of the request content
  int64_t seq = 0;     // the journal entry the first request produced
};

class Reader {
 public:
  virtual ~Reader() = default;

  virtual core::Result<std::optional<RegistryCounters>> FindRegistry(
      const core::RegistryCode& code) = 0;
  virtual core::Result<std::optional<Account>> FindAccount(const std::string& number) = 0;
  // The registry's single account of a government type (retirement, cancellation, …).
  virtual core::Result<std::optional<Account>> FindGovernmentAccount(const core::RegistryCode& code,
                                                                     AccountType type) = 0;
  // Live blocks of the account in ascending serial order.
  virtual core::Result<std::vector<UnitBlock>> LiveBlocks(const std::string& account) = 0;
  virtual core::Result<int64_t> NextBlockId() = 0;
  // How many issuances this registry has made for the project (for issuance numbers).
  virtual core::Result<int64_t> CountIssuances(const core::RegistryCode& code,
                                               const std::string& project) = 0;
  // The last journal entry's seq and hash, or nullopt when the journal is empty.
  virtual core::Result<std::optional<JournalHead>> LastJournalHead() = 0;
  virtual core::Result<std::optional<IdempotencyRecord>> FindIdempotencyKey(
      const std::string& key) = 0;
  // The seq of the last journal entry whose kind starts with `prefix`, or 0.
  virtual core::Result<int64_t> LastSeqOfKind(const std::string& prefix) = 0;
  // The journal entries after `after_seq` whose kind starts with `prefix`, ascending (check 23
  // scoped to what a decision read; the callers' `after_seq` is recent, so these are few). With
  // `needles` not empty, a store may leave out an entry whose kind starts with none of
  // `needles.kind_prefixes` and whose encoded body (core::Record::Encode) holds none of
  // `needles.body_lines` as a substring: the caller wants only entries that may concern it, and
  // decoding the others is most of the check's cost in a write batch.
  virtual core::Result<std::vector<JournalEntry>> EntriesOfKindAfter(
      const std::string& prefix, int64_t after_seq, const EntryNeedles& needles) = 0;
  // The recorded JC decision `id` for this registry, with its executed total.
  virtual core::Result<std::optional<JcDecision>> FindJcDecision(
      const std::string& id, const core::RegistryCode& registry) = 0;
  // Units of live blocks citing the Article 6.2 authorisation `reference` ("PARTY/ID"), in
  // every account (terminal ones included): how much of its cap is used (INV-41).
  virtual core::Result<int64_t> Article6AuthorisedUnits(const std::string& reference) = 0;
  // The registry's next ITMO ID: one more than the highest any of its blocks, live or ended,
  // ever had (1 when none has had one), so no ITMO ID is given twice (INV-42).
  virtual core::Result<int64_t> NextItmoId(const core::RegistryCode& registry) = 0;
  // The registry's policy; nullopt when the registry is not initialised.
  virtual core::Result<std::optional<RegistryPolicy>> FindRegistryPolicy(
      const core::RegistryCode& code) = 0;
};

}  // namespace jcm::ledger
