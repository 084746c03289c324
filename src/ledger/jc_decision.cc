#include "ledger/jc_decision.h"

#include <algorithm>
#include <vector>

#include "core/registry_code.h"
#include "core/split.h"

namespace jcm::ledger {
namespace {}  // namespace

bool IsProjectReference(std::string_view project) {
  if (project.size() != 5) return false;
  const std::string_view partner = project.substr(0, 2);
  const std::string_view digits = project.substr(2);
  if (partner == "JP" || !core::IsKnownRegistryCode(partner) || digits == "000") return false;
  return std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string EncodeJcDecision(const JcDecision& d) {
  return d.id + "|" + d.registry.str() + "|" + d.project + "|" + d.period.ToString() + "|" +
         std::to_string(d.notified_tco2e);
}

core::Result<JcDecision> DecodeJcDecision(std::string_view text) {
  const std::vector<std::string_view> parts = core::SplitFields(text);
  auto bad = [&] {
    return core::DataLoss("corrupt jc_decision field '" + std::string(text) + "'");
  };
  if (parts.size() != 5 || !core::IsKnownRegistryCode(parts[1])) return bad();
  auto period = core::Period::Parse(parts[3]);
  auto notified = core::ParseInt64(parts[4]);
  if (!period.ok() || !notified) return bad();
  JcDecision d;
  d.id = std::string(parts[0]);
  d.registry = core::RegistryCode::FromTrusted(parts[1]);
  d.project = std::string(parts[2]);
  d.period = *period;
  d.notified_tco2e = *notified;
  return d;
}

core::Result<std::optional<Rejection>> CheckDecisionRecord(Reader& reader, const JcDecision& d) {
  auto reject = [](std::string message) {
    return std::optional<Rejection>(
        Rejection{CheckCode::kDecisionRecordInvalid, std::move(message)});
  };
  if (d.id.empty() || d.id.size() > kTextFieldBytesMax ||
      d.id.find_first_of("|\n") != std::string::npos) {
    return reject("a JC decision needs an id of at most " + std::to_string(kTextFieldBytesMax) +
                  " bytes without '|'");
  }
  if (!IsProjectReference(d.project)) {
    return reject("decision " + d.id + ": project reference '" + d.project +
                  "' is not of the form CC999");
  }
  if (d.notified_tco2e <= 0 || d.notified_tco2e > kUnitsPerTransactionMax) {
    return reject("decision " + d.id + " notifies " + std::to_string(d.notified_tco2e) +
                  " tCO2e to " + d.registry.str() + "; a recorded decision notifies 1 to " +
                  std::to_string(kUnitsPerTransactionMax));
  }
  JCM_ASSIGN_OR_RETURN(auto existing, reader.FindJcDecision(d.id, d.registry));
  if (existing) {
    return reject("decision " + d.id + " is already recorded for registry " + d.registry.str() +
                  " (entry " + std::to_string(existing->recorded_seq) + ")");
  }
  return std::optional<Rejection>();
}

}  // namespace jcm::ledger
