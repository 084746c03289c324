#include "server/json_body.h"

namespace jcm::server {

namespace bj = boost::json;

core::Result<JsonBody> DecodeBody(const std::string& body,
                                  std::initializer_list<std::string_view> fields) {
  JsonBody out;
  if (body.empty()) return out;
  boost::system::error_code ec;
  const bj::value value = bj::parse(body, ec);
  if (ec) return core::InvalidArgument("the body is not JSON: " + ec.message());
  if (!value.is_object()) return core::InvalidArgument("the body must be a JSON object");
  for (const auto& [key, field] : value.as_object()) {
    bool known = false;
    for (std::string_view spec : fields) {
      const bool integer = spec.ends_with('#');
      if (integer) spec.remove_suffix(1);
      if (spec != key) continue;
      known = true;
      if (integer ? !field.is_int64() : !field.is_string()) {
        return core::InvalidArgument("'" + std::string(key) + "' must be " +
                                     (integer ? "an integer" : "a string"));
      }
    }
    if (!known) return core::InvalidArgument("unknown field '" + std::string(key) + "'");
    out[std::string(key)] = field;
  }
  return out;
}

std::string Text(const JsonBody& body, const std::string& name) {
  auto it = body.find(name);
  return it == body.end() ? "" : std::string(it->second.as_string());
}

}  // namespace jcm::server
