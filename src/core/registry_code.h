// RegistryCode: which side's registry a record belongs to — "JP" for Japan, or the partner
// country's ISO 3166-1 alpha-2 code. The JCM Common Specifications require each side's registry
// to be distinct, so every account, block and journal entry carries one.
#pragma once

#include <compare>
#include <string>
#include <string_view>

#include "core/status.h"

namespace jcm::core {

class RegistryCode {
 public:
  RegistryCode() = default;
  // Accepts two upper-case ASCII letters that are an assigned ISO 3166-1 alpha-2 code of Japan
  // or a JCM partner country (see kJcmRegistryCodes); InvalidArgument otherwise.
  static Result<RegistryCode> Parse(std::string_view text);
  // REQUIRES: text passed Parse.
  static RegistryCode FromTrusted(std::string_view text);

  const std::string& str() const { return code_; }
  bool is_japan() const { return code_ == "JP"; }
  // The Party's ISO 3166-1 alpha-3 code, as Article 6 names Parties ("JPN", "MNG"); empty for
  // a default-constructed code.
  std::string_view party() const;
  friend auto operator<=>(const RegistryCode&, const RegistryCode&) = default;

 private:
  explicit RegistryCode(std::string code) : code_(std::move(code)) {}
  std::string code_;
};

// Japan and the partner countries that have signed a JCM bilateral document (31 by 2025,
// the MOEJ/GEC partner list). Kept as data so a new partner is one line.
bool IsKnownRegistryCode(std::string_view code);

}  // namespace jcm::core
