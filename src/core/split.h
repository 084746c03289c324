// Splitting a journaled compound field ("MN|1|40|2019") into its parts, the one encoding every
// module uses for a field of several values in a Record (core/record.h). Header-only, pure.
#pragma once

#include <string_view>
#include <vector>

namespace jcm::core {

// The parts of `text` between `separator`s, in order: "a|b" gives {"a", "b"}, "" gives {""},
// "a|" gives {"a", ""}. The views point into `text`.
inline std::vector<std::string_view> SplitFields(std::string_view text, char separator = '|') {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    const size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

}  // namespace jcm::core
