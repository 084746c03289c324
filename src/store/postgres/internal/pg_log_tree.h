// Internal to the PostgreSQL adapter: the transparency log's tree in `log_nodes` and its signed
// heads in `log_heads` (migration 11, docs/formats/store.md), the counterpart of the SQLite
// store's sqlite/internal/log_tree.h: one row per perfect subtree (level, idx, 32-byte hash),
// appended with each journal entry inside the write transaction that writes the entry, so the
// tree always holds exactly the committed journal (INV-25) and an append costs O(log n) rows
// (amortised two). A size keeps the first head stored for it (INV-26).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/merkle.h"
#include "store/postgres/internal/connection.h"
#include "store/store.h"

namespace jcm::store::postgres {

class PgLogTree final : public core::merkle::SubtreeSource {
 public:
  explicit PgLogTree(Connection& connection) : db_(connection) {}

  // NotFound when the table holds no such subtree.
  core::Result<core::merkle::Hash> PerfectSubtree(int level, int64_t index) override;
  core::Result<int64_t> Size();
  // Appends the leaf of journal entry `seq` with hash `entry_hash` (hex). REQUIRES: inside the
  // write transaction; DataLoss unless the tree holds exactly entries 1..seq-1.
  core::Status Append(int64_t seq, const std::string& entry_hash);

  core::Result<std::optional<LogHead>> FindHead(int64_t tree_size);
  // Stores `head` unless its size has one (ON CONFLICT DO NOTHING); returns the stored one.
  core::Result<LogHead> PutHead(const LogHead& head);
  core::Result<std::vector<LogHead>> ListHeads();

 private:
  Connection& db_;
};

// Fills the empty `log_nodes` with the tree of the journal's entries (migration 11 on a registry
// that has entries; Restore), computed in memory and written 10,000 rows per statement.
// REQUIRES: inside the write transaction. DataLoss when the journal's seqs have a gap.
core::Status BuildLogTree(Connection& db);

// Writes `heads` into the empty `log_heads` (Restore).
core::Status InsertLogHeads(Connection& db, const std::vector<LogHead>& heads);

}  // namespace jcm::store::postgres
