#include "service/log_witness.h"

#include <algorithm>

#include "core/merkle.h"
#include "core/record.h"
#include "core/text.h"

namespace jcm::service {
namespace {

namespace merkle = core::merkle;

constexpr size_t kWitnessNameBytesMax = 100;
constexpr size_t kRemovalReasonBytesMax = 500;

bool IsHexOf(std::string_view hex, size_t bytes) {
  core::Result<std::string> raw = core::HexToBytes(hex);
  return raw.ok() && raw->size() == bytes;
}

bool IsPrintable(const std::string& text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) >= 0x20; });
}

// The `log.*` entries, in order, and the seq of the last one (the lock a new one appends with).
// `witnesses` holds every witness ever added, removed ones included (removed_seq set).
struct LogEvents {
  std::vector<Witness> witnesses;
  std::vector<AcceptedCosignature> cosignatures;
  int64_t last_seq = 0;

  std::vector<Witness> ConfiguredAt(int64_t at) const {
    std::vector<Witness> configured;
    for (const Witness& w : witnesses) {
      if (w.ConfiguredAt(at)) configured.push_back(w);
    }
    return configured;
  }
  std::vector<Witness> ConfiguredNow() const { return ConfiguredAt(last_seq + 1); }
};

core::Result<AcceptedCosignature> CosignatureOf(const ledger::JournalEntry& entry) {
  const core::Record& body = entry.body;
  AcceptedCosignature out;
  JCM_ASSIGN_OR_RETURN(out.witness, body.Get("witness"));
  JCM_ASSIGN_OR_RETURN(out.cosignature.witness_key, body.Get("witness_key"));
  JCM_ASSIGN_OR_RETURN(out.cosignature.cosignature, body.Get("cosignature"));
  JCM_ASSIGN_OR_RETURN(std::string size, body.Get("tree_size"));
  store::LogHead head;
  head.tree_size = core::ParseInt64(size).value_or(-1);
  JCM_ASSIGN_OR_RETURN(head.root_hash, body.Get("root_hash"));
  JCM_ASSIGN_OR_RETURN(head.timestamp, body.Get("timestamp"));
  JCM_ASSIGN_OR_RETURN(head.public_key, body.Get("public_key"));
  JCM_ASSIGN_OR_RETURN(head.signature, body.Get("signature"));
  out.cosignature.head = HeadFromStored(head);
  out.seq = entry.seq;
  return out;
}

core::Result<LogEvents> ReadLogEvents(store::Store& store) {
  JCM_ASSIGN_OR_RETURN(std::vector<ledger::JournalEntry> entries, store.ReadJournal(1, "log."));
  LogEvents events;
  for (const ledger::JournalEntry& entry : entries) {
    events.last_seq = entry.seq;
    if (entry.kind == kWitnessAddedKind) {
      JCM_ASSIGN_OR_RETURN(std::string name, entry.body.Get("witness"));
      JCM_ASSIGN_OR_RETURN(std::string key, entry.body.Get("public_key"));
      events.witnesses.push_back({std::move(name), std::move(key), entry.seq, false, 0, ""});
    } else if (entry.kind == kWitnessRemovedKind) {
      JCM_ASSIGN_OR_RETURN(std::string name, entry.body.Get("witness"));
      auto removed =
          std::find_if(events.witnesses.begin(), events.witnesses.end(),
                       [&](const Witness& w) { return w.name == name && !w.removed_seq; });
      if (removed == events.witnesses.end()) {
        return core::DataLoss("journal entry " + std::to_string(entry.seq) + " removes witness '" +
                              name + "', which is not configured");
      }
      removed->removed_seq = entry.seq;
      JCM_ASSIGN_OR_RETURN(removed->removal_reason, entry.body.Get("reason"));
    } else if (entry.kind == kCosignedKind) {
      JCM_ASSIGN_OR_RETURN(AcceptedCosignature accepted, CosignatureOf(entry));
      events.cosignatures.push_back(std::move(accepted));
    }
  }
  return events;
}

core::Result<store::Outcome> Journal(store::Store& store, std::string_view kind, core::Record body,
                                     int64_t last_seq) {
  return store.Submit(ledger::AppendEvent{std::string(kind), std::move(body), "", last_seq});
}

template <typename T>
core::Result<OrRejection<T>> Refuse(ServiceCheck check, std::string message) {
  return OrRejection<T>(FromService(check, std::move(message)));
}

