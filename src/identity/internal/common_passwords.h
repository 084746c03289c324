// The bundled list of common passwords (data/identity/common-passwords.txt): one lower-case
// password a line. Its definition is generated at build time from the data file
// (src/identity/CMakeLists.txt), so the binary needs no file at run time.
#pragma once

#include <string_view>

namespace jcm::identity::internal {

std::string_view CommonPasswordsText();

}  // namespace jcm::identity::internal
