#include "service/account_applications.h"

#include <algorithm>
#include <functional>
#include <utility>

#include "core/record.h"
#include "core/registry_code.h"
#include "identity/access.h"
#include "identity/identity_check.h"
#include "service/identity_service.h"
#include "service/internal/append_attempts.h"
#include "service/registry_service.h"

namespace jcm::service {

using internal::kAppendAttempts;
namespace {

constexpr size_t kHolderFieldBytesMax = 500;

struct Applications {
  std::vector<AccountApplication> items;  // by id
  int64_t last_seq = 0;                   // of the application.* family
};

AccountApplication* Find(Applications& all, int64_t id) {
  auto it = std::find_if(all.items.begin(), all.items.end(),
                         [&](const AccountApplication& a) { return a.id == id; });
  return it == all.items.end() ? nullptr : &*it;
}

core::Status ApplyDecided(Applications& all, const ledger::JournalEntry& entry) {
  JCM_ASSIGN_OR_RETURN(std::string id, entry.body.Get("application"));
  const std::optional<int64_t> seq = core::ParseInt64(id);
  AccountApplication* a = seq ? Find(all, *seq) : nullptr;
  if (a == nullptr) return core::DataLoss("application.decided cites no application: " + id);
  JCM_ASSIGN_OR_RETURN(std::string decision, entry.body.Get("decision"));
  const std::optional<ApplicationState> state = ApplicationStateFromName(decision);
  if (state != ApplicationState::kApproved && state != ApplicationState::kRejected) {
    return core::DataLoss("application.decided " + std::to_string(entry.seq) + ": decision '" +
                          decision + "'");
  }
  a->state = *state;
  a->decided_by = std::string(entry.body.Find("by").value_or(""));
  a->decided = entry.time;
  a->reason = std::string(entry.body.Find("reason").value_or(""));
  a->account = std::string(entry.body.Find("account").value_or(""));
  a->right = std::string(entry.body.Find("right").value_or(""));
  return core::OkStatus();
}

core::Result<AccountApplication> Submitted(const ledger::JournalEntry& entry) {
  AccountApplication a;
  a.id = entry.seq;
  a.submitted = entry.time;
  const core::Record& b = entry.body;
  JCM_ASSIGN_OR_RETURN(a.registry, b.Get("registry"));
  JCM_ASSIGN_OR_RETURN(std::string type, b.Get("type"));
  a.type = ledger::AccountTypeFromName(type).value_or(ledger::AccountType::kEntityHolding);
  JCM_ASSIGN_OR_RETURN(a.holder.name, b.Get("holder_name"));
  a.holder.name_ja = std::string(b.Find("holder_name_ja").value_or(""));
  a.holder.representative = std::string(b.Find("representative").value_or(""));
  a.holder.address = std::string(b.Find("address").value_or(""));
  a.holder.contact = std::string(b.Find("contact").value_or(""));
  JCM_ASSIGN_OR_RETURN(a.applicant, b.Get("applicant"));
  return a;
}

core::Result<Applications> ReadApplications(store::Store& store) {
  JCM_ASSIGN_OR_RETURN(std::vector<ledger::JournalEntry> entries,
                       store.ReadJournal(1, "application."));
  Applications all;
  for (const ledger::JournalEntry& entry : entries) {
    all.last_seq = entry.seq;
    if (entry.kind == kApplicationSubmittedKind) {
      JCM_ASSIGN_OR_RETURN(AccountApplication a, Submitted(entry));
      all.items.push_back(std::move(a));
    } else if (entry.kind == kApplicationDecidedKind) {
      JCM_RETURN_IF_ERROR(ApplyDecided(all, entry));
    }
  }
  return all;
}

Rejection Refused(ServiceCheck check, std::string message) {
  return FromService(check, std::move(message));
}

// Journals the entry `decide` builds from the current applications, again while another
// application.* entry got in first (check 23); `decide` answers a rejection or the body.
using Verdict = std::variant<core::Record, Rejection>;
using Decide = std::function<core::Result<Verdict>(Applications&)>;
core::Result<OrRejection<int64_t>> Commit(store::Store& store, std::string_view kind,
                                          const Decide& decide) {
  for (int attempt = 0; attempt < kAppendAttempts; ++attempt) {
    JCM_ASSIGN_OR_RETURN(Applications all, ReadApplications(store));
    JCM_ASSIGN_OR_RETURN(auto decided, decide(all));
    if (auto* rejection = std::get_if<Rejection>(&decided)) return OrRejection<int64_t>(*rejection);
    JCM_ASSIGN_OR_RETURN(
        store::Outcome outcome,
        store.Submit(ledger::AppendEvent{std::string(kind), std::get<core::Record>(decided), "",
                                         all.last_seq}));
    if (!outcome.rejection) return OrRejection<int64_t>(outcome.entry.seq);
    if (outcome.rejection->check != ledger::CheckCode::kEventFamilyMoved) {
      return OrRejection<int64_t>(FromLedger(*outcome.rejection));
    }
  }
  return core::Unavailable("applications kept changing under this request; try again");
}

core::Status CheckRequest(const ApplicationRequest& r) {
  if (r.registry == "" || !core::IsKnownRegistryCode(r.registry)) {
    return core::InvalidArgument("registry: JP or a JCM partner's code, got '" + r.registry + "'");
  }
  if (r.type != ledger::AccountType::kEntityHolding &&
      r.type != ledger::AccountType::kGovernmentHolding) {
    return core::InvalidArgument("type: holding or government_holding");
  }
  const ledger::Holder& h = r.holder;
  for (const std::string* field :
       {&h.name, &h.name_ja, &h.representative, &h.address, &h.contact}) {
    if (field->size() > kHolderFieldBytesMax) {
      return core::InvalidArgument("holder fields are at most 500 bytes");
    }
  }
  if (h.name.empty()) return core::InvalidArgument("holder_name is required");
  return core::OkStatus();
}

}  // namespace

std::string_view ApplicationStateName(ApplicationState state) {
  switch (state) {
    case ApplicationState::kPending:
      return "pending";
    case ApplicationState::kApproved:
      return "approved";
    case ApplicationState::kRejected:
      return "rejected";
  }
  return "pending";
}

std::optional<ApplicationState> ApplicationStateFromName(std::string_view name) {
  for (ApplicationState s :
       {ApplicationState::kPending, ApplicationState::kApproved, ApplicationState::kRejected}) {
    if (ApplicationStateName(s) == name) return s;
  }
  return std::nullopt;
}

core::Result<std::vector<AccountApplication>> ListApplications(store::Store& store,
                                                               const ApplicationFilter& filter) {
  JCM_ASSIGN_OR_RETURN(Applications all, ReadApplications(store));
  std::erase_if(all.items, [&](const AccountApplication& a) {
    return (filter.registry && a.registry != *filter.registry) ||
           (filter.applicant && a.applicant != *filter.applicant) ||
           (filter.state && a.state != *filter.state);
  });
  return std::move(all.items);
}

core::Result<AccountApplication> FindApplication(store::Store& store, int64_t id) {
  JCM_ASSIGN_OR_RETURN(Applications all, ReadApplications(store));
  const AccountApplication* a = Find(all, id);
  if (a == nullptr) return core::NotFound("no account application " + std::to_string(id));
  return *a;
}

core::Result<OrRejection<AccountApplication>> SubmitApplication(store::Store& store,
                                                                const ApplicationRequest& request) {
  JCM_RETURN_IF_ERROR(CheckRequest(request));
  const Decide decide = [&](Applications& all) -> core::Result<Verdict> {
    for (const AccountApplication& a : all.items) {
      if (a.state == ApplicationState::kPending && a.applicant == request.applicant &&
          a.registry == request.registry && a.holder.name == request.holder.name) {
        return Verdict(Refused(
            ServiceCheck::kApplicationPendingExists,
            "application " + std::to_string(a.id) + " for " + a.holder.name + " is still pending"));
      }
    }
    const ledger::Holder& h = request.holder;
    core::Record body;
    body.Add("registry", request.registry)
        .Add("type", ledger::AccountTypeName(request.type))
        .Add("holder_name", h.name)
        .Add("holder_name_ja", h.name_ja)
        .Add("representative", h.representative)
        .Add("address", h.address)
        .Add("contact", h.contact)
        .Add("applicant", request.applicant);
    return Verdict(std::move(body));
  };
  JCM_ASSIGN_OR_RETURN(auto committed, Commit(store, kApplicationSubmittedKind, decide));
  if (auto* rejection = std::get_if<Rejection>(&committed)) {
    return OrRejection<AccountApplication>(*rejection);
  }
  JCM_ASSIGN_OR_RETURN(AccountApplication a, FindApplication(store, std::get<int64_t>(committed)));
  return OrRejection<AccountApplication>(std::move(a));
}

}  // namespace jcm::service

