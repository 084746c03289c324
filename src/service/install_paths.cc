#include "service/install_paths.h"

#include <cstdlib>
#include <filesystem>

namespace jcm::service {
namespace {

// The environment variable `name`, or nullopt when unset or empty.
std::optional<std::string> Variable(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

// The directory of the running executable, or nullopt when /proc/self/exe cannot be read.
// /proc/self/exe names the file itself, so a jcm started through a symbolic link (say
// /usr/local/bin/jcm -> /opt/jcm/bin/jcm) still finds /opt/jcm/share/jcm.
std::optional<std::filesystem::path> ExecutableDirectory() {
  std::error_code error;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return std::nullopt;
  return exe.parent_path();
}

}  // namespace

std::vector<std::string> DataDirectoryCandidates(std::string_view name) {
  std::vector<std::string> candidates;
  if (const auto exe = ExecutableDirectory()) {
    candidates.push_back((exe->parent_path() / "share" / "jcm" / name).string());
  }
  if (const auto source = Variable("JCM_SOURCE_DIR")) {
    candidates.push_back((std::filesystem::path(*source) / name).string());
  }
  candidates.push_back((std::filesystem::path(".") / name).string());
  return candidates;
}

core::Result<std::string> FindMethodologyDirectory(const std::optional<std::string>& given) {
  if (given) return *given;
  if (auto variable = Variable("JCM_METHODOLOGIES")) return *std::move(variable);
  const std::vector<std::string> candidates = DataDirectoryCandidates("methodologies");
  std::string searched;
  for (const std::string& candidate : candidates) {
    std::error_code error;
    if (std::filesystem::is_directory(candidate, error)) return candidate;
    searched += (searched.empty() ? "" : ", ") + candidate;
  }
  return core::NotFound(
      "no methodology directory: give --methodologies DIR or set JCM_METHODOLOGIES (searched " +
      searched + ")");
}

}  // namespace jcm::service
