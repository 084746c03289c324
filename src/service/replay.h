// Replay<State>: a state replayed from the journal's entries of one kind prefix ("approval.",
// "identity."), which the services of one process over one store may share — the pooled
// services of `jcm serve`, one per request in flight: each entry is then read and applied once,
// not once per service (the per-service replays were a third of the server's time per signed
// approval).
//
// Thread-safe. Read runs a function under the shared lock, so what it reads is one state, with
// no entry applied meanwhile; CatchUp reads the journal's head without any lock and, when
// something is new, the new entries without the shared state's lock (the services deciding
// meanwhile are not held up by the store), then applies them under the exclusive lock, one
// CatchUp at a time.
// A decision read under Read and journaled with an optimistic lock must take the head it
// expects from the same Read, never from a later one: another service may have moved the
// shared state between the two.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/record.h"
#include "core/status.h"
#include "ledger/reader.h"
#include "store/store.h"

namespace jcm::service {

// `State` has `int64_t last_seq`, the last entry applied, which its Apply function sets.
template <typename State>
class Replay {
 public:
  using Apply = core::Status (*)(State& state, std::string_view kind, const core::Record& body,
                                 int64_t seq);
  Replay(std::string_view prefix, Apply apply) : prefix_(prefix), apply_(apply) {}
  Replay(const Replay&) = delete;
  Replay& operator=(const Replay&) = delete;

  // Applies the entries of the prefix that `store` committed after the last one applied;
  // DataLoss when Apply refuses one (a journal this program did not write).
  core::Status CatchUp(store::Store& store) {
    // The journal's head first, outside the lock: a catch-up that finds nothing committed after
    // what was applied neither waits for nor holds up another (every request of `jcm serve`
    // catches up two replays, and each probe under the lock queued the request threads behind
    // one another).
    JCM_ASSIGN_OR_RETURN(const int64_t head, store.JournalHeadSeq());
    if (head <= scanned_seq_.load(std::memory_order_acquire)) return core::OkStatus();
    // One catch-up at a time: a service that waited for another's finds what that one read
    // applied already and reads only the entries committed since. When every service in flight
    // read at once, each read and decoded the same new entries again.
    //
    // The read starts after the journal's head at the last catch-up, not after the prefix's
    // last entry: a prefix that journals rarely (identity.* while transfers flow) was read
    // again through every entry of other kinds since its last one, on every catch-up.
    std::lock_guard catching_up(catch_up_mu_);
    const int64_t after = std::max(scanned_seq_.load(std::memory_order_relaxed),
                                   Read([](const State& state) { return state.last_seq; }));
    if (head <= after) return core::OkStatus();
    JCM_ASSIGN_OR_RETURN(std::vector<ledger::JournalEntry> entries,
                         store.ReadJournal(after + 1, prefix_));
    if (!entries.empty()) {
      std::unique_lock lock(mu_);
      for (const ledger::JournalEntry& entry : entries) {
        core::Status applied = apply_(state_, entry.kind, entry.body, entry.seq);
        if (!applied.ok()) {  // read again from the last entry applied
          return core::DataLoss("journal entry " + std::to_string(entry.seq) + ": " +
                                applied.message());
        }
      }
    }
    // Published once applied. Entries past `head` may be among those read; the next read starts
    // after the last.
    scanned_seq_.store(entries.empty() ? head : std::max(head, entries.back().seq),
                       std::memory_order_release);
    return core::OkStatus();
  }

  // `read(state)`'s result. `read` must not call Read again nor CatchUp.
  template <typename Reader>
  auto Read(Reader&& read) const {
    std::shared_lock lock(mu_);
    return read(static_cast<const State&>(state_));
  }

 private:
  const std::string prefix_;
  const Apply apply_;
  std::mutex catch_up_mu_;  // held through a whole CatchUp's read and apply
  // Every entry up to this seq has been read and the prefix's applied; written under
  // catch_up_mu_ once they are, read without it.
  std::atomic<int64_t> scanned_seq_ = 0;
  mutable std::shared_mutex mu_;
  State state_;
};

}  // namespace jcm::service
