#include "server/step_json.h"

#include <algorithm>
#include <boost/json.hpp>
#include <optional>
#include <set>
#include <type_traits>

#include "core/record.h"
#include "ledger/types.h"

namespace jcm::server {
namespace {

namespace bj = boost::json;

struct StepSpec;
using Decoder = core::Result<DecodedStep> (*)(const bj::object& body, const StepSpec& spec);

struct StepSpec {
  std::string_view name;
  StepUse use;
  StepAuthority authority;
  bool takes_by;
  std::vector<std::string_view> optional;  // fields that may be left out
  std::vector<std::pair<std::string_view, std::string_view>> document_types;  // field → type
  Decoder decode;

  bool Optional(std::string_view field) const {
    return std::find(optional.begin(), optional.end(), field) != optional.end();
  }
  std::string_view DocumentType(std::string_view field) const {
    for (const auto& [document_field, type] : document_types) {
      if (document_field == field) return type;
    }
    return field;
  }
};

// Derived by the cycle, never taken from a client.
constexpr std::string_view kDerivedFields[] = {"form_version"};

template <class T>
struct IsList : std::false_type {};
template <class T>
struct IsList<std::vector<T>> : std::true_type {};
template <class T>
struct IsOptional : std::false_type {};
template <class T>
struct IsOptional<std::optional<T>> : std::true_type {};

// Fields a body may leave out whatever the step: their default is the CLI's.
template <class T>
constexpr bool kMayBeAbsent = std::is_same_v<T, bool> || IsList<T>::value || IsOptional<T>::value;

core::Status TypeError(const std::string& path, std::string_view what) {
  return core::InvalidArgument("'" + path + "' must be " + std::string(what));
}

// The reader of one JSON object into a struct with Visit (a payload or one of its parts).
class ObjectReader {
 public:
  ObjectReader(const bj::object& object, const StepSpec& spec, std::string prefix)
      : object_(object), spec_(spec), prefix_(std::move(prefix)) {}

  template <class T>
  void operator()(std::string_view name, T& field) {
    if (!status_.ok()) return;
    if (std::find(std::begin(kDerivedFields), std::end(kDerivedFields), name) !=
        std::end(kDerivedFields)) {
      return;  // not accepted: the unknown-field check refuses it
    }
    known_.insert(std::string(name));
    const std::string path = prefix_ + std::string(name);
    const bj::value* value = object_.if_contains(name);
    if (value == nullptr) {
      if (!kMayBeAbsent<T> && !(prefix_.empty() && spec_.Optional(name))) {
        status_ = core::InvalidArgument("'" + path + "' is required");
      }
      return;
    }
    status_ = Read(*value, field, path);
  }

  // Fields read so far are known; `also` too. Any other field of the object is refused.
  core::Status Finish(std::initializer_list<std::string_view> also = {}) {
    JCM_RETURN_IF_ERROR(status_);
    for (const auto& [key, value] : object_) {
      const bool extra = std::find(also.begin(), also.end(), key) != also.end();
      if (!extra && !known_.contains(std::string(key))) {
        return core::InvalidArgument("unknown field '" + prefix_ + std::string(key) + "'");
      }
    }
    return core::OkStatus();
  }

