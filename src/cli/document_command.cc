// jcm document get: the bytes of a stored document (PDD, reports, …) by its SHA-256.
#include <fstream>
#include <ostream>

#include "cli/commands.h"
#include "cli/common/args.h"
#include "cli/output.h"

namespace jcm::cli {

int RunDocument(std::span<const std::string_view> argv, Environment& env) {
  if (argv.empty() || argv[0] != "get") {
    return ReportError(
        core::InvalidArgument("usage: jcm document get --db FILE --sha256 HEX [--out FILE]"), false,
        env);
  }
  auto args = Args::Parse(argv.subspan(1), {"db", "sha256", "out"}, {});
  if (!args.ok()) return ReportError(args.status(), false, env);
  auto path = args->Require("db");
  auto sha256 = args->Require("sha256");
  if (!path.ok()) return ReportError(path.status(), false, env);
  if (!sha256.ok()) return ReportError(sha256.status(), false, env);
  auto store = env.open_store(*path);
  if (!store.ok()) return ReportError(store.status(), false, env);
  auto bytes = (*store)->GetDocument(*sha256);
  if (!bytes.ok()) return ReportError(bytes.status(), false, env);
  if (!bytes->has_value()) {
    return ReportError(core::NotFound("no stored document with SHA-256 " + *sha256), false, env);
  }
  if (auto out_path = args->Get("out")) {
    std::ofstream out(*out_path, std::ios::binary);
    out << **bytes;
    if (!out) return ReportError(core::Unavailable("cannot write " + *out_path), false, env);
  } else {
    env.out << **bytes;
  }
  return kExitOk;
}

}  // namespace jcm::cli
