// Low-level pieces of CSV ingest, exposed for the ingest code, its tests and the fuzzers:
// timestamps, CSV field splitting (RFC 4180 quotes) and a bounded-block line reader over a
// byte range of a file.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace jcm::mrv {

struct Timestamp {
  int64_t days = 0;  // since 1970-01-01
  int32_t minute_of_day = 0;
  int64_t minutes() const { return days * 1440 + minute_of_day; }
};

// "YYYY-MM-DD", "YYYY-MM-DDTHH:MM", "YYYY-MM-DD HH:MM[:SS]" with an optional trailing "Z".
// Rejects invalid calendar dates and times (24:00 included).
bool ParseTimestamp(std::string_view text, Timestamp* out);

// Splits one line (without its '\n' or '\r') into fields. Quoted fields may contain commas
// and doubled quotes; their unescaped text is kept in `storage`. Returns false on a malformed
// quote, with the 1-based column in `error_column`.
bool SplitCsvLine(std::string_view line, std::vector<std::string_view>* fields,
                  std::vector<std::string>* storage, size_t* error_column);

// A sequential source of bytes (a decompressor): Read returns up to `capacity` bytes, 0 at the
// end, -1 on error (status()).
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual ssize_t Read(char* out, size_t capacity) = 0;
  virtual const core::Status& status() const = 0;
};

// Reads the lines that start inside [begin, end) of a file, in blocks of `block_bytes`.
// A line belongs to the range its first byte is in, so adjacent ranges partition the lines.
class RangeLineReader {
 public:
  // `block_bytes` bounds memory and the longest line; pass at most the bytes left in the file
  // after `begin` (+1) for small files.
  RangeLineReader(int fd, uint64_t begin, uint64_t end, size_t block_bytes);
  // Mapped mode: lines are returned in place from `mapping` (the whole file, `file_bytes`
  // long, e.g. from mmap), which saves the copy of pread; the pages already consumed are
  // released (MADV_DONTNEED) every 4 × `block_bytes`, so resident memory stays bounded.
  RangeLineReader(const char* mapping, uint64_t file_bytes, uint64_t begin, uint64_t end,
                  size_t block_bytes);
  // Stream mode: every line of `source` (offsets count its bytes), in blocks of `block_bytes`.
  RangeLineReader(ByteSource* source, size_t block_bytes);
  // The next line (without '\n' and a trailing '\r') and the offset of its first byte.
  // The byte just after the returned line is readable and is '\n' or '\r' (a sentinel that
  // lets scanners stop on "not a digit" without a bounds check). False at the end of the
  // range or on error (see status()).
  bool Next(std::string_view* line, uint64_t* offset);
  // A run of whole lines (each ending with '\n') of this range, at most about `max_bytes`
  // long, and the offset of its first byte. False when the next line is not followed by '\n'
  // within `max_bytes` (a long line, the file's last line without '\n', the end of the range,
  // an error): Next() then takes one line, with its checks.
  bool NextChunk(std::string_view* chunk, uint64_t* offset, size_t max_bytes);
  const core::Status& status() const { return status_; }
  uint64_t bytes_consumed() const { return consumed_; }

 private:
  bool Fill();
  bool NextMapped(std::string_view* line, uint64_t* offset);
  bool NextChunkRead(std::string_view* chunk, uint64_t* offset, size_t max_bytes);
  void ReleaseMappedBefore(uint64_t offset);
  int fd_ = -1;
  ByteSource* source_ = nullptr;
  const char* mapping_ = nullptr;
  uint64_t file_bytes_ = 0;
  uint64_t mapped_pos_ = 0, released_ = 0;
  std::string tail_;  // a last line without '\n', copied to get its sentinel
  uint64_t end_;
  uint64_t file_pos_;               // file offset of buffer_[buffer_end_]
  std::unique_ptr<char[]> buffer_;  // not zero-filled: only bytes read are used
  size_t buffer_size_ = 0;
  size_t buffer_begin_ = 0, buffer_end_ = 0;
  bool eof_ = false;
  bool skip_first_ = false;
  uint64_t consumed_ = 0;
  core::Status status_;
};

// 1-based line number of the byte at `offset` in the file (counts '\n' before it).
uint64_t LineNumberAt(int fd, uint64_t offset);
// The same for each of `sorted_offsets` (ascending), in one pass over the file's prefix.
std::vector<uint64_t> LineNumbersAt(int fd, const std::vector<uint64_t>& sorted_offsets);

}  // namespace jcm::mrv