 private:
  core::Status Read(const bj::value& v, std::string& out, const std::string& path) {
    if (!v.is_string()) return TypeError(path, "a string");
    out = std::string(v.get_string());
    return core::OkStatus();
  }
  core::Status Read(const bj::value& v, int64_t& out, const std::string& path) {
    if (!v.is_int64() && !(v.is_uint64() && v.get_uint64() <= INT64_MAX)) {
      return TypeError(path, "an integer");
    }
    out = v.to_number<int64_t>();
    return core::OkStatus();
  }
  core::Status Read(const bj::value& v, bool& out, const std::string& path) {
    if (!v.is_bool()) return TypeError(path, "true or false");
    out = v.get_bool();
    return core::OkStatus();
  }
  template <class Parsed, class Parser>
  core::Status ReadText(const bj::value& v, Parsed& out, const std::string& path, Parser parse,
                        std::string_view what) {
    if (!v.is_string()) return TypeError(path, what);
    std::optional<Parsed> parsed = parse(std::string_view(v.get_string()));
    if (!parsed) return TypeError(path, what);
    out = *parsed;
    return core::OkStatus();
  }
  core::Status Read(const bj::value& v, core::Date& out, const std::string& path) {
    return ReadText(
        v, out, path,
        [](std::string_view s) {
          auto d = core::Date::Parse(s);
          return d.ok() ? std::optional(*d) : std::nullopt;
        },
        "a date YYYY-MM-DD");
  }
  core::Status Read(const bj::value& v, core::Period& out, const std::string& path) {
    return ReadText(
        v, out, path,
        [](std::string_view s) {
          auto p = core::Period::Parse(s);
          return p.ok() ? std::optional(*p) : std::nullopt;
        },
        "a period START..END");
  }
  core::Status Read(const bj::value& v, cycle::TpeFunction& out, const std::string& path) {
    return ReadText(v, out, path, cycle::ParseTpeFunction, "validation or verification");
  }
  core::Status Read(const bj::value& v, cycle::FundingSource& out, const std::string& path) {
    return ReadText(v, out, path, cycle::ParseFundingSource, "a funding source (docs/cycle.md)");
  }
  core::Status Read(const bj::value& v, cycle::ProjectStatus& out, const std::string& path) {
    return ReadText(v, out, path, cycle::ParseProjectStatus, "a project status");
  }
  template <class T>
  core::Status Read(const bj::value& v, std::optional<T>& out, const std::string& path) {
    if (v.is_null()) return core::OkStatus();
    T value{};
    JCM_RETURN_IF_ERROR(Read(v, value, path));
    out = std::move(value);
    return core::OkStatus();
  }
  template <class T>
  core::Status Read(const bj::value& v, std::vector<T>& out, const std::string& path) {
    if (!v.is_array()) return TypeError(path, "an array");
    for (size_t i = 0; i < v.get_array().size(); ++i) {
      T value{};
      JCM_RETURN_IF_ERROR(Read(v.get_array()[i], value, path + "[" + std::to_string(i) + "]"));
      out.push_back(std::move(value));
    }
    return core::OkStatus();
  }
  // A document: {"sha256", "version" (default "1"), "confidential" (default false)}; its type
  // is the step's.
  core::Status Read(const bj::value& v, cycle::Document& out, const std::string& path) {
    if (!v.is_object()) return TypeError(path, "an object {\"sha256\", \"version\"}");
    out.version = "1";
    out.type = std::string(spec_.DocumentType(path.substr(0, path.find('.'))));
    ObjectReader nested(v.get_object(), spec_, path + ".");
    nested("sha256", out.sha256);
    if (v.get_object().contains("version")) nested("version", out.version);
    nested("confidential", out.confidential);
    return nested.Finish();
  }
  // Any other part with Visit (an allocation share, a side's amount): every field required.
  template <class T>
  requires requires(T t, ObjectReader& r) { t.Visit(r); }
  core::Status Read(const bj::value& v, T& out, const std::string& path) {
    if (!v.is_object()) return TypeError(path, "an object");
    ObjectReader nested(v.get_object(), spec_, path + ".");
    out.Visit(nested);
    return nested.Finish();
  }

