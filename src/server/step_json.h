// The project-cycle steps of the API (docs/api.md, "Project cycle"): one per `jcm` cycle command,
// named by the command's words joined by '-' ("pin-submit", "issuance-execute"), and the strict
// decoding of their JSON bodies.
//
// A step's body is a JSON object whose fields are the step's payload fields under the names the
// journal gives them (cycle/command.h, Visit; docs/formats/journal.md) — "pin_id",
// "host_participant" (a list), "document": {"sha256", "version", "confidential"}, "share":
// [{"side", "holder", "bp"}] — plus "by" (the organisation acting) for the steps the CLI takes
// --by or --tpe for. Dates are "YYYY-MM-DD", periods "START..END", enums their journal names. A
// text, number, date, period, enum or document field is required unless the step lists it as
// optional; booleans (default as the CLI's), lists and optional values may be left out. Fields
// the cycle derives (a form version) and a document's type (the step fixes it, as the CLI does)
// are not accepted. Anything else is a 400: not JSON, invalid UTF-8, truncated, not an object,
// an unknown field, a wrong type, a malformed date.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "cycle/command.h"
#include "service/cycle_service.h"

namespace jcm::server {

// Who may take a step (identity::Authorize, docs/api.md "Project cycle"):
enum class StepAuthority {
  kSecretariat,  // the JC secretariat of the step's Joint Committee (Action::kCycleStep)
  kTpe,          // the TPE organisation named in "by" (Action::kTpeStep)
  kRegistry,     // the administrator of the executing registry (Action::kExecuteJcDecision)
};

// Which CycleService use case takes the step.
enum class StepUse { kStep, kMonitoringReport, kExecution };

struct DecodedStep {
  std::string_view name;
  StepUse use = StepUse::kStep;
  StepAuthority authority = StepAuthority::kSecretariat;
  cycle::Payload payload;               // kStep, kMonitoringReport
  std::string by;                       // kStep, kMonitoringReport: "by", when the step takes it
  service::ExecutionRequest execution;  // kExecution (today and the key left to the caller)
};

// Every step's name, in the order of docs/api.md.
std::vector<std::string_view> StepNames();

// NotFound for an unknown step; InvalidArgument naming what is wrong with the body.
core::Result<DecodedStep> DecodeStep(std::string_view step, std::string_view body);

// The body of POST /api/v1/mrv/calculations, decoded by the same rules: {"params_sha256",
// "data_sha256": [...], "methodology" (optional ID[@VERSION]), "periods" (optional, [START..END])}.
struct MrvCalculationBody {
  std::string params_sha256;
  std::vector<std::string> data_sha256;
  std::optional<std::string> methodology;
  std::vector<core::Period> periods;  // empty: the params file's
  template <class V>
  void Visit(V&& v) {
    v("params_sha256", params_sha256);
    v("data_sha256", data_sha256);
    v("methodology", methodology);
    v("periods", periods);
  }
};
core::Result<MrvCalculationBody> DecodeMrvCalculation(std::string_view body);

}  // namespace jcm::server
