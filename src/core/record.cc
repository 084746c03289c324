#include "core/record.h"

#include <charconv>

namespace jcm::core {
namespace {

bool IsKeyChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
}

bool IsValidKey(std::string_view key) {
  if (key.empty()) return false;
  for (char c : key) {
    if (!IsKeyChar(c)) return false;
  }
  return true;
}

}  // namespace

std::optional<int64_t> ParseInt64(std::string_view text) {
  int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || ptr != end) return std::nullopt;
  return value;
}

Record& Record::Add(std::string_view key, std::string_view value) {
  JCM_CHECK(IsValidKey(key), "record keys are [a-z0-9_.]+");
  fields_.emplace_back(std::string(key), std::string(value));
  return *this;
}

Record& Record::AddInt(std::string_view key, int64_t value) {
  return Add(key, std::to_string(value));
}

namespace {

void AppendField(std::string& out, std::string_view key, std::string_view value) {
  out += key;
  out += '=';
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  out += '\n';
}

}  // namespace

std::string Record::Encode() const {
  std::string out;
  for (const auto& [key, value] : fields_) AppendField(out, key, value);
  return out;
}

std::string Record::EncodeField(std::string_view key, std::string_view value) {
  std::string out;
  AppendField(out, key, value);
  return out;
}

Result<Record> Record::Decode(std::string_view text) {
  Record record;
  size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const size_t newline = text.find('\n');
    if (newline == std::string_view::npos) {
      return DataLoss("record line " + std::to_string(line_number) + " is not terminated");
    }
    const std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline + 1);
    const size_t equals = line.find('=');
    if (equals == std::string_view::npos || !IsValidKey(line.substr(0, equals))) {
      return DataLoss("record line " + std::to_string(line_number) + " has no valid key");
    }
    std::string value;
    const std::string_view escaped = line.substr(equals + 1);
    for (size_t i = 0; i < escaped.size(); ++i) {
      if (escaped[i] != '\\') {
        value += escaped[i];
        continue;
      }
      if (i + 1 == escaped.size() || (escaped[i + 1] != '\\' && escaped[i + 1] != 'n')) {
        return DataLoss("record line " + std::to_string(line_number) + " has a bad escape");
      }
      value += escaped[++i] == 'n' ? '\n' : '\\';
    }
    record.fields_.emplace_back(std::string(line.substr(0, equals)), std::move(value));
  }
  return record;
}

std::optional<std::string_view> Record::Find(std::string_view key) const {
  for (const auto& [k, v] : fields_) {
    if (k == key) return std::string_view(v);
  }
  return std::nullopt;
}

std::vector<std::string_view> Record::FindAll(std::string_view key) const {
  std::vector<std::string_view> values;
  for (const auto& [k, v] : fields_) {
    if (k == key) values.emplace_back(v);
  }
  return values;
}

Result<std::string> Record::Get(std::string_view key) const {
  auto value = Find(key);
  if (!value) return DataLoss("record has no field '" + std::string(key) + "'");
  return std::string(*value);
}

Result<int64_t> Record::GetInt(std::string_view key) const {
  JCM_ASSIGN_OR_RETURN(std::string text, Get(key));
  auto value = ParseInt64(text);
  if (!value) return DataLoss("record field '" + std::string(key) + "' is not an integer");
  return *value;
}

}  // namespace jcm::core