namespace jcm::service {
namespace {

// An approval's account and role, each a write a retry repeats harmlessly (see the header).
core::Result<std::optional<Rejection>> OpenAndGrant(store::Store& store,
                                                    const AccountApplication& a,
                                                    const ApplicationDecision& d,
                                                    std::string* account) {
  RegistryService registry(store);
  JCM_ASSIGN_OR_RETURN(auto opened,
                       registry.OpenAccount(ledger::OpenAccount{
                           a.registry, a.type, a.holder, "application-" + std::to_string(a.id)}));
  if (const auto* rejection = std::get_if<Rejection>(&opened)) {
    return std::optional<Rejection>(*rejection);
  }
  *account = std::get<AccountOpened>(opened).account.number;
  IdentityService identity(store);
  JCM_ASSIGN_OR_RETURN(
      auto granted,
      identity.GrantRole(a.applicant, "authorised_representative:" + *account + ":" + d.right,
                         d.by));
  const auto* refused = std::get_if<Rejection>(&granted);
  if (refused && refused->check != static_cast<int>(identity::IdentityCheck::kRoleAlreadyGranted)) {
    return std::optional<Rejection>(*refused);
  }
  return std::optional<Rejection>();
}

std::optional<Rejection> CheckDecidable(const AccountApplication* a, const ApplicationDecision& d) {
  if (a->state != ApplicationState::kPending) {
    return Refused(ServiceCheck::kApplicationDecided,
                   "application " + std::to_string(a->id) + " was " +
                       std::string(ApplicationStateName(a->state)) + " by " + a->decided_by);
  }
  if (a->applicant == d.by) {
    return Refused(ServiceCheck::kApplicantDecides,
                   d.by + " applied and may not decide the application too");
  }
  if (!d.approve && d.reason.empty()) {
    return Refused(ServiceCheck::kRejectionWithoutReason, "a rejection states its reason");
  }
  return std::nullopt;
}

}  // namespace

core::Result<OrRejection<AccountApplication>> DecideApplication(
    store::Store& store, const ApplicationDecision& decision) {
  using Out = OrRejection<AccountApplication>;
  constexpr std::string_view kRights[] = {"initiate", "approve", "initiate_and_approve",
                                          "read_only"};
  if (decision.approve &&
      std::find(std::begin(kRights), std::end(kRights), decision.right) == std::end(kRights)) {
    return core::InvalidArgument("right: initiate, approve, initiate_and_approve or read_only");
  }
  JCM_ASSIGN_OR_RETURN(const AccountApplication before, FindApplication(store, decision.id));
  if (std::optional<Rejection> refused = CheckDecidable(&before, decision)) return Out(*refused);
  std::string account;
  if (decision.approve) {
    JCM_ASSIGN_OR_RETURN(std::optional<Rejection> refused,
                         OpenAndGrant(store, before, decision, &account));
    if (refused) return Out(*refused);
  }
  const Decide decide = [&](Applications& all) -> core::Result<Verdict> {
    AccountApplication* a = Find(all, decision.id);
    if (a == nullptr) return core::NotFound("no account application");
    if (std::optional<Rejection> refused = CheckDecidable(a, decision)) return Verdict(*refused);
    core::Record body;
    body.Add("application", std::to_string(decision.id))
        .Add("decision", decision.approve ? "approved" : "rejected")
        .Add("reason", decision.reason)
        .Add("by", decision.by);
    if (decision.approve) body.Add("account", account).Add("right", decision.right);
    return Verdict(std::move(body));
  };
  JCM_ASSIGN_OR_RETURN(auto committed, Commit(store, kApplicationDecidedKind, decide));
  if (auto* rejection = std::get_if<Rejection>(&committed)) return Out(*rejection);
  JCM_ASSIGN_OR_RETURN(AccountApplication after, FindApplication(store, decision.id));
  return Out(std::move(after));
}

}  // namespace jcm::service
