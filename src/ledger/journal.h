// The journal: every committed change (registry transactions, account openings, state changes,
// project-cycle events) is appended as one entry, chained by SHA-256 (INV-7).
//
// hash = SHA-256( "jcm-journal-v1\n" seq "\n" time "\n" kind "\n" prev_hash "\n" body )
// where body is the entry's Record in its canonical encoding (core/record.h) and numbers are
// decimal. The first entry's prev_hash is 64 zeros. docs/formats/journal.md has the layout.
#pragma once

#include <string>
#include <string_view>

#include "core/merkle.h"
#include "ledger/reader.h"

namespace jcm::ledger {

inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

std::string ComputeEntryHash(const JournalEntry& entry);

// Builds the next entry after `last` (nullopt: the first entry), with its hash.
JournalEntry NextEntry(const std::optional<JournalHead>& last, std::string time, std::string kind,
                       core::Record body);

// The transparency log's leaf for an entry (docs/formats/transparency-log.md): LeafHash of the
// entry's hash as 32 raw bytes. InvalidArgument unless `entry_hash` is 64 hex digits.
core::Result<core::merkle::Hash> LogLeafHash(std::string_view entry_hash);

}  // namespace jcm::ledger
