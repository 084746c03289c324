#include "cycle/decide.h"

#include <algorithm>

#include "core/record.h"
#include "core/registry_code.h"
#include "core/text.h"
#include "cycle/decide_internal.h"

namespace jcm::cycle {
namespace internal {
namespace {

template <typename T>
concept Visitable = requires(T t) {
  t.Visit([](std::string_view, auto&) {});
};

// Check 156 over every text field of a command, nested ones included: the first field that
// is too long, not UTF-8 or holds a control character (text output prints one record a row).
class TextChecker {
 public:
  void operator()(std::string_view key, const std::string& value) {
    if (rejection_) return;
    if (auto problem = core::TextProblem(value, key, kTextFieldBytesMax, /*single_line=*/true)) {
      rejection_ = Rejection{CycleCheck::kTextInvalid, std::move(*problem)};
    }
  }
  void operator()(std::string_view key, const std::vector<std::string>& values) {
    for (const std::string& value : values) (*this)(key, value);
  }
  template <Visitable S>
  void operator()(std::string_view, const S& value) {
    S copy = value;  // Visit is not const
    copy.Visit(*this);
  }
  template <Visitable S>
  void operator()(std::string_view key, const std::vector<S>& values) {
    for (const S& value : values) (*this)(key, value);
  }
  template <typename T>
  void operator()(std::string_view key, const std::optional<T>& value) {
    if (value.has_value()) (*this)(key, *value);
  }
  template <typename T>
  void operator()(std::string_view, const T&) {}  // numbers, dates, enums: typed already

  const Verdict& rejection() const { return rejection_; }

