#include "store/sqlite/internal/log_tree.h"

#include <cstring>

#include "ledger/journal.h"

namespace jcm::store::sqlite {

LogTree::LogTree(sqlite3* db)
    : db_(db),
      find_node_(db, "SELECT hash FROM log_nodes WHERE level = ? AND idx = ?"),
      last_leaf_(db, "SELECT COALESCE(MAX(idx) + 1, 0) FROM log_nodes WHERE level = 0"),
      insert_node_(db, "INSERT INTO log_nodes VALUES (?, ?, ?)"),
      find_head_(db,
                 "SELECT tree_size, root_hash, timestamp, public_key, signature FROM log_heads "
                 "WHERE tree_size = ?"),
      insert_head_(db, "INSERT OR IGNORE INTO log_heads VALUES (?, ?, ?, ?, ?)") {}

core::Result<core::merkle::Hash> LogTree::PerfectSubtree(int level, int64_t index) {
  find_node_.Bind(1, int64_t{level}).Bind(2, index);
  JCM_ASSIGN_OR_RETURN(bool found, find_node_.Step());
  if (!found) {
    return core::NotFound("the log has no subtree " + std::to_string(level) + "/" +
                          std::to_string(index));
  }
  const std::string bytes = find_node_.Blob(0);
  find_node_.Reset();
  core::merkle::Hash hash{};
  if (bytes.size() != hash.size()) {
    return core::DataLoss("log node " + std::to_string(level) + "/" + std::to_string(index) +
                          " is not a 32-byte hash");
  }
  std::memcpy(hash.data(), bytes.data(), hash.size());
  return hash;
}

core::Result<int64_t> LogTree::Size() {
  JCM_ASSIGN_OR_RETURN(bool row, last_leaf_.Step());
  if (!row) return core::Internal("an aggregate returned no row");
  const int64_t size = last_leaf_.Int(0);
  last_leaf_.Reset();
  return size;
}

class LogTree::AppendSource final : public core::merkle::SubtreeSource {
 public:
  explicit AppendSource(LogTree& tree) : tree_(tree) {}
  core::Result<core::merkle::Hash> PerfectSubtree(int level, int64_t index) override {
    const auto key = std::make_pair(level, index);
    if (const auto known = tree_.known_.find(key); known != tree_.known_.end()) {
      return known->second;
    }
    JCM_ASSIGN_OR_RETURN(core::merkle::Hash hash, tree_.PerfectSubtree(level, index));
    tree_.known_.emplace(key, hash);
    return hash;
  }

 private:
  LogTree& tree_;
};

core::Status LogTree::Append(int64_t seq, const std::string& entry_hash) {
  JCM_ASSIGN_OR_RETURN(core::merkle::Hash leaf, ledger::LogLeafHash(entry_hash));
  if (!size_) {
    JCM_ASSIGN_OR_RETURN(size_, Size());
  }
  if (*size_ != seq - 1) {
    return core::DataLoss("the log tree holds " + std::to_string(*size_) +
                          " entries, not the journal's " + std::to_string(seq - 1));
  }
  AppendSource source(*this);
  JCM_ASSIGN_OR_RETURN(std::vector<core::merkle::PerfectNode> nodes,
                       core::merkle::AppendLeaf(source, seq - 1, leaf));
  for (const core::merkle::PerfectNode& node : nodes) {
    insert_node_.Bind(1, int64_t{node.level}).Bind(2, node.index);
    insert_node_.BindBlob(
        3, std::string_view(reinterpret_cast<const char*>(node.hash.data()), node.hash.size()));
    JCM_RETURN_IF_ERROR(insert_node_.Run());
    known_.insert_or_assign(std::make_pair(node.level, node.index), node.hash);
  }
  *size_ = seq;
  return core::OkStatus();
}

void LogTree::ForgetAppends() {
  size_.reset();
  known_.clear();
}

core::Result<std::optional<LogHead>> LogTree::FindHead(int64_t tree_size) {
  find_head_.Bind(1, tree_size);
  JCM_ASSIGN_OR_RETURN(bool found, find_head_.Step());
  if (!found) return std::optional<LogHead>();
  LogHead head{find_head_.Int(0), find_head_.Text(1), find_head_.Text(2), find_head_.Text(3),
               find_head_.Text(4)};
  find_head_.Reset();
  return std::optional<LogHead>(std::move(head));
}

core::Result<LogHead> LogTree::PutHead(const LogHead& head) {
  insert_head_.Bind(1, head.tree_size).Bind(2, head.root_hash).Bind(3, head.timestamp);
  JCM_RETURN_IF_ERROR(insert_head_.Bind(4, head.public_key).Bind(5, head.signature).Run());
  JCM_ASSIGN_OR_RETURN(std::optional<LogHead> stored, FindHead(head.tree_size));
  if (!stored) return core::Internal("a stored log head was not found again");
  return *stored;
}

core::Result<std::vector<LogHead>> LogTree::ListHeads() {
  Statement all(db_,
                "SELECT tree_size, root_hash, timestamp, public_key, signature FROM log_heads "
                "ORDER BY tree_size");
  std::vector<LogHead> heads;
  while (true) {
    JCM_ASSIGN_OR_RETURN(bool row, all.Step());
    if (!row) return heads;
    heads.push_back(LogHead{all.Int(0), all.Text(1), all.Text(2), all.Text(3), all.Text(4)});
  }
}

core::Status BackfillLogTree(sqlite3* db) {
  LogTree tree(db);
  Statement entries(db, "SELECT seq, hash FROM journal ORDER BY seq");
  int64_t expected = 1;
  while (true) {
    JCM_ASSIGN_OR_RETURN(bool row, entries.Step());
    if (!row) return core::OkStatus();
    if (entries.Int(0) != expected) {
      return core::DataLoss("the journal has no entry " + std::to_string(expected));
    }
    JCM_RETURN_IF_ERROR(tree.Append(expected, entries.Text(1)));
    ++expected;
  }
}

}  // namespace jcm::store::sqlite