// Checks 441-443 of a co-signature with key `key` (lower-case hex) against `witnesses`: the
// rejection, or nullopt with `*witness` set to the witness whose key it is.
core::Result<std::optional<Rejection>> CheckCosignature(store::Store& store,
                                                        const std::vector<Witness>& witnesses,
                                                        const Cosignature& cosignature,
                                                        const std::string& key,
                                                        const Witness** witness) {
  auto found = std::find_if(witnesses.begin(), witnesses.end(),
                            [&](const Witness& w) { return w.public_key == key; });
  if (found == witnesses.end()) {
    return std::optional<Rejection>(
        FromService(ServiceCheck::kWitnessUnknown, "key " + key + " is no configured witness's"));
  }
  *witness = &*found;
  const SignedTreeHead& head = cosignature.head;
  JCM_ASSIGN_OR_RETURN(std::optional<store::LogHead> stored, store.FindLogHead(head.tree_size));
  if (!stored || stored->root_hash != head.root_hash || stored->timestamp != head.timestamp ||
      stored->signature != head.signature || stored->public_key != head.public_key) {
    return std::optional<Rejection>(
        FromService(ServiceCheck::kCosignedHeadUnknown,
                    "the co-signed head of " + std::to_string(head.tree_size) +
                        " entries is not the head this registry signed for that size"));
  }
  if (!CosignatureVerifies(head, key, cosignature.cosignature)) {
    return std::optional<Rejection>(
        FromService(ServiceCheck::kCosignatureInvalid,
                    "the co-signature does not verify under witness '" + found->name + "''s key"));
  }
  return std::optional<Rejection>();
}

}  // namespace

bool CosignatureVerifies(const SignedTreeHead& head, const std::string& witness_key,
                         const std::string& cosignature) {
  core::Result<std::string> key = core::HexToBytes(witness_key);
  core::Result<std::string> signature = core::HexToBytes(cosignature);
  return key.ok() && signature.ok() &&
         core::Ed25519Verify(*key, TreeHeadMessage(head.tree_size, head.root_hash, head.timestamp),
                             *signature);
}

core::Result<std::vector<Witness>> ListWitnesses(store::Store& store) {
  JCM_ASSIGN_OR_RETURN(LogEvents events, ReadLogEvents(store));
  return events.ConfiguredNow();
}

core::Result<OrRejection<Witness>> AddWitness(store::Store& store, const std::string& name,
                                              const std::string& public_key,
                                              const std::string& by) {
  if (name.empty() || name.size() > kWitnessNameBytesMax || !IsPrintable(name)) {
    return core::InvalidArgument("a witness's name is 1–100 printable characters");
  }
  if (!IsHexOf(public_key, core::kEd25519PublicKeyBytes)) {
    return core::InvalidArgument("a witness's public key is 64 hex digits (Ed25519)");
  }
  const std::string key = core::BytesToHex(*core::HexToBytes(public_key));  // lower case
  JCM_ASSIGN_OR_RETURN(LogEvents events, ReadLogEvents(store));
  for (const Witness& witness : events.ConfiguredNow()) {
    if (witness.name == name || witness.public_key == key) {
      return Refuse<Witness>(ServiceCheck::kWitnessExists, "witness '" + witness.name + "' (key " +
                                                               witness.public_key +
                                                               ") is configured already (entry " +
                                                               std::to_string(witness.seq) + ")");
    }
  }
  core::Record body;
  body.Add("witness", name).Add("public_key", key).Add("by", by);
  JCM_ASSIGN_OR_RETURN(store::Outcome outcome,
                       Journal(store, kWitnessAddedKind, std::move(body), events.last_seq));
  if (outcome.rejection) return OrRejection<Witness>(FromLedger(*outcome.rejection));
  return OrRejection<Witness>(Witness{name, key, outcome.entry.seq, false, 0, ""});
}

core::Result<OrRejection<Witness>> RemoveWitness(store::Store& store, const std::string& name,
                                                 const std::string& reason, const std::string& by) {
  if (reason.empty() || reason.size() > kRemovalReasonBytesMax || !IsPrintable(reason)) {
    return core::InvalidArgument("the reason for removing a witness is 1–500 printable characters");
  }
  JCM_ASSIGN_OR_RETURN(LogEvents events, ReadLogEvents(store));
  const std::vector<Witness> configured = events.ConfiguredNow();
  auto found = std::find_if(configured.begin(), configured.end(),
                            [&](const Witness& w) { return w.name == name; });
  if (found == configured.end()) {
    return Refuse<Witness>(ServiceCheck::kWitnessNotConfigured,
                           "no witness named '" + name + "' is configured");
  }
  core::Record body;
  body.Add("witness", name)
      .Add("public_key", found->public_key)
      .Add("reason", reason)
      .Add("by", by);
  JCM_ASSIGN_OR_RETURN(store::Outcome outcome,
                       Journal(store, kWitnessRemovedKind, std::move(body), events.last_seq));
  if (outcome.rejection) return OrRejection<Witness>(FromLedger(*outcome.rejection));
  Witness removed = *found;
  removed.removed_seq = outcome.entry.seq;
  removed.removal_reason = reason;
  return OrRejection<Witness>(std::move(removed));
}

