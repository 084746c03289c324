// The Api's routes that change the project cycle or read its documents (docs/api.md, "Project
// cycle", "Documents", "MRV calculations"): each decodes its request strictly, decides the precise
// right with identity::Authorize on the resource it touches (403 when refused), and calls the
// same use case as the CLI. A change's idempotency key is the caller's Idempotency-Key prefixed
// by the user ("alice:K"), so two users' keys never meet.
#include <boost/json.hpp>
#include <cctype>
#include <variant>

#include "server/api.h"
#include "server/paging.h"
#include "server/problem.h"
#include "server/step_json.h"
#include "service/json/cycle_json.h"
#include "service/json/mrv_json.h"
#include "service/mrv_documents.h"

namespace jcm::server {
namespace {

// A resource with one field set (the others empty).
identity::Resource ResourceWith(std::string identity::Resource::*field, const std::string& value) {
  identity::Resource resource;
  resource.*field = value;
  return resource;
}

namespace bj = boost::json;

HttpResponse JsonResponse(int status, const bj::value& document) {
  HttpResponse response;
  response.status = status;
  response.body = bj::serialize(document);
  return response;
}

HttpResponse Refused(const RouteCall& call, const std::string& what) {
  const bool signed_in = call.context.principal.signed_in;
  return Problem(signed_in ? 403 : 401, signed_in ? "forbidden" : "unauthorized",
                 signed_in ? call.context.principal.user + " may not " + what
                           : "sign in (or send an API token) to " + what,
                 call.target.path, call.context.request_id);
}

std::string KeyOf(const RouteCall& call) {
  return call.context.principal.user + ":" + call.idempotency_key;
}

// The Joint Committee whose step a payload is (its partner's code), or nullopt when the payload
// names none: a JP organisation (any secretariat may register one: Japanese participants take
// part under every JC). NotFound for an unknown project.
struct JointCommitteeOf {
  const cycle::State& state;

  static std::string Pair(const std::string& code) { return code.substr(0, code.find('_')); }

  template <class P>
  core::Result<std::optional<std::string>> operator()(const P& p) const {
    if constexpr (requires { p.partner; }) {
      return std::optional(p.partner);
    } else if constexpr (requires { p.proposal_code; }) {
      return std::optional(Pair(p.proposal_code));
    } else if constexpr (requires { p.approved_code; }) {
      return std::optional(Pair(p.approved_code));
    } else if constexpr (requires { p.project; }) {
      const cycle::Project* project = state.FindProject(p.project);
      if (project == nullptr) return core::NotFound("no project '" + p.project + "'");
      return std::optional(project->partner);
    } else if constexpr (requires { p.country; }) {
      if (p.country == "JP") return std::optional<std::string>();
      return std::optional(p.country);
    } else {
      return core::Internal("a cycle step without a Joint Committee");
    }
  }
};

core::Result<bool> MayTakeStep(const identity::Principal& principal, const DecodedStep& step,
                               const cycle::State& state) {
  using identity::Action, identity::Resource;
  switch (step.authority) {
    case StepAuthority::kTpe:
      return identity::Authorize(principal, Action::kTpeStep,
                                 ResourceWith(&identity::Resource::organisation, step.by));
    case StepAuthority::kRegistry:
      return identity::Authorize(
          principal, Action::kExecuteJcDecision,
          ResourceWith(&identity::Resource::registry, step.execution.registry));
    case StepAuthority::kSecretariat:
      break;
  }
  JCM_ASSIGN_OR_RETURN(std::optional<std::string> jc,
                       std::visit(JointCommitteeOf{state}, step.payload));
  if (jc)
    return identity::Authorize(principal, Action::kCycleStep,
                               ResourceWith(&identity::Resource::joint_committee, *jc));
  for (const identity::Role& role : principal.roles) {
    if (role.kind == identity::RoleKind::kJcSecretariat) return true;
  }
  return false;
}

HttpResponse EventResponse(const RouteCall& call,
                           const service::OrRejection<service::CycleEventResult>& outcome) {
  if (const auto* rejection = std::get_if<service::Rejection>(&outcome)) {
    return ProblemFromRejection(*rejection, call.target.path, call.context.request_id);
  }
  return JsonResponse(201, service::json::EventJson(std::get<service::CycleEventResult>(outcome)));
}

bool IsSha256Hex(std::string_view text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// RFC 8187 value of a file name: UTF-8, percent-encoded but for attr-chars.
std::string ExtValue(std::string_view name) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "UTF-8''";
  for (const char c : name) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || std::string_view("!#$&+-.^_`|~").find(c) != std::string_view::npos) {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
    }
  }
  return out;
}

bj::object DocumentJson(const service::DocumentRecord& d) {
  return {{"document",
           {{"sha256", d.sha256},
            {"name", d.name},
            {"bytes", d.bytes},
            {"confidential", d.confidential},
            {"joint_committee", d.joint_committee},
            {"uploaded_by", d.user},
            {"seq", d.seq},
            {"time", d.time},
            {"replayed", d.replayed}}}};
}

}  // namespace

