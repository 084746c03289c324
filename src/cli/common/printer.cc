#include "cli/common/printer.h"

#include <cerrno>
#include <cstring>
#include <string>

namespace jcm::cli {

int ExitCodeFor(core::StatusCode code) {
  switch (code) {
    case core::StatusCode::kOk:
      return kExitOk;
    case core::StatusCode::kInvalidArgument:
      return kExitUsage;
    default:
      return kExitError;
  }
}

bool WantsJson(std::span<const std::string_view> argv) {
  for (std::string_view arg : argv) {
    if (arg == "--json") return true;
  }
  return false;
}

int FinishOutput(Environment& env, int exit_code) {
  errno = 0;
  env.out.flush();
  if (env.out.good()) return exit_code;
  const std::string cause = errno != 0 ? std::strerror(errno) : "write error";
  if (exit_code != kExitOk) {
    env.err << "jcm: could not write standard output (" << cause << ")\n";
    return exit_code;
  }
  env.err << "jcm: could not write standard output (" << cause
          << "): the command succeeded and its output is lost; any change it made to the "
             "registry stays committed (a retry with the same --key prints it again; without "
             "a key, re-running a mutating command would apply it again)\n";
  return kExitError;
}

int Printer::Error(const core::Status& status) {
  JCM_CHECK(!status.ok(), "Printer::Error reports errors only");
  if (json_) {
    Document(service::json::ErrorJson(status));
  } else {
    env_.err << "jcm: " << status.ToString() << "\n";
  }
  exit_code_ = ExitCodeFor(status.code());
  return exit_code_;
}

void Printer::Rejected(const service::Rejection& r, boost::json::object extra) {
  if (json_) {
    boost::json::object document = service::json::RejectionJson(r);
    for (auto& [key, value] : extra) document[key] = std::move(value);
    Document(document);
  } else {
    env_.err << "rejected by check " << r.check << " (" << r.name << "): " << r.message << "\n";
  }
  exit_code_ = kExitRejected;
}

void Printer::Json(const boost::json::value& document) {
  if (json_) Document(document);
}

void Printer::Document(const boost::json::value& document) {
  JCM_CHECK(!printed_, "a --json run prints exactly one document");
  printed_ = true;
  PrintJson(document, env_.out);
}

}  // namespace jcm::cli
