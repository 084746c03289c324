#include "service/json/programme_json.h"

#include <numeric>
#include <string>

namespace jcm::service::json {
namespace {

boost::json::array Strings(const std::vector<std::string>& values) {
  boost::json::array out;
  for (const std::string& value : values) out.emplace_back(value);
  return out;
}

// subsidy ÷ cost in lowest terms (cost > 0 by ValidateFunding).
boost::json::object Rate(int64_t subsidy_yen, int64_t cost_yen) {
  const int64_t divisor = std::gcd(subsidy_yen, cost_yen);
  return {{"numerator", subsidy_yen / divisor}, {"denominator", cost_yen / divisor}};
}

boost::json::object Amounts(int64_t issued, int64_t delivered, int64_t required,
                            int64_t shortfall) {
  return {{"issued_tco2e", issued},
          {"delivered_tco2e", delivered},
          {"required_tco2e", required},
          {"shortfall_tco2e", shortfall}};
}

}  // namespace

boost::json::object FundingJson(const programme::Funding& f) {
  return {{"project", f.project},
          {"channel", programme::ChannelName(f.channel)},
          {"fiscal_year", f.fiscal_year},
          {"total_cost_yen", f.total_cost_yen},
          {"subsidy_yen", f.subsidy_yen},
          {"subsidy_rate", Rate(f.subsidy_yen, f.total_cost_yen)},
          {"japanese_members", Strings(f.japanese_members)},
          {"partner_members", Strings(f.partner_members)},
          {"expected_annual_tco2e", f.expected_annual_tco2e},
          {"crediting_period", f.crediting_period.ToString()},
          {"recorded_seq", f.recorded_seq}};
}

boost::json::object FundingListJson(const std::vector<programme::Funding>& funding) {
  boost::json::array items;
  for (const programme::Funding& f : funding) items.push_back(FundingJson(f));
  return {{"funding", std::move(items)}};
}

boost::json::object ContributionJson(const ContributionView& view) {
  const programme::Contribution& c = view.contribution;
  return {{"channel", programme::ChannelName(c.channel)},
          {"fiscal_year", c.fiscal_year},
          {"amount_yen", c.amount_yen},
          {"note", c.note},
          {"recorded_seq", c.recorded_seq},
          {"projects", Strings(view.projects)},
          {"credits_issued_tco2e", view.credits_issued_tco2e}};
}

boost::json::object ContributionListJson(const std::vector<ContributionView>& views) {
  boost::json::array items;
  for (const ContributionView& view : views) items.push_back(ContributionJson(view));
  return {{"contributions", std::move(items)}};
}

boost::json::object DeliveryJson(const std::vector<programme::ProjectDelivery>& rows) {
  boost::json::array projects;
  int64_t shortfall = 0;
  int64_t short_projects = 0;
  for (const programme::ProjectDelivery& p : rows) {
    boost::json::array issuances;
    for (const programme::IssuanceDelivery& d : p.issuances) {
      boost::json::object row =
          Amounts(d.issued_tco2e, d.delivered_tco2e, d.required_tco2e, d.shortfall_tco2e);
      row.emplace("period", d.period);
      issuances.push_back(std::move(row));
    }
    boost::json::object row =
        Amounts(p.issued_tco2e, p.delivered_tco2e, p.required_tco2e, p.shortfall_tco2e);
    row.emplace("project", p.project);
    row.emplace("issuances", std::move(issuances));
    projects.push_back(std::move(row));
    shortfall += p.shortfall_tco2e;
    if (p.shortfall_tco2e > 0) ++short_projects;
  }
  return {{"projects", std::move(projects)},
          {"shortfall_tco2e", shortfall},
          {"projects_short", short_projects}};
}

namespace {

boost::json::value Optional(const std::optional<int64_t>& value) {
  return value ? boost::json::value(*value) : boost::json::value(nullptr);
}

boost::json::array Groups(const std::vector<programme::GroupRow>& rows) {
  boost::json::array out;
  for (const programme::GroupRow& g : rows) {
    out.push_back({{"key", g.key},
                   {"projects", g.projects},
                   {"registered", g.registered},
                   {"issued_tco2e", g.issued_tco2e},
                   {"subsidy_yen", g.subsidy_yen},
                   {"expected_lifetime_tco2e", g.expected_lifetime_tco2e},
                   {"issued_funded_tco2e", g.issued_funded_tco2e},
                   {"yen_per_tco2e_expected", Optional(g.yen_per_tco2e_expected)},
                   {"yen_per_tco2e_issued", Optional(g.yen_per_tco2e_issued)}});
  }
  return out;
}

boost::json::array FiscalYears(const std::vector<programme::FiscalYearRow>& rows) {
  boost::json::array out;
  for (const programme::FiscalYearRow& y : rows) {
    out.push_back({{"fiscal_year", y.fiscal_year},
                   {"issued_tco2e", y.issued_tco2e},
                   {"goj_acquired_tco2e", y.goj_acquired_tco2e},
                   {"ndc_used_tco2e", y.ndc_used_tco2e},
                   {"cumulative_issued_tco2e", y.cumulative_issued_tco2e}});
  }
  return out;
}

boost::json::array Targets(const std::vector<programme::TargetRow>& rows) {
  boost::json::array out;
  for (const programme::TargetRow& t : rows) {
    out.push_back({{"fiscal_year", t.fiscal_year},
                   {"target_tco2e", t.target_tco2e},
                   {"issued_tco2e", t.issued_tco2e},
                   {"pipeline_expected_tco2e", t.pipeline_expected_tco2e},
                   {"forecast_low_tco2e", t.forecast_low_tco2e},
                   {"forecast_high_tco2e", t.forecast_high_tco2e},
                   {"gap_low_tco2e", t.gap_low_tco2e},
                   {"gap_high_tco2e", t.gap_high_tco2e}});
  }
  return out;
}

boost::json::array Realisation(const std::vector<programme::RealisationRow>& rows) {
  boost::json::array out;
  for (const programme::RealisationRow& r : rows) {
    const int64_t divisor = std::gcd(r.ratio.numerator, r.ratio.denominator);
    out.push_back({{"technology", r.technology},
                   {"issued_tco2e", r.issued_tco2e},
                   {"expected_tco2e", r.expected_tco2e},
                   {"ratio",
                    {{"numerator", r.ratio.numerator / divisor},
                     {"denominator", r.ratio.denominator / divisor}}},
                   {"observed", r.observed}});
  }
  return out;
}

}  // namespace

boost::json::object ReportJson(const programme::IndicatorReport& r, core::Date as_of) {
  return {{"report",
           {{"as_of", as_of.ToString()},
            {"issued_tco2e", r.issued_tco2e},
            {"goj_acquired_tco2e", r.goj_acquired_tco2e},
            {"ndc_used_tco2e", r.ndc_used_tco2e},
            {"fiscal_years", FiscalYears(r.fiscal_years)},
            {"targets", Targets(r.targets)},
            {"realisation", Realisation(r.realisation)},
            {"by_country", Groups(r.by_country)},
            {"by_technology", Groups(r.by_technology)},
            {"by_channel", Groups(r.by_channel)},
            {"by_project", Groups(r.by_project)},
            {"partner_countries_with_jc", r.partner_countries_with_jc},
            {"partner_countries_target", r.partner_countries_target}}}};
}

}  // namespace jcm::service::json
