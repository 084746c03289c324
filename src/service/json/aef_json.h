// JSON codec of the AEF report (docs/cli.md, "Article 6"; docs/article6.md, "The AEF").
#pragma once

#include <boost/json.hpp>

#include "service/aef.h"

namespace jcm::service::json {

// {"party", "year", "version", "year_over", "holdings_frozen", "as_of_seq", "submitted",
//  "replayed", "tables": [{"name", "columns": [...], "rows": [{column: text}]}],
//  "consistency": [{"check", "subject", "ok", "detail"}], "notes": [text]}
boost::json::object AefReportJson(const AefReport& report);

}  // namespace jcm::service::json
