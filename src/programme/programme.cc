#include "programme/programme.h"

#include <algorithm>
#include <array>
#include <utility>

namespace jcm::programme {
namespace {

constexpr std::array<std::pair<Channel, std::string_view>, 7> kChannelNames = {{
    {Channel::kMoejSubsidy, "moej_subsidy"},
    {Channel::kHydrogenSubsidy, "hydrogen_subsidy"},
    {Channel::kAdbJfjcm, "adb_jfjcm"},
    {Channel::kUnido, "unido"},
    {Channel::kNedo, "nedo"},
    {Channel::kPrivate, "private"},
    {Channel::kOther, "other"},
}};

__extension__ typedef __int128 Int128;  // GCC/Clang extension; exact products of two int64

constexpr int kFiscalYearMin = 2000;
constexpr int kFiscalYearMax = 2100;

Rejection Reject(ProgrammeCheck check, std::string message) {
  return Rejection{check, std::move(message)};
}

core::Result<int> GetFiscalYear(const core::Record& body) {
  JCM_ASSIGN_OR_RETURN(int64_t year, body.GetInt("fiscal_year"));
  if (year < kFiscalYearMin || year > kFiscalYearMax) {
    return core::DataLoss("fiscal_year " + std::to_string(year) + " out of range");
  }
  return static_cast<int>(year);
}

core::Result<Channel> GetChannel(const core::Record& body) {
  JCM_ASSIGN_OR_RETURN(std::string text, body.Get("channel"));
  const std::optional<Channel> channel = ParseChannel(text);
  if (!channel) return core::DataLoss("unknown channel '" + text + "'");
  return *channel;
}

core::Result<Funding> DecodeFunding(const core::Record& body) {
  Funding f;
  JCM_ASSIGN_OR_RETURN(f.project, body.Get("project"));
  JCM_ASSIGN_OR_RETURN(f.channel, GetChannel(body));
  JCM_ASSIGN_OR_RETURN(f.fiscal_year, GetFiscalYear(body));
  JCM_ASSIGN_OR_RETURN(f.total_cost_yen, body.GetInt("total_cost_yen"));
  JCM_ASSIGN_OR_RETURN(f.subsidy_yen, body.GetInt("subsidy_yen"));
  for (std::string_view m : body.FindAll("japanese_member")) f.japanese_members.emplace_back(m);
  for (std::string_view m : body.FindAll("partner_member")) f.partner_members.emplace_back(m);
  JCM_ASSIGN_OR_RETURN(f.expected_annual_tco2e, body.GetInt("expected_annual_tco2e"));
  JCM_ASSIGN_OR_RETURN(std::string period, body.Get("crediting_period"));
  core::Result<core::Period> parsed = core::Period::Parse(period);
  if (!parsed.ok()) return core::DataLoss("crediting_period: " + parsed.status().message());
  f.crediting_period = *parsed;
  return f;
}

core::Result<Contribution> DecodeContribution(const core::Record& body) {
  Contribution c;
  JCM_ASSIGN_OR_RETURN(c.channel, GetChannel(body));
  JCM_ASSIGN_OR_RETURN(c.fiscal_year, GetFiscalYear(body));
  JCM_ASSIGN_OR_RETURN(c.amount_yen, body.GetInt("amount_yen"));
  c.note = std::string(body.Find("note").value_or(""));
  return c;
}

core::Status RequireNames(const std::vector<std::string>& names, std::string_view what) {
  for (const std::string& name : names) {
    if (name.empty()) return core::InvalidArgument(std::string(what) + " names may not be empty");
  }
  return core::OkStatus();
}

core::Status RequireFiscalYear(int fiscal_year) {
  if (fiscal_year < kFiscalYearMin || fiscal_year > kFiscalYearMax) {
    return core::InvalidArgument("a fiscal year is 2000-2100, got " + std::to_string(fiscal_year));
  }
  return core::OkStatus();
}

}  // namespace

std::string_view ChannelName(Channel channel) {
  for (const auto& [value, name] : kChannelNames) {
    if (value == channel) return name;
  }
  return "other";
}

std::optional<Channel> ParseChannel(std::string_view text) {
  for (const auto& [value, name] : kChannelNames) {
    if (name == text) return value;
  }
  return std::nullopt;
}

bool IsSubsidy(Channel channel) {
  return channel == Channel::kMoejSubsidy || channel == Channel::kHydrogenSubsidy;
}

std::optional<Fraction> SubsidyCap(Channel channel) {
  if (channel == Channel::kMoejSubsidy) return Fraction{1, 2};
  if (channel == Channel::kHydrogenSubsidy) return Fraction{2, 3};
  return std::nullopt;
}

bool ExceedsCap(int64_t subsidy_yen, int64_t cost_yen, Fraction cap) {
  // subsidy / cost > n / d  <=>  subsidy * d > n * cost (cost, d > 0); 128-bit products.
  return static_cast<Int128>(subsidy_yen) * cap.denominator >
         static_cast<Int128>(cap.numerator) * cost_yen;
}

int FiscalYearOf(core::Date date) {
  const std::string text = date.ToString();  // YYYY-MM-DD
  const int month = (text[5] - '0') * 10 + (text[6] - '0');
  return month >= 4 ? date.year() : date.year() - 1;
}

core::Date FiscalYearStart(int fiscal_year) { return core::Date::FromCivil(fiscal_year, 4, 1); }
core::Date FiscalYearEnd(int fiscal_year) { return core::Date::FromCivil(fiscal_year + 1, 3, 31); }

const Contribution* ProgrammeState::FindContribution(Channel channel, int fiscal_year) const {
  for (const Contribution& c : contributions) {
    if (c.channel == channel && c.fiscal_year == fiscal_year) return &c;
  }
  return nullptr;
}

core::Record FundingRecord(const Funding& f) {
  core::Record body;
  body.Add("project", f.project);
  body.Add("channel", ChannelName(f.channel));
  body.AddInt("fiscal_year", f.fiscal_year);
  body.AddInt("total_cost_yen", f.total_cost_yen);
  body.AddInt("subsidy_yen", f.subsidy_yen);
  for (const std::string& m : f.japanese_members) body.Add("japanese_member", m);
  for (const std::string& m : f.partner_members) body.Add("partner_member", m);
  body.AddInt("expected_annual_tco2e", f.expected_annual_tco2e);
  body.Add("crediting_period", f.crediting_period.ToString());
  return body;
}

core::Record ContributionRecord(const Contribution& c) {
  core::Record body;
  body.Add("channel", ChannelName(c.channel));
  body.AddInt("fiscal_year", c.fiscal_year);
  body.AddInt("amount_yen", c.amount_yen);
  if (!c.note.empty()) body.Add("note", c.note);
  return body;
}

core::Status ApplyProgrammeEvent(ProgrammeState& state, std::string_view kind,
                                 const core::Record& body, int64_t seq) {
  if (kind == kEventFundingRecorded) {
    JCM_ASSIGN_OR_RETURN(Funding funding, DecodeFunding(body));
    funding.recorded_seq = seq;
    state.funding[funding.project] = std::move(funding);
  } else if (kind == kEventContributionRecorded) {
    JCM_ASSIGN_OR_RETURN(Contribution contribution, DecodeContribution(body));
    contribution.recorded_seq = seq;
    state.contributions.push_back(std::move(contribution));
  }
  state.last_seq = std::max(state.last_seq, seq);
  return core::OkStatus();
}

core::Status ValidateFunding(const Funding& f) {
  if (f.project.empty()) return core::InvalidArgument("a funding record names its project");
  JCM_RETURN_IF_ERROR(RequireFiscalYear(f.fiscal_year));
  if (f.total_cost_yen <= 0) return core::InvalidArgument("the total cost must be positive yen");
  if (f.subsidy_yen < 0) return core::InvalidArgument("the subsidy may not be negative");
  if (f.expected_annual_tco2e < 0) {
    return core::InvalidArgument("the expected annual reductions may not be negative");
  }
  JCM_RETURN_IF_ERROR(RequireNames(f.japanese_members, "Japanese member"));
  return RequireNames(f.partner_members, "partner member");
}

core::Status ValidateContribution(const Contribution& c) {
  JCM_RETURN_IF_ERROR(RequireFiscalYear(c.fiscal_year));
  if (c.amount_yen <= 0) return core::InvalidArgument("a contribution is a positive amount of yen");
  return core::OkStatus();
}

std::optional<Rejection> DecideFunding(const ProgrammeState& state, const Funding& f,
                                       bool project_known) {
  if (const std::optional<Fraction> cap = SubsidyCap(f.channel);
      cap && ExceedsCap(f.subsidy_yen, f.total_cost_yen, *cap)) {
    return Reject(ProgrammeCheck::kSubsidyRateAboveCap,
                  "a subsidy of " + std::to_string(f.subsidy_yen) + " yen on a cost of " +
                      std::to_string(f.total_cost_yen) + " yen is above the " +
                      std::string(ChannelName(f.channel)) + " cap of " +
                      std::to_string(cap->numerator) + "/" + std::to_string(cap->denominator));
  }
  if (f.subsidy_yen > f.total_cost_yen) {
    return Reject(ProgrammeCheck::kSubsidyAboveCost,
                  "a subsidy of " + std::to_string(f.subsidy_yen) +
                      " yen is more than the project's cost of " +
                      std::to_string(f.total_cost_yen) + " yen");
  }
  if (IsSubsidy(f.channel) && (f.japanese_members.empty() || f.partner_members.empty())) {
    return Reject(ProgrammeCheck::kConsortiumIncomplete,
                  "a subsidised project is carried by an international consortium: name at least "
                  "one Japanese and one partner-country member");
  }
  if (!project_known) {
    return Reject(ProgrammeCheck::kFundingProjectUnknown,
                  "no project '" + f.project + "' in the project cycle");
  }
  if (state.funding.contains(f.project)) {
    return Reject(ProgrammeCheck::kFundingExists,
                  "project " + f.project + " already has a funding record (entry " +
                      std::to_string(state.funding.at(f.project).recorded_seq) + ")");
  }
  return std::nullopt;
}

std::optional<Rejection> DecideContribution(const ProgrammeState& state, const Contribution& c) {
  if (c.channel != Channel::kAdbJfjcm && c.channel != Channel::kUnido) {
    return Reject(
        ProgrammeCheck::kContributionChannelInvalid,
        "contributions are to adb_jfjcm or unido, not " + std::string(ChannelName(c.channel)));
  }
  if (const Contribution* known = state.FindContribution(c.channel, c.fiscal_year)) {
    return Reject(ProgrammeCheck::kContributionExists,
                  "a contribution to " + std::string(ChannelName(c.channel)) + " for FY" +
                      std::to_string(c.fiscal_year) + " is recorded (entry " +
                      std::to_string(known->recorded_seq) + ")");
  }
  return std::nullopt;
}

}  // namespace jcm::programme