 private:
  Verdict rejection_;
};

}  // namespace

Verdict RequireText(Actor actor, Payload payload) {
  TextChecker checker;
  actor.Visit(checker);
  std::visit([&checker](auto& p) { p.Visit(checker); }, payload);
  return checker.rejection();
}

bool IsProjectReferenceOf(std::string_view reference, std::string_view partner) {
  if (reference.size() != partner.size() + 3 || reference.rfind(partner, 0) != 0) return false;
  const std::string_view digits = reference.substr(partner.size());
  return digits != "000" &&
         std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Verdict RequireProjectReference(std::string_view reference, std::string_view partner) {
  if (IsProjectReferenceOf(reference, partner)) return std::nullopt;
  return Reject(CycleCheck::kMalformedIdentifier, "'" + std::string(reference) +
                                                      "' is not a project reference of the form " +
                                                      std::string(partner) + "<nnn> (001-999)");
}

Verdict RequireSectoralScope(int64_t scope) {
  if (scope >= 1 && scope <= kSectoralScopeMax) return std::nullopt;
  return Reject(CycleCheck::kMalformedIdentifier, "sectoral scope " + std::to_string(scope) +
                                                      " is not a JCM sectoral scope (1-" +
                                                      std::to_string(kSectoralScopeMax) + ")");
}

Verdict RequireRole(const Actor& actor, std::initializer_list<Role> roles) {
  if (std::find(roles.begin(), roles.end(), actor.role) != roles.end()) return std::nullopt;
  std::string allowed;
  for (Role role : roles) allowed += (allowed.empty() ? "" : ", ") + std::string(ToString(role));
  return Reject(CycleCheck::kActorRoleNotAllowed,
                "a " + std::string(ToString(actor.role)) + " may not do this; allowed: " + allowed);
}

Verdict RequirePairBody(const Actor& actor, std::string_view partner) {
  if (actor.org == partner) return std::nullopt;
  return Reject(CycleCheck::kActorRoleNotAllowed,
                "the " + std::string(ToString(actor.role)) + " of pair '" + actor.org +
                    "' may not act for pair '" + std::string(partner) + "'");
}

Verdict RequireParticipant(const Actor& actor, const Project& project) {
  JCM_CYCLE_TRY(RequireRole(actor, {Role::kParticipant}));
  if (project.IsParticipant(actor.org)) return std::nullopt;
  return Reject(CycleCheck::kActorNotParticipant,
                "'" + actor.org + "' is not a participant of project " + project.id);
}

Verdict RequireParty(const State& state, std::string_view partner) {
  if (state.parties.count(std::string(partner)) != 0) return std::nullopt;
  return Reject(CycleCheck::kUnknownParty, "no partner country '" + std::string(partner) + "'");
}

Verdict RequireJointCommittee(const State& state, std::string_view partner) {
  JCM_CYCLE_TRY(RequireParty(state, partner));
  if (state.committees.count(std::string(partner)) != 0) return std::nullopt;
  return Reject(CycleCheck::kUnknownJointCommittee,
                "no Joint Committee for Japan–" + std::string(partner));
}

bool IsSha256Hex(std::string_view text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

Verdict RequireDocument(const Document& document, std::string_view what) {
  if (IsSha256Hex(document.sha256) && !document.type.empty()) return std::nullopt;
  return Reject(
      CycleCheck::kMissingDocument,
      std::string(what) + " is required: a SHA-256 (64 lower-case hex digits) and a type");
}

Verdict RequireNotEmpty(std::string_view value, std::string_view what) {
  if (!value.empty()) return std::nullopt;
  return Reject(CycleCheck::kEmptyField, std::string(what) + " must not be empty");
}

Verdict RequireNotFuture(core::Date date, core::Date today) {
  if (date <= today) return std::nullopt;
  return Reject(CycleCheck::kDateInFuture,
                "date " + date.ToString() + " is after today (" + today.ToString() + ")");
}

Verdict RequireNotBefore(core::Date date, std::optional<core::Date> previous,
                         std::string_view previous_what) {
  if (!previous.has_value() || *previous <= date) return std::nullopt;
  return Reject(CycleCheck::kDateBeforePreviousStep, "date " + date.ToString() + " precedes " +
                                                         std::string(previous_what) + " (" +
                                                         previous->ToString() + ")");
}

Verdict RequireProjectState(const Project& project, std::initializer_list<ProjectStatus> states) {
  if (std::find(states.begin(), states.end(), project.status) != states.end()) {
    return std::nullopt;
  }
  std::string expected;
  for (ProjectStatus s : states)
    expected += (expected.empty() ? "" : " or ") + std::string(ToString(s));
  return Reject(CycleCheck::kWrongProjectState, "project " + project.id + " is " +
                                                    std::string(ToString(project.status)) +
                                                    "; expected " + expected);
}

Verdict FindProject(const State& state, std::string_view id, const Project** out) {
  *out = state.FindProject(id);
  if (*out != nullptr) return std::nullopt;
  return Reject(CycleCheck::kUnknownProject, "no project '" + std::string(id) + "'");
}

Verdict ResolveProject(const State& state, std::string& id, const Project** out) {
  JCM_CYCLE_TRY(FindProject(state, id, out));
  id = (*out)->id;
  return std::nullopt;
}

Verdict RequireProjectDates(const Ctx& ctx, core::Date date, const Project& project) {
  JCM_CYCLE_TRY(RequireNotFuture(date, ctx.today));
  return RequireNotBefore(date, LastProjectDate(project), "the project's previous step");
}

bool IsCodeOf(std::string_view code, std::string_view partner, std::string_view tag) {
  std::string prefix = std::string(partner) + "_" + std::string(tag);
  if (code.size() != prefix.size() + 3 || code.rfind(prefix, 0) != 0) return false;
  std::string_view digits = code.substr(prefix.size());
  return std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool VersionLess(std::string_view a, std::string_view b) {
  while (!a.empty() || !b.empty()) {
    size_t da = a.find('.');
    size_t db = b.find('.');
    auto na = core::ParseInt64(a.substr(0, da)).value_or(0);
    auto nb = core::ParseInt64(b.substr(0, db)).value_or(0);
    if (na != nb) return na < nb;
    a = da == std::string_view::npos ? std::string_view() : a.substr(da + 1);
    b = db == std::string_view::npos ? std::string_view() : b.substr(db + 1);
  }
  return false;
}

std::optional<core::Date> LastProjectDate(const Project& project) {
  std::optional<core::Date> last;
  for (const HistoryEntry& entry : project.history) {
    if (!last || *last < entry.date) last = entry.date;
  }
  return last;
}

}  // namespace internal

Outcome Decide(const State& state, const Command& command, core::Date today) {
  // Check 156 first: a malformed text is refused whatever the state.
  if (auto invalid = internal::RequireText(command.actor, command.payload)) return *invalid;
  Event event{command.actor, command.payload};
  const internal::Ctx ctx{state, command.actor, today};
  // Overload resolution picks the payload's DecidePayload; a kind without one does not compile.
  internal::Verdict verdict = std::visit(
      [&ctx](auto& payload) { return internal::DecidePayload(ctx, payload); }, event.payload);
  if (verdict.has_value()) return *verdict;
  return event;
}

}  // namespace jcm::cycle
