#include "store/postgres/internal/pg_log_tree.h"

#include <algorithm>
#include <map>
#include <utility>

#include "ledger/journal.h"
#include "store/postgres/internal/pg_rows.h"

namespace jcm::store::postgres {
namespace {

using core::merkle::Hash;
using core::merkle::PerfectNode;

core::Status NotAHash(int level, int64_t index) {
  return core::DataLoss("log node " + std::to_string(level) + "/" + std::to_string(index) +
                        " is not a 32-byte hash");
}

// The nodes appended so far, for building a whole tree in memory.
class NodeMap final : public core::merkle::SubtreeSource {
 public:
  core::Result<Hash> PerfectSubtree(int level, int64_t index) override {
    auto found = nodes_.find({level, index});
    if (found == nodes_.end()) return core::Internal("the tree being built lacks a node");
    return found->second;
  }
  void Add(const PerfectNode& node) { nodes_[{node.level, node.index}] = node.hash; }

 private:
  std::map<std::pair<int, int64_t>, Hash> nodes_;
};

}  // namespace

core::Status InsertNodes(Connection& db, const std::vector<PerfectNode>& nodes) {
  for (size_t first = 0; first < nodes.size(); first += kRowsPerStatement) {
    std::vector<std::string> levels, indexes, hashes;
    for (size_t i = first; i < std::min(nodes.size(), first + kRowsPerStatement); ++i) {
      levels.push_back(std::to_string(nodes[i].level));
      indexes.push_back(std::to_string(nodes[i].index));
      hashes.push_back(core::merkle::ToHex(nodes[i].hash));
    }
    JCM_RETURN_IF_ERROR(
        db.Exec("INSERT INTO log_nodes SELECT l, i, decode(h, 'hex') FROM "
                "unnest($1::bigint[], $2::bigint[], $3::text[]) AS t(l, i, h)",
                {P(ArrayLiteral(levels)), P(ArrayLiteral(indexes)), P(ArrayLiteral(hashes))})
            .status());
  }
  return core::OkStatus();
}

core::Result<Hash> PgLogTree::PerfectSubtree(int level, int64_t index) {
  JCM_ASSIGN_OR_RETURN(Rows rows, db_.Exec("SELECT hash FROM log_nodes WHERE level = $1 AND "
                                           "idx = $2",
                                           {P(int64_t{level}), P(index)}));
  if (rows.empty()) {
    return core::NotFound("the log has no subtree " + std::to_string(level) + "/" +
                          std::to_string(index));
  }
  const std::string bytes = rows.Bytes(0, 0);
  Hash hash{};
  if (bytes.size() != hash.size()) return NotAHash(level, index);
  std::copy(bytes.begin(), bytes.end(), hash.begin());
  return hash;
}

core::Result<int64_t> PgLogTree::Size() {
  JCM_ASSIGN_OR_RETURN(Rows rows,
                       db_.Exec("SELECT COALESCE(MAX(idx) + 1, 0) FROM log_nodes WHERE level = 0"));
  return rows.Int(0, 0);
}

core::Result<std::optional<LogHead>> PgLogTree::FindHead(int64_t tree_size) {
  JCM_ASSIGN_OR_RETURN(Rows rows, db_.Exec("SELECT tree_size, root_hash, timestamp, public_key, "
                                           "signature FROM log_heads WHERE tree_size = $1",
                                           {P(tree_size)}));
  if (rows.empty()) return std::optional<LogHead>();
  return std::optional<LogHead>(
      LogHead{rows.Int(0, 0), rows.Text(0, 1), rows.Text(0, 2), rows.Text(0, 3), rows.Text(0, 4)});
}

core::Result<LogHead> PgLogTree::PutHead(const LogHead& head) {
  JCM_RETURN_IF_ERROR(db_.Exec("INSERT INTO log_heads VALUES ($1, $2, $3, $4, $5) "
                               "ON CONFLICT (tree_size) DO NOTHING",
                               {P(head.tree_size), P(head.root_hash), P(head.timestamp),
                                P(head.public_key), P(head.signature)})
                          .status());
  JCM_ASSIGN_OR_RETURN(std::optional<LogHead> stored, FindHead(head.tree_size));
  if (!stored) return core::Internal("a stored log head was not found again");
  return *stored;
}

core::Result<std::vector<LogHead>> PgLogTree::ListHeads() {
  JCM_ASSIGN_OR_RETURN(Rows rows, db_.Exec("SELECT tree_size, root_hash, timestamp, public_key, "
                                           "signature FROM log_heads ORDER BY tree_size"));
  std::vector<LogHead> heads;
  for (int i = 0; i < rows.size(); ++i) {
    heads.push_back(LogHead{rows.Int(i, 0), rows.Text(i, 1), rows.Text(i, 2), rows.Text(i, 3),
                            rows.Text(i, 4)});
  }
  return heads;
}

core::Status BuildLogTree(Connection& db) {
  JCM_ASSIGN_OR_RETURN(Rows entries, db.Exec("SELECT seq, hash FROM journal ORDER BY seq"));
  NodeMap tree;
  std::vector<PerfectNode> all;
  for (int i = 0; i < entries.size(); ++i) {
    if (entries.Int(i, 0) != i + 1) {
      return core::DataLoss("the journal has no entry " + std::to_string(i + 1));
    }
    JCM_ASSIGN_OR_RETURN(Hash leaf, ledger::LogLeafHash(entries.Text(i, 1)));
    JCM_ASSIGN_OR_RETURN(std::vector<PerfectNode> nodes, core::merkle::AppendLeaf(tree, i, leaf));
    for (const PerfectNode& node : nodes) {
      tree.Add(node);
      all.push_back(node);
    }
  }
  return InsertNodes(db, all);
}

core::Status InsertLogHeads(Connection& db, const std::vector<LogHead>& heads) {
  for (size_t first = 0; first < heads.size(); first += kRowsPerStatement) {
    std::vector<std::string> columns[5];
    for (size_t i = first; i < std::min(heads.size(), first + kRowsPerStatement); ++i) {
      const LogHead& head = heads[i];
      columns[0].push_back(std::to_string(head.tree_size));
      columns[1].push_back(head.root_hash);
      columns[2].push_back(head.timestamp);
      columns[3].push_back(head.public_key);
      columns[4].push_back(head.signature);
    }
    JCM_RETURN_IF_ERROR(db.Exec("INSERT INTO log_heads SELECT * FROM unnest($1::bigint[], "
                                "$2::text[], $3::text[], $4::text[], $5::text[])",
                                {P(ArrayLiteral(columns[0])), P(ArrayLiteral(columns[1])),
                                 P(ArrayLiteral(columns[2])), P(ArrayLiteral(columns[3])),
                                 P(ArrayLiteral(columns[4]))})
                            .status());
  }
  return core::OkStatus();
}

// The tree of size n is the perfect subtrees of n's binary decomposition; appending leaf n reads
// exactly those of them that the new leaf completes, so they are all the appender keeps.
core::Result<Hash> PgLogAppender::PerfectSubtree(int level, int64_t index) {
  auto found = frontier_.find({level, index});
  if (found != frontier_.end()) return found->second;
  return tree_.PerfectSubtree(level, index);
}

core::Status PgLogAppender::Append(int64_t seq, const std::string& entry_hash) {
  JCM_ASSIGN_OR_RETURN(Hash leaf, ledger::LogLeafHash(entry_hash));
  if (!size_) {
    JCM_ASSIGN_OR_RETURN(int64_t stored, tree_.Size());
    size_ = stored;
  }
  if (*size_ != seq - 1) {
    return core::DataLoss("the log tree holds " + std::to_string(*size_) +
                          " entries, not the journal's " + std::to_string(seq - 1));
  }
  JCM_ASSIGN_OR_RETURN(std::vector<PerfectNode> nodes,
                       core::merkle::AppendLeaf(*this, seq - 1, leaf));
  const int64_t size = seq;
  std::map<std::pair<int, int64_t>, Hash> frontier;
  for (const PerfectNode& node : nodes) frontier_[{node.level, node.index}] = node.hash;
  for (const auto& [at, hash] : frontier_) {
    const auto [level, index] = at;
    if (((size >> level) & 1) != 0 && index == (size >> level) - 1) frontier[at] = hash;
  }
  frontier_ = std::move(frontier);
  pending_.insert(pending_.end(), nodes.begin(), nodes.end());
  size_ = size;
  return core::OkStatus();
}

void PgLogAppender::Forget() {
  frontier_.clear();
  pending_.clear();
  size_.reset();
}

}  // namespace jcm::store::postgres