core::Result<core::Date> Api::Today() const {
  if (clock_ == nullptr) return core::Unavailable("this server has no clock to date changes");
  return core::Date::Parse(clock_->NowUtc().substr(0, 10));
}

// The day in the query's `today` (a look-ahead, as `jcm … --today`), else today.
core::Result<core::Date> Api::DayOf(const RouteCall& call) const {
  const auto given = call.target.query.find("today");
  if (given == call.target.query.end()) return Today();
  core::Result<core::Date> parsed = core::Date::Parse(given->second);
  if (!parsed.ok()) return core::InvalidArgument("today: not a date YYYY-MM-DD");
  return *parsed;
}

// What `jcm due` shows: the cycle's open steps with their last day.
core::Result<HttpResponse> Api::CycleDue(const RouteCall& call) {
  JCM_ASSIGN_OR_RETURN(const core::Date today, DayOf(call));
  std::lock_guard lock(cycle_mu_);
  JCM_ASSIGN_OR_RETURN(std::vector<cycle::DueItem> items, cycle_.Due(today));
  return JsonResponse(service::json::DueJson(today, items));
}

// What `jcm tpe work` shows, for `org` or else the organisation of the caller's TPE role.
core::Result<HttpResponse> Api::TpeWork(const RouteCall& call) {
  JCM_ASSIGN_OR_RETURN(const core::Date today, DayOf(call));
  std::string org;
  if (const auto given = call.target.query.find("org"); given != call.target.query.end()) {
    org = given->second;
  }
  for (const identity::Role& role : call.context.principal.roles) {
    if (org.empty() && role.kind == identity::RoleKind::kTpe) org = role.scope;
  }
  if (org.empty()) return core::InvalidArgument("org: required unless the caller is a TPE");
  std::lock_guard lock(cycle_mu_);
  JCM_ASSIGN_OR_RETURN(std::vector<cycle::TpeWorkItem> items, cycle_.TpeWork(org, today));
  return JsonResponse(service::json::TpeWorkJson(org, today, items));
}

core::Result<HttpResponse> Api::CycleStep(const RouteCall& call) {
  JCM_ASSIGN_OR_RETURN(DecodedStep step, DecodeStep(call.params[0], call.request.body));
  JCM_ASSIGN_OR_RETURN(const core::Date today, Today());
  std::lock_guard lock(cycle_mu_);
  JCM_RETURN_IF_ERROR(cycle_.Refresh());
  JCM_ASSIGN_OR_RETURN(bool allowed,
                       MayTakeStep(call.context.principal.Identity(), step, cycle_.state()));
  if (!allowed) return Refused(call, "take step " + std::string(step.name));
  if (step.use == StepUse::kExecution) {
    step.execution.today = today;
    step.execution.idempotency_key = KeyOf(call);
    JCM_ASSIGN_OR_RETURN(auto outcome, cycle_.ExecuteIssuanceDecision(step.execution));
    if (const auto* rejection = std::get_if<service::Rejection>(&outcome)) {
      return ProblemFromRejection(*rejection, call.target.path, call.context.request_id);
    }
    return JsonResponse(201,
                        service::json::ExecutionJson(std::get<service::ExecutionResult>(outcome)));
  }
  if (step.use == StepUse::kMonitoringReport) {
    service::MonitoringReportRequest request;
    request.report = std::get<cycle::SubmitMonitoringReport>(step.payload);
    request.reported_given = true;
    request.by = step.by;
    request.today = today;
    request.idempotency_key = KeyOf(call);
    // MRV evidence cites uploaded documents: only those the caller may read (INV-23).
    std::vector<std::string> cited = request.report.mrv_data_sha256;
    if (request.report.mrv_params_sha256) cited.push_back(*request.report.mrv_params_sha256);
    for (const std::string& sha256 : cited) {
      JCM_ASSIGN_OR_RETURN(service::DocumentDescription description,
                           documents_.Describe(sha256, cycle_.state()));
      if (!service::MayReadDocument(call.context.principal.Identity(), description,
                                    cycle_.state())) {
        return Refused(call, "read document " + sha256);
      }
    }
    std::optional<mrv::MethodologyCatalog> catalog;
    if (!cited.empty()) {
      JCM_ASSIGN_OR_RETURN(catalog, service::OpenMethodologyCatalog({}));
      request.methodologies = &*catalog;
      request.print_mrv_report = service::json::MrvReportText;
    }
    JCM_ASSIGN_OR_RETURN(auto outcome, cycle_.SubmitMonitoringReport(request));
    return EventResponse(call, outcome);
  }
  JCM_ASSIGN_OR_RETURN(auto outcome, cycle_.Step(service::StepRequest{
                                         step.payload, step.by, today, KeyOf(call), {}}));
  return EventResponse(call, outcome);
}

