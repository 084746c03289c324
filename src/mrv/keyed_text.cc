#include "mrv/keyed_text.h"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

namespace jcm::mrv {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return text;
}

bool IsKeyChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.';
}

bool IsValidKey(std::string_view key) {
  size_t pos = 0;
  while (pos < key.size() && IsKeyChar(key[pos])) ++pos;
  if (pos == 0) return false;
  if (pos == key.size()) return true;
  if (key[pos] != '[' || key.back() != ']' || pos + 2 >= key.size()) return false;
  for (size_t i = pos + 1; i + 1 < key.size(); ++i) {
    if (!IsKeyChar(key[i]) && key[i] != ',') return false;
  }
  return true;
}

}  // namespace

const KeyedEntry* KeyedSection::Find(std::string_view key) const {
  for (const KeyedEntry& entry : entries) {
    if (entry.key == key) return &entry;
  }
  return nullptr;
}

core::Status PositionError(std::string_view file_name, int line, int column,
                           const std::string& message) {
  return core::InvalidArgument(std::string(file_name) + ":" + std::to_string(line) + ":" +
                               std::to_string(column) + ": " + message);
}

core::Result<std::vector<KeyedSection>> ParseKeyedText(std::string_view text,
                                                       std::string_view file_name) {
  std::vector<KeyedSection> sections;
  int line_number = 0;
  size_t pos = text.starts_with(kUtf8Bom) ? kUtf8Bom.size() : 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view raw = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_number;
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    if (raw.size() > kKeyedLineBytesMax)
      return PositionError(file_name, line_number, 1, "line too long");
    const std::string_view line = Trim(raw);
    if (line.empty() || line.front() == '#') continue;
    const int indent = static_cast<int>(raw.find(line.front())) + 1;
    if (std::isspace(static_cast<unsigned char>(raw.front())) && !sections.empty() &&
        !sections.back().entries.empty() && sections.back().entries.back().line > 0) {
      KeyedEntry& previous = sections.back().entries.back();
      previous.value += " ";
      previous.value += line;
      continue;
    }
    if (line.front() == '[') {
      if (line.back() != ']') return PositionError(file_name, line_number, indent, "expected ']'");
      const std::string_view inside = Trim(line.substr(1, line.size() - 2));
      const size_t space = inside.find(' ');
      KeyedSection section;
      section.kind = std::string(inside.substr(0, space));
      if (space != std::string_view::npos) section.name = std::string(Trim(inside.substr(space)));
      section.line = line_number;
      if (section.kind.empty())
        return PositionError(file_name, line_number, indent, "empty section");
      sections.push_back(std::move(section));
      continue;
    }
    const size_t equals = line.find('=');
    if (equals == std::string_view::npos) {
      return PositionError(file_name, line_number, indent, "expected 'key = value' or '[section]'");
    }
    if (sections.empty()) {
      return PositionError(file_name, line_number, indent, "entry before the first [section]");
    }
    const std::string_view key = Trim(line.substr(0, equals));
    if (!IsValidKey(key)) {
      return PositionError(file_name, line_number, indent, "bad key \"" + std::string(key) + "\"");
    }
    if (sections.back().Find(key) != nullptr) {
      return PositionError(file_name, line_number, indent,
                           "duplicate key \"" + std::string(key) + "\"");
    }
    const std::string_view after = line.substr(equals + 1);
    const std::string_view value = Trim(after);
    size_t lead = after.find_first_not_of(" \t");
    if (lead == std::string_view::npos) lead = 0;
    const int value_column = indent + static_cast<int>(equals + 1 + lead);
    sections.back().entries.push_back(
        KeyedEntry{std::string(key), std::string(value), line_number, value_column});
  }
  return sections;
}

size_t FindControlCharacter(std::string_view name) {
  for (size_t i = 0; i < name.size(); ++i) {
    const auto byte = static_cast<unsigned char>(name[i]);
    if (byte < 0x20 || byte == 0x7F) return i;
  }
  return std::string_view::npos;
}

std::string ControlCharacterError(std::string_view kind, std::string_view name) {
  const size_t at = FindControlCharacter(name);
  if (at == std::string_view::npos) return "";
  static constexpr char kHex[] = "0123456789ABCDEF";
  const auto byte = static_cast<unsigned char>(name[at]);
  std::string message = "control character 0x";
  message += kHex[byte >> 4];
  message += kHex[byte & 0xF];
  message += " at byte " + std::to_string(at + 1) + " of the " + std::string(kind) +
             " name (control characters are not allowed in names)";
  return message;
}

core::Result<std::string> ReadSmallFile(const std::string& path, size_t bytes_max) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return core::NotFound(path + ": cannot open: " + std::strerror(errno));
  }
  std::string text;
  std::vector<char> buffer(64 * 1024);
  while (in && text.size() <= bytes_max) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    text.append(buffer.data(), static_cast<size_t>(in.gcount()));
  }
  if (in.bad()) return core::Unavailable(path + ": read error");
  if (text.size() > bytes_max) {
    return core::InvalidArgument(path + ": larger than " + std::to_string(bytes_max) +
                                 " bytes, the limit for this kind of file");
  }
  return text;
}

}  // namespace jcm::mrv
