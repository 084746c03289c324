// Store: where the registry lives. An interface-only target; adapters (sqlite/, later postgres/)
// implement it, and the CLI and API see only this header.
//
// Submit() is the one write path: it runs ledger::Decide against the current state and, if the
// command is accepted, writes its Delta and journal entry atomically and durably before it
// returns (acknowledged means durable, principle 4). Concurrent Submit() calls are group-
// committed: checked one after another against the evolving state, written in one write batch
// with one fsync; a rejected command is rejected alone and changes nothing.
#pragma once

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/merkle.h"
#include "core/status.h"
#include "ledger/audit.h"
#include "ledger/decide.h"
#include "ledger/journal.h"
#include "store/credential_store.h"

namespace jcm::store {

// Injected time source (tests and demos fix it; the app uses the system clock).
class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::string NowUtc() = 0;  // ISO 8601, e.g. "2026-11-29T04:10:00Z"
};

inline constexpr size_t kDocumentBytesMax = 64u << 20;  // 64 MiB per document

// How a front end opens a registry (docs/formats/store.md "Opening a registry"). Only `jcm init`
// creates one; every other command opens an existing registry and refuses a file that is not
// one (absent, empty, another program's database) without creating or altering it.
enum class OpenMode {
  kCreate,     // create the file if absent (or initialise an empty one), then migrate
  kReadWrite,  // an existing registry, migrated if its schema is older; never created
  kReadOnly,   // an existing registry, read without writing anything (no journal-mode switch)
};

struct Outcome {
  std::optional<ledger::Rejection> rejection;  // set: nothing changed
  ledger::JournalEntry entry;                  // the committed entry (the first one on replay)
  // ledger::ExecuteDecision: the project-cycle event committed with the issuance `entry`
  // (not set on replay).
  std::optional<ledger::JournalEntry> follow_entry;
  bool replayed = false;  // true: an idempotent retry
};

// An account and the units it holds, from a balance the store maintains on every write, so
// totals per registry cost O(accounts), not O(blocks) (INV-12).
struct AccountBalance {
  ledger::Account account;
  int64_t units = 0;
};

// A signed tree head of the transparency log (docs/formats/transparency-log.md), as stored: the
// hex of the root, the key and the signature, and the time it was signed (ISO 8601 UTC).
struct LogHead {
  int64_t tree_size = 0;
  std::string root_hash;  // 64 hex digits
  std::string timestamp;
  std::string public_key;  // 64 hex digits (Ed25519)
  std::string signature;   // 128 hex digits (Ed25519)
  friend bool operator==(const LogHead&, const LogHead&) = default;
};

// Everything a registry holds, read from one store to be written into another (jcm migrate):
// the journal, the tables it derives (ReadState), the transparency log's signed heads (the tree
// itself is rebuilt from the journal), the documents and the secrets.
struct RegistryImage {
  std::vector<ledger::JournalEntry> journal;
  ledger::StoredState state;
  std::vector<LogHead> log_heads;
  std::vector<std::pair<std::string, std::string>> documents;  // SHA-256 (hex), bytes
  std::vector<std::pair<std::string, UserSecrets>> user_secrets;
  std::vector<ApiTokenRecord> tokens;
};

class Store {
 public:
  virtual ~Store() = default;
  Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Thread-safe. Operating errors (I/O, corruption) come back as a Status, rejections in Outcome.
  virtual core::Result<Outcome> Submit(const ledger::Command& command) = 0;

  virtual core::Result<std::vector<std::string>> ListRegistries() = 0;
  // A registry's counters (units issued, imported, accounts opened); nullopt when not here.
  virtual core::Result<std::optional<ledger::RegistryCounters>> FindRegistry(
      const std::string& code) = 0;
  // All accounts, or those of one registry, in account-number order.
  virtual core::Result<std::vector<ledger::Account>> ListAccounts(
      const std::optional<std::string>& registry) = 0;
  virtual core::Result<std::optional<ledger::Account>> FindAccount(const std::string& number) = 0;
  // Live blocks of an account in ascending serial order.
  virtual core::Result<std::vector<ledger::UnitBlock>> LiveBlocks(const std::string& account) = 0;
  // All accounts, or those of one registry, with their balances, in account-number order.
  virtual core::Result<std::vector<AccountBalance>> ListBalances(
      const std::optional<std::string>& registry) = 0;
  // Recorded JC decisions (all, or those notified to one registry), by registry and id, with
  // the amount executed so far.
  virtual core::Result<std::vector<ledger::JcDecision>> ListDecisions(
      const std::optional<std::string>& registry) = 0;
  // Journal entries with seq >= from_seq, in order (optionally only kinds with this prefix).
  virtual core::Result<std::vector<ledger::JournalEntry>> ReadJournal(
      int64_t from_seq, const std::string& kind_prefix = "") = 0;
  // The seq of the journal's last committed entry (0: empty). Every entry up to it is visible
  // to any read that starts after this one returns, so a cache that read a kind prefix after it
  // may skip the entries of other kinds up to it (service/replay.h). The default reads the
  // journal; the stores answer from the journal's key.
  virtual core::Result<int64_t> JournalHeadSeq() {
    JCM_ASSIGN_OR_RETURN(std::vector<ledger::JournalEntry> entries, ReadJournal(1));
    return entries.empty() ? int64_t{0} : entries.back().seq;
  }
  // Everything but the journal, read back as stored (for jcm audit verify).
  virtual core::Result<ledger::StoredState> ReadState() = 0;

