#include "cli/common/args.h"

#include <algorithm>

#include "core/record.h"
#include "core/text.h"

namespace jcm::cli {
namespace {

// The declaration in `declarations` whose option name is `name`, or nullopt.
std::optional<std::string_view> Declared(std::span<const std::string_view> declarations,
                                         std::string_view name) {
  for (std::string_view declaration : declarations) {
    if (!IsPositional(declaration) && DeclaredName(declaration) == name) return declaration;
  }
  return std::nullopt;
}

// An argument as it may be quoted in a message: its UTF-8, or "(not UTF-8)".
std::string Quoted(std::string_view arg) {
  return core::IsValidUtf8(arg) ? "'" + std::string(arg) + "'" : "(an argument not in UTF-8)";
}

}  // namespace

std::string_view DeclaredName(std::string_view declaration) {
  if (IsPositional(declaration)) return {};
  if (IsRepeatable(declaration)) declaration.remove_suffix(kRepeatableSuffix.size());
  return declaration;
}

bool IsRepeatable(std::string_view declaration) {
  return declaration.size() > kRepeatableSuffix.size() &&
         declaration.substr(declaration.size() - kRepeatableSuffix.size()) == kRepeatableSuffix;
}

bool IsPositional(std::string_view declaration) {
  return declaration.size() > 2 && declaration.front() == '<' && declaration.back() == '>';
}

core::Status Args::AddPositional(std::string_view arg,
                                 std::span<const std::string_view> value_flags) {
  const size_t declared =
      static_cast<size_t>(std::count_if(value_flags.begin(), value_flags.end(), IsPositional));
  if (arg.size() > 1 && arg.front() == '-') {
    return core::InvalidArgument("unexpected argument " + Quoted(arg) +
                                 ": options start with -- (e.g. --key K)");
  }
  if (positional_.size() >= declared) {
    return core::InvalidArgument(
        "unexpected argument " + Quoted(arg) +
        (declared == 0 ? ": this command takes only --options" : ": too many arguments"));
  }
  if (!core::IsValidUtf8(arg)) return core::InvalidArgument("an argument is not valid UTF-8");
  positional_.emplace_back(arg);
  return core::OkStatus();
}

core::Status Args::AddValue(const std::string& name, std::string_view value, bool repeatable) {
  std::vector<std::string>& values = values_[name];
  if (!values.empty() && !repeatable) {
    return core::InvalidArgument("--" + name + " is given more than once");
  }
  if (!core::IsValidUtf8(value)) {
    return core::InvalidArgument("the value of --" + name + " is not valid UTF-8");
  }
  values.emplace_back(value);
  return core::OkStatus();
}

core::Result<Args> Args::Parse(std::span<const std::string_view> argv,
                               std::span<const std::string_view> value_flags,
                               std::span<const std::string_view> switches) {
  Args args;
  for (size_t i = 0; i < argv.size(); ++i) {
    std::string_view arg = argv[i];
    if (arg.size() < 3 || arg.substr(0, 2) != "--") {
      JCM_RETURN_IF_ERROR(args.AddPositional(arg, value_flags));
      continue;
    }
    arg.remove_prefix(2);
    std::optional<std::string_view> inline_value;
    if (const size_t eq = arg.find('='); eq != std::string_view::npos) {
      inline_value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
    }
    if (!core::IsValidUtf8(arg)) return core::InvalidArgument("an option is not valid UTF-8");
    const std::string name(arg);
    if (Declared(switches, arg)) {
      if (inline_value) return core::InvalidArgument("--" + name + " takes no value");
      JCM_RETURN_IF_ERROR(args.AddValue(name, "true", /*repeatable=*/false));
    } else if (auto declaration = Declared(value_flags, arg)) {
      if (!inline_value && i + 1 >= argv.size()) {
        return core::InvalidArgument("--" + name + " needs a value");
      }
      JCM_RETURN_IF_ERROR(args.AddValue(name, inline_value ? *inline_value : argv[++i],
                                        IsRepeatable(*declaration)));
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
