// The MRV engine's use cases (docs/mrv.md): the installed methodologies and the calculation of
// emission reductions from monitoring data, with the content hashes that make a calculation
// citable; and MrvResult, the typed figure a monitoring report takes from a calculation.
#pragma once

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "mrv/calculator.h"
#include "mrv/methodology_catalog.h"
#include "service/errors.h"
#include "service/methodology_ref.h"

namespace jcm::service {

// The catalog of the methodology directory FindMethodologyDirectory (install_paths.h) finds:
// `directory` when given, else $JCM_METHODOLOGIES, else <prefix>/share/jcm/methodologies beside
// the executable, $JCM_SOURCE_DIR/methodologies or ./methodologies. NotFound naming them otherwise.
core::Result<mrv::MethodologyCatalog> OpenMethodologyCatalog(
    const std::optional<std::string>& directory);

// Every installed methodology version, loaded (InvalidArgument if one does not load).
core::Result<std::vector<mrv::Methodology>> LoadMethodologies(
    const mrv::MethodologyCatalog& catalog);

struct MrvCalcRequest {
  std::optional<std::string> methodology;  // ID[@VERSION]; default: the params file's
  std::string params_path;
  std::vector<std::string> data_paths;               // CSV exports and report sheets (.xlsx or CSV)
  std::optional<std::vector<core::Period>> periods;  // default: the params file's
  int threads = 1;
  std::optional<std::string> report_xlsx_path;  // written when given
  std::optional<std::string> report_csv_path;
  std::atomic<uint64_t>* bytes_done = nullptr;  // progress of the CSV ingest; may be null
};

struct HashedInput {
  std::string role;  // "methodology", "params", "data"
  std::string path;
  uint64_t bytes = 0;
  std::string sha256;
};

struct MrvCalculation {
  mrv::CalcReport report;
  std::vector<HashedInput> inputs;
  int64_t er_tco2e = 0;  // conservative total: periods that are not issuable count 0
  bool issuable = true;  // every period is issuable
};

// InvalidArgument for a malformed request or input file (messages FILE:LINE:COLUMN), NotFound
// for a missing file or methodology, FailedPrecondition for a value the project file lacks.
core::Result<MrvCalculation> CalculateMrv(const mrv::MethodologyCatalog& catalog,
                                          const MrvCalcRequest& request);

// The business verdict on a calculation: check 201 when the project is ineligible, 202 when a
// period is not issuable; nullopt when its figure may be reported.
std::optional<Rejection> JudgeMrvCalculation(const MrvCalculation& calculation);

// What a monitoring report takes from a calculation.
struct MrvResult {
  MethodologyRef methodology;
  int64_t er_tco2e = 0;
  bool eligible = false;
  bool issuable = false;
  std::string calculation_sha256;  // the content address of the calculation's published result
  std::vector<std::string> input_sha256;
};

// Checks 201 and 202 on a result (as JudgeMrvCalculation); nullopt when it may be reported.
std::optional<Rejection> JudgeMrvResult(const MrvResult& result);

// `calculation_sha256`: the SHA-256 of the calculation's published form (the bytes of
// `jcm mrv calc --json`; see service/json/mrv_json.h), so both routes give the same hash.
core::Result<MrvResult> MrvResultOf(const MrvCalculation& calculation,
                                    std::string calculation_sha256);

}  // namespace jcm::service
