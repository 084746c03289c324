// Co-signing of the transparency log's heads (docs/formats/transparency-log.md, "Co-signing"):
// a witness — the partner registry, or anyone the registry names — checks that a head extends
// the last head it co-signed and signs the same signed_message with its own Ed25519 key; a
// verifier holding the witness's key then knows the witness saw the same log (no split view).
//
// Registry side: witnesses are configured by a journaled `log.witness_added` entry and removed
// by a `log.witness_removed` one (a key lost or retired: its later co-signatures are refused,
// those it gave before stay valid evidence), and a
// co-signature is kept, as a `log.cosigned` entry, only when it verifies under a configured
// witness's key over a head this registry signed (INV-32). Both are replayed from the journal's
// `log.*` entries (read through the kind index), so every process and store sees the same.
// Witness side: CosignHead decides whether to co-sign; it reads nothing but its arguments.
//
// Checks 440–449 (docs/checks.md); InvalidArgument for a malformed name, key or signature.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ed25519.h"
#include "ledger/audit.h"
#include "service/errors.h"
#include "service/log_service.h"
#include "store/store.h"

namespace jcm::service {

inline constexpr std::string_view kWitnessAddedKind = "log.witness_added";
inline constexpr std::string_view kWitnessRemovedKind = "log.witness_removed";
inline constexpr std::string_view kCosignedKind = "log.cosigned";

struct Witness {
  std::string name;
  std::string public_key;  // hex
  int64_t seq = 0;         // its log.witness_added entry
  bool replayed = false;
  int64_t removed_seq = 0;  // its log.witness_removed entry; 0 while configured
  std::string removal_reason;

  // Configured when journal entry `at` was written: added before it, not removed before it.
  bool ConfiguredAt(int64_t at) const { return seq < at && (removed_seq == 0 || removed_seq > at); }
};

// A head co-signed by a witness: the registry's head as the witness received it, and the
// witness's signature over the same signed_message.
struct Cosignature {
  SignedTreeHead head;
  std::string witness_key;  // hex, 32 bytes
  std::string cosignature;  // hex, 64 bytes
};

struct AcceptedCosignature {
  Cosignature cosignature;
  std::string witness;  // the configured name
  int64_t seq = 0;      // its log.cosigned entry
  bool replayed = false;
};

// The latest tree size any witness co-signed, its head and every co-signature of it.
struct CosignedHead {
  SignedTreeHead head;
  std::vector<AcceptedCosignature> cosignatures;
};

// The witnesses configured now, in the order they were added.
core::Result<std::vector<Witness>> ListWitnesses(store::Store& store);

// Journals `log.witness_added`. 440 when the name or the key is already a witness's;
// InvalidArgument unless `name` is 1–100 printable characters and `public_key` 64 hex digits.
core::Result<OrRejection<Witness>> AddWitness(store::Store& store, const std::string& name,
                                              const std::string& public_key, const std::string& by);

// Journals `log.witness_removed` for the configured witness `name`, with `reason` (1–500
// characters); 446 when no witness of that name is configured. Co-signatures kept before stay
// in the journal and in the audit; the name and key may be configured again later.
core::Result<OrRejection<Witness>> RemoveWitness(store::Store& store, const std::string& name,
                                                 const std::string& reason, const std::string& by);

// Journals `log.cosigned` after 441 (the key is no configured witness's), 442 (the head is not
// the one this registry stored for its tree size) and 443 (the co-signature does not verify).
// The same witness and tree size again: the first entry, replayed, nothing journaled.
core::Result<OrRejection<AcceptedCosignature>> AcceptCosignature(store::Store& store,
                                                                 const Cosignature& cosignature);

// INV-32 for every kept `log.cosigned` entry, re-checked as AcceptCosignature checked it (441-443
// against the witnesses configured when it was written, and the witness it names): an entry written
// by anything else is a violation naming its seq (run by AuditAll).
core::Result<std::vector<ledger::Violation>> AuditCosignatures(store::Store& store);

// nullopt when no head was co-signed yet.
core::Result<std::optional<CosignedHead>> LatestCosignedHead(store::Store& store);

// The witness's decision: 444 unless `head` verifies under `registry_key` (hex), 445 when it
// does not extend `last_cosigned` (smaller, or `consistency_proof` (hex) from it fails); else the
// head signed with `witness_key`.
core::Result<OrRejection<Cosignature>> CosignHead(
    const SignedTreeHead& head, const std::string& registry_key,
    const std::optional<SignedTreeHead>& last_cosigned,
    const std::vector<std::string>& consistency_proof, const core::Ed25519PrivateKey& witness_key);

// OK when `cosignature` is `witness_key`'s (hex) over `head`'s signed message.
bool CosignatureVerifies(const SignedTreeHead& head, const std::string& witness_key,
                         const std::string& cosignature);

}  // namespace jcm::service
