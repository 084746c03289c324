#include "service/json/article6_json.h"

#include <string>

namespace jcm::service::json {
namespace {

namespace bj = boost::json;

bj::array Texts(const std::vector<std::string>& texts) {
  bj::array out;
  for (const std::string& text : texts) out.emplace_back(text);
  return out;
}

}  // namespace

bj::object AuthorisationJson(const article6::Authorisation& a) {
  bj::object o;
  o["party"] = a.party;
  o["id"] = a.id;
  o["version"] = a.version;
  o["date"] = a.date.ToString();
  o["cooperative_approach"] = a.cooperative_approach;
  o["metric"] = article6::MetricName(a.metric);
  o["sectors"] = Texts(a.sectors);
  o["activity_types"] = Texts(a.activity_types);
  o["purposes"] = article6::PurposeName(a.purposes);
  o["quantity_cap"] = a.quantity_cap_tco2e ? bj::value(*a.quantity_cap_tco2e) : bj::value(nullptr);
  o["timeframe"] = a.timeframe ? bj::value(a.timeframe->ToString()) : bj::value(nullptr);
  o["entities"] = Texts(a.entities);
  o["first_transfer"] = a.first_transfer == article6::FirstTransferDefinition::kNone
                            ? bj::value(nullptr)
                            : bj::value(article6::FirstTransferDefinitionName(a.first_transfer));
  o["recorded_seq"] = a.recorded_seq;
  return o;
}

bj::object AuthorisationResultJson(const AuthorisationResult& result) {
  bj::object o = AuthorisationJson(result.authorisation);
  o["replayed"] = result.replayed;
  return o;
}

bj::object AuthorisationListJson(const std::vector<article6::Authorisation>& all) {
  bj::array list;
  for (const article6::Authorisation& a : all) list.emplace_back(AuthorisationJson(a));
  return bj::object{{"authorisations", std::move(list)}};
}

}  // namespace jcm::service::json
