// The MRV calculation over stored documents (docs/api.md, "MRV calculations"): the project
// parameters file and the monitoring files are uploaded first (DocumentService) and cited by
// SHA-256, so a calculation's inputs are exactly the documents a monitoring report can cite
// (its mrv_input_sha256), and no file of the server is named by a client.
//
// The engine reads files (memory-mapped CSV ingest, report sheets), so the documents are written
// to a fresh private directory (mode 0700) under the system's temporary directory, named by
// their role — `params.txt`, `data-1.csv`, `data-2.xlsx` (an .xlsx when the bytes are a ZIP
// archive) — and removed when the calculation ends, whatever its outcome. Paths in the report
// and in error messages are these names without the directory; the methodology file is named by
// its path in the methodology directory.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "mrv/methodology_catalog.h"
#include "service/mrv_service.h"
#include "store/store.h"

namespace jcm::service {

struct MrvDocumentsRequest {
  std::optional<std::string> methodology;  // ID[@VERSION]; default: the params file's
  std::string params_sha256;
  std::vector<std::string> data_sha256;              // 1 to kMrvDataDocumentsMax
  std::optional<std::vector<core::Period>> periods;  // default: the params file's
  int threads = 1;
};

inline constexpr size_t kMrvDataDocumentsMax = 64;

// NotFound for a document that is not stored; otherwise as CalculateMrv.
core::Result<MrvCalculation> CalculateMrvOfDocuments(store::Store& store,
                                                     const mrv::MethodologyCatalog& catalog,
                                                     const MrvDocumentsRequest& request);

// The files of a calculation as bytes, the methodology's definition included: what a
// monitoring report stores as its evidence and recomputation reads back (mrv_evidence.h).
struct MrvEvidenceFiles {
  std::string methodology_id;       // "MN_AM003"
  std::string methodology_version;  // "2.0"
  std::string methodology;          // the definition's bytes (a .jcmm file)
  std::string params;
  std::vector<std::string> data;
};

// The calculation of `files` for `periods`, as CalculateMrvOfDocuments names its files, with
// the methodology read from a catalog holding only `files.methodology` (written as
// <ID>/v<VERSION>.jcmm): the installed methodologies play no part, so the same files give the
// same report wherever and whenever it runs. InvalidArgument for an id or version that is not a
// plain name; otherwise as CalculateMrv.
core::Result<MrvCalculation> CalculateMrvOfEvidence(const MrvEvidenceFiles& files,
                                                    const std::vector<core::Period>& periods,
                                                    int threads);

}  // namespace jcm::service
