#include "ledger/types.h"

#include <array>
#include <span>

namespace jcm::ledger {
namespace {

template <typename Enum, size_t N>
std::optional<Enum> Lookup(const std::array<std::pair<Enum, std::string_view>, N>& table,
                           std::string_view name) {
  for (const auto& [value, text] : table) {
    if (text == name) return value;
  }
  return std::nullopt;
}

template <typename Enum, size_t N>
std::string_view NameOf(const std::array<std::pair<Enum, std::string_view>, N>& table, Enum value) {
  for (const auto& [v, text] : table) {
    if (v == value) return text;
  }
  return "unknown";
}

constexpr std::array<std::pair<AccountType, std::string_view>, 4> kAccountTypes = {{
    {AccountType::kGovernmentHolding, "government_holding"},
    {AccountType::kEntityHolding, "holding"},
    {AccountType::kCancellation, "cancellation"},
    {AccountType::kRetirement, "retirement"},
}};

constexpr std::array<std::pair<AccountState, std::string_view>, 3> kAccountStates = {{
    {AccountState::kOpen, "open"},
    {AccountState::kSuspended, "suspended"},
    {AccountState::kClosed, "closed"},
}};

constexpr std::array<std::pair<Authorization, std::string_view>, 4> kAuthorizations = {{
    {Authorization::kNone, "none"},
    {Authorization::kNdc, "ndc"},
    {Authorization::kOimp, "oimp"},
    {Authorization::kNdcAndOimp, "ndc+oimp"},
}};

std::vector<std::string_view> Split(std::string_view text) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    const size_t bar = text.find('|', start);
    parts.push_back(text.substr(start, bar == std::string_view::npos ? bar : bar - start));
    if (bar == std::string_view::npos) break;
    start = bar + 1;
  }
  return parts;
}

constexpr std::string_view kArticle6Tag = "a6=";

// The optional parts after the eleven of a block: "imported", then "a6=PARTY/ID", each at most
// once and in that order. False on anything else.
bool DecodeOptionalParts(std::span<const std::string_view> extra, UnitBlock* b) {
  size_t at = 0;
  if (at < extra.size() && extra[at] == "imported") {
    b->imported = true;
    ++at;
  }
  if (at < extra.size() && extra[at].starts_with(kArticle6Tag) &&
      extra[at].size() > kArticle6Tag.size()) {
    b->article6_authorisation = std::string(extra[at].substr(kArticle6Tag.size()));
    ++at;
  }
  return at == extra.size();
}

}  // namespace

std::string_view AccountTypeName(AccountType type) { return NameOf(kAccountTypes, type); }
std::optional<AccountType> AccountTypeFromName(std::string_view name) {
  return Lookup(kAccountTypes, name);
}
std::optional<AccountType> AccountTypeFromCode(int code) {
  for (const auto& [value, text] : kAccountTypes) {
    if (static_cast<int>(value) == code) return value;
  }
  return std::nullopt;
}
std::string_view AccountStateName(AccountState state) { return NameOf(kAccountStates, state); }
std::optional<AccountState> AccountStateFromName(std::string_view name) {
  return Lookup(kAccountStates, name);
}
std::string_view AuthorizationName(Authorization a) { return NameOf(kAuthorizations, a); }
std::optional<Authorization> AuthorizationFromName(std::string_view name) {
  return Lookup(kAuthorizations, name);
}

bool UnitBlock::SameAttributes(const UnitBlock& other) const {
  return registry == other.registry && project == other.project &&
         monitoring_period == other.monitoring_period && issuance_number == other.issuance_number &&
         authorization == other.authorization && first_transferred == other.first_transferred &&
         imported == other.imported && article6_authorisation == other.article6_authorisation;
}

RegistryPolicy DefaultPolicy(const core::RegistryCode& registry) {
  return RegistryPolicy{registry.str() == "JP"};
}

std::string EncodeBlock(const UnitBlock& b) {
  std::string out;
  for (const std::string& part :
       {std::to_string(b.id), b.registry.str(), std::to_string(b.serial_first),
        std::to_string(b.unit_count), b.account, b.project, b.monitoring_period.ToString(),
        std::to_string(b.issuance_number), std::string(AuthorizationName(b.authorization)),
        std::string(b.first_transferred ? "1" : "0"), std::to_string(b.parent_id)}) {
    if (!out.empty()) out += '|';
    out += part;
  }
  if (b.imported) out += "|imported";
  if (!b.article6_authorisation.empty())
    out += "|" + std::string(kArticle6Tag) + b.article6_authorisation;
  return out;
}

core::Result<UnitBlock> DecodeBlock(std::string_view text) {
  const auto parts = Split(text);
  auto bad = [&] { return core::DataLoss("corrupt block field '" + std::string(text) + "'"); };
  UnitBlock b;
  if (parts.size() < 11 || !DecodeOptionalParts(std::span(parts).subspan(11), &b)) return bad();
  auto id = core::ParseInt64(parts[0]);
  auto first = core::ParseInt64(parts[2]);
  auto count = core::ParseInt64(parts[3]);
  auto number = core::ParseInt64(parts[7]);
  auto parent = core::ParseInt64(parts[10]);
  auto period = core::Period::Parse(parts[6]);
  auto authorization = AuthorizationFromName(parts[8]);
  if (!id || !first || !count || !number || !parent || !period.ok() || !authorization ||
      !core::IsKnownRegistryCode(parts[1]) || (parts[9] != "0" && parts[9] != "1")) {
    return bad();
  }
  b.id = *id;
  b.registry = core::RegistryCode::FromTrusted(parts[1]);
  b.serial_first = *first;
  b.unit_count = *count;
  b.account = std::string(parts[4]);
  b.project = std::string(parts[5]);
  b.monitoring_period = *period;
  b.issuance_number = *number;
  b.authorization = *authorization;
  b.first_transferred = parts[9] == "1";
  b.parent_id = *parent;
  return b;
}

core::Result<SerialRange> SerialRange::Parse(std::string_view text) {
  const size_t dots = text.find("..");
  std::optional<int64_t> first, last;
  if (dots == std::string_view::npos) {
    first = last = core::ParseInt64(text);  // a single serial
  } else {
    first = core::ParseInt64(text.substr(0, dots));
    last = core::ParseInt64(text.substr(dots + 2));
  }
  if (!first || !last || *first < 1 || *last < *first) {
    return core::InvalidArgument("serials are written FIRST..LAST with 1 <= FIRST <= LAST, got '" +
                                 std::string(text) + "'");
  }
  return SerialRange{*first, *last};
}

core::Record TransactionRequest::ToRecord() const {
  core::Record r;
  r.AddInt("type", static_cast<int64_t>(type));
  r.Add("registry", registry).Add("project", project).Add("period", period);
  r.Add("decision", decision).Add("authorization", AuthorizationName(authorization));
  for (const IssuanceTarget& t : targets) {
    r.Add("target", t.account + ":" + std::to_string(t.quantity));
  }
  r.Add("from", from).Add("to", to).AddInt("quantity", quantity).Add("serials", serials);
  r.Add("beneficiary", beneficiary).Add("reason", reason);
  // Only when set, so the digest of every request without them stays what it was.
  if (!import_source.empty() || import_line != 0) {
    r.Add("import_source", import_source).AddInt("import_line", import_line);
  }
  if (!article6_authorisation.empty()) r.Add("article6_authorisation", article6_authorisation);
  return r;
}

}  // namespace jcm::ledger