core::Result<HttpResponse> Api::UploadDocument(const RouteCall& call) {
  const auto query = [&](const char* name) {
    const auto it = call.target.query.find(name);
    return it == call.target.query.end() ? std::optional<std::string>() : it->second;
  };
  service::DocumentUpload upload;
  upload.name = query("name").value_or("");
  JCM_RETURN_IF_ERROR(service::CheckDocumentName(upload.name));
  const std::string confidential = query("confidential").value_or("false");
  if (confidential != "true" && confidential != "false") {
    return core::InvalidArgument("confidential must be true or false");
  }
  upload.confidential = confidential == "true";
  upload.joint_committee = query("joint_committee").value_or("");
  upload.bytes = call.request.body;
  upload.user = call.context.principal.user;
  upload.idempotency_key = KeyOf(call);
  std::lock_guard lock(cycle_mu_);
  JCM_RETURN_IF_ERROR(cycle_.Refresh());
  if (!cycle_.state().committees.contains(upload.joint_committee)) {
    return core::NotFound("no Joint Committee '" + upload.joint_committee +
                          "' is established (joint_committee is its partner's code, e.g. MN)");
  }
  if (!service::MayUploadDocument(call.context.principal.Identity(), upload.joint_committee,
                                  cycle_.state())) {
    return Refused(call, "upload documents of Joint Committee " + upload.joint_committee);
  }
  JCM_ASSIGN_OR_RETURN(auto outcome, documents_.Upload(upload, cycle_.state()));
  if (const auto* rejection = std::get_if<service::Rejection>(&outcome)) {
    return ProblemFromRejection(*rejection, call.target.path, call.context.request_id);
  }
  const auto& record = std::get<service::DocumentRecord>(outcome);
  HttpResponse response = JsonResponse(201, DocumentJson(record));
  response.headers.emplace_back("Location", "/api/v1/documents/" + record.sha256);
  return response;
}

core::Result<HttpResponse> Api::GetDocument(const RouteCall& call) {
  const std::string& sha256 = call.params[0];
  if (!IsSha256Hex(sha256)) {
    return core::InvalidArgument("a document is named by its SHA-256: 64 lower-case hex digits");
  }
  service::DocumentDescription description;
  {
    std::lock_guard lock(cycle_mu_);
    JCM_RETURN_IF_ERROR(cycle_.Refresh());
    JCM_ASSIGN_OR_RETURN(description, documents_.Describe(sha256, cycle_.state()));
    if (!service::MayReadDocument(call.context.principal.Identity(), description, cycle_.state())) {
      JCM_ASSIGN_OR_RETURN(std::optional<std::string> stored, store_.GetDocument(sha256));
      if (!stored) return core::NotFound("no stored document with SHA-256 " + sha256);
      return Refused(call, "read confidential document " + sha256);
    }
  }
  JCM_ASSIGN_OR_RETURN(std::optional<std::string> bytes, store_.GetDocument(sha256));
  if (!bytes) return core::NotFound("no stored document with SHA-256 " + sha256);
  HttpResponse response;
  response.content_type = "application/octet-stream";
  response.body = std::move(*bytes);
  const std::string name = description.uploads.empty() ? sha256 : description.uploads.front().name;
  response.headers.emplace_back("Content-Disposition", "attachment; filename*=" + ExtValue(name));
  response.headers.emplace_back("ETag", "\"" + sha256 + "\"");
  return response;
}

core::Result<HttpResponse> Api::MrvCalculation(const RouteCall& call) {
  JCM_ASSIGN_OR_RETURN(MrvCalculationBody body, DecodeMrvCalculation(call.request.body));
  service::MrvDocumentsRequest request{body.methodology, body.params_sha256, body.data_sha256,
                                       std::nullopt, 1};
  if (!body.periods.empty()) request.periods = body.periods;
  std::vector<std::string> cited = body.data_sha256;
  cited.push_back(body.params_sha256);
  {
    // The inputs are documents: whoever may not read one may not calculate with it.
    std::lock_guard lock(cycle_mu_);
    JCM_RETURN_IF_ERROR(cycle_.Refresh());
    for (const std::string& sha256 : cited) {
      if (!IsSha256Hex(sha256)) {
        return core::InvalidArgument("'" + sha256 +
                                     "' is not a SHA-256 (64 lower-case hex digits)");
      }
      JCM_ASSIGN_OR_RETURN(service::DocumentDescription description,
                           documents_.Describe(sha256, cycle_.state()));
      if (!service::MayReadDocument(call.context.principal.Identity(), description,
                                    cycle_.state())) {
        JCM_ASSIGN_OR_RETURN(std::optional<std::string> stored, store_.GetDocument(sha256));
        if (!stored) return core::NotFound("no stored document with SHA-256 " + sha256);
        return Refused(call, "read document " + sha256);
      }
    }
  }
  JCM_ASSIGN_OR_RETURN(mrv::MethodologyCatalog catalog, service::OpenMethodologyCatalog({}));
  JCM_ASSIGN_OR_RETURN(service::MrvCalculation calculation,
                       service::CalculateMrvOfDocuments(store_, catalog, request));
  if (auto rejection = service::JudgeMrvCalculation(calculation)) {
    HttpResponse problem =
        ProblemFromRejection(*rejection, call.target.path, call.context.request_id);
    bj::object document = bj::parse(problem.body).as_object();
    document["mrv"] = service::json::MrvReportJson(calculation);
    problem.body = bj::serialize(document);
    return problem;
  }
  return JsonResponse(200, service::json::MrvReportJson(calculation));
}

}  // namespace jcm::server
