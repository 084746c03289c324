#include "mrv/methodology_catalog.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace jcm::mrv {

int CompareVersions(std::string_view a, std::string_view b) {
  size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    uint64_t x = 0, y = 0;
    while (i < a.size() && a[i] != '.') x = x * 10 + static_cast<uint64_t>(a[i++] - '0');
    while (j < b.size() && b[j] != '.') y = y * 10 + static_cast<uint64_t>(b[j++] - '0');
    if (x != y) return x < y ? -1 : 1;
    ++i;
    ++j;
  }
  return 0;
}

core::Result<MethodologyCatalog> MethodologyCatalog::Open(const std::string& directory) {
  namespace fs = std::filesystem;
  std::error_code error;
  if (!fs::is_directory(directory, error)) {
    return core::NotFound("methodology directory " + directory + " does not exist");
  }
  MethodologyCatalog catalog;
  catalog.directory_ = directory;
  for (const fs::directory_entry& id_dir : fs::directory_iterator(directory, error)) {
    if (!id_dir.is_directory()) continue;
    for (const fs::directory_entry& file : fs::directory_iterator(id_dir.path(), error)) {
      const std::string name = file.path().filename().string();
      if (name.size() < 2 + kMethodologyFileExtension.size() || name[0] != 'v' ||
          !name.ends_with(kMethodologyFileExtension)) {
        continue;
      }
      const std::string version =
          name.substr(1, name.size() - 1 - kMethodologyFileExtension.size());
      if (version.find_first_not_of("0123456789.") != std::string::npos) continue;
      catalog.entries_.push_back(
          {id_dir.path().filename().string(), version, file.path().string()});
    }
  }
  if (error) return core::Unavailable("cannot list " + directory + ": " + error.message());
  std::sort(catalog.entries_.begin(), catalog.entries_.end(),
            [](const MethodologyEntry& a, const MethodologyEntry& b) {
              if (a.id != b.id) return a.id < b.id;
              return CompareVersions(a.version, b.version) < 0;
            });
  return catalog;
}

core::Result<const MethodologyEntry*> MethodologyCatalog::Find(std::string_view reference) const {
  const size_t at = reference.find('@');
  const std::string_view id = reference.substr(0, at);
  std::string_view version = at == std::string_view::npos ? "" : reference.substr(at + 1);
  if (version.starts_with("v")) version.remove_prefix(1);
  const MethodologyEntry* found = nullptr;
  std::string installed;
  for (const MethodologyEntry& entry : entries_) {
    if (!installed.empty()) installed += ", ";
    installed.append(entry.id).append("@").append(entry.version);
    if (entry.id != id) continue;
    if (version.empty() || CompareVersions(entry.version, version) == 0) found = &entry;
  }
  if (found == nullptr) {
    return core::NotFound("methodology " + std::string(reference) + " is not installed in " +
                          directory_ + " (installed: " + (installed.empty() ? "none" : installed) +
                          ")");
  }
  return found;
}

core::Result<Methodology> MethodologyCatalog::Load(std::string_view reference) const {
  JCM_ASSIGN_OR_RETURN(const MethodologyEntry* entry, Find(reference));
  JCM_ASSIGN_OR_RETURN(Methodology methodology, LoadMethodologyFile(entry->path));
  if (methodology.id != entry->id || CompareVersions(methodology.version, entry->version) != 0) {
    return core::InvalidArgument(entry->path + ": declares " + methodology.ref() +
                                 " but its path says " + entry->id + "@" + entry->version);
  }
  return methodology;
}

}  // namespace jcm::mrv