core::Result<OrRejection<AcceptedCosignature>> AcceptCosignature(store::Store& store,
                                                                 const Cosignature& cosignature) {
  if (!IsHexOf(cosignature.witness_key, core::kEd25519PublicKeyBytes) ||
      !IsHexOf(cosignature.cosignature, core::kEd25519SignatureBytes)) {
    return core::InvalidArgument("witness_key is 64 hex digits and cosignature 128");
  }
  const std::string key = core::BytesToHex(*core::HexToBytes(cosignature.witness_key));
  JCM_ASSIGN_OR_RETURN(LogEvents events, ReadLogEvents(store));
  const std::vector<Witness> configured = events.ConfiguredNow();
  const Witness* witness = nullptr;
  JCM_ASSIGN_OR_RETURN(std::optional<Rejection> refused,
                       CheckCosignature(store, configured, cosignature, key, &witness));
  if (refused) return OrRejection<AcceptedCosignature>(std::move(*refused));
  const SignedTreeHead& head = cosignature.head;
  for (AcceptedCosignature& earlier : events.cosignatures) {
    if (earlier.cosignature.witness_key == key &&
        earlier.cosignature.head.tree_size == head.tree_size) {
      earlier.replayed = true;
      return OrRejection<AcceptedCosignature>(std::move(earlier));
    }
  }
  core::Record body;
  body.Add("witness", witness->name)
      .Add("witness_key", key)
      .AddInt("tree_size", head.tree_size)
      .Add("root_hash", head.root_hash)
      .Add("timestamp", head.timestamp)
      .Add("public_key", head.public_key)
      .Add("signature", head.signature)
      .Add("cosignature", core::BytesToHex(*core::HexToBytes(cosignature.cosignature)));
  JCM_ASSIGN_OR_RETURN(store::Outcome outcome,
                       Journal(store, kCosignedKind, std::move(body), events.last_seq));
  if (outcome.rejection) return OrRejection<AcceptedCosignature>(FromLedger(*outcome.rejection));
  JCM_ASSIGN_OR_RETURN(AcceptedCosignature accepted, CosignatureOf(outcome.entry));
  return OrRejection<AcceptedCosignature>(std::move(accepted));
}

core::Result<std::optional<CosignedHead>> LatestCosignedHead(store::Store& store) {
  JCM_ASSIGN_OR_RETURN(LogEvents events, ReadLogEvents(store));
  std::optional<CosignedHead> latest;
  for (AcceptedCosignature& accepted : events.cosignatures) {
    const int64_t size = accepted.cosignature.head.tree_size;
    if (!latest || size > latest->head.tree_size) {
      latest = CosignedHead{accepted.cosignature.head, {}};
    }
    if (size == latest->head.tree_size) latest->cosignatures.push_back(std::move(accepted));
  }
  return latest;
}

core::Result<OrRejection<Cosignature>> CosignHead(
    const SignedTreeHead& head, const std::string& registry_key,
    const std::optional<SignedTreeHead>& last_cosigned,
    const std::vector<std::string>& consistency_proof, const core::Ed25519PrivateKey& witness_key) {
  if (core::Status signed_by = VerifyTreeHead(head, registry_key); !signed_by.ok()) {
    return Refuse<Cosignature>(ServiceCheck::kHeadNotSignedByRegistry, signed_by.message());
  }
  if (last_cosigned) {
    std::vector<merkle::Hash> proof;
    for (const std::string& hex : consistency_proof) {
      JCM_ASSIGN_OR_RETURN(merkle::Hash hash, merkle::FromHex(hex));
      proof.push_back(hash);
    }
    core::Result<merkle::Hash> old_root = merkle::FromHex(last_cosigned->root_hash);
    core::Result<merkle::Hash> new_root = merkle::FromHex(head.root_hash);
    if (head.tree_size < last_cosigned->tree_size || !old_root.ok() || !new_root.ok() ||
        !merkle::VerifyConsistency(last_cosigned->tree_size, head.tree_size, *old_root, *new_root,
                                   proof)) {
      return Refuse<Cosignature>(ServiceCheck::kHeadNotExtendingLast,
                                 "the head of " + std::to_string(head.tree_size) +
                                     " entries does not extend the last head co-signed, of " +
                                     std::to_string(last_cosigned->tree_size));
    }
  }
  const std::string cosignature = core::BytesToHex(witness_key.Sign(head.signed_message));
  return OrRejection<Cosignature>(
      Cosignature{head, core::BytesToHex(witness_key.PublicKey()), cosignature});
}

core::Result<std::vector<ledger::Violation>> AuditCosignatures(store::Store& store) {
  JCM_ASSIGN_OR_RETURN(LogEvents events, ReadLogEvents(store));
  std::vector<ledger::Violation> violations;
  for (const AcceptedCosignature& kept : events.cosignatures) {
    // Only the witnesses configured when the entry was written: as AcceptCosignature saw them.
    const std::vector<Witness> before = events.ConfiguredAt(kept.seq);
    const Witness* witness = nullptr;
    // AcceptCosignature journals the key in lower-case hex, as the witnesses' keys are kept.
    JCM_ASSIGN_OR_RETURN(
        std::optional<Rejection> refused,
        CheckCosignature(store, before, kept.cosignature, kept.cosignature.witness_key, &witness));
    if (refused) {
      violations.push_back({"INV-32", kept.seq,
                            "check " + std::to_string(refused->check) + " " + refused->name + ": " +
                                refused->message});
    } else if (witness->name != kept.witness) {
      violations.push_back(
          {"INV-32", kept.seq,
           "names witness '" + kept.witness + "', but the key is '" + witness->name + "''s"});
    }
  }
  return violations;
}

}  // namespace jcm::service
