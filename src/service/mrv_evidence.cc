#include "service/mrv_evidence.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "core/sha256.h"
#include "cycle/codec.h"
#include "mrv/project_params.h"

namespace jcm::service {
namespace {

constexpr std::string_view kReportKind = "cycle.monitoring_report_submitted";
constexpr std::string_view kEvidenceField = "mrv_params_sha256";

// The bytes of a cited file: given by the caller (matched by SHA-256) or stored.
core::Result<std::string> CitedBytes(store::Store& store,
                                     const std::map<std::string, const std::string*>& given,
                                     const std::string& sha256, std::string_view role) {
  if (auto it = given.find(sha256); it != given.end()) return *it->second;
  JCM_ASSIGN_OR_RETURN(std::optional<std::string> bytes, store.GetDocument(sha256));
  if (!bytes) {
    return core::NotFound("no stored document with SHA-256 " + sha256 + " (MRV " +
                          std::string(role) + "); upload it first (POST /api/v1/documents)");
  }
  return std::move(*bytes);
}

core::Result<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::NotFound(path + ": cannot open");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) return core::Unavailable(path + ": read error");
  return bytes.str();
}

// The files a report's evidence consists of, in the order the engine reads them, the published
// report last; names as the calculation over stored documents gives them.
std::vector<MrvEvidenceFile> EvidenceFiles(const cycle::SubmitMonitoringReport& report,
                                           const std::string& id, const std::string& version) {
  std::vector<MrvEvidenceFile> files;
  files.push_back({"methodology", id + "/v" + version + std::string(mrv::kMethodologyFileExtension),
                   report.mrv_methodology_sha256.value_or(""), 0});
  files.push_back({"params", "params.txt", report.mrv_params_sha256.value_or(""), 0});
  for (size_t i = 0; i < report.mrv_data_sha256.size(); ++i) {
    files.push_back({"data", "data-" + std::to_string(i + 1), report.mrv_data_sha256[i], 0});
  }
  files.push_back({"report", "report.json", report.mrv_calculation_sha256, 0});
  return files;
}

// The first difference of two texts: its offset, line and column, and the line of each.
void NameFirstDifference(std::string_view recorded, std::string_view recomputed,
                         MrvRecomputation* out) {
  const auto [at, unused] =
      std::mismatch(recorded.begin(), recorded.end(), recomputed.begin(), recomputed.end());
  const size_t offset = static_cast<size_t>(at - recorded.begin());
  const size_t line_start = offset == 0 ? 0 : recorded.rfind('\n', offset - 1) + 1;
  const auto line_of = [line_start](std::string_view text) {
    if (line_start >= text.size()) return std::string("(end of text)");
    const std::string_view line = text.substr(line_start, text.find('\n', line_start) - line_start);
    return std::string(line.substr(0, 160));
  };
  out->difference_offset = static_cast<int64_t>(offset);
  out->difference_line =
      1 +
      std::count(recorded.begin(), recorded.begin() + static_cast<std::ptrdiff_t>(offset), '\n');
  out->difference_column = static_cast<int64_t>(offset - line_start) + 1;
  out->difference = FromService(
      ServiceCheck::kMrvResultDiffers,
      "the recomputed report differs from the recorded one (" + std::to_string(recorded.size()) +
          " bytes, SHA-256 " + out->recorded_sha256 + ") at byte " + std::to_string(offset) +
          ", line " + std::to_string(out->difference_line) + ", column " +
          std::to_string(out->difference_column) + ": recorded '" + line_of(recorded) +
          "', recomputed '" + line_of(recomputed) + "'");
}

