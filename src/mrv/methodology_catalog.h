// MethodologyCatalog: the installed methodology definitions of one directory.
//
// Layout: DIR/<ID>/v<VERSION>.jcmm, e.g. methodologies/MN_AM003/v2.0.jcmm. A reference
// "ID@VERSION" names one file; "ID" alone names the highest version (compared numerically
// component by component: 2.10 > 2.9).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "mrv/methodology.h"

namespace jcm::mrv {

inline constexpr std::string_view kMethodologyFileExtension = ".jcmm";

struct MethodologyEntry {
  std::string id;
  std::string version;
  std::string path;
};

class MethodologyCatalog {
 public:
  // Lists DIR; NotFound if it is not a directory.
  static core::Result<MethodologyCatalog> Open(const std::string& directory);

  // Entries sorted by id, then version (numeric).
  const std::vector<MethodologyEntry>& entries() const { return entries_; }
  const std::string& directory() const { return directory_; }

  // NotFound naming what is installed; InvalidArgument if the definition does not load.
  core::Result<Methodology> Load(std::string_view reference) const;
  core::Result<const MethodologyEntry*> Find(std::string_view reference) const;

 private:
  std::string directory_;
  std::vector<MethodologyEntry> entries_;
};

// Numeric comparison of dotted versions ("2.10" > "2.9"); negative, zero or positive.
int CompareVersions(std::string_view a, std::string_view b);

}  // namespace jcm::mrv
