#include "service/mrv_service.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string_view>

#include "core/sha256.h"
#include "mrv/monitoring_csv.h"
#include "mrv/project_params.h"
#include "mrv/report_sheet.h"
#include "service/install_paths.h"

namespace jcm::service {
namespace {

core::Result<std::string> Sha256OfFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::NotFound(path + ": cannot open");
  core::Sha256 hash;
  std::vector<char> buffer(1 << 20);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const std::streamsize n = in.gcount();
    if (n > 0) hash.Update(std::string_view(buffer.data(), static_cast<size_t>(n)));
  }
  if (in.bad()) return core::Unavailable(path + ": read error");
  return hash.Hex();
}

core::Status CheckPeriods(const std::vector<core::Period>& periods) {
  if (periods.empty()) {
    return core::InvalidArgument(
        "no monitoring period: give --period or periods = … in the params file");
  }
  for (size_t i = 0; i < periods.size(); ++i) {
    for (size_t j = i + 1; j < periods.size(); ++j) {
      if (periods[i].Overlaps(periods[j])) {
        return core::InvalidArgument("monitoring periods overlap: " + periods[i].ToString() +
                                     " and " + periods[j].ToString());
      }
    }
  }
  return core::OkStatus();
}

core::Result<mrv::MonitoringData> ReadData(const MrvCalcRequest& request, const mrv::Methodology& m,
                                           const mrv::ProjectParams& project,
                                           const std::vector<core::Period>& periods) {
  std::vector<std::string> csv_files, sheets;
  for (const std::string& path : request.data_paths) {
    (mrv::IsReportSheetFile(path) ? sheets : csv_files).push_back(path);
  }
  mrv::IngestOptions options;
  options.threads = std::max(1, request.threads);
  options.bytes_done = request.bytes_done;
  mrv::MonitoringData data{periods, {}, {}, {}};
  if (!csv_files.empty()) {
    JCM_ASSIGN_OR_RETURN(data, mrv::IngestMonitoringCsv(csv_files, m, project, periods, options));
  }
  for (const std::string& sheet : sheets) {
    JCM_RETURN_IF_ERROR(mrv::AddReportSheet(sheet, m, periods, &data));
  }
  return data;
}

core::Result<std::vector<HashedInput>> HashInputs(const std::string& methodology_path,
                                                  const MrvCalcRequest& request) {
  std::vector<HashedInput> inputs;
  auto add = [&](const std::string& role, const std::string& path) -> core::Status {
    std::error_code error;
    if (std::filesystem::exists(path, error) && !std::filesystem::is_regular_file(path, error)) {
      return core::InvalidArgument(path + ": not a regular file");
    }
    JCM_ASSIGN_OR_RETURN(std::string sha, Sha256OfFile(path));
    inputs.push_back(
        {role, path, static_cast<uint64_t>(std::filesystem::file_size(path, error)), sha});
    return core::OkStatus();
  };
  JCM_RETURN_IF_ERROR(add("methodology", methodology_path));
  JCM_RETURN_IF_ERROR(add("params", request.params_path));
  for (const std::string& path : request.data_paths) JCM_RETURN_IF_ERROR(add("data", path));
  return inputs;
}

// One monitoring file given twice — by the same path or as a copy — would be counted twice
// where no interval check catches it: identical data inputs (same SHA-256) are refused.
core::Status CheckDistinctData(const std::vector<HashedInput>& inputs) {
  std::map<std::string_view, const HashedInput*> by_hash;
  for (const HashedInput& input : inputs) {
    if (input.role != "data") continue;
    auto [first, inserted] = by_hash.emplace(input.sha256, &input);
    if (!inserted) {
      return core::InvalidArgument(
          input.path + ": the same content (SHA-256 " + input.sha256 + ") as the --data file " +
          first->second->path +
          "; give each monitoring file once (its readings would count twice)");
    }
  }
  return core::OkStatus();
}

// The report sheets the request asks for.
core::Status WriteSheets(const MrvCalcRequest& request, const mrv::Methodology& m,
                         const mrv::CalcReport& report) {
  if (request.report_xlsx_path) {
    JCM_RETURN_IF_ERROR(mrv::WriteReportSheetXlsx(*request.report_xlsx_path, m, report));
  }
  if (request.report_csv_path) {
    JCM_RETURN_IF_ERROR(mrv::WriteReportSheetCsv(*request.report_csv_path, m, report));
  }
  return core::OkStatus();
}

}  // namespace

