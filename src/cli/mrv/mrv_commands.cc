// jcm mrv methodologies | show | calc: the command-line face of the MRV engine (docs/mrv.md),
// through service/mrv_service.h.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include "cli/commands.h"
#include "cli/mrv/mrv_cli.h"
#include "mrv/monitoring_csv.h"
#include "mrv/project_params.h"
#include "service/json/mrv_json.h"
#include "service/mrv_service.h"

namespace jcm::cli {
namespace {

namespace sj = service::json;

core::Status Methodologies(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(mrv::MethodologyCatalog catalog,
                       service::OpenMethodologyCatalog(run.args.Get("methodologies")));
  JCM_ASSIGN_OR_RETURN(std::vector<mrv::Methodology> loaded, service::LoadMethodologies(catalog));
  run.print.Json(sj::MethodologyListJson(loaded));
  if (run.print.json()) return core::OkStatus();
  for (const mrv::Methodology& m : loaded) {
    run.print.out() << m.ref() << "  " << m.technology << "  " << m.title << "\n";
  }
  return core::OkStatus();
}

core::Status Show(CommandRun& run) {
  if (run.args.positional().size() != 1) return core::InvalidArgument("show needs ID[@VERSION]");
  JCM_ASSIGN_OR_RETURN(mrv::MethodologyCatalog catalog,
                       service::OpenMethodologyCatalog(run.args.Get("methodologies")));
  JCM_ASSIGN_OR_RETURN(mrv::Methodology m, catalog.Load(run.args.positional()[0]));
  run.print.Json(sj::MethodologyJson(m));
  if (!run.print.json()) mrv_cli::PrintMethodology(m, run.print.out());
  return core::OkStatus();
}

// Shows "ingest: 42 % (1200 MB of 2900 MB)" on a terminal while `done` is false.
void ShowProgress(const std::atomic<uint64_t>& bytes, uint64_t total, const std::atomic<bool>& done,
                  std::ostream& err) {
  while (!done.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const uint64_t now = bytes.load();
    err << "\ringest: " << (total == 0 ? 100 : now * 100 / total) << " % (" << now / 1000000
        << " MB of " << total / 1000000 << " MB)" << std::flush;
  }
  err << "\r\033[K" << std::flush;
}

core::Result<service::MrvCalcRequest> CalcRequest(const Args& args) {
  service::MrvCalcRequest request;
  request.methodology = args.Get("methodology");
  JCM_ASSIGN_OR_RETURN(request.params_path, args.Require("params"));
  request.data_paths = args.GetAll("data");
  if (request.data_paths.empty()) return core::InvalidArgument("calc needs at least one --data");
  if (auto period = args.Get("period")) {
    auto parsed = mrv::ParsePeriodList(*period);
    if (!parsed.ok() || parsed->empty()) {
      return core::InvalidArgument("bad --period: expected START..END");
    }
    request.periods = *parsed;
  }
  // Default: one worker per core (at most the engine's maximum); a given --threads outside
  // 1..kIngestThreadsMax is a mistake to report, not a number to clamp silently.
  const auto cores = static_cast<int64_t>(
      std::clamp<unsigned>(std::thread::hardware_concurrency(), 1, mrv::kIngestThreadsMax));
  JCM_ASSIGN_OR_RETURN(int64_t threads, args.RequireInt("threads", cores));
  if (threads < 1 || threads > mrv::kIngestThreadsMax) {
    return core::InvalidArgument("--threads must be 1.." + std::to_string(mrv::kIngestThreadsMax) +
                                 ", got " + std::to_string(threads));
  }
  request.threads = static_cast<int>(threads);
  request.report_xlsx_path = args.Get("report-xlsx");
  request.report_csv_path = args.Get("report-csv");
  return request;
}

// The calculation, with a progress line on a terminal for large inputs.
core::Result<service::MrvCalculation> CalculateWithProgress(const mrv::MethodologyCatalog& catalog,
                                                            service::MrvCalcRequest request,
                                                            std::ostream& err) {
  uint64_t total = 0;
  for (const std::string& path : request.data_paths) {
    std::error_code error;
    total += static_cast<uint64_t>(std::filesystem::file_size(path, error));
  }
  std::atomic<uint64_t> bytes{0};
  std::atomic<bool> done{false};
  std::thread progress;
  if (isatty(STDERR_FILENO) && total > (64u << 20)) {
    request.bytes_done = &bytes;
    progress = std::thread(ShowProgress, std::cref(bytes), total, std::cref(done), std::ref(err));
  }
  auto calculation = service::CalculateMrv(catalog, request);
  done = true;
  if (progress.joinable()) progress.join();
  return calculation;
}

core::Status Calc(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(service::MrvCalcRequest request, CalcRequest(run.args));
  JCM_ASSIGN_OR_RETURN(mrv::MethodologyCatalog catalog,
                       service::OpenMethodologyCatalog(run.args.Get("methodologies")));
  JCM_ASSIGN_OR_RETURN(service::MrvCalculation calculation,
                       CalculateWithProgress(catalog, std::move(request), run.print.err()));
  if (auto rejection = service::JudgeMrvCalculation(calculation)) {
    // Not a figure that may be reported: exit 3, the rejection beside the full report.
    run.print.Rejected(*rejection, sj::MrvReportJson(calculation));
    if (!run.print.json()) mrv_cli::PrintReport(calculation.report, run.print.out());
    return core::OkStatus();
  }
  run.print.Json(sj::MrvReportJson(calculation));  // the bytes of sj::MrvReportText
  if (!run.print.json()) mrv_cli::PrintReport(calculation.report, run.print.out());
  return core::OkStatus();
}

constexpr std::string_view kGroup = "MRV";

}  // namespace

std::span<const CommandSpec> MrvCommands() {
  static const CommandSpec commands[] = {
      {"mrv methodologies",
       kGroup,
       "methodologies | show | calc | recompute: emission reductions from data",
       "jcm mrv methodologies [--methodologies DIR] [--json]\n",
       {"methodologies"},
       {},
       Methodologies},
      {"mrv show",
       kGroup,
       "",
       "jcm mrv show ID[@VERSION] [--methodologies DIR] [--json]\n",
       {"methodologies", "<ID[@VERSION]>"},
       {},
       Show},
      {"mrv calc",
       kGroup,
       "",
       "jcm mrv calc [--methodology ID[@VERSION]] --params FILE --data FILE [--data FILE …]\n"
       "             [--period START..END[,…]] [--report-xlsx OUT.xlsx] [--report-csv OUT.csv]\n"
       "             [--threads N] [--methodologies DIR] [--json]\n"
       "  An ineligible project or a period that is not issuable is a rejection (exit 3, checks\n"
       "  201-202) printed with the report. Details: docs/mrv.md.\n",
       {"methodologies", "methodology", "params", "data...", "period", "report-xlsx", "report-csv",
        "threads"},
       {},
       Calc},
      {"mrv recompute",
       kGroup,
       "",
       "jcm mrv recompute --db FILE --report SEQ [--threads N] [--json]\n"
       "  Re-derives the MRV result of the monitoring report journaled as entry SEQ from its\n"
       "  stored evidence alone (methodology definition, parameter and monitoring files) and\n"
       "  compares it byte for byte with the recorded report: exit 0 when identical, exit 4\n"
       "  and the first difference (checks 230-234) when not. Details: docs/mrv.md.\n",
       {"db", "report", "threads"},
       {},
       mrv_cli::Recompute},
  };
  return commands;
}

std::span<const CommandSpec> BenchMrvCommands() {
  static const CommandSpec commands[] = {
      {"bench mrv",
       "benchmarks",
       "ledger | mrv: throughput against baselines of the same run",
       "jcm bench mrv [--layout long|wide] [--bytes N | --points N] [--repeat N] [--keep]\n"
       "              [--dir DIR] [--json]\n"
       "  Ingest-and-calculate throughput of a synthetic meter export (wide: one column per\n"
       "  meter, the default; long: one line per reading), 1 and 2 threads, against\n"
       "  a newline-count baseline; always prints JSON (docs/mrv.md).\n",
       {"bytes", "points", "dir", "repeat", "layout"},
       {"keep"},
       mrv_cli::BenchMrv},
  };
  return commands;
}

}  // namespace jcm::cli
