#include "cli/common/args.h"

#include <algorithm>

#include "core/record.h"

namespace jcm::cli {
namespace {

bool Listed(std::span<const std::string_view> names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

core::Result<Args> Args::Parse(std::span<const std::string_view> argv,
                               std::span<const std::string_view> value_flags,
                               std::span<const std::string_view> switches) {
  Args args;
  for (size_t i = 0; i < argv.size(); ++i) {
    std::string_view arg = argv[i];
    if (arg.size() < 3 || arg.substr(0, 2) != "--") {
      args.positional_.emplace_back(arg);
      continue;
    }
    arg.remove_prefix(2);
    std::optional<std::string_view> inline_value;
    if (const size_t eq = arg.find('='); eq != std::string_view::npos) {
      inline_value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
    }
    const std::string name(arg);
    if (Listed(switches, arg)) {
      if (inline_value) return core::InvalidArgument("--" + name + " takes no value");
      args.values_[name].emplace_back("true");
    } else if (Listed(value_flags, arg)) {
      if (!inline_value && i + 1 >= argv.size()) {
        return core::InvalidArgument("--" + name + " needs a value");
      }
      args.values_[name].emplace_back(inline_value ? *inline_value : argv[++i]);
    } else {
      return core::InvalidArgument("unknown option --" + name);
    }
  }
  return args;
}

std::optional<std::string> Args::Get(std::string_view name) const {
  auto it = values_.find(std::string(name));
  if (it == values_.end()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> Args::GetAll(std::string_view name) const {
  auto it = values_.find(std::string(name));
  return it == values_.end() ? std::vector<std::string>() : it->second;
}

core::Result<std::string> Args::Require(std::string_view name) const {
  auto value = Get(name);
  if (!value) return core::InvalidArgument("missing --" + std::string(name));
  return *value;
}

core::Result<int64_t> Args::RequireInt(std::string_view name,
                                       std::optional<int64_t> fallback) const {
  auto text = Get(name);
  if (!text && fallback) return *fallback;
  if (!text) return core::InvalidArgument("missing --" + std::string(name));
  auto value = core::ParseInt64(*text);
  if (!value) {
    return core::InvalidArgument("--" + std::string(name) + " must be a whole number, got '" +
                                 *text + "'");
  }
  return *value;
}

core::Result<core::Date> Args::RequireDate(std::string_view name) const {
  JCM_ASSIGN_OR_RETURN(std::string text, Require(name));
  return core::Date::Parse(text);
}

core::Result<core::Period> Args::RequirePeriod(std::string_view name) const {
  JCM_ASSIGN_OR_RETURN(std::string text, Require(name));
  return core::Period::Parse(text);
}

}  // namespace jcm::cli
