// KeyedText: the line format shared by methodology definitions and project parameter files.
//
//   # a comment (whole line)
//   [kind name]            -- a section header; name optional
//   key = value            -- an entry of the current section
//     continued value      -- a line starting with whitespace continues the previous value
//
// Keys are [A-Za-z0-9_.] plus an optional "[subscript]". Every entry remembers its line and
// the column where its value starts, so later errors can point at FILE:LINE:COLUMN.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace jcm::mrv {

struct KeyedEntry {
  std::string key;
  std::string value;
  int line = 0;
  int value_column = 0;
};

struct KeyedSection {
  std::string kind;
  std::string name;
  int line = 0;
  std::vector<KeyedEntry> entries;

  // The value of `key`, or nullptr.
  const KeyedEntry* Find(std::string_view key) const;
};

// Lines longer than this are rejected (limits on everything).
inline constexpr size_t kKeyedLineBytesMax = 64 * 1024;

// InvalidArgument "FILE:LINE:COLUMN: message" on malformed lines or duplicate keys. A UTF-8
// byte order mark before the first line is skipped.
core::Result<std::vector<KeyedSection>> ParseKeyedText(std::string_view text,
                                                       std::string_view file_name);

// "FILE:LINE:COLUMN: message" as an InvalidArgument status.
core::Status PositionError(std::string_view file_name, int line, int column,
                           const std::string& message);

// The position of the first control character (a byte below 0x20, or 0x7F) in `name`, or npos.
// Names of monitoring points and parameters may not hold one: they are printed, keyed and
// compared, and a tab, newline or separator byte in them would forge or split a record.
size_t FindControlCharacter(std::string_view name);

// "" when `name` holds no control character, else "control character 0xHH at byte N of the
// KIND name" for an error message (`kind`: "point", "parameter", …).
std::string ControlCharacterError(std::string_view kind, std::string_view name);

// Methodology and project parameter files are at most this large (a real one is a few KiB):
// `--params /dev/zero` is an error, not a process that grows without bound.
inline constexpr size_t kKeyedFileBytesMax = 1024 * 1024;

// Reads a whole (small) file of at most `bytes_max` bytes; NotFound or Unavailable with the
// path in the message, InvalidArgument for a larger file (read no further than the limit, so
// a device such as /dev/zero ends too).
core::Result<std::string> ReadSmallFile(const std::string& path, size_t bytes_max);

// The UTF-8 byte order mark some editors (and Excel's "CSV UTF-8") put before the text.
inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

}  // namespace jcm::mrv
