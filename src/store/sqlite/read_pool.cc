#include "store/sqlite/internal/read_pool.h"

#include "store/sqlite/internal/open.h"

namespace jcm::store::sqlite {

ReadPool::Slot::Slot(sqlite3* connection, std::mutex* shared_mu)
    : db(connection),
      mu(shared_mu != nullptr ? *shared_mu : own_mu),
      owned(shared_mu == nullptr),
      reader(connection) {}

ReadPool::ReadPool(std::vector<sqlite3*> owned, sqlite3* shared, std::mutex& shared_mu) {
  for (sqlite3* connection : owned) slots_.push_back(std::make_unique<Slot>(connection, nullptr));
  if (slots_.empty()) slots_.push_back(std::make_unique<Slot>(shared, &shared_mu));
}

ReadPool::~ReadPool() {
  for (const auto& slot : slots_) {
    if (slot->owned) Close(slot->db);
  }
}

ReadPool::Slot& ReadPool::Acquire() {
  // Start at a different slot each time, so the free ones are found at the first try while
  // fewer reads run than there are connections.
  const size_t first = next_.fetch_add(1, std::memory_order_relaxed) % slots_.size();
  for (size_t i = 0; i < slots_.size(); ++i) {
    Slot& slot = *slots_[(first + i) % slots_.size()];
    if (slot.mu.try_lock()) return slot;
  }
  Slot& slot = *slots_[first];
  slot.mu.lock();
  return slot;
}

ReadPool::Lease::Lease(ReadPool& pool) : slot_(pool.Acquire()), lock_(slot_.mu, std::adopt_lock) {}

ReadPool::Lease::~Lease() {
  if (!slot_.owned) return;
  for (sqlite3_stmt* stmt = sqlite3_next_stmt(slot_.db, nullptr); stmt != nullptr;
       stmt = sqlite3_next_stmt(slot_.db, stmt)) {
    if (sqlite3_stmt_busy(stmt)) sqlite3_reset(stmt);
  }
}

}  // namespace jcm::store::sqlite
