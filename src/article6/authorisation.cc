#include "article6/authorisation.h"

#include <algorithm>
#include <utility>

namespace jcm::article6 {
namespace {

std::optional<int> ParseYear(std::string_view text) {
  if (text.size() != 4 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return static_cast<int>(*core::ParseInt64(text));
}

Rejection Reject(Article6Check check, std::string message) {
  return Rejection{check, std::move(message)};
}

std::string Quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

// 600–606: identifiers and the vocabularies of metric, sectors, activity types and purposes.
std::optional<Rejection> CheckNames(const AuthorisationRequest& r) {
  if (!IsPartyCode(r.party)) {
    return Reject(
        Article6Check::kPartyMalformed,
        "the Party is three capital letters (ISO 3166-1 alpha-3), got " + Quoted(r.party));
  }
  if (!IsAuthorisationId(r.id)) {
    return Reject(
        Article6Check::kAuthorisationIdMalformed,
        "an authorisation ID is 1-100 letters, digits, spaces or hyphens, got " + Quoted(r.id));
  }
  if (!IsCooperativeApproachId(r.cooperative_approach)) {
    return Reject(Article6Check::kCooperativeApproachMalformed,
                  "a cooperative approach ID is CA and four digits (CA0004), got " +
                      Quoted(r.cooperative_approach));
  }
  if (!MetricFromName(r.metric)) {
    return Reject(Article6Check::kMetricUnknown,
                  "the metric is GHG or non-GHG, got " + Quoted(r.metric));
  }
  if (r.sectors.empty() || r.sectors.size() > kListEntriesMax) {
    return Reject(Article6Check::kSectorUnknown, "an authorisation names 1-100 sectors");
  }
  for (const std::string& sector : r.sectors) {
    if (!IsSector(sector)) {
      return Reject(Article6Check::kSectorUnknown,
                    Quoted(sector) + " is not a sector of the Article 6.2 nomenclature");
    }
  }
  if (r.activity_types.size() > kListEntriesMax) {
    return Reject(Article6Check::kActivityTypeUnknown, "at most 100 activity types");
  }
  for (const std::string& type : r.activity_types) {
    if (!IsActivityType(type)) {
      return Reject(Article6Check::kActivityTypeUnknown,
                    Quoted(type) + " is not an activity type of the Article 6.2 nomenclature");
    }
  }
  if (!PurposeFromName(r.purposes)) {
    return Reject(Article6Check::kPurposeUnknown,
                  "the purposes are NDC, OIMP, IMP, OP, 'NDC and OIMP', 'NDC and IMP' or "
                  "'NDC and OP', got " +
                      Quoted(r.purposes));
  }
  return std::nullopt;
}

// 607–612: the first-transfer definition, the cap, the timeframe and the entities.
std::optional<Rejection> CheckTerms(const AuthorisationRequest& r, Purpose purposes) {
  if (!r.first_transfer.empty() && !FirstTransferDefinitionFromName(r.first_transfer)) {
    return Reject(Article6Check::kFirstTransferDefinitionUnknown,
                  "the first-transfer definition for OIMP is Authorisation, Issuance or "
                  "'Use or Cancellation', got " +
                      Quoted(r.first_transfer));
  }
  if (CoversOimp(purposes) && r.first_transfer.empty()) {
    return Reject(Article6Check::kFirstTransferDefinitionMissing,
                  "purposes '" + r.purposes +
                      "' cover OIMP: the authorisation defines when the first transfer is");
  }
  if (!CoversOimp(purposes) && !r.first_transfer.empty()) {
    return Reject(Article6Check::kFirstTransferDefinitionNotApplied,
                  "for NDC use only the first transfer is the first international transfer");
  }
  if (r.quantity_cap_tco2e && *r.quantity_cap_tco2e < 1) {
    return Reject(Article6Check::kQuantityCapInvalid,
                  "the authorised quantity is a positive number of tCO2e");
  }
  if (!r.timeframe.empty() && !Timeframe::Parse(r.timeframe)) {
    return Reject(Article6Check::kTimeframeMalformed,
                  "the timeframe is 'YYYY - YYYY', first year <= last, got " + Quoted(r.timeframe));
  }
  if (r.entities.size() > kListEntriesMax) {
    return Reject(Article6Check::kEntityMalformed, "at most 100 authorised entities");
  }
  for (const std::string& entity : r.entities) {
    if (entity.empty() || entity.size() > kEntityBytesMax ||
        entity.find('\n') != std::string::npos) {
      return Reject(Article6Check::kEntityMalformed,
                    "an authorised entity is one line of 1-200 bytes, got " + Quoted(entity));
    }
  }
  return std::nullopt;
}

}  // namespace

std::string Timeframe::ToString() const {
  return std::to_string(first_year) + " - " + std::to_string(last_year);
}

std::optional<Timeframe> Timeframe::Parse(std::string_view text) {
  if (text.size() != 11 || text.substr(4, 3) != " - ") return std::nullopt;
  const auto first = ParseYear(text.substr(0, 4));
  const auto last = ParseYear(text.substr(7, 4));
  if (!first || !last || *first > *last) return std::nullopt;
  return Timeframe{*first, *last};
}

std::variant<Authorisation, Rejection> Validate(const AuthorisationRequest& r) {
  if (auto rejected = CheckNames(r)) return *rejected;
  const Purpose purposes = *PurposeFromName(r.purposes);
  if (auto rejected = CheckTerms(r, purposes)) return *rejected;
  Authorisation a;
  a.party = r.party;
  a.id = r.id;
  a.version = r.version;
  a.date = r.date;
  a.cooperative_approach = r.cooperative_approach;
  a.metric = *MetricFromName(r.metric);
  a.sectors = r.sectors;
  a.activity_types = r.activity_types;
  a.purposes = purposes;
  a.quantity_cap_tco2e = r.quantity_cap_tco2e;
  if (!r.timeframe.empty()) a.timeframe = Timeframe::Parse(r.timeframe);
  a.entities = r.entities;
  if (!r.first_transfer.empty())
    a.first_transfer = *FirstTransferDefinitionFromName(r.first_transfer);
  return a;
}

core::Record Authorisation::ToRecord() const {
  core::Record r;
  r.Add("party", party).Add("id", id).AddInt("version", version).Add("date", date.ToString());
  r.Add("cooperative_approach", cooperative_approach).Add("metric", MetricName(metric));
  for (const std::string& sector : sectors) r.Add("sector", sector);
  for (const std::string& type : activity_types) r.Add("activity_type", type);
  r.Add("purposes", PurposeName(purposes));
  // Optional fields only when set, so an authorisation without them has no empty fields.
  if (quantity_cap_tco2e) r.AddInt("quantity_cap", *quantity_cap_tco2e);
  if (timeframe) r.Add("timeframe", timeframe->ToString());
  for (const std::string& entity : entities) r.Add("entity", entity);
  if (first_transfer != FirstTransferDefinition::kNone) {
    r.Add("first_transfer", FirstTransferDefinitionName(first_transfer));
  }
  return r;
}

core::Result<Authorisation> Authorisation::FromRecord(const core::Record& body) {
  AuthorisationRequest r;
  JCM_ASSIGN_OR_RETURN(r.party, body.Get("party"));
  JCM_ASSIGN_OR_RETURN(r.id, body.Get("id"));
  JCM_ASSIGN_OR_RETURN(r.version, body.GetInt("version"));
  JCM_ASSIGN_OR_RETURN(const std::string date, body.Get("date"));
  auto parsed = core::Date::Parse(date);
  if (!parsed.ok()) return core::DataLoss("authorisation date '" + date + "' is not a date");
  r.date = *parsed;
  JCM_ASSIGN_OR_RETURN(r.cooperative_approach, body.Get("cooperative_approach"));
  JCM_ASSIGN_OR_RETURN(r.metric, body.Get("metric"));
  for (std::string_view v : body.FindAll("sector")) r.sectors.emplace_back(v);
  for (std::string_view v : body.FindAll("activity_type")) r.activity_types.emplace_back(v);
  JCM_ASSIGN_OR_RETURN(r.purposes, body.Get("purposes"));
  if (body.Find("quantity_cap")) {
    JCM_ASSIGN_OR_RETURN(r.quantity_cap_tco2e, body.GetInt("quantity_cap"));
  }
  r.timeframe = std::string(body.Find("timeframe").value_or(""));
  for (std::string_view v : body.FindAll("entity")) r.entities.emplace_back(v);
  r.first_transfer = std::string(body.Find("first_transfer").value_or(""));
  auto valid = Validate(r);
  if (const auto* rejection = std::get_if<Rejection>(&valid)) {
    return core::DataLoss("stored authorisation: check " + std::to_string(rejection->number()) +
                          ": " + rejection->message);
  }
  return std::get<Authorisation>(std::move(valid));
}

}  // namespace jcm::article6
