// Internal to the SQLite adapter: the connections a store reads its committed state on.
//
// A read-write store reads on read-only connections of its own (sqlite::OpenReader), several, so
// that the requests a server has in flight do not queue behind one another's reads: in WAL mode
// each connection reads the last committed state beside the others and beside the write batch
// (one shared read connection made a signed approval wait about 1 ms for it, docs/api.md
// "Benchmark", lever 10). A read-only store or a snapshot reads on its one connection, under
// that connection's mutex, as its writes would.
//
// Thread-safe. A Lease holds one connection for one read, alone; on release it ends any
// statement left stepping on a connection of the pool's own, so that an autocommit connection
// holds no read transaction between two reads and the next read sees every commit made
// meanwhile. A shared connection (a snapshot's) is left as it is: its read transaction is the
// snapshot.
#pragma once

#include <sqlite3.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "store/sqlite/internal/sqlite_reader.h"

namespace jcm::store::sqlite {

class ReadPool {
 private:
  struct Slot;

 public:
  // One connection held for one read; not movable, so it cannot outlive the scope it was
  // acquired in.
  class Lease {
   public:
    // Holds a free connection of `pool` when there is one, else waits for one. A read must not
    // hold two Leases of one pool at once.
    explicit Lease(ReadPool& pool);
    ~Lease();
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;

    sqlite3* db() const { return slot_.db; }
    SqliteReader& reader() const { return slot_.reader; }

   private:
    Slot& slot_;
    std::lock_guard<std::mutex> lock_;
  };

  // Reads on the `owned` connections, which the pool closes (sqlite::Close); with none, on
  // `shared` under `shared_mu`, both the caller's, which must outlive the pool.
  ReadPool(std::vector<sqlite3*> owned, sqlite3* shared, std::mutex& shared_mu);
  ~ReadPool();
  ReadPool(const ReadPool&) = delete;
  ReadPool& operator=(const ReadPool&) = delete;

  size_t size() const { return slots_.size(); }

 private:
  // A slot whose mutex this thread now holds.
  Slot& Acquire();

  struct Slot {
    Slot(sqlite3* connection, std::mutex* shared_mu);
    sqlite3* const db;
    std::mutex own_mu;
    std::mutex& mu;    // own_mu, or the shared connection's mutex
    const bool owned;  // a connection of the pool's own, closed and reset by it
    SqliteReader reader;
  };

  std::vector<std::unique_ptr<Slot>> slots_;
  std::atomic<uint32_t> next_{0};  // where the next Acquire starts looking
};

}  // namespace jcm::store::sqlite
