#include "server/session_store.h"

#include "core/sha256.h"
#include "identity/random.h"

namespace jcm::server {
namespace {

constexpr size_t kSecretBytes = 32;  // 256 bits

std::string Hex(const std::string& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const char signed_byte : bytes) {
    const auto byte = static_cast<unsigned char>(signed_byte);
    out.push_back(kDigits[byte >> 4]);
    out.push_back(kDigits[byte & 15]);
  }
  return out;
}

bool Expired(const Session& session, int64_t now_s) {
  return now_s - session.last_seen_s >= kSessionIdle_s ||
         now_s - session.created_s >= kSessionAbsolute_s;
}

}  // namespace

core::Result<NewSession> SessionStore::Create(const identity::Principal& principal, int64_t now_s) {
  JCM_ASSIGN_OR_RETURN(const std::string id_bytes, identity::RandomBytes(kSecretBytes));
  JCM_ASSIGN_OR_RETURN(const std::string csrf_bytes, identity::RandomBytes(kSecretBytes));
  NewSession created{Hex(id_bytes), Session{principal, Hex(csrf_bytes), now_s, now_s}};
  std::lock_guard lock(mu_);
  DropExpired(now_s);  // bounds the map by the sessions alive now
  sessions_[core::Sha256Hex(created.id)] = created.session;
  return created;
}

std::optional<Session> SessionStore::Find(const std::string& id, int64_t now_s) {
  const std::string key = core::Sha256Hex(id);
  std::lock_guard lock(mu_);
  const auto found = sessions_.find(key);
  if (found == sessions_.end()) return std::nullopt;
  if (Expired(found->second, now_s)) {
    sessions_.erase(found);
    return std::nullopt;
  }
  found->second.last_seen_s = now_s;
  return found->second;
}

void SessionStore::Remove(const std::string& id) {
  const std::string key = core::Sha256Hex(id);
  std::lock_guard lock(mu_);
  sessions_.erase(key);
}

size_t SessionStore::size() {
  std::lock_guard lock(mu_);
  return sessions_.size();
}

void SessionStore::DropExpired(int64_t now_s) {
  std::erase_if(sessions_, [now_s](const auto& entry) { return Expired(entry.second, now_s); });
}

}  // namespace jcm::server
