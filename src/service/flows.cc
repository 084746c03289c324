#include "service/flows.h"

#include <map>

namespace jcm::service {
namespace {

constexpr int64_t kJournalBatchEntries = 1'000;

}  // namespace

std::string FlowTimeOf(const ledger::JournalEntry& entry) {
  if (entry.body.Find("import_source")) {
    const std::string_view decision = entry.body.Find("decision").value_or("");
    const size_t at = decision.rfind('@');
    if (at != std::string_view::npos && decision.size() - at > 10) {
      return std::string(decision.substr(at + 1));
    }
  }
  return entry.time;
}

core::Result<FlowInterval> FlowIntervalFromName(const std::string& name) {
  if (name == "year") return FlowInterval::kYear;
  if (name == "month") return FlowInterval::kMonth;
  return core::InvalidArgument("interval must be year or month; got '" + name + "'");
}

core::Result<std::vector<FlowBucket>> FlowsOverTime(store::Store& store,
                                                    const std::optional<std::string>& registry,
                                                    FlowInterval interval) {
  const size_t period_chars = interval == FlowInterval::kYear ? 4 : 7;
  std::map<std::string, FlowBucket> buckets;
  int64_t next_seq = 1;
  while (true) {
    JCM_ASSIGN_OR_RETURN(std::vector<ledger::JournalEntry> entries,
                         store.ReadJournalRange(next_seq, kJournalBatchEntries));
    for (const ledger::JournalEntry& entry : entries) {
      if (entry.kind != "transaction") continue;
      if (registry && entry.body.Find("registry").value_or("") != *registry) continue;
      const std::string type(entry.body.Find("type").value_or(""));
      JCM_ASSIGN_OR_RETURN(int64_t quantity, entry.body.GetInt("quantity"));
      const std::string period = FlowTimeOf(entry).substr(0, period_chars);
      FlowBucket& bucket = buckets[period];
      bucket.period = period;
      if (type == "issuance") bucket.issued_tco2e += quantity;
      if (type == "retirement") bucket.retired_tco2e += quantity;
      if (type == "cancellation") bucket.cancelled_tco2e += quantity;
    }
    if (static_cast<int64_t>(entries.size()) < kJournalBatchEntries) break;
    next_seq = entries.back().seq + 1;
  }
  std::vector<FlowBucket> flows;
  for (auto& [period, bucket] : buckets) {
    if (bucket.issued_tco2e + bucket.retired_tco2e + bucket.cancelled_tco2e > 0) {
      flows.push_back(std::move(bucket));
    }
  }
  return flows;
}

}  // namespace jcm::service
