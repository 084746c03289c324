// The controlled vocabularies and identifier formats of Article 6.2 reporting, as the UNFCCC's
// "List of common nomenclatures under Article 6, paragraph 2" (17 Feb 2026) gives them
// (../shared/research/turn2-anchors.md §1.2; docs/article6.md). Values are written exactly as
// the nomenclature spells them, since that is what the AEF and CARP accept ("C02 usage" has a
// digit zero; the OIMP first-transfer definition spells "Authorisation"). Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace jcm::article6 {

// Purposes for authorisation (nomenclature table 16(b)). Persisted by name: never rename.
enum class Purpose : uint8_t { kNdc, kOimp, kImp, kOp, kNdcAndOimp, kNdcAndImp, kNdcAndOp };
std::string_view PurposeName(Purpose purpose);  // "NDC", "OIMP", …, "NDC and OP"
std::optional<Purpose> PurposeFromName(std::string_view name);
// OIMP covers IMP (e.g. CORSIA) and OP (turn2-anchors.md §1.2): every purpose but NDC alone.
inline bool CoversOimp(Purpose purpose) { return purpose != Purpose::kNdc; }
inline bool CoversNdc(Purpose purpose) {
  return purpose == Purpose::kNdc || purpose == Purpose::kNdcAndOimp ||
         purpose == Purpose::kNdcAndImp || purpose == Purpose::kNdcAndOp;
}

enum class Metric : uint8_t { kGhg, kNonGhg };  // table 12(b)
std::string_view MetricName(Metric metric);     // "GHG", "non-GHG"
std::optional<Metric> MetricFromName(std::string_view name);

// When ITMOs authorised for OIMP are first transferred, as the Party chose it for this
// authorisation (table 22(b); 2/CMA.3 annex para 2(b)). kNone for an authorisation for NDC use
// only, whose first transfer is always the first international transfer.
enum class FirstTransferDefinition : uint8_t {
  kNone,
  kAuthorisation,
  kIssuance,
  kUseOrCancellation
};
// "Authorisation", "Issuance", "Use or Cancellation"; "" for kNone.
std::string_view FirstTransferDefinitionName(FirstTransferDefinition definition);
// Never kNone: nullopt for anything but the three names.
std::optional<FirstTransferDefinition> FirstTransferDefinitionFromName(std::string_view name);

// The nine sectors (table 15(b)) and the 27 activity types (table 51(b)).
std::span<const std::string_view> Sectors();
std::span<const std::string_view> ActivityTypes();
bool IsSector(std::string_view name);
bool IsActivityType(std::string_view name);

// Identifier formats: a Party ^[A-Z]{3}$ (ISO 3166-1 alpha-3 and reserved codes such as EUE),
// a cooperative approach ^CA\d{4}$, a Party ITMO registry ^[A-Z]{3}\d{2}$ (e.g. JPN01), an
// authorisation ID [A-Za-z0-9 -]+ (at most kAuthorisationIdBytesMax bytes, a limit of ours).
inline constexpr size_t kAuthorisationIdBytesMax = 100;
bool IsPartyCode(std::string_view text);
bool IsCooperativeApproachId(std::string_view text);
bool IsPartyItmoRegistryId(std::string_view text);
bool IsAuthorisationId(std::string_view text);

}  // namespace jcm::article6
