// Internal to the SQLite adapter: the transparency log's tree in the `log_nodes` table
// (migration 11, docs/formats/store.md): one row per perfect subtree (level, idx, 32-byte hash),
// appended with each journal entry inside the write batch that writes the entry, so the tree
// always holds exactly the committed journal (INV-25) and an append costs O(log n) rows
// (amortised two). Also the signed heads (`log_heads`), one per tree size.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>

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
  core::Status Append(int64_t seq, const std::string& entry_hash);

  core::Result<std::optional<LogHead>> FindHead(int64_t tree_size);
  core::Result<LogHead> PutHead(const LogHead& head);
  core::Result<std::vector<LogHead>> ListHeads();

 private:
  sqlite3* db_;
  Statement find_node_, last_leaf_, insert_node_, find_head_, insert_head_;
};

// Fills `log_nodes` from the journal (migration 11 on a registry that has entries).
// REQUIRES: inside the write transaction, the table empty.
core::Status BackfillLogTree(sqlite3* db);

}  // namespace jcm::store::sqlite