// Reads back every stored file of the evidence. A file that no longer hashes to its recorded
// SHA-256 is check 230 (231 for the report); a missing one is NotFound.
core::Result<std::vector<std::string>> ReadEvidence(store::Store& store, int64_t seq,
                                                    MrvRecomputation* out) {
  std::vector<std::string> contents;
  for (MrvEvidenceFile& file : out->files) {
    const auto altered = [&] {
      const bool report = file.role == "report";
      out->difference =
          FromService(report ? ServiceCheck::kMrvResultAltered : ServiceCheck::kMrvEvidenceAltered,
                      "the stored " + file.role + " file " + file.name + " of monitoring report " +
                          std::to_string(seq) +
                          " is not the file recorded: its bytes no longer hash to " + file.sha256);
    };
    core::Result<std::optional<std::string>> bytes = store.GetDocument(file.sha256);
    if (!bytes.ok() && bytes.status().code() == core::StatusCode::kDataLoss) {
      altered();
      return contents;
    }
    JCM_RETURN_IF_ERROR(bytes.status());
    if (!*bytes) {
      return core::NotFound("the stored " + file.role + " file " + file.name + " (SHA-256 " +
                            file.sha256 + ") of monitoring report " + std::to_string(seq) +
                            " is missing from the registry's documents");
    }
    if (core::Sha256Hex(**bytes) != file.sha256) {
      altered();
      return contents;
    }
    file.bytes = static_cast<int64_t>((*bytes)->size());
    if (file.role == "data") {
      file.name += (*bytes)->starts_with(std::string_view("PK\x03\x04", 4)) ? ".xlsx" : ".csv";
    }
    contents.push_back(std::move(**bytes));
  }
  return contents;
}

core::Result<cycle::SubmitMonitoringReport> ReportAt(store::Store& store, int64_t seq) {
  JCM_ASSIGN_OR_RETURN(std::vector<ledger::JournalEntry> entries, store.ReadJournalRange(seq, 1));
  if (entries.empty() || entries.front().seq != seq || entries.front().kind != kReportKind) {
    return core::NotFound("journal entry " + std::to_string(seq) + " is not a monitoring report (" +
                          std::string(kReportKind) + ")");
  }
  JCM_ASSIGN_OR_RETURN(cycle::Event event,
                       cycle::DecodeEvent(entries.front().kind, entries.front().body));
  return std::get<cycle::SubmitMonitoringReport>(std::move(event.payload));
}

}  // namespace

core::Result<PreparedMrvEvidence> PrepareMrvEvidence(store::Store& store,
                                                     const mrv::MethodologyCatalog& catalog,
                                                     MrvReportPrinter print, int threads,
                                                     const std::vector<std::string>& given,
                                                     cycle::SubmitMonitoringReport& report) {
  if (!report.mrv_params_sha256 || report.mrv_data_sha256.empty() ||
      report.mrv_data_sha256.size() > kMrvDataDocumentsMax) {
    return core::InvalidArgument("MRV evidence is one parameter file and 1 to " +
                                 std::to_string(kMrvDataDocumentsMax) + " monitoring files");
  }
  std::map<std::string, const std::string*> given_by_sha256;
  for (const std::string& bytes : given) given_by_sha256[core::Sha256Hex(bytes)] = &bytes;
  MrvEvidenceFiles files;
  JCM_ASSIGN_OR_RETURN(files.params,
                       CitedBytes(store, given_by_sha256, *report.mrv_params_sha256, "params"));
  for (const std::string& sha256 : report.mrv_data_sha256) {
    JCM_ASSIGN_OR_RETURN(std::string bytes, CitedBytes(store, given_by_sha256, sha256, "data"));
    files.data.push_back(std::move(bytes));
  }
  std::string reference = report.mrv_methodology.value_or("");
  if (reference.empty()) {
    JCM_ASSIGN_OR_RETURN(mrv::ProjectParams project,
                         mrv::ParseProjectParams(files.params, "params.txt"));
    reference = project.methodology;
  }
  if (reference.empty()) return core::InvalidArgument("the MRV evidence names no methodology");
  JCM_ASSIGN_OR_RETURN(const mrv::MethodologyEntry* entry, catalog.Find(reference));
  JCM_ASSIGN_OR_RETURN(files.methodology, ReadWholeFile(entry->path));
  files.methodology_id = entry->id;
  files.methodology_version = entry->version;
  PreparedMrvEvidence prepared;
  JCM_ASSIGN_OR_RETURN(prepared.calculation,
                       CalculateMrvOfEvidence(files, {report.period}, threads));
  prepared.report_text = print(prepared.calculation);
  JCM_ASSIGN_OR_RETURN(prepared.result,
                       MrvResultOf(prepared.calculation, core::Sha256Hex(prepared.report_text)));
  report.mrv_methodology = entry->id + "@" + entry->version;
  report.mrv_methodology_sha256 = core::Sha256Hex(files.methodology);
  prepared.documents = {std::move(files.methodology), std::move(files.params)};
  for (std::string& bytes : files.data) prepared.documents.push_back(std::move(bytes));
  prepared.documents.push_back(prepared.report_text);
  return prepared;
}

