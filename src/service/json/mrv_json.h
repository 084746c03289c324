// JSON codecs of the MRV engine's results (docs/mrv.md, docs/cli.md): methodologies, the
// calculation report, and the reverse: an MrvResult read from a report's JSON. The field names
// are a contract with every client: add fields freely, never rename one.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "mrv/methodology.h"
#include "service/mrv_service.h"

namespace jcm::service::json {

boost::json::array MethodologyListJson(const std::vector<mrv::Methodology>& methodologies);
boost::json::object MethodologyJson(const mrv::Methodology& methodology);
// The calculation report: methodology, eligibility, periods (exact values as decimal strings),
// the conservative total, parameters, data-quality findings, provisional values, inputs.
boost::json::object MrvReportJson(const MrvCalculation& calculation);

// The published bytes of a calculation: its report's JSON and a newline, as
// `jcm mrv calc --json` prints it. Their SHA-256 is the calculation's content address.
std::string MrvReportText(const MrvCalculation& calculation);
// The typed result of a calculation, with the SHA-256 of MrvReportText as its address.
core::Result<MrvResult> MrvResultOfCalculation(const MrvCalculation& calculation);
// The typed result of a published report (the bytes of `jcm mrv calc --json`); InvalidArgument
// when `text` is not one. `source` names it in the message.
core::Result<MrvResult> MrvResultFromJson(std::string_view text, std::string_view source);

}  // namespace jcm::service::json
