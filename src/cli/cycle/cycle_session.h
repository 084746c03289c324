// Internal to the cycle CLI: flags, the per-run session (store + replayed state), journaling.
#pragma once

#include <boost/json.hpp>

#include <initializer_list>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "cycle/command.h"
#include "cycle/cycle_check.h"
#include "cycle/state.h"
#include "ledger/check_code.h"
#include "store/store.h"

namespace jcm::cli::cycle_cli {

inline constexpr int kOk = 0;
inline constexpr int kError = 1;
inline constexpr int kUsage = 2;
inline constexpr int kRejected = 3;

// "--name value", "--name=value" (repeatable) and bare switches; anything else positional.
// Unknown flags are InvalidArgument, so a typo never runs a command.
class Flags {
 public:
  static core::Result<Flags> Parse(std::span<const std::string_view> argv,
                                   std::initializer_list<std::string_view> value_flags,
                                   std::initializer_list<std::string_view> switches = {});
  const std::vector<std::string>& positional() const { return positional_; }
  bool Has(std::string_view name) const { return values_.count(std::string(name)) != 0; }
  std::optional<std::string> Get(std::string_view name) const;
  std::vector<std::string> GetAll(std::string_view name) const;
  core::Result<std::string> Require(std::string_view name) const;
  core::Result<int64_t> RequireInt(std::string_view name) const;
  core::Result<core::Date> RequireDate(std::string_view name) const;
  core::Result<core::Period> RequirePeriod(std::string_view name) const;

 private:
  std::vector<std::string> positional_;
  std::map<std::string, std::vector<std::string>> values_;
};

struct Session {
  std::unique_ptr<store::Store> store;
  cycle::State state;
  core::Date today;
  int64_t last_event_seq = 0;  // the last cycle event replayed or appended (optimistic lock)
  bool json = false;
  std::ostream* out = nullptr;
  std::ostream* err = nullptr;
};

// Opens --db, replays the cycle events, sets today (--today or the system date).
core::Result<Session> OpenSession(const Flags& flags, std::ostream& out, std::ostream& err);

// Appends an accepted event to the journal (idempotency key: a digest of its content).
core::Result<store::Outcome> AppendEvent(Session& session, const cycle::Event& event);

// Decides, appends and reports. On acceptance *accepted (if given) receives the event.
int DecideAndAppend(Session& session, const cycle::Actor& actor, cycle::Payload payload,
                    cycle::Event* accepted = nullptr);

// A document from --<flag> PATH (hashed) or --<flag>-sha256 HEX; `type` and `version` recorded.
core::Result<cycle::Document> DocumentFrom(const Flags& flags, std::string_view flag,
                                           std::string type, bool confidential = false);

// Reports an operating or usage error; returns kError or kUsage.
int ReportStatus(const core::Status& status, bool json, std::ostream& out, std::ostream& err);
int ReportRejection(const cycle::Rejection& rejection, bool json, std::ostream& out,
                    std::ostream& err);
int ReportLedgerRejection(const ledger::Rejection& rejection, bool json, std::ostream& out,
                          std::ostream& err);
void PrintJson(const boost::json::value& value, std::ostream& out);

boost::json::object ProjectSummaryJson(const cycle::Project& p);
boost::json::object ProjectDetailJson(const cycle::Project& p);

// A step verb: `jcm NOUN SUB [flags]`, run with a session by `body`.
using VerbBody = int (*)(const Flags& flags, Session& session);
struct VerbSpec {
  std::string_view noun;
  std::string_view sub;
  std::initializer_list<std::string_view> flags;
  std::initializer_list<std::string_view> switches;
  VerbBody body;
};

// The step verbs of each file.
std::span<const VerbSpec> SetupVerbs();     // party, org, tpe, jc, methodology
std::span<const VerbSpec> ProjectVerbs();   // pin, pdd, validation, registration, project
std::span<const VerbSpec> IssuanceVerbs();  // monitoring, verification, issuance

// The reading verbs (args exclude the noun).
int RunImport(std::span<const std::string_view> args, std::ostream& out, std::ostream& err);
int RunProject(std::span<const std::string_view> args, std::ostream& out, std::ostream& err);
int RunRegistry(std::span<const std::string_view> args, std::ostream& out, std::ostream& err);
int RunDue(std::span<const std::string_view> args, std::ostream& out, std::ostream& err);
int RunVerify(std::span<const std::string_view> args, std::ostream& out, std::ostream& err);

// Runs the step verb `noun args[0]`; kUsage with the noun's verbs listed when args[0] is not
// one; -1 when no verb has this noun.
int RunStepVerb(std::string_view noun, std::span<const std::string_view> args, std::ostream& out,
                std::ostream& err);

}  // namespace jcm::cli::cycle_cli

// In a verb body with a Session `s`: assigns the value or returns the reported error.
#define JCM_CLI_ASSIGN(lhs, expr)                                                      \
  auto JCM_STATUS_CONCAT(cli_result_, __LINE__) = (expr);                             \
  if (!JCM_STATUS_CONCAT(cli_result_, __LINE__).ok()) {                               \
    return ::jcm::cli::cycle_cli::ReportStatus(                                       \
        JCM_STATUS_CONCAT(cli_result_, __LINE__).status(), s.json, *s.out, *s.err);   \
  }                                                                                    \
  lhs = std::move(JCM_STATUS_CONCAT(cli_result_, __LINE__)).value()

namespace jcm::cli::cycle_cli {

// Parses flags, opens the session and runs body(flags, session); reports errors.
template <typename Body>
int WithSession(std::span<const std::string_view> args,
                std::initializer_list<std::string_view> value_flags,
                std::initializer_list<std::string_view> switches, std::ostream& out,
                std::ostream& err, Body body) {
  auto flags = Flags::Parse(args, value_flags, switches);
  if (!flags.ok()) return ReportStatus(flags.status(), false, out, err);
  auto session = OpenSession(*flags, out, err);
  if (!session.ok()) return ReportStatus(session.status(), flags->Has("json"), out, err);
  return body(*flags, *session);
}

}  // namespace jcm::cli::cycle_cli
