// The web application's static files without a socket (server/static_files.h): content types,
// cache headers, the single-page fallback, gzip, path traversal and the request split between
// the web application and the API.
#include "server/static_files.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace jcm::server {
namespace {

namespace fs = std::filesystem;

void Write(const fs::path& path, const std::string& bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
}

std::string Header(const HttpResponse& response, std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return "";
}

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "jcm-static-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    root_ = dir_ / "web";
    Write(root_ / "index.html", "<!doctype html><title>jcm</title>");
    Write(root_ / "assets" / "index-abc123.js", "console.log(1)");
    Write(root_ / "assets" / "index-abc123.js.gz", "GZIPPED");
    Write(root_ / "assets" / "index-abc123.css", "body{}");
    Write(root_ / "index.html.gz", "GZIPPED INDEX");
    Write(root_ / "favicon.svg", "<svg/>");
    Write(root_ / ".secret", "key");
    Write(dir_ / "outside.txt", "outside the root");
    fs::create_symlink(dir_ / "outside.txt", root_ / "escape.txt");
  }
  HttpResponse Get(const std::string& target, HeaderList headers = {}) const {
    StaticFiles files(root_.string());
    return files.Handle(HttpRequest{"GET", target, std::move(headers), ""},
                        RequestContext{"rid-1", {}, false});
  }

  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
  fs::path root_;
};

TEST_F(StaticFilesTest, ServesAFileWithItsContentType) {
  const HttpResponse js = Get("/assets/index-abc123.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.body, "console.log(1)");
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(Get("/assets/index-abc123.css").content_type, "text/css; charset=utf-8");
  EXPECT_EQ(Get("/favicon.svg").content_type, "image/svg+xml");
  EXPECT_EQ(ContentTypeFor("a.unknown"), "application/octet-stream");
}

TEST_F(StaticFilesTest, HashedAssetsAreImmutableAndPagesRevalidate) {
  EXPECT_EQ(Header(Get("/assets/index-abc123.js"), "Cache-Control"),
            "public, max-age=31536000, immutable");
  EXPECT_EQ(Header(Get("/"), "Cache-Control"), "no-cache");
  EXPECT_EQ(Header(Get("/favicon.svg"), "Cache-Control"), "no-cache");
}

TEST_F(StaticFilesTest, PagesCarryTheWebContentSecurityPolicy) {
  const std::string csp = Header(Get("/projects"), "Content-Security-Policy");
  EXPECT_EQ(csp, kWebContentSecurityPolicy);
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos);
}

TEST_F(StaticFilesTest, UnknownPathsFallBackToIndexHtml) {
  for (const std::string target : {"/", "/projects", "/projects/MN006?lang=ja", "/credits/MN-5"}) {
    const HttpResponse page = Get(target);
    EXPECT_EQ(page.status, 200) << target;
    EXPECT_EQ(page.content_type, "text/html; charset=utf-8") << target;
    EXPECT_EQ(page.body, "<!doctype html><title>jcm</title>") << target;
  }
}

TEST_F(StaticFilesTest, AMissingAssetIsA404NotTheIndex) {
  const HttpResponse missing = Get("/assets/index-old999.js");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.content_type, "application/problem+json");
}

TEST_F(StaticFilesTest, GzipIsServedOnlyWhenAccepted) {
  const HttpResponse gz = Get("/assets/index-abc123.js", {{"accept-encoding", "br, gzip"}});
  EXPECT_EQ(gz.body, "GZIPPED");
  EXPECT_EQ(Header(gz, "Content-Encoding"), "gzip");
  EXPECT_EQ(Header(gz, "Vary"), "Accept-Encoding");
  EXPECT_EQ(gz.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(Get("/assets/index-abc123.js").body, "console.log(1)");
  EXPECT_EQ(Get("/assets/index-abc123.js", {{"Accept-Encoding", "gzip;q=0"}}).body,
            "console.log(1)");
  EXPECT_EQ(Get("/assets/index-abc123.css", {{"Accept-Encoding", "gzip"}}).body, "body{}");
  // The page itself, as the single-page fallback, too.
  const HttpResponse page = Get("/projects", {{"Accept-Encoding", "gzip"}});
  EXPECT_EQ(page.body, "GZIPPED INDEX");
  EXPECT_EQ(Header(page, "Content-Encoding"), "gzip");
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
}

TEST_F(StaticFilesTest, PathTraversalIsRefused) {
  EXPECT_EQ(Get("/../outside.txt").status, 400);
  EXPECT_EQ(Get("/assets/%2e%2e/%2e%2e/outside.txt").status, 400);
  EXPECT_EQ(Get("/assets%2f..%2foutside.txt").status, 400);
  // A symbolic link out of the root is not followed: the path is a page, not the file.
  const HttpResponse escape = Get("/escape.txt");
  EXPECT_NE(escape.body, "outside the root");
  EXPECT_EQ(escape.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(Get("/.secret").status, 404);
}

TEST_F(StaticFilesTest, OnlyGetsOutsideTheApiAreWebRequests) {
  EXPECT_TRUE(StaticFiles::IsWebRequest({"GET", "/", {}, ""}));
  EXPECT_TRUE(StaticFiles::IsWebRequest({"GET", "/projects?country=MN", {}, ""}));
  EXPECT_TRUE(StaticFiles::IsWebRequest({"GET", "/apiary", {}, ""}));
  EXPECT_FALSE(StaticFiles::IsWebRequest({"GET", "/api/v1/projects", {}, ""}));
  EXPECT_FALSE(StaticFiles::IsWebRequest({"GET", "/api", {}, ""}));
  EXPECT_FALSE(StaticFiles::IsWebRequest({"GET", "/healthz", {}, ""}));
  EXPECT_FALSE(StaticFiles::IsWebRequest({"GET", "/readyz?x=1", {}, ""}));
  EXPECT_FALSE(StaticFiles::IsWebRequest({"POST", "/", {}, ""}));
}

TEST_F(StaticFilesTest, FindWebDirectoryWantsAnIndex) {
  EXPECT_EQ(FindWebDirectory(root_.string()).value(), root_.string());
  const core::Result<std::string> empty = FindWebDirectory((dir_ / "none").string());
  EXPECT_EQ(empty.status().code(), core::StatusCode::kNotFound);
  EXPECT_NE(empty.status().message().find("index.html"), std::string::npos);
}

}  // namespace
}  // namespace jcm::server
