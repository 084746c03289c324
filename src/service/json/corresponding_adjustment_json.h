// JSON codecs of NDC declarations and corresponding-adjustment ledgers (docs/cli.md, "Article
// 6"; docs/article6.md, "Corresponding adjustments").
#pragma once

#include <boost/json.hpp>
#include <vector>

#include "service/corresponding_adjustments.h"

namespace jcm::service::json {

// {"party", "version", "date", "ndc_type", "method", "first_year", "last_year"}
boost::json::object NdcDeclarationJson(const article6::NdcDeclaration& declaration);
// NdcDeclarationJson plus "replayed".
boost::json::object NdcDeclarationResultJson(const NdcDeclarationResult& result);
// {"declarations": [NdcDeclarationJson…]}
boost::json::object NdcDeclarationListJson(const std::vector<article6::NdcDeclaration>& all);
// {"ndc": NdcDeclarationJson, "total_first_transferred_tco2e", "total_used_tco2e", "years":
//  [{"year", "in_ndc_period", "first_transferred_tco2e", "used_tco2e",
//    "annual_adjustment_tco2e", "cumulative_adjustment_tco2e" (null outside the period),
//    "applied_tco2e" ({"numerator", "denominator", "decimal"} or null outside the period)}]}
boost::json::object CaLedgerJson(const article6::CaLedger& ledger);

}  // namespace jcm::service::json
