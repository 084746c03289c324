// UTC seconds since 1970 of the clock's ISO 8601 text ("2026-12-01T00:30:00Z"), for use cases
// that compare times the clock gave (Internal for anything else: the clock is ours).
#pragma once

#include <cstdint>
#include <string>

#include "core/date.h"
#include "core/record.h"
#include "core/status.h"

namespace jcm::service::internal {

inline core::Result<int64_t> UtcSeconds(const std::string& iso) {
  const auto part = [&](size_t at) { return core::ParseInt64(iso.substr(at, 2)); };
  if (iso.size() < 20) return core::Internal("not a UTC time: '" + iso + "'");
  const auto h = part(11), m = part(14), s = part(17);
  if (!h || !m || !s) return core::Internal("not a UTC time: '" + iso + "'");
  JCM_ASSIGN_OR_RETURN(const core::Date date, core::Date::Parse(iso.substr(0, 10)));
  return date.days_since_epoch() * 86'400 + *h * 3600 + *m * 60 + *s;
}

}  // namespace jcm::service::internal
