// A store::Store held in memory: the reference implementation the SQLite adapter is tested
// against (same scenarios, same results), and the fast store for property tests that run
// tens of thousands of command sequences. Not durable. Thread-safe: commands are decided and
// applied one at a time under a mutex (Decide never writes, so a rejection needs no rollback).
#pragma once

#include <memory>

#include "store/store.h"

namespace jcm::store {

// `clock` must outlive the store.
std::unique_ptr<Store> NewMemoryStore(Clock& clock);

}  // namespace jcm::store
