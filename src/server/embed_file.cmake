# cmake -DINPUT=FILE -DOUTPUT=FILE.cc -P embed_file.cmake: writes a C++ file defining
# jcm::server::OpenApiDocument() as the bytes of INPUT (a byte array, so any content is safe).
file(READ "${INPUT}" hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(LENGTH "${hex}" hex_length)
math(EXPR length "${hex_length} / 2")
file(WRITE "${OUTPUT}.tmp"
  "// Generated from ${INPUT} by embed_file.cmake; do not edit.\n"
  "#include \"server/openapi_document.h\"\n\n"
  "namespace jcm::server {\nnamespace {\n"
  "constexpr unsigned char kBytes[] = {${bytes}0x00};\n}  // namespace\n\n"
  "std::string_view OpenApiDocument() {\n"
  "  return std::string_view(reinterpret_cast<const char*>(kBytes), ${length});\n}\n\n"
  "}  // namespace jcm::server\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
