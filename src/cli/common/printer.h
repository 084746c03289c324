// Printer: the one error model of the command line (docs/cli.md, "Exit statuses" and "JSON").
//
//   exit  status                                  --json on stdout
//   0     success                                 the command's document
//   1     an operating error: any Status code     {"error": {"code": "not_found", "message"}}
//         but invalid_argument (I/O, corrupt data, a missing object, a registry not in a state
//         to run the command: failed_precondition)
//   2     invalid_argument: a usage error (unknown  {"error": {"code": "invalid_argument", …}}
//         command or option, malformed value or input file)
//   3     a numbered check rejected the request    {"rejected": {"check", "name", "message"}}
//         and nothing changed (docs/checks.md)
//   4     `audit verify` / `cycle verify` found     the audit's document, "ok": false
//         violations
//
// With --json a command prints exactly one JSON document on stdout, whatever the outcome, and
// nothing on stderr; without it, results go to stdout and errors and rejections to stderr.
// Standard output that could not be written turns a success into exit 1 (FinishOutput).
#pragma once

#include <boost/json.hpp>
#include <ostream>
#include <span>
#include <string_view>

#include "cli/common/environment.h"
#include "cli/common/json_print.h"
#include "core/status.h"
#include "service/errors.h"
#include "service/json/ledger_json.h"

namespace jcm::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitRejected = 3;
inline constexpr int kExitAuditFailed = 4;

// The exit status of an error Status (the table above).
int ExitCodeFor(core::StatusCode code);

// True when argv asks for JSON (used before the arguments are known to parse).
bool WantsJson(std::span<const std::string_view> argv);

// The last act of every run (main calls it on RunCli's status): flushes env.out and returns
// `exit_code` when every byte reached it. When a write failed (a full disk, a closed file) the
// output is lost, so it says so on env.err and returns kExitError in place of a success; a
// failure keeps its own status. The message says that what the command did stays done: a
// mutating command has committed by the time it prints, and re-running it without its --key
// would apply it again.
int FinishOutput(Environment& env, int exit_code);

class Printer {
 public:
  Printer(Environment& env, bool json) : env_(env), json_(json) {}

  bool json() const { return json_; }
  std::ostream& out() { return env_.out; }
  std::ostream& err() { return env_.err; }
  int exit_code() const { return exit_code_; }

  // Prints the error (JSON, or "jcm: CODE: message" on stderr) and returns its exit status.
  int Error(const core::Status& status);
  // Prints the rejection (`extra` fields join the JSON document); exit status 3.
  void Rejected(const service::Rejection& rejection, boost::json::object extra = {});
  // A success document: printed in JSON mode only (text mode prints through out()).
  void Json(const boost::json::value& document);
  // Marks the run as failed with `code` without printing (e.g. 4: an audit found violations).
  void Fail(int code) { exit_code_ = code; }

  // Prints a use case's outcome: its JSON (to_json) or text (to_text(value, out)), or the
  // rejection.
  template <typename T, typename ToJson, typename ToText>
  void Outcome(const service::OrRejection<T>& outcome, ToJson to_json, ToText to_text) {
    if (const auto* rejection = std::get_if<service::Rejection>(&outcome)) {
      Rejected(*rejection);
      return;
    }
    const T& value = std::get<T>(outcome);
    if (json_) {
      Json(to_json(value));
    } else {
      to_text(value, env_.out);
    }
  }

 private:
  void Document(const boost::json::value& document);

  Environment& env_;
  bool json_;
  bool printed_ = false;  // the JSON document went out: nothing more may
  int exit_code_ = kExitOk;
};

}  // namespace jcm::cli
