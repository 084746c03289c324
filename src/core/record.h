// Record: the canonical text form of everything the journal stores.
//
// A Record is an ordered list of (key, value) pairs; keys may repeat (lists are repeated keys).
// Encode() writes one "key=value\n" line per pair, in insertion order, with backslash escapes
// ("\\" for a backslash, "\n" for a newline) in values. Keys are [a-z0-9_.]+. The encoding is
// byte-exact and stable: it is what the journal hashes, so it must never change for a given
// record (docs/formats/journal.md). Domain modules build Records; they never see JSON or SQL.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace jcm::core {

class Record {
 public:
  using Field = std::pair<std::string, std::string>;

  // REQUIRES: key matches [a-z0-9_.]+.
  Record& Add(std::string_view key, std::string_view value);
  Record& AddInt(std::string_view key, int64_t value);

  std::string Encode() const;
  // The line Encode writes for the pair (`key`, `value`), its newline included: a body holds
  // the pair exactly when its encoding starts with this line or holds it after a newline.
  static std::string EncodeField(std::string_view key, std::string_view value);
  // DataLoss when `text` is not a valid encoding (stored data read back is external input).
  static Result<Record> Decode(std::string_view text);

  // First value for key, or nullopt.
  std::optional<std::string_view> Find(std::string_view key) const;
  // All values for key, in order.
  std::vector<std::string_view> FindAll(std::string_view key) const;
  // DataLoss naming the key when missing or (for GetInt) not a decimal integer.
  Result<std::string> Get(std::string_view key) const;
  Result<int64_t> GetInt(std::string_view key) const;

  const std::vector<Field>& fields() const { return fields_; }
  friend bool operator==(const Record&, const Record&) = default;

 private:
  std::vector<Field> fields_;
};

// Parses a whole decimal int64 ("-12", "0"); nullopt on anything else, including overflow.
std::optional<int64_t> ParseInt64(std::string_view text);

}  // namespace jcm::core
