// Internal to the PostgreSQL adapter: the transparency log's tree in `log_nodes` and its signed
// heads in `log_heads` (migration 11, docs/formats/store.md), the counterpart of the SQLite
// store's sqlite/internal/log_tree.h: one row per perfect subtree (level, idx, 32-byte hash),
// appended with each journal entry inside the write transaction that writes the entry, so the
// tree always holds exactly the committed journal (INV-25) and an append costs O(log n) rows
// (amortised two). A size keeps the first head stored for it (INV-26).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
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
  core::Result<std::optional<LogHead>> FindHead(int64_t tree_size);
  // Stores `head` unless its size has one (ON CONFLICT DO NOTHING); returns the stored one.
  core::Result<LogHead> PutHead(const LogHead& head);
  core::Result<std::vector<LogHead>> ListHeads();

 private:
  Connection& db_;
};

// Appends journal entries' leaves inside write transactions: the nodes each append completes
// are kept in memory, and the tree's right edge (the
// nodes the next append reads) is kept between batches, so an append costs no round trip; the
// caller writes the nodes (TakePending). What
// it keeps is valid only while no one else appends: Forget() it whenever the journal's head is
// not the one this process last wrote, and after a rollback.
class PgLogAppender final : public core::merkle::SubtreeSource {
 public:
  explicit PgLogAppender(Connection& connection) : tree_(connection) {}
  core::Result<core::merkle::Hash> PerfectSubtree(int level, int64_t index) override;
  // Appends the leaf of journal entry `seq` with hash `entry_hash` (hex). REQUIRES: inside the
  // write transaction; DataLoss unless the tree holds exactly entries 1..seq-1 (the stored size
  // is read once after Forget()).
  core::Status Append(int64_t seq, const std::string& entry_hash);
  // Hands over the nodes appended since the last call, for the caller to write in the same
  // transaction.
  std::vector<core::merkle::PerfectNode> TakePending() { return std::exchange(pending_, {}); }
  void Forget();

 private:
  PgLogTree tree_;
  std::optional<int64_t> size_;  // leaves in the tree, the pending ones included
  std::map<std::pair<int, int64_t>, core::merkle::Hash> frontier_;
  std::vector<core::merkle::PerfectNode> pending_;
};

// Inserts log nodes (10,000 rows per statement). REQUIRES: inside a write transaction.
core::Status InsertNodes(Connection& db, const std::vector<core::merkle::PerfectNode>& nodes);

// Fills the empty `log_nodes` with the tree of the journal's entries (migration 11 on a registry
// that has entries; Restore), computed in memory and written 10,000 rows per statement.
// REQUIRES: inside the write transaction. DataLoss when the journal's seqs have a gap.
core::Status BuildLogTree(Connection& db);

// Writes `heads` into the empty `log_heads` (Restore).
core::Status InsertLogHeads(Connection& db, const std::vector<LogHead>& heads);

}  // namespace jcm::store::postgres
