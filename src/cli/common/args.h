// Args: the flag parser every `jcm` command uses. "--name value" and "--name=value" for value
// flags, bare "--name" for switches. Each command declares what it takes, and everything else
// is InvalidArgument (exit status 2) naming the argument, so a typo never runs a command:
//   - an option the command does not take ("unknown option --name"),
//   - a value flag without a value, a switch given a value,
//   - an option given twice, unless declared repeatable,
//   - an argument not starting with "--" ("-key", a stray word), unless the command declares
//     a positional argument for it,
//   - an argument that is not valid UTF-8 (it would be journaled and printed as is).
// Declarations are the strings of a command's flag list (cli/common/command.h):
//   "name"       a value flag given at most once;
//   "name..."    a repeatable value flag (GetAll);
//   "<NAME>"     one positional argument (positional()); NAME is its name in messages.
#pragma once

#include <initializer_list>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/status.h"

namespace jcm::cli {

inline constexpr std::string_view kRepeatableSuffix = "...";

// The option name of a declaration ("to..." → "to"); empty for a positional ("<REF>").
std::string_view DeclaredName(std::string_view declaration);
bool IsRepeatable(std::string_view declaration);
bool IsPositional(std::string_view declaration);

class Args {
 public:
  static core::Result<Args> Parse(std::span<const std::string_view> argv,
                                  std::span<const std::string_view> value_flags,
                                  std::span<const std::string_view> switches);
  static core::Result<Args> Parse(std::span<const std::string_view> argv,
                                  std::initializer_list<std::string_view> value_flags,
                                  std::initializer_list<std::string_view> switches = {"json"}) {
    return Parse(argv, std::span(value_flags.begin(), value_flags.size()),
                 std::span(switches.begin(), switches.size()));
  }

  const std::vector<std::string>& positional() const { return positional_; }
  bool Has(std::string_view name) const { return values_.count(std::string(name)) != 0; }
  std::optional<std::string> Get(std::string_view name) const;
  std::vector<std::string> GetAll(std::string_view name) const;
  // InvalidArgument "missing --name" when absent.
  core::Result<std::string> Require(std::string_view name) const;
  // Parses an integer flag; InvalidArgument when absent (unless fallback given) or malformed.
  core::Result<int64_t> RequireInt(std::string_view name,
                                   std::optional<int64_t> fallback = std::nullopt) const;
  core::Result<core::Date> RequireDate(std::string_view name) const;      // YYYY-MM-DD
  core::Result<core::Period> RequirePeriod(std::string_view name) const;  // START..END

 private:
  core::Status AddPositional(std::string_view arg, std::span<const std::string_view> value_flags);
  core::Status AddValue(const std::string& name, std::string_view value, bool repeatable);

  std::vector<std::string> positional_;
  std::map<std::string, std::vector<std::string>> values_;
};

}  // namespace jcm::cli
