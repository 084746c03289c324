// DocumentService: documents uploaded on their own (docs/api.md, "Documents") — stored
// content-addressed (Store::PutDocument) and described by a journaled `document.uploaded` entry
// (name, size, confidentiality, the Joint Committee whose cycle it serves, the uploader) — and
// who may read a stored document.
//
// A document's description is the union of its upload entries and of the project-cycle events
// that cite it (a project's or a methodology's documents, cycle/state.h): it is confidential when
// any of them says so (JCM rules: a confidential submission is handled by TPEs, JC members and
// experts, beside a public, redacted copy — ../shared/research/jcm-domain.md §1.2). A confidential
// document may be read by
//   - the JC secretariat of a Joint Committee it belongs to (identity Action kCycleStep on it),
//   - a TPE designated by such a Joint Committee (kTpeStep on its organisation),
//   - an auditor (reads everything);
// nobody else (no authorised representative: an AR's right is on an account, not a project).
// A public document may be read by anyone; a stored document that nothing describes (its upload
// entry failed after the bytes were stored) only by an auditor. A Joint Committee is named by
// its partner's code ("MN"), as the cycle state keys committees and roles scope
// `jc_secretariat:MN`.
//
// Upload idempotency: the key binds the upload's description (ledger check 1 for the same key
// with another document or description; the first entry is returned on a retry).
//
// Not thread-safe: one DocumentService per thread (it caches the upload entries).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/status.h"
#include "cycle/state.h"
#include "identity/access.h"
#include "service/errors.h"
#include "store/store.h"

namespace jcm::service {

inline constexpr std::string_view kDocumentUploadedKind = "document.uploaded";
inline constexpr size_t kDocumentNameBytesMax = 255;

struct DocumentUpload {
  std::string name;  // a plain file name: no '/', '\\', '.', '..', control character (400)
  bool confidential = false;
  std::string joint_committee;  // partner code of an established Joint Committee
  std::string bytes;            // 1 byte to store::kDocumentBytesMax
  std::string user;             // the uploader, journaled
  std::string idempotency_key;  // required
};

struct DocumentRecord {
  std::string sha256;
  std::string name;
  int64_t bytes = 0;
  bool confidential = false;
  std::string joint_committee;
  std::string user;
  int64_t seq = 0;  // the document.uploaded entry
  std::string time;
  bool replayed = false;
};

// What is known of a stored document's readership.
struct DocumentDescription {
  bool described = false;     // an upload entry or a cycle event names it
  bool confidential = false;  // one of them marks it confidential
  std::set<std::string> joint_committees;
  std::vector<DocumentRecord> uploads;  // its upload entries, in journal order
};

// InvalidArgument naming why `name` is not a plain document name (path traversal included).
core::Status CheckDocumentName(std::string_view name);

// True when `principal` may read a document so described (see the file comment).
bool MayReadDocument(const identity::Principal& principal, const DocumentDescription& description,
                     const cycle::State& state);
// True when `principal` may upload a document for `joint_committee`: its secretariat, or a TPE
// it designated.
bool MayUploadDocument(const identity::Principal& principal, const std::string& joint_committee,
                       const cycle::State& state);

class DocumentService {
 public:
  // `store` must outlive the service.
  explicit DocumentService(store::Store& store) : store_(store) {}

  // Stores the bytes, then journals their description. InvalidArgument for a bad name, an
  // empty body or a missing key; ResourceExhausted above store::kDocumentBytesMax; NotFound when
  // the Joint Committee is not established in `state`.
  core::Result<OrRejection<DocumentRecord>> Upload(const DocumentUpload& upload,
                                                   const cycle::State& state);
  // The description of `sha256` from the upload entries and `state`.
  core::Result<DocumentDescription> Describe(const std::string& sha256, const cycle::State& state);

 private:
  core::Status Refresh();

  store::Store& store_;
  int64_t last_seq_ = 0;
  std::map<std::string, std::vector<DocumentRecord>> uploads_;  // by sha256
};

}  // namespace jcm::service
