// What every project-cycle payload (command.h, issuance_payloads.h) shares: the acting party,
// documents, allocation shares, per-side amounts, the limits of checks 143, 156 and 130, and
// JCM_CYCLE_PAYLOAD, which gives a payload its journal kind ("cycle.<kKind>": never rename one)
// and its equality.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "cycle/enums.h"

namespace jcm::cycle {

struct Actor {
  Role role = Role::kParticipant;
  std::string org;  // organisation id; for a registry manager, the registry code ("JP")
  template <class V>
  void Visit(V&& v) {
    v("role", role);
    v("org", org);
  }
  friend bool operator==(const Actor&, const Actor&) = default;
};

// A document is stored by content address: the SHA-256 of its bytes, with its type and version.
struct Document {
  std::string sha256;         // 64 lower-case hex digits
  std::string type;           // e.g. "pdd", "validation_report", "JCM_MN_F_PIN"
  std::string version;        // e.g. "1", "06.0"
  bool confidential = false;  // a confidential copy needs a public, redacted copy beside it
  template <class V>
  void Visit(V&& v) {
    v("sha256", sha256);
    v("type", type);
    v("version", version);
    v("confidential", confidential);
  }
  friend bool operator==(const Document&, const Document&) = default;
};

// One line of the credit allocation: side (registry code), holder, share in basis points
// (1/100 of a percent; 10'000 = 100 %). holder "government" is the side's government.
struct Share {
  std::string side;
  std::string holder;
  int64_t share_bp = 0;
  template <class V>
  void Visit(V&& v) {
    v("side", side);
    v("holder", holder);
    v("bp", share_bp);
  }
  friend bool operator==(const Share&, const Share&) = default;
};

inline constexpr int64_t kHundredPercentBp = 10'000;
inline constexpr std::string_view kGovernmentHolder = "government";

// Largest credit quantity a command may carry (check 143, amount_above_limit): far above any
// project's output, small enough that sums of quantities and products with shares never overflow.
inline constexpr int64_t kQuantityLimit_tco2e = 1'000'000'000'000;

// Longest text field a command may carry (check 156, text_invalid), as the ledger's check 6.
inline constexpr size_t kTextFieldBytesMax = 1'000;
// JCM sectoral scopes are numbered 1..15 (check 130 outside).
inline constexpr int64_t kSectoralScopeMax = 15;

struct SideAmount {
  std::string side;
  int64_t amount_tco2e = 0;
  template <class V>
  void Visit(V&& v) {
    v("side", side);
    v("amount_tco2e", amount_tco2e);
  }
  friend bool operator==(const SideAmount&, const SideAmount&) = default;
};

#define JCM_CYCLE_PAYLOAD(name, kind)             \
  static constexpr std::string_view kKind = kind; \
  friend bool operator==(const name&, const name&) = default

}  // namespace jcm::cycle
