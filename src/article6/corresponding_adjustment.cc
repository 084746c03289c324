#include "article6/corresponding_adjustment.h"

#include <algorithm>
#include <array>
#include <map>
#include <utility>

#include "article6/vocabulary.h"

namespace jcm::article6 {
namespace {

// GCC and Clang provide __int128 as an extension; the typedef keeps -Wpedantic quiet.
__extension__ typedef __int128 Int128;

constexpr std::array<std::pair<NdcType, std::string_view>, 2> kNdcTypeNames = {{
    {NdcType::kSingleYear, "single-year"},
    {NdcType::kMultiYear, "multi-year"},
}};
constexpr std::array<std::pair<CaMethod, std::string_view>, 3> kCaMethodNames = {{
    {CaMethod::kTrajectory, "trajectory"},
    {CaMethod::kAveraging, "averaging"},
    {CaMethod::kMultiYear, "multi-year"},
}};

Rejection Refuse(Article6Check check, std::string message) { return {check, std::move(message)}; }

// Para 7(a) methods belong to a single-year NDC, 7(b) to a multi-year one.
bool MethodFits(NdcType type, CaMethod method) {
  return type == NdcType::kSingleYear ? method != CaMethod::kMultiYear
                                      : method == CaMethod::kMultiYear;
}

bool AddChecked(int64_t* sum, int64_t value) { return !__builtin_add_overflow(*sum, value, sum); }

// What the method applies to year `year` of the NDC period, `cumulative` being the adjustment
// over the period up to it.
Average Applied(const NdcDeclaration& ndc, int year, int64_t annual, int64_t cumulative) {
  if (ndc.method != CaMethod::kAveraging) return {annual, 1};
  return {cumulative, year - ndc.first_year + 1};
}

}  // namespace

std::string_view NdcTypeName(NdcType type) {
  for (const auto& [value, name] : kNdcTypeNames) {
    if (value == type) return name;
  }
  return "";
}

std::string_view CaMethodName(CaMethod method) {
  for (const auto& [value, name] : kCaMethodNames) {
    if (value == method) return name;
  }
  return "";
}

std::optional<NdcType> NdcTypeFromName(std::string_view name) {
  for (const auto& [value, text] : kNdcTypeNames) {
    if (text == name) return value;
  }
  return std::nullopt;
}

std::optional<CaMethod> CaMethodFromName(std::string_view name) {
  for (const auto& [value, text] : kCaMethodNames) {
    if (text == name) return value;
  }
  return std::nullopt;
}

std::variant<NdcDeclaration, Rejection> ValidateNdcDeclaration(
    const NdcDeclarationRequest& request) {
  if (!IsPartyCode(request.party)) {
    return Refuse(Article6Check::kPartyMalformed,
                  "Party '" + request.party + "' is not three capital letters");
  }
  const std::optional<NdcType> type = NdcTypeFromName(request.type);
  if (!type) {
    return Refuse(Article6Check::kNdcTypeUnknown,
                  "NDC type '" + request.type + "' is not single-year or multi-year");
  }
  const std::optional<CaMethod> method = CaMethodFromName(request.method);
  if (!method) {
    return Refuse(Article6Check::kCaMethodUnknown,
                  "method '" + request.method + "' is not trajectory, averaging or multi-year");
  }
  if (!MethodFits(*type, *method)) {
    return Refuse(Article6Check::kCaMethodContradictsNdcType,
                  "a " + request.type + " NDC cannot apply the " + request.method +
                      " method (2/CMA.3 annex para 7: trajectory and averaging are for a "
                      "single-year NDC, multi-year for a multi-year one)");
  }
  const bool years_valid =
      request.first_year >= kNdcYearMin && request.first_year <= request.last_year &&
      request.last_year <= kNdcYearMax &&
      (*type == NdcType::kSingleYear || request.first_year < request.last_year);
  if (!years_valid) {
    return Refuse(Article6Check::kNdcPeriodInvalid,
                  "the NDC period " + std::to_string(request.first_year) + "-" +
                      std::to_string(request.last_year) + " is not within " +
                      std::to_string(kNdcYearMin) + "-" + std::to_string(kNdcYearMax) +
                      " in order (a multi-year NDC spans two years at least)");
  }
  if (request.version < 1) {
    return Refuse(Article6Check::kNdcVersionNotNext, "a declaration's version is 1 or more");
  }
  return NdcDeclaration{request.party, request.version,    request.date,     *type,
                        *method,       request.first_year, request.last_year};
}

core::Record NdcDeclaration::ToRecord() const {
  core::Record r;
  r.Add("party", party).AddInt("version", version).Add("date", date.ToString());
  r.Add("ndc_type", NdcTypeName(type)).Add("method", CaMethodName(method));
  r.AddInt("first_year", first_year).AddInt("last_year", last_year);
  return r;
}

core::Result<NdcDeclaration> NdcDeclaration::FromRecord(const core::Record& body) {
  NdcDeclarationRequest r;
  JCM_ASSIGN_OR_RETURN(r.party, body.Get("party"));
  JCM_ASSIGN_OR_RETURN(r.version, body.GetInt("version"));
  JCM_ASSIGN_OR_RETURN(const std::string date, body.Get("date"));
  core::Result<core::Date> parsed = core::Date::Parse(date);
  if (!parsed.ok()) return core::DataLoss("NDC declaration date '" + date + "' is not a date");
  r.date = *parsed;
  JCM_ASSIGN_OR_RETURN(r.type, body.Get("ndc_type"));
  JCM_ASSIGN_OR_RETURN(r.method, body.Get("method"));
  JCM_ASSIGN_OR_RETURN(const int64_t first_year, body.GetInt("first_year"));
  JCM_ASSIGN_OR_RETURN(const int64_t last_year, body.GetInt("last_year"));
  r.first_year = static_cast<int>(std::clamp<int64_t>(first_year, 0, kNdcYearMax + 1));
  r.last_year = static_cast<int>(std::clamp<int64_t>(last_year, 0, kNdcYearMax + 1));
  auto valid = ValidateNdcDeclaration(r);
  if (const auto* rejection = std::get_if<Rejection>(&valid)) {
    return core::DataLoss("stored NDC declaration: check " + std::to_string(rejection->number()) +
                          ": " + rejection->message);
  }
  return std::get<NdcDeclaration>(std::move(valid));
}

core::Status NdcBook::Apply(std::string_view kind, const core::Record& body, int64_t seq) {
  last_seq_ = std::max(last_seq_, seq);
  if (kind != kEventNdcDeclaration) return core::OkStatus();
  JCM_ASSIGN_OR_RETURN(NdcDeclaration declaration, NdcDeclaration::FromRecord(body));
  std::vector<NdcDeclaration>& versions = versions_[declaration.party];
  if (declaration.version != static_cast<int64_t>(versions.size()) + 1) {
    return core::DataLoss("NDC declaration version " + std::to_string(declaration.version) +
                          " of " + declaration.party + " follows version " +
                          std::to_string(versions.size()));
  }
  versions.push_back(std::move(declaration));
  return core::OkStatus();
}

const std::vector<NdcDeclaration>* NdcBook::Versions(const std::string& party) const {
  auto found = versions_.find(party);
  return found == versions_.end() ? nullptr : &found->second;
}

const NdcDeclaration* NdcBook::Latest(const std::string& party) const {
  const std::vector<NdcDeclaration>* versions = Versions(party);
  return versions == nullptr ? nullptr : &versions->back();
}

std::vector<NdcDeclaration> NdcBook::LatestAll() const {
  std::vector<NdcDeclaration> latest;
  for (const auto& [party, versions] : versions_) latest.push_back(versions.back());
  return latest;
}

std::variant<NdcDeclaration, NdcReplay, Rejection> DecideDeclareNdc(
    const NdcBook& book, const NdcDeclarationRequest& request) {
  auto valid = ValidateNdcDeclaration(request);
  if (auto* rejection = std::get_if<Rejection>(&valid)) return std::move(*rejection);
  NdcDeclaration declaration = std::get<NdcDeclaration>(std::move(valid));
  const std::vector<NdcDeclaration>* versions = book.Versions(declaration.party);
  const int64_t recorded = versions == nullptr ? 0 : static_cast<int64_t>(versions->size());
  if (declaration.version <= recorded) {
    const NdcDeclaration& earlier = (*versions)[static_cast<size_t>(declaration.version - 1)];
    if (earlier == declaration) return NdcReplay{earlier};
    return Refuse(Article6Check::kNdcVersionExists,
                  "version " + std::to_string(declaration.version) + " of " + declaration.party +
                      "'s NDC declaration is recorded with other content; record version " +
                      std::to_string(recorded + 1) + " to supersede it");
  }
  if (declaration.version != recorded + 1) {
    return Refuse(Article6Check::kNdcVersionNotNext, "the next version of " + declaration.party +
                                                         "'s NDC declaration is " +
                                                         std::to_string(recorded + 1));
  }
  return declaration;
}

std::string Average::ToText(int places) const {
  // Scaled by 10^places and rounded half away from zero, in 128 bits so no step overflows.
  Int128 scale = 1;
  for (int i = 0; i < places; ++i) scale *= 10;
  const Int128 magnitude = numerator < 0 ? -static_cast<Int128>(numerator) : numerator;
  const Int128 scaled = (magnitude * scale * 2 + denominator) / (2 * denominator);
  const Int128 whole = scaled / scale;
  std::string digits = std::to_string(static_cast<uint64_t>(whole));
  if (places > 0) {
    std::string fraction = std::to_string(static_cast<uint64_t>(scaled % scale));
    digits += "." + std::string(static_cast<size_t>(places) - fraction.size(), '0') + fraction;
  }
  return (numerator < 0 && scaled != 0 ? "-" : "") + digits;
}

core::Result<CaLedger> BuildCaLedger(const NdcDeclaration& ndc, std::span<const CaAction> actions) {
  std::map<int, CaYear> by_year;
  for (int year = ndc.first_year; year <= ndc.last_year; ++year) by_year[year].year = year;
  CaLedger ledger{ndc, {}, 0, 0};
  for (const CaAction& action : actions) {
    if (action.party != ndc.party) continue;
    if (action.quantity_tco2e < 0 || action.year < kNdcYearMin || action.year > kNdcYearMax) {
      return core::InvalidArgument("an action of " + std::to_string(action.quantity_tco2e) +
                                   " tCO2e in " + std::to_string(action.year) +
                                   " is not a quantity and year the ledger can hold");
    }
    CaYear& year = by_year[action.year];
    year.year = action.year;
    const bool first = action.kind == CaActionKind::kFirstTransfer;
    if (!AddChecked(first ? &year.first_transferred_tco2e : &year.used_tco2e,
                    action.quantity_tco2e) ||
        !AddChecked(first ? &ledger.total_first_transferred_tco2e : &ledger.total_used_tco2e,
                    action.quantity_tco2e)) {
      return core::InvalidArgument("the ITMOs of " + ndc.party + " exceed 2^63 tCO2e");
    }
  }
  int64_t cumulative = 0;
  for (auto& [number, year] : by_year) {
    // Para 8: + first transferred − used. Both are at most 2^63 − 1, so the difference fits.
    year.annual_adjustment_tco2e = year.first_transferred_tco2e - year.used_tco2e;
    year.in_ndc_period = number >= ndc.first_year && number <= ndc.last_year;
    if (year.in_ndc_period) {
      if (!AddChecked(&cumulative, year.annual_adjustment_tco2e)) {
        return core::InvalidArgument("the cumulative adjustment of " + ndc.party + " leaves int64");
      }
      year.cumulative_adjustment_tco2e = cumulative;
      year.applied_tco2e = Applied(ndc, number, year.annual_adjustment_tco2e, cumulative);
    }
    ledger.years.push_back(year);
  }
  return ledger;
}

}  // namespace jcm::article6
