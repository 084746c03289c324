// Internal to the SQLite adapter: the transparency log's tree in the `log_nodes` table
// (migration 11, docs/formats/store.md): one row per perfect subtree (level, idx, 32-byte hash),
// appended with each journal entry inside the write batch that writes the entry, so the tree
// always holds exactly the committed journal (INV-25) and an append costs O(log n) rows
// (amortised two). Also the signed heads (`log_heads`), one per tree size.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/merkle.h"
#include "store/sqlite/internal/statement.h"
#include "store/store.h"

namespace jcm::store::sqlite {

class LogTree final : public core::merkle::SubtreeSource {
 public:
  explicit LogTree(sqlite3* db);

  // NotFound when the table holds no such subtree.
  core::Result<core::merkle::Hash> PerfectSubtree(int level, int64_t index) override;
  core::Result<int64_t> Size();
  // Appends the leaf of journal entry `seq` with hash `entry_hash` (hex). REQUIRES: inside the
  // write transaction; DataLoss unless the tree holds exactly entries 1..seq-1.
  // Within one write transaction the tree's size and the subtrees an append wrote or read are
  // remembered, so the appends of a batch (four per signed approval) read the size once and
  // the left siblings mostly from memory: of an append's four statements on average (the
  // size, one left sibling, two inserts), the two reads.
  // REQUIRES: ForgetAppends() at each BEGIN and after every rollback, of the transaction or of
  // a savepoint, so that nothing rolled back, nor written by another connection between two
  // transactions, is ever used.
  core::Status Append(int64_t seq, const std::string& entry_hash);
  void ForgetAppends();

  core::Result<std::optional<LogHead>> FindHead(int64_t tree_size);
  core::Result<LogHead> PutHead(const LogHead& head);
  core::Result<std::vector<LogHead>> ListHeads();

 private:
  class AppendSource;  // the subtrees of this transaction's appends, then the table

  sqlite3* db_;
  Statement find_node_, last_leaf_, insert_node_, find_head_, insert_head_;
  std::optional<int64_t> size_;  // the tree's size within this transaction, once read
  // (level, index) -> hash of the subtrees this transaction's appends wrote or read.
  std::map<std::pair<int, int64_t>, core::merkle::Hash> known_;
};

// Fills `log_nodes` from the journal (migration 11 on a registry that has entries).
// REQUIRES: inside the write transaction, the table empty.
core::Status BackfillLogTree(sqlite3* db);

}  // namespace jcm::store::sqlite
