#include "ledger/types.h"

#include <algorithm>
#include <array>
#include <span>

#include "core/split.h"

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

constexpr std::array<std::pair<AccountType, std::string_view>, 5> kAccountTypes = {{
    {AccountType::kGovernmentHolding, "government_holding"},
    {AccountType::kEntityHolding, "holding"},
    {AccountType::kCancellation, "cancellation"},
    {AccountType::kRetirement, "retirement"},
    {AccountType::kExchangeTransit, "exchange_transit"},
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

constexpr std::string_view kArticle6Tag = "a6=";
constexpr std::string_view kApproachTag = "ca=";
constexpr std::string_view kItmoTag = "itmo=";
constexpr std::string_view kFirstTransferTag = "ftp=";
constexpr std::string_view kVintageTag = "v=";

// The value of `extra[*at]` when it is `tag` and a non-empty value, advancing `at`.
std::optional<std::string_view> TakeTagged(std::span<const std::string_view> extra, size_t* at,
                                           std::string_view tag) {
  if (*at >= extra.size() || !extra[*at].starts_with(tag) || extra[*at].size() == tag.size()) {
    return std::nullopt;
  }
  return extra[(*at)++].substr(tag.size());
}

// "AAA00:FIRST" into the block's ITMO registry ID and first ITMO ID.
bool DecodeItmo(std::string_view text, UnitBlock* b) {
  const size_t colon = text.find(':');
  if (colon == std::string_view::npos) return false;
  const auto first = core::ParseInt64(text.substr(colon + 1));
  if (!first || *first < 1 || colon == 0) return false;
  b->itmo_registry = std::string(text.substr(0, colon));
  b->itmo_first = *first;
  return true;
}

// The optional parts after the eleven of a block, each at most once and in the order
// EncodeBlock writes them. False on anything else.
bool DecodeOptionalParts(std::span<const std::string_view> extra, UnitBlock* b) {
  size_t at = 0;
  if (at < extra.size() && extra[at] == "imported") {
    b->imported = true;
    ++at;
  }
  if (auto v = TakeTagged(extra, &at, kArticle6Tag)) b->article6_authorisation = std::string(*v);
  if (auto v = TakeTagged(extra, &at, kApproachTag)) b->cooperative_approach = std::string(*v);
  if (auto v = TakeTagged(extra, &at, kItmoTag); v && !DecodeItmo(*v, b)) return false;
  if (auto v = TakeTagged(extra, &at, kFirstTransferTag)) {
    b->first_transferring_party = std::string(*v);
  }
  if (auto v = TakeTagged(extra, &at, kVintageTag)) {
    const auto year = core::ParseInt64(*v);
    if (!year || *year < 1 || *year > 9999) return false;
    b->vintage = *year;
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
         imported == other.imported && article6_authorisation == other.article6_authorisation &&
         cooperative_approach == other.cooperative_approach &&
         itmo_registry == other.itmo_registry &&
         first_transferring_party == other.first_transferring_party && vintage == other.vintage &&
         (itmo_first == 0) == (other.itmo_first == 0);
}

RegistryPolicy DefaultPolicy(const core::RegistryCode& registry) {
  return RegistryPolicy{registry.str() == "JP"};
}

std::string ItmoRegistryId(const core::RegistryCode& registry) {
  return std::string(registry.party()) + "01";
}

std::vector<VintageAmount> SplitByDays(const core::Period& period, int64_t total) {
  std::vector<VintageAmount> years;
  std::vector<int64_t> remainders;
  const int64_t period_days = period.length_days();
  int64_t given = 0;
  for (int year = period.start.year(); year <= period.end.year(); ++year) {
    const int64_t first =
        std::max(core::DaysFromCivil(year, 1, 1), period.start.days_since_epoch());
    const int64_t last = std::min(core::DaysFromCivil(year, 12, 31), period.end.days_since_epoch());
    const int64_t days = last - first + 1;
    // total <= 10^12 and days <= period_days < 10^7: the product fits in int64.
    years.push_back({year, total * days / period_days});
    remainders.push_back(total * days % period_days);
    given += years.back().tco2e;
  }
  for (int64_t left = total - given; left > 0; --left) {
    size_t best = 0;
    for (size_t i = 1; i < remainders.size(); ++i) {
      if (remainders[i] > remainders[best]) best = i;
    }
    years[best].tco2e += 1;
    remainders[best] = -1;  // one unit each at most
  }
  return years;
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
  auto tagged = [&out](std::string_view tag, const std::string& value) {
    if (!value.empty()) out.append("|").append(tag).append(value);
  };
  tagged(kArticle6Tag, b.article6_authorisation);
  tagged(kApproachTag, b.cooperative_approach);
  if (b.itmo_first != 0) tagged(kItmoTag, b.itmo_registry + ":" + std::to_string(b.itmo_first));
  tagged(kFirstTransferTag, b.first_transferring_party);
  if (b.vintage != 0) tagged(kVintageTag, std::to_string(b.vintage));
  return out;
}

core::Result<UnitBlock> DecodeBlock(std::string_view text) {
  const auto parts = core::SplitFields(text);
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
  if (use_year != 0) r.AddInt("use_year", use_year);
  if (!cancellation_purpose.empty()) r.Add("cancellation_purpose", cancellation_purpose);
  if (!external_transaction.empty()) r.Add("external_transaction", external_transaction);
  if (external_reservation != 0) r.AddInt("external_reservation", external_reservation);
  for (const UnitBlock& block : incoming_blocks) r.Add("incoming", EncodeBlock(block));
  return r;
}

}  // namespace jcm::ledger
