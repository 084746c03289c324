#include "server/static_files.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "server/problem.h"
#include "server/request_target.h"
#include "service/install_paths.h"

namespace jcm::server {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
constexpr std::string_view kRevalidate = "no-cache";

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// The value of header `name` (case-insensitive), or "".
std::string HeaderValue(const HeaderList& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (Lower(key) == Lower(name)) return value;
  }
  return "";
}

// True when Accept-Encoding names gzip without "q=0" (RFC 9110 §12.5.3, simplified: a client
// refusing gzip with q=0 gets the plain file).
bool AcceptsGzip(const HeaderList& headers) {
  const std::string accept = Lower(HeaderValue(headers, "Accept-Encoding"));
  std::stringstream items(accept);
  std::string item;
  while (std::getline(items, item, ',')) {
    item.erase(std::remove(item.begin(), item.end(), ' '), item.end());
    if (item == "gzip" || item == "*") return true;
    if (StartsWith(item, "gzip;q=")) return std::strtod(item.c_str() + 7, nullptr) > 0;
  }
  return false;
}

// The file's bytes, or nullopt when it cannot be read as a regular file.
std::optional<std::string> ReadFile(const fs::path& path) {
  std::error_code error;
  if (!fs::is_regular_file(path, error)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return std::move(bytes).str();
}

// True when `path`, symbolic links followed, lies inside `root` (already canonical).
bool Inside(const fs::path& root, const fs::path& path) {
  std::error_code error;
  const fs::path real = fs::weakly_canonical(path, error);
  if (error) return false;
  const auto [root_end, unused] = std::mismatch(root.begin(), root.end(), real.begin(), real.end());
  return root_end == root.end();
}

HttpResponse FileResponse(std::string body, std::string_view file_name, std::string_view cache) {
  HttpResponse response;
  response.content_type = std::string(ContentTypeFor(file_name));
  response.body = std::move(body);
  response.headers = {{"Cache-Control", std::string(cache)},
                      {"Content-Security-Policy", std::string(kWebContentSecurityPolicy)},
                      {"Vary", "Accept-Encoding"}};
  return response;
}

// `file` (inside `root`), or its precompressed "<file>.gz" copy when the client accepts gzip and
// the copy exists; nullopt when neither can be read.
std::optional<HttpResponse> ServeFile(const fs::path& root, const fs::path& file, bool gzip,
                                      std::string_view cache) {
  const std::string name = file.filename().string();
  const fs::path compressed = file.string() + ".gz";
  if (gzip && Inside(root, compressed)) {
    if (std::optional<std::string> bytes = ReadFile(compressed)) {
      HttpResponse response = FileResponse(std::move(*bytes), name, cache);
      response.headers.emplace_back("Content-Encoding", "gzip");
      return response;
    }
  }
  if (std::optional<std::string> bytes = ReadFile(file)) {
    return FileResponse(std::move(*bytes), name, cache);
  }
  return std::nullopt;
}

}  // namespace

StaticFiles::StaticFiles(std::string root) : root_(std::move(root)) {
  std::error_code error;
  const fs::path canonical = fs::weakly_canonical(root_, error);
  if (!error) root_ = canonical.string();
}

bool StaticFiles::IsWebRequest(const HttpRequest& request) {
  if (request.method != "GET") return false;
  const std::string_view path =
      std::string_view(request.target)
          .substr(0, std::min(request.target.find('?'), request.target.size()));
  return !(path == "/api" || StartsWith(path, "/api/") || path == "/healthz" || path == "/readyz");
}

HttpResponse StaticFiles::Handle(const HttpRequest& request, const RequestContext& context) const {
  const std::string& id = context.request_id;
  core::Result<RequestTarget> target = ParseTarget(request.target);
  if (!target.ok()) return Problem(400, "bad_target", target.status().message(), "", id);
  const bool hidden = std::any_of(target->segments.begin(), target->segments.end(),
                                  [](const std::string& s) { return StartsWith(s, "."); });
  const bool asset = !target->segments.empty() && target->segments.front() == "assets";
  fs::path file = root_;
  for (const std::string& segment : target->segments) file /= segment;
  if (!hidden && !target->segments.empty() && !target->segments.back().empty() &&
      Inside(root_, file)) {
    const std::string_view cache = asset ? kImmutable : kRevalidate;
    if (auto response = ServeFile(root_, file, AcceptsGzip(request.headers), cache)) {
      return *std::move(response);
    }
  }
  if (hidden || asset) {
    return Problem(404, "not_found", "no file at " + target->path, target->path, id);
  }
  std::optional<HttpResponse> index =
      ServeFile(root_, fs::path(root_) / "index.html", AcceptsGzip(request.headers), kRevalidate);
  if (!index) {
    return Problem(404, "not_found", "the web directory has no index.html", target->path, id);
  }
  return *std::move(index);
}

std::string_view ContentTypeFor(std::string_view file_name) {
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".webmanifest", "application/manifest+json"},
  };
  const size_t dot = file_name.rfind('.');
  if (dot != std::string_view::npos) {
    const std::string extension = Lower(file_name.substr(dot));
    for (const auto& [suffix, type] : kTypes) {
      if (suffix == extension) return type;
    }
  }
  return "application/octet-stream";
}

core::Result<std::string> FindWebDirectory(const std::optional<std::string>& given) {
  std::error_code error;
  const auto has_index = [&error](const fs::path& dir) {
    return fs::is_regular_file(dir / "index.html", error);
  };
  if (given) {
    if (has_index(*given)) return *given;
    return core::NotFound("--web " + *given + " holds no index.html (build it: make web)");
  }
  std::string searched;
  for (const std::string& candidate : service::DataDirectoryCandidates("web")) {
    for (const fs::path& dir : {fs::path(candidate), fs::path(candidate) / "dist"}) {
      if (has_index(dir)) return dir.string();
      searched += (searched.empty() ? "" : ", ") + dir.string();
    }
  }
  return core::NotFound("no web assets (searched " + searched + ")");
}

}  // namespace jcm::server
