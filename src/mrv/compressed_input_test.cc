// Gzip and Zstandard monitoring files: the same report as the plain file, errors and findings at
// the decompressed file's lines, and a truncated stream is an error naming the file.
#include "mrv/compressed_input.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "mrv/monitoring_csv.h"

namespace jcm::mrv {
namespace {

std::string Gzip(const std::string& text) {
  z_stream stream{};
  deflateInit2(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);  // + 16: gzip wrapper
  std::string out(deflateBound(&stream, text.size()) + 64, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&stream, Z_FINISH), Z_STREAM_END);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

std::string Zstd(const std::string& text) {
  std::string out(ZSTD_compressBound(text.size()), '\0');
  const size_t n = ZSTD_compress(out.data(), out.size(), text.data(), text.size(), 3);
  EXPECT_FALSE(ZSTD_isError(n));
  out.resize(n);
  return out;
}

class CompressedInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* source = std::getenv("JCM_SOURCE_DIR");
    methodology_ = LoadMethodologyFile(std::string(source ? source : ".") +
                                       "/methodologies/MN_AM003/v2.0.jcmm")
                       .value();
    project_ = ParseProjectParams(
                   "[project]\nid = t\nperiods = 2023-01-01..2023-01-31\ninterval_minutes = 60\n"
                   "[point PV01]\ncalibration = 2023-01-01..2023-12-31\n"
                   "[point PV02]\ncalibration = 2023-01-01..2023-12-31\n[values]\ncaptive = 0\n",
                   "p")
                   .value();
    dir_ = std::filesystem::temp_directory_path() / ("jcm_mrv_gz_" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
    text_ = "point,parameter,timestamp,value,unit\n";
    for (int hour = 0; hour < 24 * 31; ++hour) {
      const std::string stamp = "2023-01-" + std::string(hour / 24 < 9 ? "0" : "") +
                                std::to_string(hour / 24 + 1) + "T" + (hour % 24 < 10 ? "0" : "") +
                                std::to_string(hour % 24) + ":00";
      text_ += "PV01,EG," + stamp + "," + std::to_string(hour % 97) + ".25,kWh\n";
      text_ += "PV02,EG," + stamp + "," + std::to_string(hour % 13) + ".5,kWh\n";
    }
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& bytes) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }
  core::Result<MonitoringData> Ingest(const std::string& path) {
    const std::vector<std::string> paths{path};
    IngestOptions options;
    options.threads = 2;
    return IngestMonitoringCsv(paths, methodology_, project_, project_.periods, options);
  }
  static std::string Totals(const MonitoringData& data) {
    std::string text;
    for (const auto& [key, total] : data.series) {
      text += key.point + " " + key.parameter + " " + total.total.ToFractionString() + " " +
              std::to_string(total.reading_count) + "\n";
    }
    for (const Finding& f : data.findings) {
      text += f.code + " " + std::to_string(f.count) + " " + std::to_string(f.location.line) + "\n";
    }
    return text;
  }

  Methodology methodology_;
  ProjectParams project_;
  std::filesystem::path dir_;
  std::string text_;
};

TEST_F(CompressedInputTest, GzipAndZstdGiveThePlainFilesResult) {
  text_ += "PV01,EG,2023-01-05T03:00,-2.0,kWh\n";  // out of range: a finding with its line
  auto plain = Ingest(Write("plain.csv", text_));
  ASSERT_TRUE(plain.ok()) << plain.status().message();
  const std::string expected = Totals(*plain);
  ASSERT_NE(expected.find("out_of_range 1 1490"), std::string::npos) << expected;
  const std::string gz = Write("data.csv.gz", Gzip(text_));
  EXPECT_EQ(DetectCompression(open(gz.c_str(), O_RDONLY)), Compression::kGzip);
  for (const std::string& path :
       {gz, Write("data.csv.zst", Zstd(text_)),
        // Two gzip members, as `gzip -c a >> f` writes them; the name does not matter.
        Write("members.csv", Gzip(text_.substr(0, 1000)) + Gzip(text_.substr(1000)))}) {
    SCOPED_TRACE(path);
    auto data = Ingest(path);
    ASSERT_TRUE(data.ok()) << data.status().message();
    EXPECT_EQ(Totals(*data), expected);
  }
}

TEST_F(CompressedInputTest, TruncatedStreamsAndBadLinesAreErrorsNamingTheFile) {
  const std::string gz = Gzip(text_), zst = Zstd(text_);
  for (const auto& [name, bytes] :
       {std::pair{std::string("cut.csv.gz"), gz.substr(0, gz.size() / 2)},
        std::pair{std::string("cut.csv.zst"), zst.substr(0, zst.size() / 2)}}) {
    const std::string path = Write(name, bytes);
    auto data = Ingest(path);
    EXPECT_EQ(data.status().code(), core::StatusCode::kDataLoss) << data.status().message();
    EXPECT_TRUE(data.status().message().starts_with(path + ": ")) << data.status().message();
    EXPECT_NE(data.status().message().find("truncated"), std::string::npos);
  }
  std::string bad = text_;
  bad.insert(bad.find("PV01,EG,2023-01-02T00:00,"), "PV01,EG,2023-01-02T00:00,1.2.3,kWh\n");
  const std::string path = Write("bad.csv.zst", Zstd(bad));
  auto data = Ingest(path);
  EXPECT_EQ(data.status().message(), path + ":50:26: not a decimal number");
}

}  // namespace
}  // namespace jcm::mrv
