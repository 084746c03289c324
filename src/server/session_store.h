// SessionStore: the browser sessions of signed-in users, held in this process's memory only
// (docs/api.md, "Signing in"). A restart signs everybody out, which is acceptable for one server.
//
// A session id is 32 random bytes from OpenSSL's CSPRNG (RAND_bytes, identity/random.h) sent to
// the browser as 64 hex digits in the cookie. The store keeps only its SHA-256, so a memory dump
// or a log of the map's keys does not yield a usable cookie. Each session has its own CSRF token
// (32 random bytes, hex), which state-changing requests must echo in X-CSRF-Token.
//
// A session ends when idle for kSessionIdle_s (each successful Find renews it), kSessionAbsolute_s
// after sign-in whatever the activity, or on Remove (sign-out). Times are Unix seconds from the
// injected clock, never read here, so tests move time freely.
//
// Thread-safe: the I/O threads share one store.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "core/status.h"
#include "identity/access.h"

namespace jcm::server {

inline constexpr int64_t kSessionIdle_s = 15 * 60;
inline constexpr int64_t kSessionAbsolute_s = 8 * 3600;

struct Session {
  identity::Principal principal;
  std::string csrf_token;  // 64 hex digits
  int64_t created_s = 0;
  int64_t last_seen_s = 0;
};

// What sign-in hands the browser: the cookie's value and the session.
struct NewSession {
  std::string id;  // 64 hex digits; only its SHA-256 is stored
  Session session;
};

class SessionStore {
 public:
  // A new session for `principal` signed in at `now_s`. Internal when no random bytes.
  core::Result<NewSession> Create(const identity::Principal& principal, int64_t now_s);
  // The live session with cookie value `id`, renewed to `now_s`; nullopt when unknown, idle too
  // long or too old (an expired one is dropped).
  std::optional<Session> Find(const std::string& id, int64_t now_s);
  // Ends the session (idempotent).
  void Remove(const std::string& id);
  size_t size();

 private:
  void DropExpired(int64_t now_s);  // callers hold mu_

  std::mutex mu_;                            // guards sessions_
  std::map<std::string, Session> sessions_;  // by SHA-256 hex of the id
};

}  // namespace jcm::server
