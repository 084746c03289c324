#include "service/article6_service.h"

#include <utility>

#include "core/account_number.h"
#include "service/internal/append_attempts.h"

namespace jcm::service {

using internal::kAppendAttempts;

Rejection FromArticle6(const article6::Rejection& rejection) {
  return Rejection{rejection.number(), std::string(rejection.name()), rejection.message};
}

core::Status Article6Service::Refresh() {
  JCM_ASSIGN_OR_RETURN(
      std::vector<ledger::JournalEntry> entries,
      store_.ReadJournal(book_.last_seq() + 1, std::string(article6::kEventKindPrefix)));
  for (const ledger::JournalEntry& entry : entries) {
    core::Status applied = book_.Apply(entry.kind, entry.body, entry.seq);
    if (!applied.ok()) {
      return core::DataLoss("journal entry " + std::to_string(entry.seq) + ": " +
                            applied.message());
    }
  }
  return core::OkStatus();
}

core::Result<OrRejection<AuthorisationResult>> Article6Service::AddAuthorisation(
    const article6::AuthorisationRequest& request) {
  using Out = OrRejection<AuthorisationResult>;
  for (int attempt = 0; attempt < kAppendAttempts; ++attempt) {
    JCM_RETURN_IF_ERROR(Refresh());
    article6::Verdict verdict = article6::DecideAdd(book_, request);
    if (const auto* rejection = std::get_if<article6::Rejection>(&verdict)) {
      return Out(FromArticle6(*rejection));
    }
    if (const auto* replay = std::get_if<article6::Replay>(&verdict)) {
      const auto& versions = *book_.Versions(replay->party, replay->id);
      return Out(AuthorisationResult{versions[static_cast<size_t>(replay->version - 1)], true});
    }
    const auto& authorisation = std::get<article6::Authorisation>(verdict);
    ledger::AppendEvent command{std::string(article6::kEventAuthorisation),
                                authorisation.ToRecord(), "", book_.last_seq()};
    JCM_ASSIGN_OR_RETURN(store::Outcome outcome, store_.Submit(command));
    if (outcome.rejection) {
      if (outcome.rejection->check == ledger::CheckCode::kEventFamilyMoved) continue;
      return Out(FromLedger(*outcome.rejection));
    }
    JCM_RETURN_IF_ERROR(Refresh());
    return Out(AuthorisationResult{*book_.Latest(authorisation.party, authorisation.id), false});
  }
  return core::Unavailable("authorisations kept changing under this request; try again");
}

ledger::Authorization AuthorizationFlagOf(article6::Purpose purposes) {
  if (article6::CoversNdc(purposes)) {
    return article6::CoversOimp(purposes) ? ledger::Authorization::kNdcAndOimp
                                          : ledger::Authorization::kNdc;
  }
  return ledger::Authorization::kOimp;
}

// Whether units coming to cite `cited` by `request` are first transferred by it (docs/article6.md,
// "First transfer"): for OIMP when the authorisation's definition is its authorisation or the
// issuance (units authorised after their issuance: at that authorisation); for NDC use when they
// are held in another Party's registry than the authorising Party's — acquired from it.
static core::Result<bool> FirstTransferNow(const article6::Authorisation& cited,
                                           const ledger::TransactionRequest& request) {
  const bool oimp_now =
      article6::CoversOimp(cited.purposes) &&
      (cited.first_transfer == article6::FirstTransferDefinition::kAuthorisation ||
       cited.first_transfer == article6::FirstTransferDefinition::kIssuance);
  std::string registry = request.registry;
  if (request.type == ledger::TransactionType::kArticle6Authorisation) {
    auto account = core::AccountNumber::Parse(request.from);
    if (!account.ok()) return false;  // the ledger rejects the account (check 7)
    registry = account->registry.str();
  }
  auto code = core::RegistryCode::Parse(registry);
  if (!code.ok()) return false;  // the ledger rejects the registry (check 1)
  const bool ndc_now = article6::CoversNdc(cited.purposes) && code->party() != cited.party;
  return oimp_now || ndc_now;
}

core::Result<std::vector<std::string>> Article6Service::FirstTransferAtUse() {
  JCM_RETURN_IF_ERROR(Refresh());
  std::vector<std::string> references;
  for (const article6::Authorisation* a : book_.LatestAll()) {
    if (article6::CoversOimp(a->purposes) &&
        a->first_transfer == article6::FirstTransferDefinition::kUseOrCancellation) {
      references.push_back(ledger::Article6Reference(a->party, a->id));
    }
  }
  return references;
}

core::Result<std::optional<Rejection>> Article6Service::Cite(const std::string& reference,
                                                             ledger::TransactionRequest* request) {
  JCM_RETURN_IF_ERROR(Refresh());
  const size_t slash = reference.find('/');
  const article6::Authorisation* cited =
      slash == std::string::npos
          ? nullptr
          : book_.Latest(reference.substr(0, slash), reference.substr(slash + 1));
  if (cited == nullptr) {
    return std::optional<Rejection>(
        FromArticle6(article6::Rejection{article6::Article6Check::kAuthorisationUnknown,
                                         "no authorisation '" + reference +
                                             "' (PARTY/ID) is recorded (jcm article6 "
                                             "authorisation add)"}));
  }
  request->article6_authorisation = ledger::Article6Reference(cited->party, cited->id);
  request->article6_cap_tco2e = cited->quantity_cap_tco2e.value_or(0);
  request->article6_cooperative_approach = cited->cooperative_approach;
  JCM_ASSIGN_OR_RETURN(request->article6_first_transfer_now, FirstTransferNow(*cited, *request));
  request->authorization = AuthorizationFlagOf(cited->purposes);
  return std::optional<Rejection>();
}

core::Result<OrRejection<TransactionResult>> Article6Service::IssueCiting(
    ledger::TransactionRequest request, const std::string& reference) {
  JCM_ASSIGN_OR_RETURN(const std::optional<Rejection> unknown, Cite(reference, &request));
  if (unknown) return OrRejection<TransactionResult>(*unknown);
  return RegistryService(store_).Issue(request);
}

core::Result<OrRejection<TransactionResult>> Article6Service::Authorise(
    const AuthoriseUnits& units) {
  ledger::TransactionRequest request;
  request.type = ledger::TransactionType::kArticle6Authorisation;
  request.from = units.account;
  request.quantity = units.quantity;
  request.serials = units.serials;
  request.idempotency_key = units.idempotency_key;
  JCM_ASSIGN_OR_RETURN(const std::optional<Rejection> unknown, Cite(units.reference, &request));
  if (unknown) return OrRejection<TransactionResult>(*unknown);
  return RegistryService(store_).Move(request);
}

core::Result<std::vector<article6::Authorisation>> Article6Service::ListAuthorisations(
    const std::string& party) {
  JCM_RETURN_IF_ERROR(Refresh());
  std::vector<article6::Authorisation> all;
  for (const article6::Authorisation* a : book_.LatestAll(party)) all.push_back(*a);
  return all;
}

core::Result<std::vector<article6::Authorisation>> Article6Service::AuthorisationVersions(
    const std::string& party, const std::string& id) {
  JCM_RETURN_IF_ERROR(Refresh());
  const auto* versions = book_.Versions(party, id);
  if (versions == nullptr) {
    return core::NotFound("no authorisation " + id + " of " + party + " is recorded");
  }
  return *versions;
}

}  // namespace jcm::service
