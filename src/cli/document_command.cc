// jcm document get: the bytes of a stored document (PDD, reports, …) by its SHA-256; and the
// documents the registry itself issues: jcm retirements (the public list) and jcm certificate
// (a retirement's PDF certificate).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <ostream>

#include "cli/commands.h"
#include "service/json/public_json.h"
#include "service/log_service.h"
#include "service/pdf/retirement_certificate.h"
#include "service/registry_service.h"
#include "service/retirements.h"

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

// Whether `a` and `b` name the same file: the same canonical path (a file not yet created
// included), or the same inode (a hard link).
bool SameFile(const std::filesystem::path& a, const std::filesystem::path& b) {
  std::error_code error;
  const auto canonical_a = std::filesystem::weakly_canonical(a, error);
  if (error) return false;
  const auto canonical_b = std::filesystem::weakly_canonical(b, error);
  if (error) return false;
  if (canonical_a == canonical_b) return true;
  struct stat stat_a {};
  struct stat stat_b {};
  return ::stat(a.c_str(), &stat_a) == 0 && ::stat(b.c_str(), &stat_b) == 0 &&
         stat_a.st_dev == stat_b.st_dev && stat_a.st_ino == stat_b.st_ino;
}

// --out must not name the registry itself: its database or the SQLite files beside it (the
// write-ahead log and shared memory), whether they exist now or not.
core::Status RefuseRegistryFile(const std::string& out_path, const std::string& db_path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    if (SameFile(out_path, db_path + suffix)) {
      return core::InvalidArgument("--out " + out_path + " is the registry's own file " + db_path +
                                   suffix + "; choose another path");
    }
  }
  return core::OkStatus();
}

// Writes `bytes` to `path`: a new file, or (with `force`) over an existing regular file.
core::Status WriteOut(const std::string& path, std::string_view bytes, bool force) {
  struct stat existing {};
  if (::stat(path.c_str(), &existing) == 0 && !S_ISREG(existing.st_mode)) {
    return core::InvalidArgument("--out " + path + " is not a regular file");
  }
  const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (force ? O_TRUNC : O_EXCL);
  const int fd = ::open(path.c_str(), flags, 0644);
  if (fd < 0 && errno == EEXIST) {
    return core::InvalidArgument("--out " + path +
                                 " exists; pass --force to overwrite it, or choose another path");
  }
  if (fd < 0) return core::Unavailable("cannot write " + path + ": " + std::strerror(errno));
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    return core::InvalidArgument("--out " + path + " is not a regular file");
  }
  size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const std::string cause = std::strerror(errno);
      ::close(fd);
      return core::Unavailable("cannot write " + path + ": " + cause);
    }
    written += static_cast<size_t>(n);
  }
  if (::close(fd) != 0) {
    return core::Unavailable("cannot write " + path + ": " + std::strerror(errno));
  }
  return core::OkStatus();
}

core::Status DocumentGet(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(std::string sha256, run.args.Require("sha256"));
  const std::optional<std::string> out_path = run.args.Get("out");
  if (run.args.Has("force") && !out_path) return core::InvalidArgument("--force needs --out FILE");
  if (out_path) {
    JCM_RETURN_IF_ERROR(RefuseRegistryFile(*out_path, run.args.Get("db").value_or("")));
  }
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run, store::OpenMode::kReadOnly));
  service::RegistryService registry(*store);
  JCM_ASSIGN_OR_RETURN(std::string bytes, registry.GetDocument(sha256));
  boost::json::object document{{"sha256", sha256}, {"bytes", bytes.size()}};
  if (out_path) {
    JCM_RETURN_IF_ERROR(WriteOut(*out_path, bytes, run.args.Has("force")));
    document["out"] = *out_path;
  } else if (run.print.json()) {
    document["base64"] = Base64(bytes);
  } else {
    run.print.out() << bytes;
  }
  run.print.Json(boost::json::object{{"document", std::move(document)}});
  return core::OkStatus();
}

core::Result<int64_t> PositiveFlag(CommandRun& run, const std::string& name, int64_t fallback) {
  const std::optional<std::string> text = run.args.Get(name);
  if (!text) return fallback;
  const std::optional<int64_t> value = core::ParseInt64(*text);
  if (!value || *value < 0) return core::InvalidArgument("--" + name + " wants a whole number");
  return *value;
}

core::Status Retirements(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(int64_t after, PositiveFlag(run, "after", 0));
  JCM_ASSIGN_OR_RETURN(int64_t limit, PositiveFlag(run, "limit", 100));
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run, store::OpenMode::kReadOnly));
  JCM_ASSIGN_OR_RETURN(service::RetirementPage page,
                       service::ListRetirements(*store, run.args.Get("registry"), after, limit));
  boost::json::array items;
  for (const service::Retirement& retirement : page.retirements) {
    items.push_back(service::json::RetirementJson(retirement));
    if (run.print.json()) continue;
    run.print.out() << retirement.seq << "  " << retirement.time << "  " << retirement.registry
                    << "  " << retirement.quantity << "  " << retirement.beneficiary << "\n";
  }
  run.print.Json(
      boost::json::object{{"retirements", std::move(items)}, {"next_after", page.next_after_seq}});
  return core::OkStatus();
}

