// What list handlers share (docs/api.md, "Pagination", "Formats"): query parameters read with
// their bounds, keyset pages {"items", "next"} with an opaque cursor, and a page answered in
// the format the call asked for. Header-only helpers of the handler files (api_handlers.cc,
// account_handlers.cc).
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/record.h"
#include "core/status.h"
#include "server/api.h"
#include "server/export.h"

namespace jcm::server {

inline HttpResponse JsonResponse(const boost::json::value& document) {
  HttpResponse response;
  response.body = boost::json::serialize(document);
  return response;
}

// An integer query parameter in [min, max], or `fallback` when absent.
inline core::Result<int64_t> IntParam(const RequestTarget& target, const std::string& name,
                                      int64_t fallback, int64_t min, int64_t max) {
  const auto it = target.query.find(name);
  if (it == target.query.end()) return fallback;
  const std::optional<int64_t> value = core::ParseInt64(it->second);
  if (!value || *value < min || *value > max) {
    return core::InvalidArgument(name + " must be an integer in " + std::to_string(min) + ".." +
                                 std::to_string(max));
  }
  return *value;
}

inline std::optional<std::string> StringParam(const RequestTarget& target,
                                              const std::string& name) {
  const auto it = target.query.find(name);
  if (it == target.query.end()) return std::nullopt;
  return it->second;
}

struct PageRequest {
  int64_t limit = kPageLimitDefault;
  std::optional<std::string> after;  // the last key of the previous page
};

inline core::Result<PageRequest> PageOf(const RequestTarget& target) {
  PageRequest page;
  JCM_ASSIGN_OR_RETURN(page.limit, IntParam(target, "limit", kPageLimitDefault, 1, kPageLimitMax));
  if (const std::optional<std::string> cursor = StringParam(target, "cursor")) {
    JCM_ASSIGN_OR_RETURN(page.after, DecodeCursor(*cursor));
  }
  return page;
}

// Keyset pagination over `rows` in ascending key order: {"items", "next"}, `next` the cursor
// of the last key returned when more rows follow, else null.
template <typename Row, typename KeyOf, typename JsonOf>
boost::json::object Page(const std::vector<Row>& rows, const PageRequest& page, KeyOf key_of,
                         JsonOf json_of) {
  boost::json::array items;
  std::string last_key;
  bool more = false;
  for (const Row& row : rows) {
    const std::string key = key_of(row);
    if (page.after && key <= *page.after) continue;
    if (static_cast<int64_t>(items.size()) == page.limit) {
      more = true;
      break;
    }
    items.push_back(json_of(row));
    last_key = key;
  }
  boost::json::value next =
      more ? boost::json::value(EncodeCursor(last_key)) : boost::json::value(nullptr);
  return {{"items", std::move(items)}, {"next", std::move(next)}};
}

// A page {"items", "next"} in the format the call asked for; CSV and JSON lines name the next
// page in a Link header (export.h).
inline HttpResponse ListResponse(const RouteCall& call, boost::json::object page) {
  if (call.format == ListFormat::kJson) return JsonResponse(page);
  std::optional<std::string> next;
  if (const boost::json::value& cursor = page.at("next"); cursor.is_string()) {
    next = TargetWith(call.target, "cursor", std::string(cursor.get_string()));
  }
  return ExportResponse(call.format, page.at("items").as_array(), next);
}

}  // namespace jcm::server
