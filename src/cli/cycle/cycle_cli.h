// Internal to the cycle CLI: a command run with its store and CycleService, the step runner,
// documents from files, and the command tables of each file.
#pragma once

#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cli/common/command.h"
#include "core/date.h"
#include "cycle/command.h"
#include "service/cycle_service.h"
#include "store/store.h"

namespace jcm::cli::cycle_cli {

// One cycle command: its argv, printer, store (--db), service and date (--today).
struct CycleRun {
  CommandRun& run;
  std::unique_ptr<store::Store> store;
  service::CycleService service;
  core::Date today;
  // The bytes of the documents read by DocumentFrom, stored by the service only when the step
  // is accepted (StepRequest::documents).
  std::vector<std::string> documents;

  const Args& args() const { return run.args; }
};

core::Result<std::unique_ptr<CycleRun>> OpenCycle(
    CommandRun& run, store::OpenMode mode = store::OpenMode::kReadWrite);

// Adapts a body taking a CycleRun to the command table.
template <core::Status (*Body)(CycleRun&)>
core::Status WithCycle(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(std::unique_ptr<CycleRun> cycle, OpenCycle(run));
  return Body(*cycle);
}

// The same for a command that only reads: the registry is opened read-only.
template <core::Status (*Body)(CycleRun&)>
core::Status ReadingCycle(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(std::unique_ptr<CycleRun> cycle, OpenCycle(run, store::OpenMode::kReadOnly));
  return Body(*cycle);
}

// The value flags every cycle command takes (--db, --today) and every step takes (--key),
// followed by `own`.
std::vector<std::string_view> ReadFlags(std::initializer_list<std::string_view> own);
std::vector<std::string_view> StepFlags(std::initializer_list<std::string_view> own);

// Decides and journals one step (`by`: the organisation acting, where the step is one's own)
// and prints the event or the rejection.
core::Status RunStep(CycleRun& c, cycle::Payload payload, std::string by = "");
void PrintEvent(CommandRun& run, const service::OrRejection<service::CycleEventResult>& outcome);

// A document from --<flag> FILE (a regular file; its bytes join c.documents, to be stored in the
// registry, content-addressed, when the step is accepted) or --<flag>-sha256 HEX (referenced
// only), with --version (default 1).
core::Result<cycle::Document> DocumentFrom(CycleRun& c, std::string_view flag, std::string type,
                                           bool confidential = false);

std::span<const CommandSpec> SetupCommands();     // party, org, tpe, jc, methodology
std::span<const CommandSpec> ProjectCommands();   // pin, pdd, validation, registration, project
std::span<const CommandSpec> IssuanceCommands();  // monitoring, verification, issuance
std::span<const CommandSpec> ReportCommands();    // import, project list|show, registry, due, …

}  // namespace jcm::cli::cycle_cli
