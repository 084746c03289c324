// Where jcm finds the data it ships beside its binary: the methodology definitions now, the web
// assets later. docs/install.md describes the layout.
//
// An installed jcm is <prefix>/bin/jcm with its data in <prefix>/share/jcm/<name>/, so the
// binary finds the data relative to its own location (/proc/self/exe), wherever the prefix is
// (/usr, /usr/local, a temporary directory, a .deb extracted anywhere). A build tree mirrors
// that layout: src/app/CMakeLists.txt links <build>/src/share/jcm/<name> to the source tree, so
// <build>/src/app/jcm finds the data the same way, wherever the build directory is.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace jcm::service {

// The directories that may hold the data directory `name` ("methodologies"), in search order:
//   1. <directory of the running executable>/../share/jcm/<name> (installed or build tree);
//   2. $JCM_SOURCE_DIR/<name> (CTest sets it for the tests);
//   3. ./<name>.
// Candidates that cannot be formed (no /proc/self/exe, no variable) are left out.
std::vector<std::string> DataDirectoryCandidates(std::string_view name);

// The methodology directory: `given` (--methodologies DIR) when set, else $JCM_METHODOLOGIES
// when set and not empty, else the first of DataDirectoryCandidates("methodologies") that is a
// directory. NotFound naming every candidate searched otherwise. An explicit directory is
// returned even when it does not exist: opening it reports that.
core::Result<std::string> FindMethodologyDirectory(const std::optional<std::string>& given);

}  // namespace jcm::service
