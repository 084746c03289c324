// Args: the flag parser every `jcm` command uses. "--name value" and "--name=value" for value
// flags (repeatable), bare "--name" for switches, everything else positional. An unknown flag,
// a value flag without a value or a switch given a value is InvalidArgument (exit status 2),
// so a typo never runs a command.
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
  std::vector<std::string> positional_;
  std::map<std::string, std::vector<std::string>> values_;
};

}  // namespace jcm::cli
