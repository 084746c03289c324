// Internal to src/cli/mrv: argument parsing and shared helpers of the mrv commands.
#pragma once

#include <map>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "mrv/methodology_catalog.h"

namespace jcm::cli::mrv_internal {

inline constexpr int kExitOk = 0;
inline constexpr int kExitOperating = 1;
inline constexpr int kExitUsage = 2;

// Parsed "--flag value" / "--switch" arguments plus positionals.
struct Args {
  std::map<std::string, std::vector<std::string>> values;  // flag -> values (repeatable)
  std::vector<std::string> switches;
  std::vector<std::string> positionals;

  bool Has(std::string_view flag) const;
  std::optional<std::string> One(std::string_view flag) const;
  const std::vector<std::string>& All(std::string_view flag) const;
};

// `value_flags` take a value, `switch_flags` do not. InvalidArgument for anything else.
core::Result<Args> ParseArgs(std::span<const std::string_view> args,
                             std::span<const std::string_view> value_flags,
                             std::span<const std::string_view> switch_flags);

// The methodology directory by the documented search order.
core::Result<mrv::MethodologyCatalog> OpenCatalog(const Args& args);

// SHA-256 of a file, streamed.
core::Result<std::string> Sha256OfFile(const std::string& path);

// Prints a status as "jcm mrv: message" and returns the exit code for it.
int Fail(std::ostream& err, const core::Status& status);

}  // namespace jcm::cli::mrv_internal
