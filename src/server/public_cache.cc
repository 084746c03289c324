#include "server/public_cache.h"

#include <array>

#include "server/prebuilt_response.h"

namespace jcm::server {
namespace {

// "/api/v1/projects/" followed by one non-empty segment and nothing else.
bool OneSegmentUnder(std::string_view target, std::string_view prefix) {
  if (!target.starts_with(prefix)) return false;
  const std::string_view rest = target.substr(prefix.size());
  return !rest.empty() && rest.find_first_of("/?#") == std::string_view::npos;
}

}  // namespace

bool KeptByJournal(std::string_view method, std::string_view target) {
  static constexpr std::array<std::string_view, 3> kPrefixes = {
      "/api/v1/projects/", "/api/v1/joint-committees/", "/api/v1/registries/"};
  if (method != "GET") return false;
  // A report's query (format, registry, year) is part of the target it is kept under.
  if (OneSegmentUnder(target.substr(0, target.find('?')), "/api/v1/reports/")) return true;
  for (const std::string_view prefix : kPrefixes) {
    if (OneSegmentUnder(target, prefix)) return true;
  }
  return false;
}

HttpResponse PublicCache::Handle(const HttpRequest& request,
                                 const std::function<HttpResponse()>& next) {
  if (!KeptByJournal(request.method, request.target)) return next();
  // The size before the Api reads: an entry appended meanwhile leaves the kept answer under the
  // older size, so at worst the next request computes it again — never a newer size with an
  // older answer.
  const core::Result<int64_t> journal_size = JournalSize();
  if (!journal_size.ok()) return next();  // the Api answers the store's failure itself
  if (std::optional<HttpResponse> kept = Find(request.target, *journal_size)) {
    return std::move(*kept);
  }
  HttpResponse response = next();
  Put(request.target, *journal_size, response);
  return response;  // this first time as the Api gave it
}

core::Result<int64_t> PublicCache::JournalSize() {
  // Read before the size: a commit counted after this read makes the next request read again.
  const std::optional<uint64_t> commits = store_.LocalCommitCount();
  const auto now = now_();
  if (commits) {
    std::lock_guard lock(mu_);
    if (last_read_ && last_read_->commits == *commits && now >= last_read_->at &&
        now - last_read_->at < foreign_writes_within_) {
      return last_read_->size;
    }
  }
  JCM_ASSIGN_OR_RETURN(const int64_t size, store_.LogTreeSize());
  if (commits) {
    std::lock_guard lock(mu_);
    // A slower request that read earlier never replaces a later read.
    if (!last_read_ || last_read_->at <= now) last_read_ = SizeRead{*commits, size, now};
  }
  return size;
}

std::optional<HttpResponse> PublicCache::Find(const std::string& target,
                                              int64_t journal_size) const {
  std::lock_guard lock(mu_);
  const auto it = entries_.find(target);
  if (it == entries_.end() || it->second.journal_size != journal_size) return std::nullopt;
  return it->second.kept;
}

void PublicCache::Put(const std::string& target, int64_t journal_size,
                      const HttpResponse& response) {
  if (response.status != 200) return;
  HttpResponse kept;
  kept.status = response.status;
  kept.content_type.clear();  // read through Resolved; an empty string copies without allocating
  kept.prebuilt = response.prebuilt ? response.prebuilt : Prebuild(response);
  std::lock_guard lock(mu_);
  if (entries_.size() >= kEntriesMax && !entries_.contains(target)) entries_.clear();
  entries_.insert_or_assign(target, Entry{journal_size, std::move(kept)});
}

size_t PublicCache::size() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

}  // namespace jcm::server
