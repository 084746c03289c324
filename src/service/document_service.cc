#include "service/document_service.h"

#include "core/sha256.h"
#include "core/text.h"

namespace jcm::service {
namespace {

// A resource with one field set (the others empty).
identity::Resource ResourceWith(std::string identity::Resource::*field, const std::string& value) {
  identity::Resource resource;
  resource.*field = value;
  return resource;
}

DocumentRecord RecordOf(const ledger::JournalEntry& entry, bool replayed) {
  const core::Record& body = entry.body;
  DocumentRecord record;
  record.sha256 = std::string(body.Find("sha256").value_or(""));
  record.name = std::string(body.Find("name").value_or(""));
  record.bytes = core::ParseInt64(body.Find("bytes").value_or("0")).value_or(0);
  record.confidential = body.Find("confidential").value_or("") == "true";
  record.joint_committee = std::string(body.Find("joint_committee").value_or(""));
  record.user = std::string(body.Find("user").value_or(""));
  record.seq = entry.seq;
  record.time = entry.time;
  record.replayed = replayed;
  return record;
}

void AddCited(const std::vector<cycle::Document>& documents, const std::string& sha256,
              const std::string& joint_committee, DocumentDescription& description) {
  for (const cycle::Document& document : documents) {
    if (document.sha256 != sha256) continue;
    description.described = true;
    description.confidential = description.confidential || document.confidential;
    description.joint_committees.insert(joint_committee);
  }
}

bool HasRole(const identity::Principal& principal, identity::RoleKind kind) {
  for (const identity::Role& role : principal.roles) {
    if (role.kind == kind) return true;
  }
  return false;
}

// The JC's secretariat, or a TPE the JC designated (whatever its scope or function).
bool WorksFor(const identity::Principal& principal, const std::string& joint_committee,
              const cycle::State& state) {
  if (identity::Authorize(principal, identity::Action::kCycleStep,
                          ResourceWith(&identity::Resource::joint_committee, joint_committee))) {
    return true;
  }
  for (const cycle::TpeDesignation& designation : state.tpe_designations) {
    if (designation.partner == joint_committee &&
        identity::Authorize(principal, identity::Action::kTpeStep,
                            ResourceWith(&identity::Resource::organisation, designation.org_id))) {
      return true;
    }
  }
  return false;
}

}  // namespace

core::Status CheckDocumentName(std::string_view name) {
  if (auto problem = core::TextProblem(name, "document name", kDocumentNameBytesMax, true)) {
    return core::InvalidArgument(*problem);
  }
  if (name.empty() || name == "." || name == ".." ||
      name.find_first_of("/\\") != std::string_view::npos) {
    return core::InvalidArgument(
        "a document name is a plain file name (no '/' or '\\', not '.' or '..'), got '" +
        std::string(name) + "'");
  }
  return core::OkStatus();
}

bool MayReadDocument(const identity::Principal& principal, const DocumentDescription& description,
                     const cycle::State& state) {
  if (HasRole(principal, identity::RoleKind::kAuditor)) return true;
  if (!description.described) return false;
  if (!description.confidential) return true;
  for (const std::string& joint_committee : description.joint_committees) {
    if (WorksFor(principal, joint_committee, state)) return true;
  }
  return false;
}

bool MayUploadDocument(const identity::Principal& principal, const std::string& joint_committee,
                       const cycle::State& state) {
  return WorksFor(principal, joint_committee, state);
}

core::Status DocumentService::Refresh() {
  JCM_ASSIGN_OR_RETURN(std::vector<ledger::JournalEntry> entries,
                       store_.ReadJournal(last_seq_ + 1, std::string(kDocumentUploadedKind)));
  for (const ledger::JournalEntry& entry : entries) {
    DocumentRecord record = RecordOf(entry, false);
    uploads_[record.sha256].push_back(std::move(record));
    last_seq_ = entry.seq;
  }
  return core::OkStatus();
}

core::Result<OrRejection<DocumentRecord>> DocumentService::Upload(const DocumentUpload& upload,
                                                                  const cycle::State& state) {
  JCM_RETURN_IF_ERROR(CheckDocumentName(upload.name));
  if (upload.bytes.empty()) return core::InvalidArgument("a document has at least one byte");
  if (upload.idempotency_key.empty()) return core::InvalidArgument("an upload needs a key");
  if (!state.committees.contains(upload.joint_committee)) {
    return core::NotFound("no Joint Committee '" + upload.joint_committee +
                          "' is established (name it by its partner's code, e.g. MN)");
  }
  const std::string sha256 = core::Sha256Hex(upload.bytes);
  JCM_RETURN_IF_ERROR(store_.PutDocument(sha256, upload.bytes));  // before any entry cites it
  core::Record body;
  body.Add("sha256", sha256)
      .Add("name", upload.name)
      .AddInt("bytes", static_cast<int64_t>(upload.bytes.size()))
      .Add("confidential", upload.confidential ? "true" : "false")
      .Add("joint_committee", upload.joint_committee)
      .Add("user", upload.user)
      .Add("key", upload.idempotency_key);  // as a ledger command's entry: the audit's INV-13
  ledger::AppendEvent append{std::string(kDocumentUploadedKind), std::move(body),
                             upload.idempotency_key, -1};
  JCM_ASSIGN_OR_RETURN(store::Outcome outcome, store_.Submit(append));
  if (outcome.rejection) return OrRejection<DocumentRecord>(FromLedger(*outcome.rejection));
  return OrRejection<DocumentRecord>(RecordOf(outcome.entry, outcome.replayed));
}

core::Result<DocumentDescription> DocumentService::Describe(const std::string& sha256,
                                                            const cycle::State& state) {
  JCM_RETURN_IF_ERROR(Refresh());
  DocumentDescription description;
  if (auto it = uploads_.find(sha256); it != uploads_.end()) {
    description.uploads = it->second;
    for (const DocumentRecord& upload : it->second) {
      description.described = true;
      description.confidential = description.confidential || upload.confidential;
      description.joint_committees.insert(upload.joint_committee);
    }
  }
  for (const auto& [id, project] : state.projects) {
    AddCited(project.documents, sha256, project.partner, description);
  }
  for (const auto& [code, methodology] : state.methodologies) {
    AddCited(methodology.documents, sha256, methodology.partner, description);
  }
  return description;
}

}  // namespace jcm::service
