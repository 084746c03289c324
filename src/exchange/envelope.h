// Envelope: one signed message between two registries (docs/exchange.md; issue 12 §2), and the
// gate every received message passes before the protocol looks at it.
//
// A message names its sender and receiver (registry codes), a sequence number the sender
// increments for each message to that receiver, the transaction it concerns, its kind, the UTC
// time it was sent, and a body of kind-specific fields. The sender signs the exact bytes of
// SignedBytes() with its Ed25519 key; the receiver holds each peer's public key (configured
// and journaled) and the highest sequence number it accepted from it.
//
// The gate (CheckEnvelope) refuses, in this order: a sender that is no peer (800), a message
// for another registry (801), a signature that does not verify (802), a sequence number not
// above the last accepted (803: a replay, or an older message overtaken by a newer one; the
// protocol recovers what such a message carried through status requests, so nothing is lost
// by refusing it). Gaps are allowed: a lost message must not stop the ones after it.
//
// The wire form is the Record encoding (core/record.h) of the header, the body's fields
// prefixed "body.", and the signature; Parse reads it back. Pure.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/ed25519.h"
#include "core/record.h"
#include "core/registry_code.h"
#include "core/status.h"
#include "exchange/exchange_check.h"

namespace jcm::exchange {

inline constexpr std::string_view kProtocol = "jcm-exchange/1";

enum class MessageKind : uint8_t {
  kProposal,       // sender → receiver: take these blocks into that account
  kAnswer,         // receiver → sender: accepted, or rejected with check codes
  kOutcome,        // sender → receiver: completed (create the blocks) or failed (drop them)
  kStatusRequest,  // either way: what state do you hold for this transaction?
  kStatus,         // the answer to a status request
};

std::string_view MessageKindName(MessageKind kind);
std::optional<MessageKind> MessageKindFromName(std::string_view name);

struct Envelope {
  core::RegistryCode from;
  core::RegistryCode to;
  int64_t seq = 0;          // per (from, to), 1, 2, …
  std::string transaction;  // the sending registry's transaction id, e.g. "JP-2026-000042"
  MessageKind kind = MessageKind::kProposal;
  std::string sent_at;  // UTC, "YYYY-MM-DDTHH:MM:SSZ"
  core::Record body;
  std::string signature;  // 64 raw bytes

  // The exact bytes the signature covers: kProtocol, "\n", then the Record encoding of the
  // header fields (protocol, from, to, seq, transaction, kind, sent_at) followed by the body's
  // fields prefixed "body.".
  std::string SignedBytes() const;
  void Sign(const core::Ed25519PrivateKey& key);
  bool SignatureVerifies(std::string_view public_key) const;

  // The signed bytes' fields plus "signature" (hex).
  std::string Encode() const;
  // InvalidArgument when `wire` is not an encoding of an envelope of this protocol.
  static core::Result<Envelope> Parse(std::string_view wire);
};

// A peer as the receiving registry configured it: its code and Ed25519 public key (32 bytes).
struct Peer {
  core::RegistryCode code;
  std::string public_key;
};

// Checks 800–803 of `envelope` received by registry `self`, given the configured peers and the
// highest sequence number accepted so far from each (absent: none). nullopt when it passes.
std::optional<Refusal> CheckEnvelope(const Envelope& envelope, const core::RegistryCode& self,
                                     const std::map<core::RegistryCode, Peer>& peers,
                                     const std::map<core::RegistryCode, int64_t>& last_seq);

}  // namespace jcm::exchange
