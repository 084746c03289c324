#include "ledger/journal.h"

#include "core/sha256.h"

namespace jcm::ledger {

std::string ComputeEntryHash(const JournalEntry& entry) {
  core::Sha256 hash;
  hash.Update("jcm-journal-v1\n");
  hash.Update(std::to_string(entry.seq));
  hash.Update("\n");
  hash.Update(entry.time);
  hash.Update("\n");
  hash.Update(entry.kind);
  hash.Update("\n");
  hash.Update(entry.prev_hash);
  hash.Update("\n");
  hash.Update(entry.body.Encode());
  return hash.Hex();
}

JournalEntry NextEntry(const std::optional<JournalHead>& last, std::string time, std::string kind,
                       core::Record body) {
  JournalEntry entry;
  entry.seq = last ? last->seq + 1 : 1;
  entry.time = std::move(time);
  entry.kind = std::move(kind);
  entry.body = std::move(body);
  entry.prev_hash = last ? last->hash : std::string(kGenesisHash);
  entry.hash = ComputeEntryHash(entry);
  return entry;
}

core::Result<core::merkle::Hash> LogLeafHash(std::string_view entry_hash) {
  JCM_ASSIGN_OR_RETURN(core::merkle::Hash raw, core::merkle::FromHex(entry_hash));
  return core::merkle::LeafHash(
      std::string_view(reinterpret_cast<const char*>(raw.data()), raw.size()));
}

}  // namespace jcm::ledger
