// The project-cycle commands of `jcm` (docs/cli.md, "Project cycle"): the shared pieces and the
// module's command table.
#include <filesystem>
#include <fstream>
#include <ostream>

#include "cli/commands.h"
#include "cli/cycle/cycle_cli.h"
#include "service/json/cycle_json.h"

namespace jcm::cli {
namespace cycle_cli {
namespace {

std::vector<std::string_view> Join(std::initializer_list<std::string_view> common,
                                   std::initializer_list<std::string_view> own) {
  std::vector<std::string_view> flags(common);
  flags.insert(flags.end(), own.begin(), own.end());
  return flags;
}

core::Result<std::string> ReadDocumentFile(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {  // a directory reads as 0 bytes
    return core::InvalidArgument("document '" + path + "' is not a readable regular file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::InvalidArgument("cannot read document '" + path + "'");
  std::string bytes;
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    bytes.append(buffer, static_cast<size_t>(in.gcount()));
    if (bytes.size() > store::kDocumentBytesMax) {
      return core::ResourceExhausted("document '" + path + "' is larger than " +
                                     std::to_string(store::kDocumentBytesMax) + " bytes");
    }
  }
  return bytes;
}

}  // namespace

core::Result<std::unique_ptr<CycleRun>> OpenCycle(CommandRun& run, store::OpenMode mode) {
  const DateUse date_use =
      mode == store::OpenMode::kReadOnly ? DateUse::kReadOnly : DateUse::kJournaled;
  JCM_ASSIGN_OR_RETURN(core::Date today, Today(run, date_use));
  JCM_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, OpenStore(run, mode));
  store::Store& opened = *store;
  return std::unique_ptr<CycleRun>(
      new CycleRun{run, std::move(store), service::CycleService(opened), today, {}});
}

std::vector<std::string_view> ReadFlags(std::initializer_list<std::string_view> own) {
  return Join({"db", "today"}, own);
}

std::vector<std::string_view> StepFlags(std::initializer_list<std::string_view> own) {
  return Join({"db", "today", "key"}, own);
}

void PrintEvent(CommandRun& run, const service::OrRejection<service::CycleEventResult>& outcome) {
  run.print.Outcome(outcome, service::json::EventJson,
                    [](const service::CycleEventResult& e, std::ostream& out) {
                      out << e.kind << " journaled as entry " << e.seq
                          << (e.replayed ? " (already journaled)" : "") << "\n";
                    });
}

core::Status RunStep(CycleRun& c, cycle::Payload payload, std::string by) {
  JCM_ASSIGN_OR_RETURN(auto outcome, c.service.Step(service::StepRequest{
                                         std::move(payload), std::move(by), c.today,
                                         c.args().Get("key").value_or(""), c.documents}));
  PrintEvent(c.run, outcome);
  return core::OkStatus();
}

core::Result<cycle::Document> DocumentFrom(CycleRun& c, std::string_view flag, std::string type,
                                           bool confidential) {
  const std::string version = c.args().Get("version").value_or("1");
  if (auto hex = c.args().Get(std::string(flag) + "-sha256")) {
    return cycle::Document{*hex, std::move(type), version, confidential};  // kept elsewhere
  }
  auto path = c.args().Get(flag);
  if (!path) return core::InvalidArgument("missing --" + std::string(flag) + " FILE");
  JCM_ASSIGN_OR_RETURN(std::string bytes, ReadDocumentFile(*path));
  cycle::Document document =
      service::CycleService::DocumentOf(bytes, std::move(type), version, confidential);
  c.documents.push_back(std::move(bytes));
  return document;
}

}  // namespace cycle_cli

std::span<const CommandSpec> CycleCommands() {
  static const std::vector<CommandSpec> commands = [] {
    std::vector<CommandSpec> all;
    for (auto table : {cycle_cli::ReportCommands(), cycle_cli::SetupCommands(),
                       cycle_cli::ProjectCommands(), cycle_cli::IssuanceCommands()}) {
      all.insert(all.end(), table.begin(), table.end());
    }
    return all;
  }();
  return commands;
}

}  // namespace jcm::cli
