// The strict decoding of a small JSON request body shared by the write handlers whose bodies
// are flat objects of strings and integers (four eyes, account and user administration). The
// project-cycle steps have their own decoder (step_json.h), generated from their payloads.
#pragma once

#include <boost/json.hpp>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>

#include "core/status.h"

namespace jcm::server {

using JsonBody = std::map<std::string, boost::json::value>;

// An object whose fields are among `fields` (a name ending in '#' is an integer, any other a
// string), none twice; an empty body is {}. InvalidArgument names the first fault: not JSON, not
// an object, an unknown field, a wrong type.
core::Result<JsonBody> DecodeBody(const std::string& body,
                                  std::initializer_list<std::string_view> fields);

// The string field `name`, or "" when the body has none. REQUIRES: decoded by DecodeBody.
std::string Text(const JsonBody& body, const std::string& name);

}  // namespace jcm::server
