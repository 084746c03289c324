// The `jcm` command line: argv → the same use cases the API will serve; thin by design.
//
// Exit statuses (docs/cli.md): 0 success; 1 operating error (unreadable database, I/O);
// 2 usage error (unknown command or option, malformed value); 3 business rejection (a numbered
// check failed; nothing changed); 4 audit found violations.
#pragma once

#include <functional>
#include <iosfwd>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "cli/common/environment.h"
#include "core/status.h"

namespace jcm::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitRejected = 3;
inline constexpr int kExitAuditFailed = 4;

// args excludes the program name.
int RunCli(std::span<const std::string_view> args, Environment& env);

}  // namespace jcm::cli
