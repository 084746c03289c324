// Internal to the SQLite adapter: the journal entries the write connection wrote last, so that
// check 23's look for entries journaled after a decision (ledger::Reader::EntriesOfKindAfter,
// INV-60) reads memory instead of the journal table. In a write batch of approved-in-advance
// transfers every proposal's check read each row journaled since its decision — about forty per
// proposal, 4% of the server's CPU per transfer, all of it on the group commit's leader
// (docs/api.md "Benchmark", lever 23).
//
// Several processes (INV-72): what it holds is the journal's tail up to one head (seq and hash).
// At the start of each write batch, under the write lock, Begin() is given the committed head:
// the same head as its last entry means no other connection wrote since, so what it holds is the
// table's tail; any other head drops everything. Within the batch only this connection writes,
// and every entry it writes goes through Add(). A rollback, of the batch or of a savepoint, makes
// it answer nothing until the next Begin, and what it kept of that transaction is dropped then.
// Outside a batch it answers nothing.
//
// Not thread-safe: the write batch owns it, under the store's connection mutex.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "ledger/reader.h"

namespace jcm::store::sqlite {

class RecentJournal {
 public:
  // What stays kept after a commit, at most: the oldest entries are dropped first.
  static constexpr size_t kEntriesMax = 4096;
  static constexpr size_t kBodyBytesMax = size_t{16} << 20;

  // A write batch began; `head` is the committed journal's last entry (nullopt: none).
  void Begin(const std::optional<ledger::JournalHead>& head);
  // This connection wrote `entry`, whose body encodes as `encoded_body`.
  void Add(const ledger::JournalEntry& entry, std::string encoded_body);
  // The batch, or a savepoint in it, was rolled back.
  void RolledBack() { answers_ = false; }
  // The batch committed.
  void Committed();

  // The entries after `after_seq` whose kind starts with `prefix` and which hold one of
  // `needles` (all of them when it is empty), as the journal table would give them; nullopt
  // when it does not hold every entry after `after_seq`.
  std::optional<core::Result<std::vector<ledger::JournalEntry>>> EntriesOfKindAfter(
      const std::string& prefix, int64_t after_seq, const ledger::EntryNeedles& needles) const;

 private:
  // One entry as the journal table holds it; Int and Text read it as row_decoding.h reads a row
  // of JCM_ENTRY_COLUMNS.
  struct Kept {
    int64_t seq;
    std::string time, kind, body, prev_hash, hash;
    int64_t Int(int) const { return seq; }
    std::string Text(int column) const;
  };

  void Drop(int64_t next_seq);

  std::deque<Kept> kept_;  // consecutive seqs, from first_seq_
  // The seq of kept_'s first entry, or of the next entry to be written when kept_ is empty.
  // Every entry of the table from it on is in kept_ while answers_.
  int64_t first_seq_ = 0;
  bool answers_ = false;  // between Begin and the batch's end or first rollback
  size_t body_bytes_ = 0;
};

}  // namespace jcm::store::sqlite
