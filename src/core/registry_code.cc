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
// Each with its Party's ISO 3166-1 alpha-3 code, as Article 6 names Parties.
constexpr std::array<std::pair<std::string_view, std::string_view>, 33> kJcmRegistryCodes = {
    {{"JP", "JPN"}, {"MN", "MNG"}, {"BD", "BGD"}, {"ET", "ETH"}, {"KE", "KEN"}, {"MV", "MDV"},
     {"VN", "VNM"}, {"LA", "LAO"}, {"ID", "IDN"}, {"CR", "CRI"}, {"PW", "PLW"}, {"KH", "KHM"},
     {"MX", "MEX"}, {"SA", "SAU"}, {"CL", "CHL"}, {"MM", "MMR"}, {"TH", "THA"}, {"PH", "PHL"},
     {"LK", "LKA"}, {"TN", "TUN"}, {"AZ", "AZE"}, {"MD", "MDA"}, {"GE", "GEO"}, {"SN", "SEN"},
     {"UA", "UKR"}, {"PG", "PNG"}, {"AE", "ARE"}, {"KG", "KGZ"}, {"KZ", "KAZ"}, {"UZ", "UZB"},
     {"GH", "GHA"}, {"IN", "IND"}, {"TZ", "TZA"}}};

}  // namespace

bool IsKnownRegistryCode(std::string_view code) {
  return std::any_of(kJcmRegistryCodes.begin(), kJcmRegistryCodes.end(),
                     [&](const auto& entry) { return entry.first == code; });
}

std::string_view RegistryCode::party() const {
  for (const auto& [alpha2, alpha3] : kJcmRegistryCodes) {
    if (alpha2 == code_) return alpha3;
  }
  return "";
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
