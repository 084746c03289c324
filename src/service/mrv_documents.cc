#include "service/mrv_documents.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace jcm::service {
namespace {

// A private directory removed (with its files) when the object goes.
class ScratchDirectory {
 public:
  ScratchDirectory() = default;
  ScratchDirectory(const ScratchDirectory&) = delete;
  ScratchDirectory& operator=(const ScratchDirectory&) = delete;
  ~ScratchDirectory() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }

  core::Status Create() {
    std::error_code error;
    const std::filesystem::path base = std::filesystem::temp_directory_path(error);
    if (error) return core::Unavailable("no temporary directory: " + error.message());
    std::string pattern = (base / "jcm-mrv-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {  // mode 0700
      return core::Unavailable("cannot create a temporary directory: " +
                               std::string(std::strerror(errno)));
    }
    path_ = pattern;
    return core::OkStatus();
  }

  // Writes `bytes` to a new file `name` in the directory; its path.
  core::Result<std::string> Write(const std::string& name, std::string_view bytes) const {
    const std::string path = path_ + "/" + name;
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return core::Unavailable("cannot write " + name + ": " + std::strerror(errno));
    size_t written = 0;
    while (written < bytes.size()) {
      const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        ::close(fd);
        return core::Unavailable("cannot write " + name + ": " + std::strerror(errno));
      }
      written += static_cast<size_t>(n);
    }
    ::close(fd);
    return path;
  }

  core::Status MakeDirectory(const std::string& name) const {
    if (::mkdir((path_ + "/" + name).c_str(), 0700) != 0) {
      return core::Unavailable("cannot create " + name + ": " + std::strerror(errno));
    }
    return core::OkStatus();
  }

  const std::string& path() const { return path_; }

  // `text` with every occurrence of the directory's path and its '/' removed.
  std::string Relative(std::string text) const {
    const std::string prefix = path_ + "/";
    for (size_t at = text.find(prefix); at != std::string::npos; at = text.find(prefix, at)) {
      text.erase(at, prefix.size());
    }
    return text;
  }

 private:
  std::string path_;
};

core::Result<std::string> StoredDocument(store::Store& store, const std::string& sha256,
                                         const char* role) {
  JCM_ASSIGN_OR_RETURN(std::optional<std::string> bytes, store.GetDocument(sha256));
  if (!bytes) {
    return core::NotFound(std::string("no stored document with SHA-256 ") + sha256 + " (" + role +
                          "); upload it first (POST /api/v1/documents)");
  }
  return std::move(*bytes);
}

// An .xlsx report sheet is a ZIP archive; the engine tells sheets from CSV by that name.
bool IsZip(std::string_view bytes) { return bytes.starts_with(std::string_view("PK\x03\x04", 4)); }

// Names the server's files without the server's directories: the scratch directory's by their
// names, the methodology's by its path in the methodology directory ("MN_AM003/v2.0.jcmm").
void StripDirectory(const ScratchDirectory& scratch, MrvCalculation& calculation) {
  for (HashedInput& input : calculation.inputs) {
    const std::filesystem::path path(input.path);
    input.path = input.role == "methodology"
                     ? (path.parent_path().filename() / path.filename()).string()
                     : scratch.Relative(input.path);
  }
  for (mrv::InputFile& file : calculation.report.files) file.path = scratch.Relative(file.path);
  for (mrv::Finding& finding : calculation.report.findings) {
    finding.location.file = scratch.Relative(finding.location.file);
    finding.message = scratch.Relative(finding.message);
  }
}

// The calculation over `params` and `data` written into `scratch` (see the file comment), with
// the methodology `reference` (default: the params file's) of `catalog`.
core::Result<MrvCalculation> CalculateInScratch(const ScratchDirectory& scratch,
                                                const mrv::MethodologyCatalog& catalog,
                                                MrvCalcRequest calc, std::string_view params,
                                                const std::vector<std::string>& data) {
  JCM_ASSIGN_OR_RETURN(calc.params_path, scratch.Write("params.txt", params));
  for (size_t i = 0; i < data.size(); ++i) {
    const std::string name = "data-" + std::to_string(i + 1) + (IsZip(data[i]) ? ".xlsx" : ".csv");
    JCM_ASSIGN_OR_RETURN(std::string path, scratch.Write(name, data[i]));
    calc.data_paths.push_back(std::move(path));
  }
  core::Result<MrvCalculation> calculation = CalculateMrv(catalog, calc);
  if (!calculation.ok()) {
    return core::Status(calculation.status().code(),
                        scratch.Relative(std::string(calculation.status().message())));
  }
  StripDirectory(scratch, *calculation);
  return calculation;
}

// A methodology id or version used as a file name: letters, digits, '_', '-', '.' (not leading).
bool IsPlainName(std::string_view name) {
  if (name.empty() || name.front() == '.') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  });
}

}  // namespace

core::Result<MrvCalculation> CalculateMrvOfDocuments(store::Store& store,
                                                     const mrv::MethodologyCatalog& catalog,
                                                     const MrvDocumentsRequest& request) {
  if (request.data_sha256.empty() || request.data_sha256.size() > kMrvDataDocumentsMax) {
    return core::InvalidArgument("a calculation takes 1 to " +
                                 std::to_string(kMrvDataDocumentsMax) + " monitoring documents");
  }
  ScratchDirectory scratch;
  JCM_RETURN_IF_ERROR(scratch.Create());
  MrvCalcRequest calc;
  calc.methodology = request.methodology;
  calc.periods = request.periods;
  calc.threads = request.threads;
  JCM_ASSIGN_OR_RETURN(std::string params, StoredDocument(store, request.params_sha256, "params"));
  std::vector<std::string> data;
  for (const std::string& sha256 : request.data_sha256) {
    JCM_ASSIGN_OR_RETURN(std::string bytes, StoredDocument(store, sha256, "data"));
    data.push_back(std::move(bytes));
  }
  return CalculateInScratch(scratch, catalog, std::move(calc), params, data);
}

core::Result<MrvCalculation> CalculateMrvOfEvidence(const MrvEvidenceFiles& files,
                                                    const std::vector<core::Period>& periods,
                                                    int threads) {
  if (!IsPlainName(files.methodology_id) || !IsPlainName(files.methodology_version)) {
    return core::InvalidArgument("not a methodology id and version: '" + files.methodology_id +
                                 "@" + files.methodology_version + "'");
  }
  ScratchDirectory scratch;
  JCM_RETURN_IF_ERROR(scratch.Create());
  const std::string directory = "methodologies/" + files.methodology_id;
  for (const std::string& name : {std::string("methodologies"), directory}) {
    JCM_RETURN_IF_ERROR(scratch.MakeDirectory(name));
  }
  JCM_RETURN_IF_ERROR(scratch
                          .Write(directory + "/v" + files.methodology_version +
                                     std::string(mrv::kMethodologyFileExtension),
                                 files.methodology)
                          .status());
  JCM_ASSIGN_OR_RETURN(mrv::MethodologyCatalog catalog,
                       mrv::MethodologyCatalog::Open(scratch.path() + "/methodologies"));
  MrvCalcRequest calc;
  calc.methodology = files.methodology_id + "@" + files.methodology_version;
  calc.periods = periods;
  calc.threads = threads;
  return CalculateInScratch(scratch, catalog, std::move(calc), files.params, files.data);
}

}  // namespace jcm::service
