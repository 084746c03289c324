// The AEF's journaled records (aef.h): T4 as frozen and the submitted versions.
#include <algorithm>

#include "article6/aef.h"
#include "article6/vocabulary.h"
#include "core/split.h"
#include "core/text.h"

namespace jcm::article6 {
namespace {

// A T4 row in one journal field: its cells joined by '|', which no cell of T4 holds (codes,
// integers, the metric, the mitigation type and "AR5 GWP100"; ValidateAefTables vouches).
std::string JoinRow(const std::vector<std::string>& row) {
  std::string out;
  for (size_t i = 0; i < row.size(); ++i) out += (i == 0 ? "" : "|") + row[i];
  return out;
}

std::vector<std::string> SplitRow(std::string_view text) {
  const std::vector<std::string_view> cells = core::SplitFields(text);
  return {cells.begin(), cells.end()};
}

core::Result<int> YearOf(const core::Record& body) {
  JCM_ASSIGN_OR_RETURN(int64_t year, body.GetInt("year"));
  if (year < 1990 || year > 2100) return core::DataLoss("AEF year out of range");
  return static_cast<int>(year);
}

// "1.0" → 1, "1.7" → 7: the minor number of a version this book wrote.
int MinorOf(std::string_view version) {
  const size_t dot = version.find('.');
  return static_cast<int>(core::ParseInt64(version.substr(dot + 1)).value_or(0));
}

}  // namespace

core::Record FrozenHoldings::ToRecord() const {
  core::Record body;
  body.Add("party", party);
  body.AddInt("year", year);
  body.AddInt("as_of_seq", as_of_seq);
  for (const std::vector<std::string>& row : rows) body.Add("row", JoinRow(row));
  return body;
}

core::Result<FrozenHoldings> FrozenHoldings::FromRecord(const core::Record& body) {
  FrozenHoldings out;
  JCM_ASSIGN_OR_RETURN(out.party, body.Get("party"));
  JCM_ASSIGN_OR_RETURN(out.year, YearOf(body));
  JCM_ASSIGN_OR_RETURN(out.as_of_seq, body.GetInt("as_of_seq"));
  const size_t columns = AefColumns(AefTableId::kHoldings).size();
  for (std::string_view text : body.FindAll("row")) {
    out.rows.push_back(SplitRow(text));
    if (out.rows.back().size() != columns) return core::DataLoss("a frozen T4 row is malformed");
  }
  if (!IsPartyCode(out.party)) return core::DataLoss("frozen T4 of a malformed Party");
  return out;
}

core::Record AefSubmission::ToRecord() const {
  core::Record body;
  body.Add("party", party);
  body.AddInt("year", year);
  body.Add("version", version);
  body.Add("date", date);
  body.Add("digest", digest);
  return body;
}

core::Result<AefSubmission> AefSubmission::FromRecord(const core::Record& body) {
  AefSubmission out;
  JCM_ASSIGN_OR_RETURN(out.party, body.Get("party"));
  JCM_ASSIGN_OR_RETURN(out.year, YearOf(body));
  JCM_ASSIGN_OR_RETURN(out.version, body.Get("version"));
  JCM_ASSIGN_OR_RETURN(out.date, body.Get("date"));
  JCM_ASSIGN_OR_RETURN(out.digest, body.Get("digest"));
  return out;
}

core::Status AefBook::Apply(std::string_view kind, const core::Record& body, int64_t seq) {
  last_seq_ = std::max(last_seq_, seq);
  if (kind == kEventAefHoldings) {
    JCM_ASSIGN_OR_RETURN(FrozenHoldings holdings, FrozenHoldings::FromRecord(body));
    const auto key = std::make_pair(holdings.party, holdings.year);
    if (holdings_.contains(key)) return core::DataLoss("T4 of one year frozen twice");
    holdings_.emplace(key, std::move(holdings));
  } else if (kind == kEventAefSubmission) {
    JCM_ASSIGN_OR_RETURN(AefSubmission submission, AefSubmission::FromRecord(body));
    std::vector<AefSubmission>& versions = submissions_[{submission.party, submission.year}];
    const std::string expected =
        versions.empty() ? "1.0" : "1." + std::to_string(MinorOf(versions.back().version) + 1);
    if (submission.version != expected) return core::DataLoss("AEF versions out of order");
    versions.push_back(std::move(submission));
  }
  return core::OkStatus();
}

const FrozenHoldings* AefBook::Holdings(const std::string& party, int year) const {
  const auto found = holdings_.find({party, year});
  return found == holdings_.end() ? nullptr : &found->second;
}

std::span<const AefSubmission> AefBook::Submissions(const std::string& party, int year) const {
  const auto found = submissions_.find({party, year});
  if (found == submissions_.end()) return {};
  return found->second;
}

std::pair<std::string, bool> AefBook::NextVersion(const std::string& party, int year,
                                                  const std::string& digest) const {
  const std::span<const AefSubmission> versions = Submissions(party, year);
  if (versions.empty()) return {"1.0", false};
  if (versions.back().digest == digest) return {versions.back().version, true};
  return {"1." + std::to_string(MinorOf(versions.back().version) + 1), false};
}

}  // namespace jcm::article6
