// Internal to the CLI: one function per top-level command. Each gets argv after its name.
#pragma once

#include <span>
#include <string_view>

#include "cli/cli.h"

namespace jcm::cli {

int RunInit(std::span<const std::string_view> args, Environment& env);
int RunAccount(std::span<const std::string_view> args, Environment& env);
int RunIssue(std::span<const std::string_view> args, Environment& env);
// transfer, retire and cancel share one shape; `verb` says which.
int RunMovement(std::string_view verb, std::span<const std::string_view> args, Environment& env);
int RunHoldings(std::span<const std::string_view> args, Environment& env);
int RunAudit(std::span<const std::string_view> args, Environment& env);
int RunDocument(std::span<const std::string_view> args, Environment& env);

}  // namespace jcm::cli
