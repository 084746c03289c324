// The OpenAPI 3.1 document of the API (docs/api/openapi.json), embedded into the binary at build
// time (src/server/CMakeLists.txt, embed_file.cmake) so the served contract is always the one
// the binary was built with.
#pragma once

#include <string_view>

namespace jcm::server {

std::string_view OpenApiDocument();

}  // namespace jcm::server
