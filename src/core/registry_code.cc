#include "core/registry_code.h"

#include <algorithm>
#include <array>

namespace jcm::core {
namespace {

// Japan plus the JCM partner countries (the MOEJ/GEC partner list; docs/glossary.md): Mongolia,
// Bangladesh, Ethiopia, Kenya, Maldives, Viet Nam, Laos, Indonesia, Costa Rica, Palau, Cambodia,
// Mexico, Saudi Arabia, Chile, Myanmar, Thailand, Philippines, Sri Lanka, Tunisia, Azerbaijan,
// Moldova, Georgia, Senegal, Ukraine, Papua New Guinea, UAE, Kyrgyzstan, Kazakhstan, Uzbekistan,
// Ghana, India, Tanzania.
constexpr std::array<std::string_view, 33> kJcmRegistryCodes = {
    "JP", "MN", "BD", "ET", "KE", "MV", "VN", "LA", "ID", "CR", "PW",
    "KH", "MX", "SA", "CL", "MM", "TH", "PH", "LK", "TN", "AZ", "MD",
    "GE", "SN", "UA", "PG", "AE", "KG", "KZ", "UZ", "GH", "IN", "TZ"};

}  // namespace

bool IsKnownRegistryCode(std::string_view code) {
  return std::find(kJcmRegistryCodes.begin(), kJcmRegistryCodes.end(), code) !=
         kJcmRegistryCodes.end();
}

Result<RegistryCode> RegistryCode::Parse(std::string_view text) {
  if (!IsKnownRegistryCode(text)) {
    return InvalidArgument("unknown registry code '" + std::string(text) +
                           "': use JP or a JCM partner's ISO 3166-1 alpha-2 code (e.g. MN, VN)");
  }
  return RegistryCode(std::string(text));
}

RegistryCode RegistryCode::FromTrusted(std::string_view text) {
  JCM_CHECK(IsKnownRegistryCode(text), "registry code validated before use");
  return RegistryCode(std::string(text));
}

}  // namespace jcm::core
