#include "article6/book.h"

namespace jcm::article6 {
namespace {

// 613–616: the request against the recorded versions of the same authorisation.
std::optional<Verdict> CheckVersions(const std::vector<Authorisation>* versions,
                                     const Authorisation& a) {
  const int64_t latest = versions == nullptr ? 0 : versions->back().version;
  if (a.version >= 1 && a.version <= latest) {
    const Authorisation& recorded = (*versions)[static_cast<size_t>(a.version - 1)];
    if (recorded.SameContent(a)) return Verdict(Replay{a.party, a.id, a.version});
    return Verdict(Rejection{Article6Check::kVersionExists,
                             "version " + std::to_string(a.version) + " of " + a.party + " " +
                                 a.id + " is recorded with other content; a change is version " +
                                 std::to_string(latest + 1)});
  }
  if (a.version != latest + 1) {
    return Verdict(
        Rejection{Article6Check::kVersionNotNext, "the next version of " + a.party + " " + a.id +
                                                      " is " + std::to_string(latest + 1) +
                                                      ", got " + std::to_string(a.version)});
  }
  if (versions == nullptr) return std::nullopt;
  const Authorisation& superseded = versions->back();
  if (a.date < superseded.date) {
    return Verdict(Rejection{Article6Check::kDateBeforeSuperseded,
                             "version " + std::to_string(a.version) + " is dated " +
                                 a.date.ToString() + ", before version " +
                                 std::to_string(superseded.version) + " (" +
                                 superseded.date.ToString() + ")"});
  }
  if (a.cooperative_approach != superseded.cooperative_approach) {
    return Verdict(Rejection{Article6Check::kCooperativeApproachChanged,
                             a.party + " " + a.id + " is under " + superseded.cooperative_approach +
                                 "; a new version keeps it"});
  }
  return std::nullopt;
}

}  // namespace

core::Status AuthorisationBook::Apply(std::string_view kind, const core::Record& body,
                                      int64_t seq) {
  last_seq_ = seq;
  if (kind != kEventAuthorisation) return core::OkStatus();
  JCM_ASSIGN_OR_RETURN(Authorisation a, Authorisation::FromRecord(body));
  a.recorded_seq = seq;
  std::vector<Authorisation>& versions = versions_[{a.party, a.id}];
  const int64_t expected = versions.empty() ? 1 : versions.back().version + 1;
  if (a.version != expected) {
    return core::DataLoss("authorisation " + a.party + " " + a.id + " version " +
                          std::to_string(a.version) + " follows version " +
                          std::to_string(expected - 1) + " (INV-40)");
  }
  versions.push_back(std::move(a));
  return core::OkStatus();
}

const std::vector<Authorisation>* AuthorisationBook::Versions(const std::string& party,
                                                              const std::string& id) const {
  const auto it = versions_.find({party, id});
  return it == versions_.end() ? nullptr : &it->second;
}

const Authorisation* AuthorisationBook::Latest(const std::string& party,
                                               const std::string& id) const {
  const auto* versions = Versions(party, id);
  return versions == nullptr ? nullptr : &versions->back();
}

std::vector<const Authorisation*> AuthorisationBook::LatestAll(const std::string& party) const {
  std::vector<const Authorisation*> all;
  for (const auto& [key, versions] : versions_) {
    if (party.empty() || key.first == party) all.push_back(&versions.back());
  }
  return all;
}

Verdict DecideAdd(const AuthorisationBook& book, const AuthorisationRequest& request) {
  auto valid = Validate(request);
  if (auto* rejection = std::get_if<Rejection>(&valid)) return std::move(*rejection);
  Authorisation& a = std::get<Authorisation>(valid);
  if (auto decided = CheckVersions(book.Versions(a.party, a.id), a)) return std::move(*decided);
  return std::move(a);
}

}  // namespace jcm::article6