core::Status Certificate(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(std::string seq_text, run.args.Require("seq"));
  JCM_ASSIGN_OR_RETURN(std::string out_path, run.args.Require("out"));
  const std::optional<int64_t> seq = core::ParseInt64(seq_text);
  if (!seq) return core::InvalidArgument("--seq wants the retirement's transaction id");
  JCM_RETURN_IF_ERROR(RefuseRegistryFile(out_path, run.args.Get("db").value_or("")));
  // With the registry's log key the certificate carries the entry's inclusion proof in the
  // signed head of the log now, stored like `jcm log sth` stores it (so read-write).
  JCM_ASSIGN_OR_RETURN(std::string db, run.args.Require("db"));
  const std::string key_path = run.args.Get("log-key").value_or(service::DefaultLogKeyPath(db));
  core::Result<core::Ed25519PrivateKey> key = service::LoadLogKey(key_path);
  if (!key.ok() && run.args.Has("log-key")) return key.status();
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run, key.ok() ? store::OpenMode::kReadWrite
                                                           : store::OpenMode::kReadOnly));
  JCM_ASSIGN_OR_RETURN(service::Retirement retirement, service::FindRetirement(*store, *seq));
  service::pdf::CertificateOptions options;
  options.public_url = run.args.Get("public-url").value_or("");
  if (key.ok()) {
    JCM_ASSIGN_OR_RETURN(options.inclusion,
                         service::ProveInSignedHead(*store, *key, run.env.clock.NowUtc(), *seq));
  }
  if (const std::optional<std::string> font = run.args.Get("font")) {
    options.japanese_font_path = *font;
  }
  JCM_ASSIGN_OR_RETURN(std::string pdf,
                       service::pdf::RetirementCertificatePdf(retirement, options));
  JCM_RETURN_IF_ERROR(WriteOut(out_path, pdf, run.args.Has("force")));
  const boost::json::value tree_size = options.inclusion
                                           ? boost::json::value(options.inclusion->head.tree_size)
                                           : boost::json::value(nullptr);
  run.print.Json(boost::json::object{
      {"certificate",
       {{"seq", *seq}, {"out", out_path}, {"bytes", pdf.size()}, {"tree_size", tree_size}}}});
  if (!run.print.json()) run.print.out() << "wrote " << out_path << "\n";
  return core::OkStatus();
}

const CommandSpec kDocumentCommands[] = {
    {"document get",
     "registry",
     "get: a stored document (PDD, report, …) by its SHA-256",
     "jcm document get --db FILE --sha256 HEX [--out FILE [--force]] [--json]\n"
     "  The bytes of a document stored by a project-cycle step (--document FILE), on stdout or\n"
     "  into --out FILE: a new file, or an existing one only with --force; never the registry's\n"
     "  database or its -wal/-shm files. With --json: {\"document\": {\"sha256\", \"bytes\",\n"
     "  \"out\" or \"base64\"}}.\n",
     {"db", "sha256", "out"},
     {"force"},
     DocumentGet},
    {"retirements",
     "registry",
     "the retirements with their beneficiaries, serials and entry hashes (public data)",
     "jcm retirements --db FILE [--registry CODE] [--after SEQ] [--limit N] [--json]\n"
     "  At most --limit (1..1000, default 100) retirements after transaction --after, oldest\n"
     "  first. With --json: {\"retirements\": [{\"seq\", \"time\", \"registry\",\n"
     "  \"from_account\", \"retirement_account\", \"quantity\", \"beneficiary\", \"hash\",\n"
     "  \"blocks\"}], \"next_after\": SEQ or 0 when no more}.\n",
     {"db", "registry", "after", "limit"},
     {},
     Retirements},
    {"certificate",
     "registry",
     "a retirement's certificate as PDF (English and Japanese, with a QR code)",
     "jcm certificate --db FILE --seq SEQ --out FILE [--force] [--public-url URL] [--font TTF]\n"
     "  Writes the certificate of the retirement committed as transaction SEQ: beneficiary,\n"
     "  quantity, serial ranges with project, monitoring period and Article 6 authorisation,\n"
     "  date, journal sequence and entry hash. With the registry's log key (--log-key PEM,\n"
     "  default FILE.log-key.pem) also the entry's inclusion proof in the signed tree head of\n"
     "  now, and a QR code linking to URL/api/v1/log/proof?seq=SEQ&tree_size=N; without a key\n"
     "  the QR code links to URL/credits?serial=REGISTRY-FIRST (the public look-up). --font: the\n"
     "  Japanese TrueType font to embed (default Debian's IPAex Gothic). With --json:\n"
     "  {\"certificate\": {\"seq\", \"out\", \"bytes\", \"tree_size\" or null}}.\n",
     {"db", "seq", "out", "public-url", "font", "log-key"},
     {"force"},
     Certificate},
};

}  // namespace

std::span<const CommandSpec> DocumentCommands() { return kDocumentCommands; }

}  // namespace jcm::cli
