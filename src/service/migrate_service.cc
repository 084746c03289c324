#include "service/migrate_service.h"

namespace jcm::service {
namespace {

// Everything `from` holds. The ledger and the documents come from one snapshot when the store
// keeps snapshots; the secrets (outside the journal) from the store itself.
core::Result<store::RegistryImage> ReadImage(store::Store& from) {
  auto snapshot = from.Snapshot();
  store::Store& source = snapshot.ok() ? **snapshot : from;
  store::RegistryImage image;
  JCM_ASSIGN_OR_RETURN(image.journal, source.ReadJournal(1));
  JCM_ASSIGN_OR_RETURN(image.state, source.ReadState());
  JCM_ASSIGN_OR_RETURN(image.log_heads, source.ListLogHeads());
  JCM_ASSIGN_OR_RETURN(std::vector<std::string> hashes, source.ListDocuments());
  for (const std::string& sha256 : hashes) {
    JCM_ASSIGN_OR_RETURN(std::optional<std::string> bytes, source.GetDocument(sha256));
    if (bytes) image.documents.emplace_back(sha256, std::move(*bytes));
  }
  JCM_ASSIGN_OR_RETURN(image.user_secrets, from.Credentials().ListUserSecrets());
  JCM_ASSIGN_OR_RETURN(image.tokens, from.Credentials().ListTokens(""));
  return image;
}

}  // namespace

core::Result<MigrationReport> MigrateRegistry(store::Store& from, store::Store& to) {
  MigrationReport report;
  {
    JCM_ASSIGN_OR_RETURN(store::RegistryImage image, ReadImage(from));
    report.documents = static_cast<int64_t>(image.documents.size());
    report.users = static_cast<int64_t>(image.user_secrets.size());
    report.tokens = static_cast<int64_t>(image.tokens.size());
    JCM_RETURN_IF_ERROR(to.Restore(image));
  }
  JCM_ASSIGN_OR_RETURN(report.source, AuditAll(from));
  JCM_ASSIGN_OR_RETURN(report.target, AuditAll(to));
  if (report.source.head_hash != report.target.head_hash) {
    return core::DataLoss("after the copy the target's journal head " + report.target.head_hash +
                          " differs from the source's " + report.source.head_hash);
  }
  return report;
}

}  // namespace jcm::service
