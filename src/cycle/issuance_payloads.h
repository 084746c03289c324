// Payloads of the monitoring, verification and issuance steps of the project cycle (the
// second half of the Payload variant in command.h, whose header states the contract: each
// payload lists its fields once in Visit(), and its kind is journaled as "cycle.<kKind>").
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "cycle/enums.h"
#include "cycle/payload_common.h"

namespace jcm::cycle {

// ---- Monitoring, verification, issuance ----
struct AddMonitoringPeriod {
  JCM_CYCLE_PAYLOAD(AddMonitoringPeriod, "monitoring_period_added");
  std::string project;
  core::Period period;
  core::Date date;
  template <class V>
  void Visit(V&& v) {
    v("project", project);
    v("period", period);
    v("date", date);
  }
};
struct SubmitMonitoringReport {
  JCM_CYCLE_PAYLOAD(SubmitMonitoringReport, "monitoring_report_submitted");
  std::string project;
  core::Period period;
  int64_t reported_tco2e = 0;
  Document document;
  std::string mrv_calculation_sha256;         // optional: the MRV engine's result hash
  std::vector<std::string> mrv_input_sha256;  // optional: its input files' hashes
  core::Date date;
  // The MRV evidence stored with the report (docs/mrv.md, "Recomputation"), all optional and
  // journaled after the older fields only when set, so earlier entries keep their encoding:
  // the methodology as the engine names it (ID@VERSION), the SHA-256 of its definition's bytes,
  // of the parameter file and of each monitoring file, in the order the engine read them.
  std::optional<std::string> mrv_methodology = std::nullopt;
  std::optional<std::string> mrv_methodology_sha256 = std::nullopt;
  std::optional<std::string> mrv_params_sha256 = std::nullopt;
  std::vector<std::string> mrv_data_sha256 = {};
  template <class V>
  void Visit(V&& v) {
    v("project", project);
    v("period", period);
    v("reported_tco2e", reported_tco2e);
    v("document", document);
    v("mrv_calculation_sha256", mrv_calculation_sha256);
    v("mrv_input_sha256", mrv_input_sha256);
    v("date", date);
    v("mrv_methodology", mrv_methodology);
    v("mrv_methodology_sha256", mrv_methodology_sha256);
    v("mrv_params_sha256", mrv_params_sha256);
    v("mrv_data_sha256", mrv_data_sha256);
  }
};
struct SubmitVerification {
  JCM_CYCLE_PAYLOAD(SubmitVerification, "verification_submitted");
  std::string project;
  core::Period period;
  int64_t verified_tco2e = 0;
  Document report;
  core::Date date;
  template <class V>
  void Visit(V&& v) {
    v("project", project);
    v("period", period);
    v("verified_tco2e", verified_tco2e);
    v("report", report);
    v("date", date);
  }
};
struct RequestIssuance {
  JCM_CYCLE_PAYLOAD(RequestIssuance, "issuance_requested");
  std::string project;
  core::Period period;
  int64_t requested_tco2e = 0;
  Document document;
  core::Date date;
  template <class V>
  void Visit(V&& v) {
    v("project", project);
    v("period", period);
    v("requested_tco2e", requested_tco2e);
    v("document", document);
    v("date", date);
  }
};
struct WithdrawIssuanceRequest {
  JCM_CYCLE_PAYLOAD(WithdrawIssuanceRequest, "issuance_request_withdrawn");
  std::string project;
  core::Period period;
  core::Date date;
  template <class V>
  void Visit(V&& v) {
    v("project", project);
    v("period", period);
    v("date", date);
  }
};
struct DecideIssuance {
  JCM_CYCLE_PAYLOAD(DecideIssuance, "issuance_decided");
  std::string project;
  core::Period period;
  int64_t total_tco2e = 0;
  std::vector<SideAmount> sides;  // derived from the allocation when empty (allocation.h)
  bool electronic = false;
  core::Date date;
  template <class V>
  void Visit(V&& v) {
    v("project", project);
    v("period", period);
    v("total_tco2e", total_tco2e);
    v("side", sides);
    v("electronic", electronic);
    v("date", date);
  }
};
// Publishes a JC issuance decision whose earlier steps are not in the journal (import).
struct RecordIssuanceDecision {
  JCM_CYCLE_PAYLOAD(RecordIssuanceDecision, "issuance_decision_recorded");
  std::string project;
  core::Period period;
  std::vector<SideAmount> sides;
  core::Date date;
  template <class V>
  void Visit(V&& v) {
    v("project", project);
    v("period", period);
    v("side", sides);
    v("date", date);
  }
};
struct ExecuteIssuance {
  JCM_CYCLE_PAYLOAD(ExecuteIssuance, "issuance_executed");
  std::string project;
  core::Period period;
  std::string side;
  std::string ledger_transaction;  // the ledger issuance's id, when known
  core::Date date;
  template <class V>
  void Visit(V&& v) {
    v("project", project);
    v("period", period);
    v("side", side);
    v("ledger_transaction", ledger_transaction);
    v("date", date);
  }
};

}  // namespace jcm::cycle
