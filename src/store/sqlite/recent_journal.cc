#include "store/sqlite/internal/recent_journal.h"

#include <utility>

#include "store/row_decoding.h"

namespace jcm::store::sqlite {

std::string RecentJournal::Kept::Text(int column) const {
  switch (column) {
    case 1:
      return time;
    case 2:
      return kind;
    case 3:
      return body;
    case 4:
      return prev_hash;
    default:
      return hash;
  }
}

void RecentJournal::Drop(int64_t next_seq) {
  kept_.clear();
  body_bytes_ = 0;
  first_seq_ = next_seq;
}

void RecentJournal::Begin(const std::optional<ledger::JournalHead>& head) {
  const bool unchanged =
      !kept_.empty() && head && kept_.back().seq == head->seq && kept_.back().hash == head->hash;
  if (!unchanged) Drop(head ? head->seq + 1 : 1);
  answers_ = true;
}

void RecentJournal::Add(const ledger::JournalEntry& entry, std::string encoded_body) {
  if (!answers_) return;  // dropped at the next Begin
  if (entry.seq != first_seq_ + static_cast<int64_t>(kept_.size())) {
    answers_ = false;  // not the next entry: what is kept no longer ends at the table's head
    return;
  }
  body_bytes_ += encoded_body.size();
  kept_.push_back(Kept{entry.seq, entry.time, entry.kind, std::move(encoded_body), entry.prev_hash,
                       entry.hash});
}

void RecentJournal::Committed() {
  if (!answers_) {
    // A rollback in the batch: what it kept of the batch may hold entries that were not
    // committed. The next Begin starts empty at the head it is given.
    Drop(-1);
    return;
  }
  answers_ = false;
  while (!kept_.empty() && (kept_.size() > kEntriesMax || body_bytes_ > kBodyBytesMax)) {
    body_bytes_ -= kept_.front().body.size();
    kept_.pop_front();
    ++first_seq_;
  }
}

std::optional<core::Result<std::vector<ledger::JournalEntry>>> RecentJournal::EntriesOfKindAfter(
    const std::string& prefix, int64_t after_seq, const ledger::EntryNeedles& needles) const {
  // An empty prefix matches nothing in the table's range query: left to it.
  if (!answers_ || prefix.empty() || after_seq + 1 < first_seq_) return std::nullopt;
  std::vector<ledger::JournalEntry> entries;
  for (size_t i = static_cast<size_t>(after_seq + 1 - first_seq_); i < kept_.size(); ++i) {
    const Kept& kept = kept_[i];
    if (!kept.kind.starts_with(prefix)) continue;
    if (!needles.empty() && !needles.HeldBy(kept.kind, kept.body)) continue;
    core::Result<ledger::JournalEntry> entry = DecodeEntry(kept);
    if (!entry.ok()) return core::Result<std::vector<ledger::JournalEntry>>(entry.status());
    entries.push_back(std::move(entry).value());
  }
  return core::Result<std::vector<ledger::JournalEntry>>(std::move(entries));
}

}  // namespace jcm::store::sqlite
