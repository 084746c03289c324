#include "cli/mrv/mrv_args.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/sha256.h"

namespace jcm::cli::mrv_internal {

core::Result<Args> ParseArgs(std::span<const std::string_view> args,
                             std::span<const std::string_view> value_flags,
                             std::span<const std::string_view> switch_flags) {
  return Args::Parse(args, value_flags, switch_flags);
}

namespace {

std::string ExecutableDirectory() {
  std::error_code error;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? std::string() : exe.parent_path().string();
}

}  // namespace

core::Result<mrv::MethodologyCatalog> OpenCatalog(const Args& args) {
  if (auto dir = args.Get("methodologies")) return mrv::MethodologyCatalog::Open(*dir);
  std::vector<std::string> candidates;
  if (const char* env = std::getenv("JCM_METHODOLOGIES"); env != nullptr && *env != '\0') {
    return mrv::MethodologyCatalog::Open(env);
  }
  if (const char* source = std::getenv("JCM_SOURCE_DIR"); source != nullptr && *source != '\0') {
    candidates.push_back(std::string(source) + "/methodologies");
  }
  if (const std::string exe = ExecutableDirectory(); !exe.empty()) {
    candidates.push_back(exe + "/../../methodologies");
    candidates.push_back(exe + "/../../../../methodologies");  // build/<dir>/src/app/jcm
  }
  candidates.push_back("methodologies");
  for (const std::string& candidate : candidates) {
    std::error_code error;
    if (std::filesystem::is_directory(candidate, error))
      return mrv::MethodologyCatalog::Open(candidate);
  }
  return core::NotFound(
      "no methodology directory: give --methodologies DIR or set JCM_METHODOLOGIES (searched "
      "$JCM_SOURCE_DIR/methodologies, <exe>/../../methodologies, <exe>/../../../../methodologies, "
      "./methodologies)");
}

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

int Fail(std::ostream& err, const core::Status& status) {
  err << "jcm mrv: " << status.message() << "\n";
  return kExitOperating;
}

}  // namespace jcm::cli::mrv_internal
