// The MRV evidence of a monitoring report (docs/mrv.md, "Recomputation from stored evidence";
// INV-30, INV-31): a report submitted with its parameter file and monitoring files stores them,
// the methodology definition the engine read (its exact bytes) and the published report, all
// content-addressed, and journals their SHA-256s in its cycle event; recomputation reads those
// stored documents alone, runs the engine again and compares the report byte for byte.
//
// The published bytes of a calculation are `service::json::MrvReportText`, which jcm_service
// does not link (the JSON codecs sit above it): the front end passes it as an MrvReportPrinter.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "cycle/issuance_payloads.h"
#include "mrv/methodology_catalog.h"
#include "service/errors.h"
#include "service/mrv_documents.h"
#include "service/mrv_service.h"
#include "store/store.h"

namespace jcm::service {

// The published bytes of a calculation (service::json::MrvReportText).
using MrvReportPrinter = std::string (*)(const MrvCalculation&);

// What a monitoring report's evidence gives its submission.
struct PreparedMrvEvidence {
  MrvCalculation calculation;
  std::string report_text;  // the published report; its SHA-256 is mrv_calculation_sha256
  MrvResult result;
  // The bytes to store once the step is accepted: the methodology definition, the parameter
  // file, each monitoring file, the published report.
  std::vector<std::string> documents;
};

// The evidence `report` cites (mrv_params_sha256, mrv_data_sha256, optionally mrv_methodology as
// ID[@VERSION], default the parameter file's): each file's bytes from `given` (bytes a caller
// passes, matched by SHA-256) or else from the store; the methodology definition's bytes from
// `catalog`; the calculation over them for the report's period (CalculateMrvOfEvidence). Sets
// the report's mrv_methodology (ID@VERSION) and mrv_methodology_sha256. InvalidArgument for a
// malformed citation or input; NotFound for a file neither given nor stored, or a methodology
// not installed.
core::Result<PreparedMrvEvidence> PrepareMrvEvidence(store::Store& store,
                                                     const mrv::MethodologyCatalog& catalog,
                                                     MrvReportPrinter print, int threads,
                                                     const std::vector<std::string>& given,
                                                     cycle::SubmitMonitoringReport& report);

// One stored file of a report's evidence, named as the recomputation names it.
struct MrvEvidenceFile {
  std::string role;  // "methodology", "params", "data", "report"
  std::string name;  // "MN_AM003/v2.0.jcmm", "params.txt", "data-1.csv", "report.json"
  std::string sha256;
  int64_t bytes = 0;  // 0 when it could not be read back
};

struct MrvRecomputation {
  int64_t report_seq = 0;  // the cycle.monitoring_report_submitted entry
  std::string project;
  core::Period period;
  std::string methodology;  // ID@VERSION
  int64_t reported_tco2e = 0;
  int64_t recomputed_tco2e = 0;
  std::string recorded_sha256;
  std::string recomputed_sha256;  // empty when the engine did not run
  std::vector<MrvEvidenceFile> files;
  // The first difference found (checks 230–234, docs/checks.md); nullopt: identical.
  std::optional<Rejection> difference;
  // For check 233: the first byte that differs (0-based) and its line and column (1-based).
  int64_t difference_offset = -1;
  int64_t difference_line = 0;
  int64_t difference_column = 0;
  bool identical() const { return !difference.has_value(); }
};

// Recomputes the monitoring report journaled as entry `seq` from its stored evidence alone.
// NotFound when that entry is not a monitoring report or a stored file is missing (named by
// role, name and SHA-256); FailedPrecondition when the report stored no evidence (submitted
// with a figure or a result file only). A difference is the result's `difference`, not an error.
core::Result<MrvRecomputation> RecomputeMonitoringReport(store::Store& store, int64_t seq,
                                                         MrvReportPrinter print, int threads);

// The entries of every monitoring report journaled with stored evidence, in journal order.
core::Result<std::vector<int64_t>> MonitoringReportsWithEvidence(store::Store& store);

}  // namespace jcm::service
