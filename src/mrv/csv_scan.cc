#include "mrv/csv_scan.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/date.h"

namespace jcm::mrv {
namespace {

bool Digits(std::string_view text, size_t pos, size_t count, int64_t* out) {
  int64_t value = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  *out = value;
  return true;
}

int64_t DaysInMonth(int64_t y, int64_t m) {
  static constexpr int64_t kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

}  // namespace

bool ParseTimestamp(std::string_view text, Timestamp* out) {
  if (!text.empty() && text.back() == 'Z') text.remove_suffix(1);
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return false;
  int64_t y = 0, m = 0, d = 0, hh = 0, mm = 0, ss = 0;
  if (!Digits(text, 0, 4, &y) || !Digits(text, 5, 2, &m) || !Digits(text, 8, 2, &d)) return false;
  if (m < 1 || m > 12 || d < 1 || d > DaysInMonth(y, m)) return false;
  if (text.size() > 10) {
    if ((text[10] != 'T' && text[10] != ' ') || (text.size() != 16 && text.size() != 19))
      return false;
    if (text[13] != ':' || !Digits(text, 11, 2, &hh) || !Digits(text, 14, 2, &mm)) return false;
    if (text.size() == 19 && (text[16] != ':' || !Digits(text, 17, 2, &ss))) return false;
    if (hh > 23 || mm > 59 || ss > 59) return false;
  }
  out->days = core::DaysFromCivil(y, m, d);
  out->minute_of_day = static_cast<int32_t>(hh * 60 + mm);
  return true;
}

bool SplitCsvLine(std::string_view line, std::vector<std::string_view>* fields,
                  std::vector<std::string>* storage, size_t* error_column) {
  fields->clear();
  if (line.find('"') == std::string_view::npos) {
    size_t pos = 0;
    while (true) {
      const size_t comma = line.find(',', pos);
      if (comma == std::string_view::npos) {
        fields->push_back(line.substr(pos));
        return true;
      }
      fields->push_back(line.substr(pos, comma - pos));
      pos = comma + 1;
    }
  }
  // Slow path: unescape every field into storage first, then take views (no reallocation).
  storage->clear();
  size_t pos = 0;
  while (true) {
    std::string field;
    if (pos < line.size() && line[pos] == '"') {
      size_t i = pos + 1;
      while (true) {
        if (i >= line.size()) {
          *error_column = pos + 1;
          return false;
        }
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field += line[i++];
      }
      if (i < line.size() && line[i] != ',') {
        *error_column = i + 1;
        return false;
      }
      pos = i;
    } else {
      const size_t comma = line.find(',', pos);
      const size_t end = comma == std::string_view::npos ? line.size() : comma;
      field = std::string(line.substr(pos, end - pos));
      if (field.find('"') != std::string::npos) {
        *error_column = pos + field.find('"') + 1;
        return false;
      }
      pos = end;
    }
    storage->push_back(std::move(field));
    if (pos >= line.size()) break;
    ++pos;  // the comma
    if (pos == line.size()) {
      storage->emplace_back();
      break;
    }
  }
  for (const std::string& field : *storage) fields->push_back(field);
  return true;
}

RangeLineReader::RangeLineReader(int fd, uint64_t begin, uint64_t end, size_t block_bytes)
    : fd_(fd),
      end_(end),
      file_pos_(begin),
      buffer_(std::make_unique_for_overwrite<char[]>(block_bytes + 1)),  // + sentinel
      buffer_size_(block_bytes) {
  // A range that does not start at 0 begins one byte early so that a line starting exactly
  // at `begin` is recognised (the byte before it is '\n'); everything up to the first '\n'
  // belongs to the previous range.
  if (begin > 0) {
    file_pos_ = begin - 1;
    skip_first_ = true;
  }
}

RangeLineReader::RangeLineReader(const char* mapping, uint64_t file_bytes, uint64_t begin,
                                 uint64_t end, size_t block_bytes)
    : mapping_(mapping),
      file_bytes_(file_bytes),
      end_(end),
      file_pos_(begin),
      buffer_size_(block_bytes) {
  mapped_pos_ = std::min(begin, file_bytes);
  if (begin > 0 && begin <= file_bytes) {
    // As in the pread mode: the line containing byte begin - 1 belongs to the previous range.
    const void* newline = std::memchr(mapping + begin - 1, '\n', file_bytes - (begin - 1));
    const uint64_t skip_to =
        newline == nullptr ? file_bytes
                           : static_cast<uint64_t>(static_cast<const char*>(newline) - mapping) + 1;
    consumed_ = skip_to - begin;
    mapped_pos_ = skip_to;
  }
  released_ = mapped_pos_ & ~uint64_t{4095};
}

RangeLineReader::RangeLineReader(ByteSource* source, size_t block_bytes)
    : source_(source),
      end_(UINT64_MAX),
      file_pos_(0),
      buffer_(std::make_unique_for_overwrite<char[]>(block_bytes + 1)),
      buffer_size_(block_bytes) {}

void RangeLineReader::ReleaseMappedBefore(uint64_t offset) {
  const uint64_t page_end = offset & ~uint64_t{4095};
  // Released in steps of 4 blocks: each release flushes the TLBs of every thread of the
  // process (an inter-processor interrupt), so fewer, larger releases scale better.
  if (page_end < released_ + 4 * static_cast<uint64_t>(buffer_size_)) return;
  // Pages of a read-only private file mapping: dropping them only lowers resident memory;
  // a later touch reads them again from the page cache.
  madvise(const_cast<char*>(mapping_) + released_, page_end - released_, MADV_DONTNEED);
  released_ = page_end;
}

bool RangeLineReader::NextMapped(std::string_view* line, uint64_t* offset) {
  if (mapped_pos_ >= end_ || mapped_pos_ >= file_bytes_) {
    ReleaseMappedBefore(file_bytes_ + 4095);
    return false;
  }
  ReleaseMappedBefore(mapped_pos_);
  const char* begin = mapping_ + mapped_pos_;
  const size_t available = static_cast<size_t>(file_bytes_ - mapped_pos_);
  const void* newline = std::memchr(begin, '\n', available);
  const size_t length = newline == nullptr
                            ? available
                            : static_cast<size_t>(static_cast<const char*>(newline) - begin);
  if (length > buffer_size_) {
    status_ = core::InvalidArgument("line longer than " + std::to_string(buffer_size_) + " bytes");
    return false;
  }
  std::string_view text(begin, length);
  if (newline == nullptr) {
    tail_.assign(begin, length);
    tail_.push_back('\n');
    text = std::string_view(tail_.data(), length);
  }
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  *line = text;
  *offset = mapped_pos_;
  const size_t advance = newline == nullptr ? length : length + 1;
  mapped_pos_ += advance;
  consumed_ += advance;
  return true;
}

// The end (exclusive) of the lines of [first, last] that start before the range's end: `last`
// is a '\n'; the last line starting before end_ ends at the first '\n' at or after end_ - 1.
static const char* ClipToRange(const char* first, const char* last, uint64_t first_offset,
                               uint64_t range_end) {
  const uint64_t last_offset = first_offset + static_cast<uint64_t>(last - first);
  if (last_offset < range_end) return last + 1;
  const char* from = first + (range_end - 1 - first_offset);
  return static_cast<const char*>(std::memchr(from, '\n', static_cast<size_t>(last - from) + 1)) +
         1;
}

bool RangeLineReader::NextChunk(std::string_view* chunk, uint64_t* offset, size_t max_bytes) {
  if (mapping_ == nullptr) return NextChunkRead(chunk, offset, max_bytes);
  if (mapped_pos_ >= end_ || mapped_pos_ >= file_bytes_) return false;
  ReleaseMappedBefore(mapped_pos_);
  const char* begin = mapping_ + mapped_pos_;
  const size_t span = static_cast<size_t>(std::min<uint64_t>(max_bytes, file_bytes_ - mapped_pos_));
  const void* last = memrchr(begin, '\n', span);
  if (last == nullptr) return false;
  const char* chunk_end = ClipToRange(begin, static_cast<const char*>(last), mapped_pos_, end_);
  const auto length = static_cast<size_t>(chunk_end - begin);
  *chunk = std::string_view(begin, length);
  *offset = mapped_pos_;
  mapped_pos_ += length;
  consumed_ += length;
  return true;
}

bool RangeLineReader::NextChunkRead(std::string_view* chunk, uint64_t* offset, size_t max_bytes) {
  if (skip_first_) return false;  // Next() skips the previous range's line first
  while (true) {
    const size_t available = buffer_end_ - buffer_begin_;
    const uint64_t line_start = file_pos_ - available;
    if (line_start >= end_) return false;
    if (available < std::min(max_bytes, buffer_size_ / 2) && !eof_) {
      if (!Fill()) return false;
      continue;
    }
    const char* begin = buffer_.get() + buffer_begin_;
    const void* last = memrchr(begin, '\n', std::min(available, max_bytes));
    if (last == nullptr) return false;
    const char* chunk_end = ClipToRange(begin, static_cast<const char*>(last), line_start, end_);
    const auto length = static_cast<size_t>(chunk_end - begin);
    *chunk = std::string_view(begin, length);
    *offset = line_start;
    buffer_begin_ += length;
    consumed_ += length;
    return true;
  }
}

bool RangeLineReader::Fill() {
  if (buffer_begin_ > 0) {
    std::memmove(buffer_.get(), buffer_.get() + buffer_begin_, buffer_end_ - buffer_begin_);
    buffer_end_ -= buffer_begin_;
    buffer_begin_ = 0;
  }
  if (buffer_end_ == buffer_size_) {
    status_ = core::InvalidArgument("line longer than " + std::to_string(buffer_size_) + " bytes");
    return false;
  }
  while (true) {
    const ssize_t n = source_ != nullptr
                          ? source_->Read(buffer_.get() + buffer_end_, buffer_size_ - buffer_end_)
                          : pread(fd_, buffer_.get() + buffer_end_, buffer_size_ - buffer_end_,
                                  static_cast<off_t>(file_pos_));
    if (n < 0 && source_ != nullptr) {
      status_ = source_->status();
      return false;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      status_ = core::Unavailable(std::string("read error: ") + std::strerror(errno));
      return false;
    }
    if (n == 0) eof_ = true;
    buffer_end_ += static_cast<size_t>(n);
    file_pos_ += static_cast<uint64_t>(n);
    return true;
  }
}

bool RangeLineReader::Next(std::string_view* line, uint64_t* offset) {
  if (mapping_ != nullptr) return NextMapped(line, offset);
  while (true) {
    const uint64_t line_start = file_pos_ - (buffer_end_ - buffer_begin_);
    if (!skip_first_ && line_start >= end_) return false;
    const char* begin = buffer_.get() + buffer_begin_;
    const size_t available = buffer_end_ - buffer_begin_;
    const void* newline = available == 0 ? nullptr : std::memchr(begin, '\n', available);
    if (newline == nullptr && !eof_) {
      if (!Fill()) return false;
      continue;
    }
    if (newline == nullptr && available == 0) return false;  // end of file
    const size_t length = newline == nullptr
                              ? available
                              : static_cast<size_t>(static_cast<const char*>(newline) - begin);
    const size_t advance = newline == nullptr ? length : length + 1;
    buffer_begin_ += advance;
    consumed_ += advance;
    if (skip_first_) {
      skip_first_ = false;
      continue;
    }
    // A last line without '\n' gets one in the spare byte of the buffer, as the sentinel.
    if (newline == nullptr) buffer_[buffer_begin_] = '\n';
    std::string_view text(begin, length);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    *line = text;
    *offset = line_start;
    return true;
  }
}

uint64_t LineNumberAt(int fd, uint64_t offset) {
  std::vector<char> buffer(1 << 20);
  uint64_t line = 1, pos = 0;
  while (pos < offset) {
    const size_t want = static_cast<size_t>(std::min<uint64_t>(buffer.size(), offset - pos));
    const ssize_t n = pread(fd, buffer.data(), want, static_cast<off_t>(pos));
    if (n <= 0) break;
    for (ssize_t i = 0; i < n; ++i) line += buffer[static_cast<size_t>(i)] == '\n' ? 1u : 0u;
    pos += static_cast<uint64_t>(n);
  }
  return line;
}

std::vector<uint64_t> LineNumbersAt(int fd, const std::vector<uint64_t>& sorted_offsets) {
  std::vector<uint64_t> lines;
  lines.reserve(sorted_offsets.size());
  std::vector<char> buffer(1 << 20);
  uint64_t line = 1, pos = 0;
  for (const uint64_t target : sorted_offsets) {
    while (pos < target) {
      const size_t want = static_cast<size_t>(std::min<uint64_t>(buffer.size(), target - pos));
      const ssize_t n = pread(fd, buffer.data(), want, static_cast<off_t>(pos));
      if (n <= 0) break;
      line += static_cast<uint64_t>(std::count(buffer.data(), buffer.data() + n, '\n'));
      pos += static_cast<uint64_t>(n);
    }
    lines.push_back(line);
  }
  return lines;
}

}  // namespace jcm::mrv