  // A read-only view of the registry as of now: every read through it sees the same committed
  // state (in SQLite one read transaction on a connection of its own), however many writes
  // other threads or processes commit meanwhile, so what a use case compares (the audit: the
  // journal with the tables and documents; a summary: balances with counters and the cycle)
  // is one state. Its Submit and PutDocument fail with kFailedPrecondition, as does Snapshot.
  // Keep it short-lived: an open SQLite snapshot holds back WAL checkpoints.
  // The default is for stores that keep no snapshots (test doubles): kFailedPrecondition.
  virtual core::Result<std::unique_ptr<Store>> Snapshot();

  // Point reads for the public API (unit look-up, journal feed). Their defaults fall back on
  // ReadState and ReadJournal; the SQLite store answers each from an index.
  //
  // The live block of `registry` whose serials meet the run `first`..`last` (live blocks of a
  // registry never overlap, so the one with the highest serial_first <= last is the only
  // candidate: any before it ends before it starts); nullopt when none. One probe of an index,
  // whatever the run's length: a receiver's check 834 asks it of each proposed run, so a live
  // block lying strictly inside a run is found too. REQUIRES: first <= last.
  virtual core::Result<std::optional<ledger::UnitBlock>> FindLiveBlockOverlapping(
      const std::string& registry, int64_t first, int64_t last) {
    JCM_ASSIGN_OR_RETURN(ledger::StoredState state, ReadState());
    for (ledger::UnitBlock& block : state.blocks) {
      if (block.registry.str() == registry && block.live() && block.serial_first <= last &&
          first <= block.serial_last()) {
        return std::optional<ledger::UnitBlock>(std::move(block));
      }
    }
    return std::optional<ledger::UnitBlock>();
  }
  // The live block holding `serial`.
  core::Result<std::optional<ledger::UnitBlock>> FindLiveBlockBySerial(const std::string& registry,
                                                                       int64_t serial) {
    return FindLiveBlockOverlapping(registry, serial, serial);
  }
  // The live blocks of `registry`'s serials wherever this database holds them, in serial order:
  // one pass for a reconciliation's snapshot (service/exchange_reconcile.h), where reading an
  // account's blocks at a time would visit the table's pages once per block. The SQLite store
  // answers from live_blocks_by_serial.
  virtual core::Result<std::vector<ledger::UnitBlock>> LiveBlocksOfSerials(
      const std::string& registry) {
    JCM_ASSIGN_OR_RETURN(ledger::StoredState state, ReadState());
    std::vector<ledger::UnitBlock> live;
    for (ledger::UnitBlock& block : state.blocks) {
      if (block.registry.str() == registry && block.live()) live.push_back(std::move(block));
    }
    std::sort(live.begin(), live.end(), [](const ledger::UnitBlock& a, const ledger::UnitBlock& b) {
      return a.serial_first < b.serial_first;
    });
    return live;
  }
  // A block, live or ended, by id; nullopt when none.
  virtual core::Result<std::optional<ledger::UnitBlock>> FindBlock(int64_t id) {
    JCM_ASSIGN_OR_RETURN(ledger::StoredState state, ReadState());
    for (ledger::UnitBlock& block : state.blocks) {
      if (block.id == id) return std::optional<ledger::UnitBlock>(std::move(block));
    }
    return std::optional<ledger::UnitBlock>();
  }
  // At most `entries_max` (>= 1) journal entries with seq >= from_seq, in order: what a feed
  // page costs is its size, not the journal's tail.
  virtual core::Result<std::vector<ledger::JournalEntry>> ReadJournalRange(int64_t from_seq,
                                                                           int64_t entries_max) {
    JCM_ASSIGN_OR_RETURN(std::vector<ledger::JournalEntry> entries, ReadJournal(from_seq));
    if (static_cast<int64_t>(entries.size()) > entries_max) {
      entries.resize(static_cast<size_t>(entries_max));
    }
    return entries;
  }