core::Result<MrvRecomputation> RecomputeMonitoringReport(store::Store& store, int64_t seq,
                                                         MrvReportPrinter print, int threads) {
  JCM_ASSIGN_OR_RETURN(cycle::SubmitMonitoringReport report, ReportAt(store, seq));
  const std::string methodology = report.mrv_methodology.value_or("");
  const size_t at = methodology.find('@');
  if (!report.mrv_params_sha256 || !report.mrv_methodology_sha256 || at == std::string::npos) {
    return core::FailedPrecondition(
        "monitoring report " + std::to_string(seq) +
        " stored no MRV evidence (it was submitted with --reported or --mrv-result): there is "
        "nothing to recompute it from");
  }
  MrvRecomputation out;
  out.report_seq = seq;
  out.project = report.project;
  out.period = report.period;
  out.methodology = methodology;
  out.reported_tco2e = report.reported_tco2e;
  out.recorded_sha256 = report.mrv_calculation_sha256;
  out.files = EvidenceFiles(report, methodology.substr(0, at), methodology.substr(at + 1));
  JCM_ASSIGN_OR_RETURN(std::vector<std::string> contents, ReadEvidence(store, seq, &out));
  if (out.difference) return out;
  MrvEvidenceFiles files{
      methodology.substr(0, at), methodology.substr(at + 1), contents[0], contents[1], {}};
  files.data.assign(contents.begin() + 2, contents.end() - 1);
  core::Result<MrvCalculation> calculation =
      CalculateMrvOfEvidence(files, {report.period}, threads);
  if (!calculation.ok()) {
    out.difference =
        FromService(ServiceCheck::kMrvRecomputationFailed,
                    "the engine refuses the stored evidence of monitoring report " +
                        std::to_string(seq) + ": " + std::string(calculation.status().message()));
    return out;
  }
  const std::string recomputed = print(*calculation);
  out.recomputed_sha256 = core::Sha256Hex(recomputed);
  out.recomputed_tco2e = calculation->er_tco2e;
  if (recomputed != contents.back()) {
    NameFirstDifference(contents.back(), recomputed, &out);
  } else if (out.reported_tco2e != out.recomputed_tco2e) {
    out.difference = FromService(ServiceCheck::kMrvReportedFigureDiffers,
                                 "monitoring report " + std::to_string(seq) + " journals " +
                                     std::to_string(out.reported_tco2e) +
                                     " tCO2e; its recomputed report gives " +
                                     std::to_string(out.recomputed_tco2e));
  }
  return out;
}

core::Result<std::vector<int64_t>> MonitoringReportsWithEvidence(store::Store& store) {
  JCM_ASSIGN_OR_RETURN(std::vector<ledger::JournalEntry> entries,
                       store.ReadJournal(1, std::string(kReportKind)));
  std::vector<int64_t> seqs;
  for (const ledger::JournalEntry& entry : entries) {
    if (entry.kind == kReportKind && entry.body.Find(kEvidenceField)) seqs.push_back(entry.seq);
  }
  return seqs;
}

}  // namespace jcm::service
