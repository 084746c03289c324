// One JSON document per line on a stream: how every `jcm … --json` prints.
#pragma once

#include <boost/json.hpp>
#include <ostream>

namespace jcm::cli {

inline void PrintJson(const boost::json::value& value, std::ostream& out) {
  out << boost::json::serialize(value) << "\n";
}

}  // namespace jcm::cli
