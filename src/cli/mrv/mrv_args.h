// Internal to src/cli/mrv: argument parsing and shared helpers of the mrv commands.
#pragma once

#include <map>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cli/common/args.h"
#include "core/status.h"
#include "mrv/methodology_catalog.h"

namespace jcm::cli::mrv_internal {

inline constexpr int kExitOk = 0;
inline constexpr int kExitOperating = 1;
inline constexpr int kExitUsage = 2;

using Args = cli::Args;  // flag names without the leading "--"

// `value_flags` take a value, `switch_flags` do not (names without "--"). InvalidArgument for
// anything else.
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
