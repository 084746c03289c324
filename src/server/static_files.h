// StaticFiles: the web application's built assets (web/, docs/web.md), served by `jcm serve` on
// the same origin as the API, so the pages need no CORS and no CDN.
//
//   GET of a path outside /api/, /healthz and /readyz (IsWebRequest) is answered from the web
//   directory: a file that exists is sent with the content type of its extension; any other
//   path is a page of the single-page application and gets index.html (the pages route in the
//   browser), except under /assets/, where a missing file is a 404 (a stale page must not
//   receive HTML for its JavaScript).
//
// Path traversal is refused before the file system is touched: the target is parsed by
// ParseTarget (no "." or ".." segment, no encoded "/" or "\"), a segment starting with "." (a
// hidden file) is a 404, and the resolved file must lie inside the root after symbolic links
// are followed. Hashed assets (/assets/*) are cached for a year as immutable; everything else,
// index.html above all, is revalidated on each load ("no-cache"). When the client accepts gzip
// and "<file>.gz" exists beside the file, the compressed copy is sent (Content-Encoding: gzip,
// Vary: Accept-Encoding). Pages get a Content-Security-Policy that allows the same origin's
// scripts, styles, images and API and nothing inline.
//
// Thread-safe: Handle only reads the file system.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "server/http_message.h"

namespace jcm::server {

// The policy sent with the web application's responses (docs/api.md, "Response headers").
inline constexpr std::string_view kWebContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";

class StaticFiles {
 public:
  // `root`: a directory holding index.html (FindWebDirectory).
  explicit StaticFiles(std::string root);

  // True for a GET whose target is not the API's (/api, /api/…, /healthz, /readyz).
  static bool IsWebRequest(const HttpRequest& request);

  HttpResponse Handle(const HttpRequest& request, const RequestContext& context) const;

  const std::string& root() const { return root_; }

 private:
  std::string root_;
};

// "text/javascript; charset=utf-8" for "app.js", …; "application/octet-stream" when unknown.
std::string_view ContentTypeFor(std::string_view file_name);

// The web directory: `given` (--web DIR) when set (NotFound when it holds no index.html), else
// the first of DataDirectoryCandidates("web") (service/install_paths.h) or its "dist"
// subdirectory that holds index.html: the installed <prefix>/share/jcm/web, the build tree's
// link to web/dist, $JCM_SOURCE_DIR/web/dist. NotFound naming what was searched otherwise.
core::Result<std::string> FindWebDirectory(const std::optional<std::string>& given);

}  // namespace jcm::server
