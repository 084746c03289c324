// JSON codecs of programme management (docs/cli.md, "Programme"; docs/programme.md). Money in
// whole yen, reductions in whole t-CO2e, as integers.
#pragma once

#include <boost/json.hpp>
#include <vector>

#include "service/programme_service.h"

namespace jcm::service::json {

// {"project", "channel", "fiscal_year", "total_cost_yen", "subsidy_yen", "subsidy_rate"
//  ({"numerator", "denominator"}: subsidy ÷ cost), "japanese_members": [..],
//  "partner_members": [..], "expected_annual_tco2e", "crediting_period", "recorded_seq"}
boost::json::object FundingJson(const programme::Funding& funding);
// {"funding": [FundingJson…]}
boost::json::object FundingListJson(const std::vector<programme::Funding>& funding);
// {"channel", "fiscal_year", "amount_yen", "note", "recorded_seq", "projects": [..],
//  "credits_issued_tco2e"}
boost::json::object ContributionJson(const ContributionView& view);
// {"contributions": [ContributionJson…]}
boost::json::object ContributionListJson(const std::vector<ContributionView>& views);
// {"projects": [{"project", "issued_tco2e", "delivered_tco2e", "required_tco2e",
//  "shortfall_tco2e", "issuances": [{"period", "issued_tco2e", "delivered_tco2e",
//  "required_tco2e", "shortfall_tco2e"}]}], "shortfall_tco2e", "projects_short"}
boost::json::object DeliveryJson(const std::vector<programme::ProjectDelivery>& rows);
// {"report": {"as_of", "issued_tco2e", "goj_acquired_tco2e", "ndc_used_tco2e",
//  "fiscal_years": [{"fiscal_year", "issued_tco2e", "goj_acquired_tco2e", "ndc_used_tco2e",
//  "cumulative_issued_tco2e"}], "targets": [{"fiscal_year", "target_tco2e", "issued_tco2e",
//  "pipeline_expected_tco2e", "forecast_low_tco2e", "forecast_high_tco2e", "gap_low_tco2e",
//  "gap_high_tco2e"}], "realisation": [{"technology", "issued_tco2e", "expected_tco2e",
//  "ratio" ({"numerator", "denominator"}), "observed"}], "by_country" / "by_technology" /
//  "by_channel" / "by_project": [{"key", "projects", "registered", "issued_tco2e",
//  "subsidy_yen", "expected_lifetime_tco2e", "issued_funded_tco2e", "yen_per_tco2e_expected",
//  "yen_per_tco2e_issued" (null when no tonnes)}], "partner_countries_with_jc",
//  "partner_countries_target"}}
boost::json::object ReportJson(const programme::IndicatorReport& report, core::Date as_of);

}  // namespace jcm::service::json
