#include "service/json/corresponding_adjustment_json.h"

namespace jcm::service::json {

namespace bj = boost::json;

bj::object NdcDeclarationJson(const article6::NdcDeclaration& d) {
  return {{"party", d.party},
          {"version", d.version},
          {"date", d.date.ToString()},
          {"ndc_type", article6::NdcTypeName(d.type)},
          {"method", article6::CaMethodName(d.method)},
          {"first_year", d.first_year},
          {"last_year", d.last_year}};
}

bj::object NdcDeclarationResultJson(const NdcDeclarationResult& result) {
  bj::object out = NdcDeclarationJson(result.declaration);
  out["replayed"] = result.replayed;
  return out;
}

bj::object NdcDeclarationListJson(const std::vector<article6::NdcDeclaration>& all) {
  bj::array declarations;
  for (const article6::NdcDeclaration& d : all) declarations.push_back(NdcDeclarationJson(d));
  return {{"declarations", std::move(declarations)}};
}

bj::object CaLedgerJson(const article6::CaLedger& ledger) {
  bj::array years;
  for (const article6::CaYear& y : ledger.years) {
    bj::value applied = nullptr;
    if (y.applied_tco2e) {
      applied = bj::object{{"numerator", y.applied_tco2e->numerator},
                           {"denominator", y.applied_tco2e->denominator},
                           {"decimal", y.applied_tco2e->ToText()}};
    }
    years.push_back(bj::object{
        {"year", y.year},
        {"in_ndc_period", y.in_ndc_period},
        {"first_transferred_tco2e", y.first_transferred_tco2e},
        {"used_tco2e", y.used_tco2e},
        {"annual_adjustment_tco2e", y.annual_adjustment_tco2e},
        {"cumulative_adjustment_tco2e",
         y.in_ndc_period ? bj::value(y.cumulative_adjustment_tco2e) : bj::value(nullptr)},
        {"applied_tco2e", std::move(applied)}});
  }
  return {{"ndc", NdcDeclarationJson(ledger.ndc)},
          {"total_first_transferred_tco2e", ledger.total_first_transferred_tco2e},
          {"total_used_tco2e", ledger.total_used_tco2e},
          {"years", std::move(years)}};
}

}  // namespace jcm::service::json
