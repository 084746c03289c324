#include "cli/mrv/mrv_args.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/sha256.h"

namespace jcm::cli::mrv_internal {

bool Args::Has(std::string_view flag) const {
  for (const std::string& s : switches) {
    if (s == flag) return true;
  }
  return values.contains(std::string(flag));
}

std::optional<std::string> Args::One(std::string_view flag) const {
  auto it = values.find(std::string(flag));
  if (it == values.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

const std::vector<std::string>& Args::All(std::string_view flag) const {
  static const std::vector<std::string> kEmpty;
  auto it = values.find(std::string(flag));
  return it == values.end() ? kEmpty : it->second;
}

core::Result<Args> ParseArgs(std::span<const std::string_view> args,
                             std::span<const std::string_view> value_flags,
                             std::span<const std::string_view> switch_flags) {
  Args parsed;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (!arg.starts_with("--")) {
      parsed.positionals.emplace_back(arg);
      continue;
    }
    bool known = false;
    for (std::string_view flag : switch_flags) {
      if (flag == arg) {
        parsed.switches.emplace_back(arg);
        known = true;
      }
    }
    for (std::string_view flag : value_flags) {
      if (flag != arg) continue;
      if (i + 1 >= args.size()) return core::InvalidArgument(std::string(arg) + " needs a value");
      parsed.values[std::string(arg)].emplace_back(args[++i]);
      known = true;
    }
    if (!known) return core::InvalidArgument("unknown option " + std::string(arg));
  }
  return parsed;
}

namespace {

std::string ExecutableDirectory() {
  std::error_code error;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? std::string() : exe.parent_path().string();
}

}  // namespace

core::Result<mrv::MethodologyCatalog> OpenCatalog(const Args& args) {
  if (auto dir = args.One("--methodologies")) return mrv::MethodologyCatalog::Open(*dir);
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
    if (std::filesystem::is_directory(candidate, error)) return mrv::MethodologyCatalog::Open(candidate);
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
