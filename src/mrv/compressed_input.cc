#include "mrv/compressed_input.h"

#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

namespace jcm::mrv {
namespace {

constexpr size_t kInputBlockBytes = 1 << 20;

// The compressed bytes, read with pread from offset 0 in blocks.
class CompressedFile {
 public:
  explicit CompressedFile(int fd) : fd_(fd), buffer_(kInputBlockBytes) {}
  // Refills the buffer when empty; false at the end of the file or on error (*status).
  bool Available(const char** data, size_t* size, core::Status* status) {
    if (begin_ == end_) {
      ssize_t n = 0;
      do {
        n = pread(fd_, buffer_.data(), buffer_.size(), static_cast<off_t>(position_));
      } while (n < 0 && errno == EINTR);
      if (n < 0) {
        *status = core::Unavailable(std::string("read error: ") + std::strerror(errno));
        return false;
      }
      begin_ = 0;
      end_ = static_cast<size_t>(n);
      position_ += static_cast<uint64_t>(n);
      if (n == 0) return false;
    }
    *data = buffer_.data() + begin_;
    *size = end_ - begin_;
    return true;
  }
  void Consume(size_t n) { begin_ += n; }

 private:
  int fd_;
  std::vector<char> buffer_;
  size_t begin_ = 0, end_ = 0;
  uint64_t position_ = 0;
};

class GzipSource final : public Decompressor {
 public:
  explicit GzipSource(int fd) : in_(fd) {}
  ~GzipSource() override { inflateEnd(&stream_); }
  bool Init() { return inflateInit2(&stream_, 15 + 32) == Z_OK; }  // + 32: gzip header

  ssize_t Read(char* out, size_t capacity) override {
    if (!status_.ok()) return -1;
    size_t produced = 0;
    while (produced < capacity) {
      const char* data = nullptr;
      size_t size = 0;
      if (!in_.Available(&data, &size, &status_)) {
        if (!status_.ok()) return -1;
        if (!member_done_) {
          status_ = core::DataLoss("the gzip stream ends before its end (a truncated file?)");
          return -1;
        }
        return static_cast<ssize_t>(produced);
      }
      stream_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data));
      stream_.avail_in = static_cast<uInt>(size);
      stream_.next_out = reinterpret_cast<Bytef*>(out + produced);
      stream_.avail_out = static_cast<uInt>(capacity - produced);
      const int result = inflate(&stream_, Z_NO_FLUSH);
      in_.Consume(size - stream_.avail_in);
      produced = capacity - stream_.avail_out;
      member_done_ = result == Z_STREAM_END;
      if (result == Z_STREAM_END) {
        inflateReset(&stream_);  // concatenated members (gzip -c a >> f) are one stream
      } else if (result != Z_OK && result != Z_BUF_ERROR) {
        status_ = core::InvalidArgument(std::string("corrupt gzip stream: ") +
                                        (stream_.msg != nullptr ? stream_.msg : "inflate error"));
        return -1;
      }
    }
    return static_cast<ssize_t>(produced);
  }
  const core::Status& status() const override { return status_; }

 private:
  CompressedFile in_;
  z_stream stream_{};
  bool member_done_ = false;
  core::Status status_;
};

class ZstdSource final : public Decompressor {
 public:
  explicit ZstdSource(int fd) : in_(fd), stream_(ZSTD_createDStream()) {}
  ~ZstdSource() override { ZSTD_freeDStream(stream_); }
  bool Init() { return stream_ != nullptr && !ZSTD_isError(ZSTD_initDStream(stream_)); }

  ssize_t Read(char* out, size_t capacity) override {
    if (!status_.ok()) return -1;
    ZSTD_outBuffer output{out, capacity, 0};
    while (output.pos < output.size) {
      const char* data = nullptr;
      size_t size = 0;
      if (!in_.Available(&data, &size, &status_)) {
        if (!status_.ok()) return -1;
        if (frame_remaining_ != 0) {
          status_ = core::DataLoss("the zstd stream ends before its end (a truncated file?)");
          return -1;
        }
        break;
      }
      ZSTD_inBuffer input{data, size, 0};
      const size_t result = ZSTD_decompressStream(stream_, &output, &input);
      in_.Consume(input.pos);
      if (ZSTD_isError(result)) {
        status_ =
            core::InvalidArgument(std::string("corrupt zstd stream: ") + ZSTD_getErrorName(result));
        return -1;
      }
      frame_remaining_ = result;  // 0: a frame ended here
    }
    return static_cast<ssize_t>(output.pos);
  }
  const core::Status& status() const override { return status_; }

 private:
  CompressedFile in_;
  ZSTD_DStream* stream_;
  size_t frame_remaining_ = 1;  // nothing decoded yet: an empty file is not a stream
  core::Status status_;
};

}  // namespace

std::string_view CompressionName(Compression compression) {
  switch (compression) {
    case Compression::kGzip:
      return "gzip";
    case Compression::kZstd:
      return "zstd";
    case Compression::kNone:
      break;
  }
  return "none";
}

Compression DetectCompression(int fd) {
  unsigned char magic[4] = {};
  const ssize_t n = pread(fd, magic, sizeof magic, 0);
  if (n >= 2 && magic[0] == 0x1f && magic[1] == 0x8b) return Compression::kGzip;
  if (n == 4 && magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd) {
    return Compression::kZstd;
  }
  return Compression::kNone;
}

core::Result<std::unique_ptr<Decompressor>> Decompressor::Open(int fd, Compression compression) {
  if (compression == Compression::kGzip) {
    auto source = std::make_unique<GzipSource>(fd);
    if (!source->Init()) return core::Internal("zlib: cannot initialise inflate");
    return std::unique_ptr<Decompressor>(std::move(source));
  }
  auto source = std::make_unique<ZstdSource>(fd);
  if (!source->Init()) return core::Internal("zstd: cannot initialise the decoder");
  return std::unique_ptr<Decompressor>(std::move(source));
}

std::vector<uint64_t> DecompressedLineNumbersAt(int fd, Compression compression,
                                                const std::vector<uint64_t>& sorted_offsets) {
  std::vector<uint64_t> lines;
  auto source = Decompressor::Open(fd, compression);
  std::vector<char> buffer(1 << 20);
  uint64_t line = 1, pos = 0;
  for (const uint64_t target : sorted_offsets) {
    while (source.ok() && pos < target) {
      const size_t want = static_cast<size_t>(std::min<uint64_t>(buffer.size(), target - pos));
      const ssize_t n = (*source)->Read(buffer.data(), want);
      if (n <= 0) break;
      line += static_cast<uint64_t>(std::count(buffer.data(), buffer.data() + n, '\n'));
      pos += static_cast<uint64_t>(n);
    }
    lines.push_back(line);
  }
  return lines;
}

}  // namespace jcm::mrv
