#include "exchange/peers.h"

#include <algorithm>
#include <utility>

#include "core/text.h"

namespace jcm::exchange {
namespace {

Refusal Malformed(std::string message) {
  return Refusal{ExchangeCheck::kMessageMalformed, std::move(message)};
}

bool UrlValid(std::string_view url) {
  const bool scheme = url.starts_with("https://") || url.starts_with("http://");
  const bool printable = std::all_of(url.begin(), url.end(), [](char c) {
    return static_cast<unsigned char>(c) > 0x20 && static_cast<unsigned char>(c) < 0x7f;
  });
  return scheme && printable && url.size() <= kPeerUrlBytesMax && url.find("://") + 3 < url.size();
}

}  // namespace

core::Record PeerRecord::ToRecord() const {
  core::Record r;
  r.Add("code", code.str()).Add("url", url).Add("public_key", core::BytesToHex(public_key));
  return r;
}

core::Result<PeerRecord> PeerRecord::FromRecord(const core::Record& body) {
  JCM_ASSIGN_OR_RETURN(std::string code, body.Get("code"));
  core::Result<core::RegistryCode> parsed = core::RegistryCode::Parse(code);
  if (!parsed.ok()) return core::DataLoss("stored peer code '" + code + "' is no registry code");
  PeerRecord peer;
  peer.code = *parsed;
  JCM_ASSIGN_OR_RETURN(peer.url, body.Get("url"));
  JCM_ASSIGN_OR_RETURN(std::string key_hex, body.Get("public_key"));
  core::Result<std::string> key = core::HexToBytes(key_hex);
  if (!key.ok() || key->size() != core::kEd25519PublicKeyBytes) {
    return core::DataLoss("stored peer key of " + code + " is not 32 bytes of hex");
  }
  peer.public_key = *std::move(key);
  return peer;
}

core::Status PeerBook::Apply(std::string_view kind, const core::Record& body, int64_t seq) {
  last_seq_ = std::max(last_seq_, seq);
  if (kind == kEventPeerAdded) {
    JCM_ASSIGN_OR_RETURN(PeerRecord peer, PeerRecord::FromRecord(body));
    peer.added_seq = seq;
    peers_[peer.code] = std::move(peer);
  } else if (kind == kEventPeerRemoved) {
    JCM_ASSIGN_OR_RETURN(std::string code, body.Get("code"));
    auto found = std::find_if(peers_.begin(), peers_.end(),
                              [&](const auto& entry) { return entry.first.str() == code; });
    if (found == peers_.end()) {
      return core::DataLoss("entry " + std::to_string(seq) + " removes peer " + code +
                            ", which is not configured");
    }
    peers_.erase(found);
  }
  return core::OkStatus();
}

std::map<core::RegistryCode, Peer> PeerBook::GatePeers() const {
  std::map<core::RegistryCode, Peer> gate;
  for (const auto& [code, peer] : peers_) gate[code] = Peer{code, peer.public_key};
  return gate;
}

std::variant<PeerRecord, Refusal> DecideAddPeer(const PeerBook& book,
                                                const std::vector<std::string>& local,
                                                const PeerRequest& request) {
  core::Result<core::RegistryCode> code = core::RegistryCode::Parse(request.code);
  if (!code.ok()) return Malformed("'" + request.code + "' is no registry code (JP, MN, …)");
  if (!UrlValid(request.url)) {
    return Malformed("the peer's URL is http:// or https://, printable, at most 500 bytes");
  }
  core::Result<std::string> key = core::HexToBytes(request.public_key_hex);
  if (!key.ok() || key->size() != core::kEd25519PublicKeyBytes) {
    return Malformed("the peer's public key is 64 hex digits (Ed25519)");
  }
  if (std::find(local.begin(), local.end(), request.code) != local.end()) {
    return Refusal{ExchangeCheck::kPeerIsLocal,
                   "registry " + request.code + " is held by this database, not a peer"};
  }
  for (const auto& [existing, peer] : book.peers()) {
    if (existing == *code || peer.public_key == *key) {
      return Refusal{ExchangeCheck::kPeerExists,
                     "peer " + existing.str() + " (entry " + std::to_string(peer.added_seq) +
                         ") has this code or key; remove it first to change it"};
    }
  }
  return PeerRecord{*code, request.url, *std::move(key), 0};
}

std::variant<core::Record, Refusal> DecideRemovePeer(const PeerBook& book, std::string_view code,
                                                     std::string_view reason) {
  for (const auto& [existing, peer] : book.peers()) {
    if (existing.str() == code) {
      core::Record r;
      r.Add("code", code)
          .Add("public_key", core::BytesToHex(peer.public_key))
          .Add("reason", reason);
      return r;
    }
  }
  return Refusal{ExchangeCheck::kPeerNotConfigured,
                 "no peer " + std::string(code) + " is configured"};
}

}  // namespace jcm::exchange