core::Result<mrv::MethodologyCatalog> OpenMethodologyCatalog(
    const std::optional<std::string>& directory) {
  JCM_ASSIGN_OR_RETURN(const std::string found, FindMethodologyDirectory(directory));
  return mrv::MethodologyCatalog::Open(found);
}

core::Result<std::vector<mrv::Methodology>> LoadMethodologies(
    const mrv::MethodologyCatalog& catalog) {
  std::vector<mrv::Methodology> loaded;
  for (const mrv::MethodologyEntry& entry : catalog.entries()) {
    JCM_ASSIGN_OR_RETURN(mrv::Methodology m, catalog.Load(entry.id + "@" + entry.version));
    loaded.push_back(std::move(m));
  }
  return loaded;
}

core::Result<MrvCalculation> CalculateMrv(const mrv::MethodologyCatalog& catalog,
                                          const MrvCalcRequest& request) {
  if (request.data_paths.empty()) return core::InvalidArgument("calc needs at least one --data");
  JCM_ASSIGN_OR_RETURN(mrv::ProjectParams project, mrv::LoadProjectParamsFile(request.params_path));
  const std::string reference = request.methodology.value_or(project.methodology);
  if (reference.empty()) return core::InvalidArgument("calc needs --methodology ID[@VERSION]");
  JCM_ASSIGN_OR_RETURN(mrv::Methodology m, catalog.Load(reference));
  const std::vector<core::Period> periods = request.periods.value_or(project.periods);
  JCM_RETURN_IF_ERROR(CheckPeriods(periods));
  MrvCalculation calculation;
  JCM_ASSIGN_OR_RETURN(const mrv::MethodologyEntry* entry, catalog.Find(reference));
  JCM_ASSIGN_OR_RETURN(calculation.inputs, HashInputs(entry->path, request));
  JCM_RETURN_IF_ERROR(CheckDistinctData(calculation.inputs));
  JCM_ASSIGN_OR_RETURN(mrv::MonitoringData data, ReadData(request, m, project, periods));
  JCM_ASSIGN_OR_RETURN(calculation.report, mrv::Calculate(m, project, data));
  for (mrv::InputFile& file : calculation.report.files) {
    for (const HashedInput& input : calculation.inputs) {
      if (input.path == file.path) file.sha256 = input.sha256;
    }
  }
  JCM_RETURN_IF_ERROR(WriteSheets(request, m, calculation.report));
  for (const mrv::PeriodResult& p : calculation.report.periods) {
    if (p.issuable) calculation.er_tco2e += p.er_rounded_tco2e;
    calculation.issuable = calculation.issuable && p.issuable;
  }
  return calculation;
}

std::optional<Rejection> JudgeMrvCalculation(const MrvCalculation& calculation) {
  if (!calculation.report.eligible) {
    return FromService(ServiceCheck::kMrvProjectIneligible,
                       "the MRV calculation finds project " + calculation.report.project_id +
                           " ineligible under " + calculation.report.methodology_ref);
  }
  if (!calculation.issuable) {
    std::string periods;
    for (const mrv::PeriodResult& p : calculation.report.periods) {
      if (!p.issuable) periods += (periods.empty() ? "" : ", ") + p.period.ToString();
    }
    return FromService(ServiceCheck::kMrvPeriodNotIssuable,
                       "the MRV calculation has periods that are not issuable (" + periods +
                           "; see not_issuable_reasons); recalculate with --period covering only "
                           "issuable data");
  }
  return std::nullopt;
}

std::optional<Rejection> JudgeMrvResult(const MrvResult& result) {
  if (!result.eligible) {
    return FromService(
        ServiceCheck::kMrvProjectIneligible,
        "the MRV result finds the project ineligible under " + result.methodology.EngineForm());
  }
  if (!result.issuable) {
    return FromService(ServiceCheck::kMrvPeriodNotIssuable,
                       "the MRV result has periods that are not issuable (see its "
                       "not_issuable_reasons); recalculate with --period covering only issuable "
                       "data");
  }
  return std::nullopt;
}

core::Result<MrvResult> MrvResultOf(const MrvCalculation& calculation,
                                    std::string calculation_sha256) {
  MrvResult result;
  JCM_ASSIGN_OR_RETURN(result.methodology,
                       MethodologyRef::FromEngine(calculation.report.methodology_ref));
  result.er_tco2e = calculation.er_tco2e;
  result.eligible = calculation.report.eligible;
  result.issuable = calculation.issuable;
  result.calculation_sha256 = std::move(calculation_sha256);
  for (const HashedInput& input : calculation.inputs) result.input_sha256.push_back(input.sha256);
  return result;
}

}  // namespace jcm::service