  // The transparency log (docs/formats/transparency-log.md): the Merkle tree whose leaf i is
  // LeafHash of journal entry i+1's 32-byte hash (core/merkle.h), and the signed heads published
  // over it. The SQLite store keeps the tree's perfect subtrees, written with each entry in its
  // write batch (O(log n) per append, INV-25); the defaults recompute them from the journal, for
  // stores that keep no tree (the memory store, test doubles), and keep no heads.
  //
  // The tree's size: the number of journal entries the tree holds.
  virtual core::Result<int64_t> LogTreeSize() {
    JCM_ASSIGN_OR_RETURN(std::vector<ledger::JournalEntry> entries, ReadJournal(1));
    return static_cast<int64_t>(entries.size());
  }
  // How many write batches this Store object has committed, counted in memory (no I/O), or
  // nullopt for a store that does not count them (then a caller reads LogTreeSize). The count
  // grows after a batch's commit and before any of its submitters is answered, so a caller that
  // reads the same count twice knows this object wrote nothing in between (server/public_cache.h);
  // writes through other Store objects or processes are not counted.
  virtual std::optional<uint64_t> LocalCommitCount() { return std::nullopt; }
  // The hash of leaves [index·2^level, (index+1)·2^level); NotFound when the tree has fewer.
  virtual core::Result<core::merkle::Hash> LogSubtreeHash(int level, int64_t index);
  // The head stored for `tree_size`; nullopt when none was.
  virtual core::Result<std::optional<LogHead>> FindLogHead(int64_t tree_size) {
    (void)tree_size;
    return std::optional<LogHead>();
  }
  // Stores `head` unless one is stored for its tree size already (the first one signed for a size
  // stays: a size has one head, whatever process asked for it); returns the stored one. The
  // default keeps nothing and returns `head`.
  virtual core::Result<LogHead> PutLogHead(const LogHead& head) { return head; }
  // Every stored head, by tree size (jcm migrate copies them). The default keeps none.
  virtual core::Result<std::vector<LogHead>> ListLogHeads() { return std::vector<LogHead>(); }

  // Documents (PDDs, reports, …) stored content-addressed: `sha256` must be the SHA-256 (hex)
  // of `bytes` (InvalidArgument otherwise); storing the same document twice is a no-op.
  // ResourceExhausted above kDocumentBytesMax. Durable when it returns.
  virtual core::Status PutDocument(const std::string& sha256, std::string_view bytes) = 0;
  // The bytes, or nullopt if not stored; kDataLoss if the stored bytes no longer match.
  virtual core::Result<std::optional<std::string>> GetDocument(const std::string& sha256) = 0;

  // The secrets of identity and access, kept beside the registry (store/credential_store.h).
  virtual CredentialStore& Credentials() = 0;

  // For jcm migrate (docs/formats/store.md "Copying a registry"). The SHA-256 of every stored
  // document, in order; the default is for stores that cannot list them: kFailedPrecondition.
  virtual core::Result<std::vector<std::string>> ListDocuments() {
    return core::FailedPrecondition("this store cannot list its documents");
  }
  // Writes `image` as this registry's whole content, atomically and durably, row for row (the
  // journal's entries, times and hashes unchanged). kFailedPrecondition when this registry's
  // journal is not empty, or when the store cannot restore (the default).
  virtual core::Status Restore(const RegistryImage& image) {
    (void)image;
    return core::FailedPrecondition("this store cannot restore a registry image");
  }
};

inline core::Result<std::unique_ptr<Store>> Store::Snapshot() {
  return core::FailedPrecondition("this store keeps no snapshots");
}

inline core::Result<core::merkle::Hash> Store::LogSubtreeHash(int level, int64_t index) {
  auto missing = [&] {
    return core::NotFound("the log has no subtree " + std::to_string(level) + "/" +
                          std::to_string(index));
  };
  if (level < 0 || level > 40 || index < 0) return missing();
  const int64_t width = int64_t{1} << level;
  JCM_ASSIGN_OR_RETURN(std::vector<ledger::JournalEntry> entries,
                       ReadJournalRange(index * width + 1, width));
  if (static_cast<int64_t>(entries.size()) != width) return missing();
  std::vector<core::merkle::Hash> row;
  for (const ledger::JournalEntry& entry : entries) {
    JCM_ASSIGN_OR_RETURN(core::merkle::Hash leaf, ledger::LogLeafHash(entry.hash));
    row.push_back(leaf);
  }
  while (row.size() > 1) {  // a perfect subtree: pair each level up to its root
    for (size_t i = 0; i < row.size() / 2; ++i) {
      row[i] = core::merkle::NodeHash(row[2 * i], row[2 * i + 1]);
    }
    row.resize(row.size() / 2);
  }
  return row[0];
}

}  // namespace jcm::store
