// Help texts: `jcm help [COMMAND]`, and `--help` (or -h) anywhere after a command name.
// docs/cli.md is the full reference; these are the synopses a user needs at the terminal.
#pragma once

#include <string_view>

namespace jcm::cli {

// The whole command list.
std::string_view UsageText();
// The synopsis of one top-level command, or an empty view for an unknown one.
std::string_view CommandHelp(std::string_view command);

}  // namespace jcm::cli
