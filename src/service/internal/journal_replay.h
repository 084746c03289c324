// Internal to the service: a record book replayed from one family of journal events (the NDC
// declarations of "article6.*", the peers of "exchange.*", …), where the records live in the
// journal and nowhere else.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace jcm::service::internal {

// A fresh `Book` with every entry of the family `prefix` applied in journal order
// (`Book::Apply(kind, body, seq)`); DataLoss naming the entry a book refuses.
template <typename Book>
core::Result<Book> ReplayJournalFamily(store::Store& store, std::string_view prefix) {
  JCM_ASSIGN_OR_RETURN(std::vector<ledger::JournalEntry> entries,
                       store.ReadJournal(1, std::string(prefix)));
  Book book;
  for (const ledger::JournalEntry& entry : entries) {
    core::Status applied = book.Apply(entry.kind, entry.body, entry.seq);
    if (!applied.ok()) {
      return core::DataLoss("journal entry " + std::to_string(entry.seq) + ": " +
                            applied.message());
    }
  }
  return book;
}

}  // namespace jcm::service::internal
