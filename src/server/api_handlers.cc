// The handlers of the Api's routes (api.h): each turns a RouteCall into a service call and the
// result into JSON with the service's codecs.
#include <boost/json.hpp>
#include <cstdio>

#include "core/registry_code.h"
#include "server/api.h"
#include "server/paging.h"
#include "server/problem.h"
#include "service/account_queries.h"
#include "service/json/cycle_json.h"
#include "service/json/ledger_json.h"
#include "service/json/log_json.h"
#include "service/json/mrv_json.h"
#include "service/json/programme_json.h"
#include "service/json/public_json.h"
#include "service/log_service.h"
#include "service/log_witness.h"
#include "service/mrv_service.h"
#include "service/pdf/retirement_certificate.h"
#include "service/programme_service.h"
#include "service/public_queries.h"
#include "service/registry_service.h"
#include "service/retirements.h"

namespace jcm::server {
namespace {

namespace bj = boost::json;

// A required integer query parameter in [min, max].
core::Result<int64_t> RequiredIntParam(const RequestTarget& target, const std::string& name,
                                       int64_t min) {
  if (!target.query.contains(name)) return core::InvalidArgument(name + " is required");
  return IntParam(target, name, min, min, INT64_MAX);
}

// "JP-42" → registry "JP", serial 42.
core::Result<std::pair<std::string, int64_t>> ParseUnitSerial(const std::string& text) {
  const size_t dash = text.find('-');
  const std::optional<int64_t> serial =
      dash == std::string::npos ? std::nullopt : core::ParseInt64(text.substr(dash + 1));
  if (!serial || *serial < 1) {
    return core::InvalidArgument("a unit is named REGISTRY-SERIAL, e.g. JP-42; got '" + text + "'");
  }
  return std::pair{text.substr(0, dash), *serial};
}

}  // namespace

core::Result<HttpResponse> Api::Healthz(const RouteCall&) {
  return JsonResponse(bj::object{{"status", "ok"}});
}

core::Result<HttpResponse> Api::Readyz(const RouteCall&) {
  core::Result<std::vector<std::string>> registries = store_.ListRegistries();
  if (!registries.ok()) {
    return core::Unavailable("the store is not reachable: " + registries.status().message());
  }
  return JsonResponse(bj::object{{"status", "ready"}});
}

core::Result<HttpResponse> Api::OpenApi(const RouteCall&) {
  HttpResponse response;
  response.body = std::string(openapi_json_);
  return response;
}

core::Result<HttpResponse> Api::Registries(const RouteCall& call) {
  JCM_ASSIGN_OR_RETURN(PageRequest page, PageOf(call.target));
  JCM_ASSIGN_OR_RETURN(std::vector<std::string> codes, store_.ListRegistries());
  std::sort(codes.begin(), codes.end());
  std::vector<service::RegistrySummary> summaries;
  std::lock_guard lock(cycle_mu_);
  for (const std::string& code : codes) {
    if (page.after && code <= *page.after) continue;
    JCM_ASSIGN_OR_RETURN(service::RegistrySummary summary, cycle_.Summary(code));
    summaries.push_back(std::move(summary));
    if (static_cast<int64_t>(summaries.size()) > page.limit) break;  // one more: is there a next?
  }
  return ListResponse(
      call, Page(
                summaries, page, [](const service::RegistrySummary& s) { return s.registry; },
                [](const service::RegistrySummary& s) { return service::json::SummaryJson(s); }));
}

core::Result<HttpResponse> Api::Registry(const RouteCall& call) {
  const std::string& code = call.params[0];
  JCM_RETURN_IF_ERROR(core::RegistryCode::Parse(code).status());
  JCM_ASSIGN_OR_RETURN(auto counters, store_.FindRegistry(code));
  if (!counters) return core::NotFound("registry " + code + " is not initialised here");
  std::lock_guard lock(cycle_mu_);
  JCM_ASSIGN_OR_RETURN(service::RegistrySummary summary, cycle_.Summary(code));
  return JsonResponse(service::json::SummaryJson(summary));
}

core::Result<HttpResponse> Api::Projects(const RouteCall& call) {
  JCM_ASSIGN_OR_RETURN(PageRequest page, PageOf(call.target));
  JCM_ASSIGN_OR_RETURN(const service::ProjectFilter filter,
                       service::ProjectFilter::FromText(StringParam(call.target, "country"),
                                                        StringParam(call.target, "status"),
                                                        StringParam(call.target, "methodology"),
                                                        StringParam(call.target, "technology")));
  std::vector<cycle::Project> projects;
  {
    std::lock_guard lock(cycle_mu_);
    JCM_ASSIGN_OR_RETURN(projects, cycle_.Projects(filter));
  }
  std::sort(projects.begin(), projects.end(),
            [](const cycle::Project& a, const cycle::Project& b) { return a.id < b.id; });
  return ListResponse(
      call, Page(
                projects, page, [](const cycle::Project& p) { return p.id; },
                [](const cycle::Project& p) { return service::json::ProjectSummaryJson(p); }));
}

core::Result<HttpResponse> Api::Project(const RouteCall& call) {
  std::lock_guard lock(cycle_mu_);
  JCM_ASSIGN_OR_RETURN(cycle::Project project, cycle_.Project(call.params[0]));
  return JsonResponse(service::json::ProjectDetailJson(project));
}

core::Result<HttpResponse> Api::Decisions(const RouteCall& call) {
  JCM_ASSIGN_OR_RETURN(PageRequest page, PageOf(call.target));
  const std::optional<std::string> registry = StringParam(call.target, "registry");
  if (registry) JCM_RETURN_IF_ERROR(core::RegistryCode::Parse(*registry).status());
  service::RegistryService service(store_);
  JCM_ASSIGN_OR_RETURN(std::vector<ledger::JcDecision> decisions, service.Decisions(registry));
  const auto key_of = [](const ledger::JcDecision& d) { return d.registry.str() + "\n" + d.id; };
  std::sort(decisions.begin(), decisions.end(),
            [&](const auto& a, const auto& b) { return key_of(a) < key_of(b); });
  return ListResponse(call, Page(decisions, page, key_of, [](const ledger::JcDecision& d) {
                        return service::json::DecisionsJson({d}).at("decisions").as_array().at(0);
                      }));
}

core::Result<HttpResponse> Api::DecisionLog(const RouteCall& call) {
  JCM_ASSIGN_OR_RETURN(PageRequest page, PageOf(call.target));
  const std::optional<std::string> partner = StringParam(call.target, "partner");
  // The log only grows, in journal order: an entry's position is its stable key.
  std::vector<std::pair<std::string, cycle::JcDecisionEntry>> log;
  {
    std::lock_guard lock(cycle_mu_);
    JCM_RETURN_IF_ERROR(cycle_.Refresh());
    const std::vector<cycle::JcDecisionEntry>& entries = cycle_.state().decisions;
    for (size_t i = 0; i < entries.size(); ++i) {
      if (partner && entries[i].partner != *partner) continue;
      char key[24];
      std::snprintf(key, sizeof key, "%012zu", i);
      log.emplace_back(key, entries[i]);
    }
  }
  return ListResponse(
      call, Page(
                log, page, [](const auto& row) { return row.first; },
                [](const auto& row) { return service::json::DecisionLogEntryJson(row.second); }));
}

core::Result<HttpResponse> Api::Unit(const RouteCall& call) {
  JCM_ASSIGN_OR_RETURN(auto serial, ParseUnitSerial(call.params[0]));
  JCM_ASSIGN_OR_RETURN(service::UnitLineage unit,
                       service::FindUnit(store_, serial.first, serial.second));
  return JsonResponse(service::json::UnitJson(unit));
}

core::Result<HttpResponse> Api::Journal(const RouteCall& call) {
  JCM_ASSIGN_OR_RETURN(int64_t since, IntParam(call.target, "since", 0, 0, INT64_MAX));
  JCM_ASSIGN_OR_RETURN(int64_t limit,
                       IntParam(call.target, "limit", kPageLimitDefault, 1, kPageLimitMax));
  // Auditors and system administrators read the whole journal; everyone else, signed in or
  // not, its public view (docs/api.md, "The journal feed").
  const service::JournalView view =
      identity::Authorize(call.context.principal.Identity(), identity::Action::kReadJournal, {})
          ? service::JournalView::kWhole
          : service::JournalView::kPublic;
  JCM_ASSIGN_OR_RETURN(service::JournalPage page,
                       service::ReadJournalPage(store_, since, limit, view));
  bj::array entries;
  for (const ledger::JournalEntry& entry : page.entries) {
    entries.push_back(service::json::JournalEntryJson(entry));
  }
  const int64_t next_since = page.last_seq_read;
  if (call.format != ListFormat::kJson) {
    std::optional<std::string> next;
    if (page.more) next = TargetWith(call.target, "since", std::to_string(next_since));
    return ExportResponse(call.format, entries, next);
  }
  return JsonResponse(
      bj::object{{"entries", std::move(entries)}, {"next_since", next_since}, {"more", page.more}});
}

core::Result<HttpResponse> Api::Retirements(const RouteCall& call) {
  JCM_ASSIGN_OR_RETURN(PageRequest page, PageOf(call.target));
  int64_t after_seq = 0;
  if (page.after) {
    const std::optional<int64_t> seq = core::ParseInt64(*page.after);
    if (!seq || *seq < 0) return core::InvalidArgument("the cursor names no retirement");
    after_seq = *seq;
  }
  JCM_ASSIGN_OR_RETURN(service::RetirementPage found,
                       service::ListRetirements(store_, StringParam(call.target, "registry"),
                                                after_seq, page.limit));
  bj::array items;
  for (const service::Retirement& retirement : found.retirements) {
    items.push_back(service::json::RetirementJson(retirement));
  }
  bj::value next = found.next_after_seq == 0
                       ? bj::value(nullptr)
                       : bj::value(EncodeCursor(std::to_string(found.next_after_seq)));
  return ListResponse(call, bj::object{{"items", std::move(items)}, {"next", std::move(next)}});
}

core::Result<HttpResponse> Api::RetirementCertificate(const RouteCall& call) {
  const std::optional<int64_t> seq = core::ParseInt64(call.params[0]);
  if (!seq || *seq < 1) return core::InvalidArgument("a retirement is named by its transaction id");
  JCM_ASSIGN_OR_RETURN(service::Retirement retirement, service::FindRetirement(store_, *seq));
  service::pdf::CertificateOptions options;
  {
    std::lock_guard lock(public_url_mu_);
    options.public_url = public_url_;
  }
  if (log_.key != nullptr && log_.clock != nullptr) {  // the proof in the head GET /log/sth serves
    JCM_ASSIGN_OR_RETURN(options.inclusion,
                         service::ProveInSignedHead(store_, *log_.key, log_.clock->NowUtc(), *seq));
  }
  core::Result<std::string> pdf = service::pdf::RetirementCertificatePdf(retirement, options);
  // A missing font is the installation's fault, not the caller's.
  if (!pdf.ok()) return core::Unavailable(pdf.status().message());
  HttpResponse response;
  response.content_type = "application/pdf";
  response.body = std::move(*pdf);
  response.headers.emplace_back("Content-Disposition", "inline; filename=\"jcm-retirement-" +
                                                           std::to_string(*seq) + ".pdf\"");
  return response;
}

core::Result<HttpResponse> Api::Flows(const RouteCall& call) {
  JCM_ASSIGN_OR_RETURN(
      service::FlowInterval interval,
      service::FlowIntervalFromName(StringParam(call.target, "interval").value_or("year")));
  JCM_ASSIGN_OR_RETURN(
      std::vector<service::FlowBucket> flows,
      service::FlowsOverTime(store_, StringParam(call.target, "registry"), interval));
  bj::array items;
  for (const service::FlowBucket& bucket : flows) items.push_back(service::json::FlowJson(bucket));
  return ListResponse(call, bj::object{{"items", std::move(items)}, {"next", nullptr}});
}

// `today` (YYYY-MM-DD) is where the pipeline's forecast starts; default the server's date.
core::Result<HttpResponse> Api::ProgrammeReport(const RouteCall& call) {
  std::optional<std::string> today_text = StringParam(call.target, "today");
  if (!today_text && clock_ != nullptr) today_text = clock_->NowUtc().substr(0, 10);
  if (!today_text) return core::Unavailable("this server has no clock to date the report");
  JCM_ASSIGN_OR_RETURN(const core::Date today, core::Date::Parse(*today_text));
  service::ProgrammeService programme(store_);
  JCM_ASSIGN_OR_RETURN(programme::IndicatorReport report, programme.Report(today));
  return JsonResponse(service::json::ReportJson(report, today));
}

core::Result<HttpResponse> Api::JointCommittees(const RouteCall& call) {
  bj::array items;
  {
    std::lock_guard lock(cycle_mu_);
    JCM_RETURN_IF_ERROR(cycle_.Refresh());
    for (const service::CommitteeView& view : service::JointCommittees(cycle_.state())) {
      items.push_back(service::json::CommitteeJson(view, false));
    }
  }
  return ListResponse(call, bj::object{{"items", std::move(items)}, {"next", nullptr}});
}

core::Result<HttpResponse> Api::JointCommittee(const RouteCall& call) {
  std::lock_guard lock(cycle_mu_);
  JCM_RETURN_IF_ERROR(cycle_.Refresh());
  const std::optional<service::CommitteeView> view =
      service::FindJointCommittee(cycle_.state(), call.params[0]);
  if (!view) return core::NotFound("no Joint Committee with partner " + call.params[0]);
  return JsonResponse(service::json::CommitteeJson(*view, true));
}

// The methodologies the Joint Committees know, each with the references of the definitions
// (parameters and equations) installed for the MRV engine under its approved code.
core::Result<HttpResponse> Api::Methodologies(const RouteCall& call) {
  std::vector<cycle::Methodology> methodologies;
  {
    std::lock_guard lock(cycle_mu_);
    JCM_ASSIGN_OR_RETURN(methodologies, cycle_.Methodologies());
  }
  core::Result<mrv::MethodologyCatalog> catalog = service::OpenMethodologyCatalog(std::nullopt);
  bj::array items = service::json::CycleMethodologyListJson(methodologies);
  for (bj::value& item : items) {
    bj::array definitions;
    const bj::string& code = item.at("approved_code").as_string();
    for (const mrv::MethodologyEntry& entry :
         catalog.ok() ? catalog->entries() : std::vector<mrv::MethodologyEntry>{}) {
      if (!code.empty() && entry.id == code)
        definitions.emplace_back(entry.id + "@" + entry.version);
    }
    item.as_object()["definitions"] = std::move(definitions);
  }
  return ListResponse(call, bj::object{{"items", std::move(items)}, {"next", nullptr}});
}

core::Result<HttpResponse> Api::Methodology(const RouteCall& call) {
  JCM_ASSIGN_OR_RETURN(mrv::MethodologyCatalog catalog,
                       service::OpenMethodologyCatalog(std::nullopt));
  core::Result<mrv::Methodology> methodology = catalog.Load(call.params[0]);
  if (methodology.status().code() == core::StatusCode::kNotFound) {
    // Not the catalog's message: it names the installation directory.
    return core::NotFound("no definition of methodology " + call.params[0] + " is installed");
  }
  if (!methodology.ok()) return methodology.status();
  return JsonResponse(service::json::MethodologyJson(*methodology));
}

core::Result<HttpResponse> Api::LogSth(const RouteCall&) {
  if (log_.key == nullptr || log_.clock == nullptr) {
    return core::FailedPrecondition("this server has no log signing key (jcm log keygen)");
  }
  JCM_ASSIGN_OR_RETURN(service::SignedTreeHead head,
                       service::PublishTreeHead(store_, *log_.key, log_.clock->NowUtc()));
  JCM_ASSIGN_OR_RETURN(std::optional<service::CosignedHead> cosigned,
                       service::LatestCosignedHead(store_));
  bj::object json = service::json::TreeHeadJson(head);
  json["cosigned"] = service::json::CosignedHeadJson(cosigned);
  return JsonResponse(std::move(json));
}

core::Result<HttpResponse> Api::PostCosignature(const RouteCall& call) {
  boost::system::error_code error;
  const bj::value body = bj::parse(call.request.body, error);
  if (error) return core::InvalidArgument("the body is not JSON: " + error.message());
  JCM_ASSIGN_OR_RETURN(service::Cosignature cosignature, service::json::CosignatureFromJson(body));
  JCM_ASSIGN_OR_RETURN(auto outcome, service::AcceptCosignature(store_, cosignature));
  if (const auto* rejection = std::get_if<service::Rejection>(&outcome)) {
    return ProblemFromRejection(*rejection, call.target.path, call.context.request_id);
  }
  const auto& accepted = std::get<service::AcceptedCosignature>(outcome);
  HttpResponse response = JsonResponse(service::json::AcceptedCosignatureJson(accepted));
  if (!accepted.replayed) response.status = 201;
  return response;
}

core::Result<HttpResponse> Api::LogProof(const RouteCall& call) {
  JCM_ASSIGN_OR_RETURN(int64_t seq, RequiredIntParam(call.target, "seq", 1));
  std::optional<int64_t> tree_size;
  if (call.target.query.contains("tree_size")) {
    JCM_ASSIGN_OR_RETURN(tree_size, RequiredIntParam(call.target, "tree_size", 1));
  }
  JCM_ASSIGN_OR_RETURN(service::InclusionProof proof,
                       service::ProveInclusion(store_, seq, tree_size));
  return JsonResponse(service::json::InclusionProofJson(proof));
}

core::Result<HttpResponse> Api::LogConsistency(const RouteCall& call) {
  JCM_ASSIGN_OR_RETURN(int64_t from, RequiredIntParam(call.target, "from", 1));
  JCM_ASSIGN_OR_RETURN(int64_t to, RequiredIntParam(call.target, "to", 1));
  JCM_ASSIGN_OR_RETURN(service::ConsistencyProof proof,
                       service::ProveConsistency(store_, from, to));
  return JsonResponse(service::json::ConsistencyProofJson(proof));
}

}  // namespace jcm::server
