// jcm document get: the bytes of a stored document (PDD, reports, …) by its SHA-256.
#include <algorithm>
#include <fstream>
#include <ostream>

#include "cli/commands.h"
#include "service/registry_service.h"

namespace jcm::cli {
namespace {

// RFC 4648 base64, padded: how a document's bytes travel inside a JSON document.
std::string Base64(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (size_t i = 0; i < bytes.size(); i += 3) {
    const size_t n = std::min<size_t>(3, bytes.size() - i);  // bytes in this group
    uint32_t group = 0;
    for (size_t k = 0; k < 3; ++k) {
      group <<= 8;
      if (k < n) group |= static_cast<unsigned char>(bytes[i + k]);
    }
    for (size_t k = 0; k < 4; ++k) out += k <= n ? kAlphabet[(group >> (18 - 6 * k)) & 63] : '=';
  }
  return out;
}

core::Status DocumentGet(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(std::string sha256, run.args.Require("sha256"));
  const std::optional<std::string> out_path = run.args.Get("out");
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run, store::OpenMode::kReadOnly));
  service::RegistryService registry(*store);
  JCM_ASSIGN_OR_RETURN(std::string bytes, registry.GetDocument(sha256));
  boost::json::object document{{"sha256", sha256}, {"bytes", bytes.size()}};
  if (out_path) {
    std::ofstream out(*out_path, std::ios::binary);
    out << bytes;
    if (!out) return core::Unavailable("cannot write " + *out_path);
    document["out"] = *out_path;
  } else if (run.print.json()) {
    document["base64"] = Base64(bytes);
  } else {
    run.print.out() << bytes;
  }
  run.print.Json(boost::json::object{{"document", std::move(document)}});
  return core::OkStatus();
}

const CommandSpec kDocumentCommands[] = {
    {"document get",
     "registry",
     "get: a stored document (PDD, report, …) by its SHA-256",
     "jcm document get --db FILE --sha256 HEX [--out FILE] [--json]\n"
     "  The bytes of a document stored by a project-cycle step (--document FILE), on stdout or\n"
     "  into --out FILE. With --json: {\"document\": {\"sha256\", \"bytes\", \"out\" or "
     "\"base64\"}}.\n",
     {"db", "sha256", "out"},
     {},
     DocumentGet},
};

}  // namespace

std::span<const CommandSpec> DocumentCommands() { return kDocumentCommands; }

}  // namespace jcm::cli
