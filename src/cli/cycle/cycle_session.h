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

#include "cli/common/args.h"
#include "cli/common/environment.h"
#include "cli/common/json_print.h"
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

using Flags = Args;

// Parses a cycle verb's flags: its own plus --db, --today (value flags) and --json (switch),
// which every cycle verb takes.
core::Result<Flags> ParseFlags(std::span<const std::string_view> argv,
                               std::initializer_list<std::string_view> value_flags,
                               std::initializer_list<std::string_view> switches = {});

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
core::Result<Session> OpenSession(const Flags& flags, Environment& env);

// Appends an accepted event to the journal (idempotency key: a digest of its content).
core::Result<store::Outcome> AppendEvent(Session& session, const cycle::Event& event);

// Decides, appends and reports. On acceptance *accepted (if given) receives the event.
int DecideAndAppend(Session& session, const cycle::Actor& actor, cycle::Payload payload,
                    cycle::Event* accepted = nullptr);

// A document from --<flag> PATH (hashed) or --<flag>-sha256 HEX; `type` and `version` recorded.
// With a file, its bytes are stored in the registry, content-addressed (store::PutDocument).
core::Result<cycle::Document> DocumentFrom(Session& session, const Flags& flags,
                                           std::string_view flag, std::string type,
                                           bool confidential = false);

// Reports an operating or usage error; returns kError or kUsage.
int ReportStatus(const core::Status& status, bool json, std::ostream& out, std::ostream& err);
int ReportRejection(const cycle::Rejection& rejection, bool json, std::ostream& out,
                    std::ostream& err);
int ReportLedgerRejection(const ledger::Rejection& rejection, bool json, std::ostream& out,
                          std::ostream& err);

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
int RunImport(std::span<const std::string_view> args, Environment& env);
int RunProject(std::span<const std::string_view> args, Environment& env);
int RunRegistry(std::span<const std::string_view> args, Environment& env);
int RunDue(std::span<const std::string_view> args, Environment& env);
int RunVerify(std::span<const std::string_view> args, Environment& env);

// Runs the step verb `noun args[0]`; kUsage with the noun's verbs listed when args[0] is not
// one; -1 when no verb has this noun.
int RunStepVerb(std::string_view noun, std::span<const std::string_view> args, Environment& env);

}  // namespace jcm::cli::cycle_cli

// In a verb body with a Session `s`: assigns the value or returns the reported error.
#define JCM_CLI_ASSIGN(lhs, expr)                                                                 \
  auto JCM_STATUS_CONCAT(cli_result_, __LINE__) = (expr);                                         \
  if (!JCM_STATUS_CONCAT(cli_result_, __LINE__).ok()) {                                           \
    return ::jcm::cli::cycle_cli::ReportStatus(JCM_STATUS_CONCAT(cli_result_, __LINE__).status(), \
                                               s.json, *s.out, *s.err);                           \
  }                                                                                               \
  lhs = std::move(JCM_STATUS_CONCAT(cli_result_, __LINE__)).value()

namespace jcm::cli::cycle_cli {

// Parses flags, opens the session and runs body(flags, session); reports errors.
template <typename Body>
int WithSession(std::span<const std::string_view> args,
                std::initializer_list<std::string_view> value_flags,
                std::initializer_list<std::string_view> switches, Environment& env, Body body) {
  auto flags = ParseFlags(args, value_flags, switches);
  if (!flags.ok()) return ReportStatus(flags.status(), false, env.out, env.err);
  auto session = OpenSession(*flags, env);
  if (!session.ok()) return ReportStatus(session.status(), flags->Has("json"), env.out, env.err);
  return body(*flags, *session);
}

}  // namespace jcm::cli::cycle_cli
