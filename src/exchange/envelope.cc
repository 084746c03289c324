#include "exchange/envelope.h"

#include <array>
#include <utility>

#include "core/text.h"

namespace jcm::exchange {
namespace {

constexpr std::array<std::pair<MessageKind, std::string_view>, 5> kKindNames = {{
    {MessageKind::kProposal, "proposal"},
    {MessageKind::kAnswer, "answer"},
    {MessageKind::kOutcome, "outcome"},
    {MessageKind::kStatusRequest, "status_request"},
    {MessageKind::kStatus, "status"},
}};

constexpr std::string_view kBodyPrefix = "body.";

core::Record SignedRecord(const Envelope& e) {
  core::Record r;
  r.Add("protocol", kProtocol)
      .Add("from", e.from.str())
      .Add("to", e.to.str())
      .AddInt("seq", e.seq)
      .Add("transaction", e.transaction)
      .Add("kind", MessageKindName(e.kind))
      .Add("sent_at", e.sent_at);
  for (const auto& [key, value] : e.body.fields()) r.Add(std::string(kBodyPrefix) + key, value);
  return r;
}

core::Status Malformed(std::string what) {
  return core::InvalidArgument("not a " + std::string(kProtocol) + " message: " + what);
}

// A field of a received message: InvalidArgument (not the journal's DataLoss) when absent.
core::Result<std::string> Field(const core::Record& r, std::string_view key) {
  const std::optional<std::string_view> value = r.Find(key);
  if (!value) return Malformed("no " + std::string(key));
  return std::string(*value);
}

core::Result<core::RegistryCode> CodeField(const core::Record& r, std::string_view key) {
  JCM_ASSIGN_OR_RETURN(std::string text, Field(r, key));
  core::Result<core::RegistryCode> code = core::RegistryCode::Parse(text);
  if (!code.ok()) return Malformed(std::string(key) + " '" + text + "' is no registry code");
  return code;
}

}  // namespace

std::string_view MessageKindName(MessageKind kind) {
  for (const auto& [value, name] : kKindNames) {
    if (value == kind) return name;
  }
  return "";
}

std::optional<MessageKind> MessageKindFromName(std::string_view name) {
  for (const auto& [value, text] : kKindNames) {
    if (text == name) return value;
  }
  return std::nullopt;
}

std::string Envelope::SignedBytes() const {
  return std::string(kProtocol) + "\n" + SignedRecord(*this).Encode();
}

void Envelope::Sign(const core::Ed25519PrivateKey& key) { signature = key.Sign(SignedBytes()); }

bool Envelope::SignatureVerifies(std::string_view public_key) const {
  return core::Ed25519Verify(public_key, SignedBytes(), signature);
}

std::string Envelope::Encode() const {
  core::Record r = SignedRecord(*this);
  r.Add("signature", core::BytesToHex(signature));
  return r.Encode();
}

core::Result<Envelope> Envelope::Parse(std::string_view wire) {
  core::Result<core::Record> decoded = core::Record::Decode(wire);
  if (!decoded.ok()) return Malformed(decoded.status().message());
  const core::Record& r = *decoded;
  if (r.Find("protocol") != std::optional<std::string_view>(kProtocol)) {
    return Malformed("protocol is not " + std::string(kProtocol));
  }
  Envelope e;
  JCM_ASSIGN_OR_RETURN(e.from, CodeField(r, "from"));
  JCM_ASSIGN_OR_RETURN(e.to, CodeField(r, "to"));
  JCM_ASSIGN_OR_RETURN(std::string seq, Field(r, "seq"));
  const std::optional<int64_t> parsed_seq = core::ParseInt64(seq);
  if (!parsed_seq) return Malformed("seq '" + seq + "' is not an integer");
  e.seq = *parsed_seq;
  JCM_ASSIGN_OR_RETURN(e.transaction, Field(r, "transaction"));
  JCM_ASSIGN_OR_RETURN(std::string kind, Field(r, "kind"));
  const std::optional<MessageKind> parsed_kind = MessageKindFromName(kind);
  if (!parsed_kind) return Malformed("kind '" + kind + "' is unknown");
  e.kind = *parsed_kind;
  JCM_ASSIGN_OR_RETURN(e.sent_at, Field(r, "sent_at"));
  JCM_ASSIGN_OR_RETURN(std::string signature_hex, Field(r, "signature"));
  core::Result<std::string> signature = core::HexToBytes(signature_hex);
  if (!signature.ok() || signature->size() != core::kEd25519SignatureBytes) {
    return Malformed("signature is not 128 hex digits");
  }
  e.signature = *std::move(signature);
  for (const auto& [key, value] : r.fields()) {
    if (key.starts_with(kBodyPrefix)) e.body.Add(key.substr(kBodyPrefix.size()), value);
  }
  if (e.seq < 1 || e.transaction.empty()) return Malformed("seq below 1 or no transaction");
  return e;
}

std::optional<Refusal> CheckEnvelope(const Envelope& envelope, const core::RegistryCode& self,
                                     const std::map<core::RegistryCode, Peer>& peers,
                                     const std::map<core::RegistryCode, int64_t>& last_seq) {
  const auto peer = peers.find(envelope.from);
  if (peer == peers.end()) {
    return Refusal{ExchangeCheck::kPeerUnknown,
                   "registry " + envelope.from.str() + " is no configured peer"};
  }
  if (envelope.to != self) {
    return Refusal{ExchangeCheck::kNotAddressedHere,
                   "the message is for registry " + envelope.to.str() + ", this is " + self.str()};
  }
  if (!envelope.SignatureVerifies(peer->second.public_key)) {
    return Refusal{ExchangeCheck::kSignatureInvalid,
                   "the signature does not verify under " + envelope.from.str() + "'s key"};
  }
  const auto last = last_seq.find(envelope.from);
  if (last != last_seq.end() && envelope.seq <= last->second) {
    return Refusal{ExchangeCheck::kMessageReplayed,
                   "message " + std::to_string(envelope.seq) + " from " + envelope.from.str() +
                       " is not after the last accepted, " + std::to_string(last->second)};
  }
  return std::nullopt;
}

}  // namespace jcm::exchange