  const bj::object& object_;
  const StepSpec& spec_;
  std::string prefix_;
  std::set<std::string> known_;
  core::Status status_;
};

// "by" of a step that takes it: a required string.
core::Result<std::string> ByOf(const bj::object& body, const StepSpec& spec) {
  if (!spec.takes_by) return std::string();
  const bj::value* by = body.if_contains("by");
  if (by == nullptr) return core::InvalidArgument("'by' is required");
  if (!by->is_string()) return TypeError("by", "a string");
  return std::string(by->get_string());
}

template <class Payload>
core::Result<DecodedStep> DecodePayload(const bj::object& body, const StepSpec& spec) {
  Payload payload;
  ObjectReader reader(body, spec, "");
  payload.Visit(reader);
  if (spec.takes_by) {
    JCM_RETURN_IF_ERROR(reader.Finish({"by"}));
  } else {
    JCM_RETURN_IF_ERROR(reader.Finish());
  }
  DecodedStep step;
  step.name = spec.name;
  step.use = spec.use;
  step.authority = spec.authority;
  JCM_ASSIGN_OR_RETURN(step.by, ByOf(body, spec));
  step.payload = std::move(payload);
  return step;
}

// issuance-execute: {"project", "period", "registry", "date", "authorization" (none, ndc,
// oimp, ndc+oimp; default none), "to": {HOLDER: ACCOUNT}}.
struct ExecutionBody {
  std::string project;
  core::Period period;
  std::string registry;
  core::Date date;
  template <class V>
  void Visit(V&& v) {
    v("project", project);
    v("period", period);
    v("registry", registry);
    v("date", date);
  }
};

core::Result<DecodedStep> DecodeExecution(const bj::object& body, const StepSpec& spec) {
  ExecutionBody fields;
  ObjectReader reader(body, spec, "");
  fields.Visit(reader);
  JCM_RETURN_IF_ERROR(reader.Finish({"authorization", "to"}));
  DecodedStep step{spec.name, spec.use, spec.authority, {}, "", {}};
  service::ExecutionRequest& e = step.execution;
  e.project = fields.project;
  e.period = fields.period;
  e.registry = fields.registry;
  e.date = fields.date;
  if (const bj::value* authorization = body.if_contains("authorization")) {
    const auto parsed = authorization->is_string()
                            ? ledger::AuthorizationFromName(authorization->get_string())
                            : std::nullopt;
    if (!parsed) return TypeError("authorization", "none, ndc, oimp or ndc+oimp");
    e.authorization = *parsed;
  }
  if (const bj::value* to = body.if_contains("to")) {
    if (!to->is_object()) return TypeError("to", "an object {HOLDER: ACCOUNT}");
    for (const auto& [holder, account] : to->get_object()) {
      if (!account.is_string()) return TypeError("to." + std::string(holder), "a string");
      e.holder_accounts[std::string(holder)] = std::string(account.get_string());
    }
  }
  return step;
}

using cycle::AddMonitoringPeriod, cycle::ApprovePostRegistrationChange,
    cycle::CheckMethodologyCompleteness, cycle::DecideIssuance, cycle::DecideMethodology,
    cycle::DecidePin, cycle::DecideRegistration, cycle::DesignateTpe,
    cycle::EstablishJointCommittee, cycle::ExtendMethodologyConsideration, cycle::AdoptForm,
    cycle::ProposeMethodology, cycle::RecordJcDecision, cycle::RegisterOrganisation,
    cycle::RegisterParty, cycle::RenewCreditingPeriod, cycle::RequestIssuance,
    cycle::RequestRegistration, cycle::ReviseMethodology, cycle::SubmitMonitoringReport,
    cycle::SubmitPdd, cycle::SubmitPin, cycle::SubmitValidation, cycle::SubmitVerification,
    cycle::WithdrawIssuanceRequest, cycle::WithdrawProject, cycle::WithdrawRegistrationRequest;

constexpr StepUse kStep = StepUse::kStep;
constexpr StepAuthority kJc = StepAuthority::kSecretariat;
constexpr StepAuthority kTpe = StepAuthority::kTpe;

// The table of steps, in the CLI's order (setup, project, issuance: cli/cycle/*_commands.cc).
const std::vector<StepSpec> kSteps = {
    {"party-register", kStep, kJc, false, {}, {}, DecodePayload<RegisterParty>},
    {"org-register", kStep, kJc, false, {}, {}, DecodePayload<RegisterOrganisation>},
    {"tpe-designate", kStep, kJc, false, {}, {}, DecodePayload<DesignateTpe>},
    {"jc-establish", kStep, kJc, false, {}, {}, DecodePayload<EstablishJointCommittee>},
    {"jc-decision", kStep, kJc, false, {}, {}, DecodePayload<RecordJcDecision>},
    {"jc-form", kStep, kJc, false, {}, {}, DecodePayload<AdoptForm>},
    {"methodology-propose",
     kStep,
     kJc,
     false,
     {},
     {{"document", "proposed_methodology"}},
     DecodePayload<ProposeMethodology>},
    {"methodology-check", kStep, kJc, false, {}, {}, DecodePayload<CheckMethodologyCompleteness>},
    {"methodology-extend",
     kStep,
     kJc,
     false,
     {},
     {},
     DecodePayload<ExtendMethodologyConsideration>},
    {"methodology-decide",
     kStep,
     kJc,
     false,
     {"approved_code", "version"},
     {},
     DecodePayload<DecideMethodology>},
    {"methodology-revise",
     kStep,
     kJc,
     false,
     {},
     {{"document", "amr"}},
     DecodePayload<ReviseMethodology>},
    {"pin-submit", kStep, kJc, true, {"funding"}, {{"document", "pin"}}, DecodePayload<SubmitPin>},
    {"pin-decide", kStep, kJc, false, {}, {}, DecodePayload<DecidePin>},
    {"pdd-submit",
     kStep,
     kJc,
     true,
     {},
     {{"document", "pdd"}, {"public_copy", "pdd_public"}},
     DecodePayload<SubmitPdd>},
    {"validation-submit",
     kStep,
     kTpe,
     true,
     {},
     {{"report", "validation_report"}},
     DecodePayload<SubmitValidation>},
    {"registration-request",
     kStep,
     kJc,
     true,
     {},
     {{"document", "registration_request"}},
     DecodePayload<RequestRegistration>},
    {"registration-decide",
     kStep,
     kJc,
     false,
     {"reference"},
     {},
     DecodePayload<DecideRegistration>},
    {"registration-withdraw", kStep, kJc, true, {}, {}, DecodePayload<WithdrawRegistrationRequest>},
    {"project-change",
     kStep,
     kJc,
     false,
     {},
     {{"document", "post_registration_change"}},
     DecodePayload<ApprovePostRegistrationChange>},
    {"project-renew", kStep, kJc, false, {}, {}, DecodePayload<RenewCreditingPeriod>},
    {"project-withdraw", kStep, kJc, false, {}, {}, DecodePayload<WithdrawProject>},
    {"monitoring-period", kStep, kJc, true, {}, {}, DecodePayload<AddMonitoringPeriod>},
    {"monitoring-report",
     StepUse::kMonitoringReport,
     kJc,
     true,
     {"mrv_calculation_sha256"},
     {{"document", "monitoring_report"}},
     DecodePayload<SubmitMonitoringReport>},
    {"verification-submit",
     kStep,
     kTpe,
     true,
     {},
     {{"report", "verification_report"}},
     DecodePayload<SubmitVerification>},
    {"issuance-request",
     kStep,
     kJc,
     true,
     {},
     {{"document", "issuance_request"}},
     DecodePayload<RequestIssuance>},
    {"issuance-withdraw", kStep, kJc, true, {}, {}, DecodePayload<WithdrawIssuanceRequest>},
    {"issuance-decide", kStep, kJc, false, {}, {}, DecodePayload<DecideIssuance>},
    {"issuance-execute",
     StepUse::kExecution,
     StepAuthority::kRegistry,
     false,
     {},
     {},
     DecodeExecution},
};

// A JSON object, strictly: Boost.JSON refuses invalid UTF-8, truncated text, comments and
// trailing commas.
core::Result<bj::value> ParseObject(std::string_view body) {
  boost::system::error_code error;
  bj::value value = bj::parse(body, error);
  if (error) return core::InvalidArgument("the body is not JSON: " + error.message());
  if (!value.is_object()) return core::InvalidArgument("the body must be a JSON object");
  return value;
}

}  // namespace

std::vector<std::string_view> StepNames() {
  std::vector<std::string_view> names;
  for (const StepSpec& spec : kSteps) names.push_back(spec.name);
  return names;
}

core::Result<DecodedStep> DecodeStep(std::string_view step, std::string_view body) {
  const auto spec =
      std::find_if(kSteps.begin(), kSteps.end(), [&](const StepSpec& s) { return s.name == step; });
  if (spec == kSteps.end()) {
    return core::NotFound("no project-cycle step '" + std::string(step) +
                          "' (docs/api.md, \"Project cycle\")");
  }
  JCM_ASSIGN_OR_RETURN(const bj::value value, ParseObject(body));
  return spec->decode(value.get_object(), *spec);
}

core::Result<MrvCalculationBody> DecodeMrvCalculation(std::string_view body) {
  static const StepSpec kSpec{"mrv-calculation", StepUse::kStep, kJc, false, {}, {}, nullptr};
  JCM_ASSIGN_OR_RETURN(const bj::value value, ParseObject(body));
  MrvCalculationBody decoded;
  ObjectReader reader(value.get_object(), kSpec, "");
  decoded.Visit(reader);
  JCM_RETURN_IF_ERROR(reader.Finish());
  return decoded;
}

}  // namespace jcm::server
