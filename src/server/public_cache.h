// PublicCache: the answers of the public resource routes that are a function of their target
// and the journal alone — a project, a Joint Committee, a registry's summary, a public report
// (KeptByJournal) — kept per request target with the journal's size when they were computed. A
// kept answer is served again only while the journal still has that size (INV-34): every change
// these routes read (the cycle's events, the ledger's transactions, from this process or another)
// appends a journal entry, so an unchanged size means the Api would answer the same bytes.
//
// The journal's size is Store::LogTreeSize (one indexed read of the tree written in each entry's
// batch, INV-25), but it is not read for every request: the size last read is used again while
// the store's Store::LocalCommitCount is the one read just before it and it was read less than
// `foreign_writes_within` ago. So a write committed through this server's store is seen by every
// request that starts after it was acknowledged, and a write by another process (a `jcm` command
// on the same file) within `foreign_writes_within` (docs/api.md, "Kept public answers"). A store
// that does not count its commits has the size read for every request.
//
// `jcm serve` puts it in front of Api::Handle, after sign-in and the rate limits: those routes
// answer every principal alike, so who asks does not matter. A target with a query, or any
// other route, goes to the Api untouched; only 200s are kept, so every refusal is the Api's.
//
// A kept answer is held prebuilt (prebuilt_response.h): the answers Handle and Find give for it
// carry only their status and the shared bytes, so serving one copies neither its body nor a
// header block (read what it says through Resolved).
//
// Bounded: at most kEntriesMax answers; when full it forgets all of them (a scan over many
// targets then costs what it cost without a cache). Thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "server/http_message.h"
#include "store/store.h"

namespace jcm::server {

// True for a GET of /api/v1/projects/{id}, /api/v1/joint-committees/{partner} or
// /api/v1/registries/{code} with no query, or of /api/v1/reports/{name} with or without one (a
// public report is a function of its target and the journal): the answers PublicCache keeps.
bool KeptByJournal(std::string_view method, std::string_view target);

class PublicCache {
 public:
  static constexpr size_t kEntriesMax = 4096;

  using SteadyNow = std::function<std::chrono::steady_clock::time_point()>;
  // How late a write by another process may be seen, by default.
  static constexpr std::chrono::milliseconds kForeignWritesWithinDefault{100};

  // `store` must outlive the cache; `now` is the monotonic clock (tests move it).
  explicit PublicCache(
      store::Store& store,
      std::chrono::milliseconds foreign_writes_within = kForeignWritesWithinDefault,
      SteadyNow now = std::chrono::steady_clock::now)
      : store_(store), foreign_writes_within_(foreign_writes_within), now_(std::move(now)) {}

  // The answer to `request`: for a KeptByJournal request the kept one while the journal has
  // not grown, else `next`'s (kept when a 200); for any other request `next`'s.
  HttpResponse Handle(const HttpRequest& request, const std::function<HttpResponse()>& next);

  // The parts, for tests: the answer kept for `target` at `journal_size` (prebuilt), or nullopt;
  // keep one (prebuilt here).
  std::optional<HttpResponse> Find(const std::string& target, int64_t journal_size) const;
  void Put(const std::string& target, int64_t journal_size, const HttpResponse& response);
  size_t size() const;
  // The journal's size for a request starting now: read from the store, or the last size read
  // while nothing can have changed it unseen (above).
  core::Result<int64_t> JournalSize();

 private:
  struct Entry {
    int64_t journal_size = 0;
    HttpResponse kept;  // status and prebuilt only: copying it allocates nothing
  };
  // A size read from the store, with the commit count read before it and when.
  struct SizeRead {
    uint64_t commits = 0;
    int64_t size = 0;
    std::chrono::steady_clock::time_point at;
  };
  store::Store& store_;
  const std::chrono::milliseconds foreign_writes_within_;
  const SteadyNow now_;
  mutable std::mutex mu_;  // guards entries_ and last_read_
  std::unordered_map<std::string, Entry> entries_;
  std::optional<SizeRead> last_read_;
};

}  // namespace jcm::server
