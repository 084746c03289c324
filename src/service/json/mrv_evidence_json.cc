#include "service/json/mrv_evidence_json.h"

namespace jcm::service::json {

namespace bj = boost::json;

bj::object MrvRecomputationJson(const MrvRecomputation& r) {
  bj::array files;
  for (const MrvEvidenceFile& f : r.files) {
    files.push_back({{"role", f.role}, {"name", f.name}, {"sha256", f.sha256}, {"bytes", f.bytes}});
  }
  bj::object o{{"report", r.report_seq},
               {"project", r.project},
               {"period", r.period.ToString()},
               {"methodology", r.methodology},
               {"identical", r.identical()},
               {"reported_tco2e", r.reported_tco2e},
               {"recomputed_tco2e", r.recomputed_tco2e},
               {"recorded_sha256", r.recorded_sha256},
               {"recomputed_sha256", r.recomputed_sha256},
               {"files", std::move(files)}};
  if (r.difference) {
    bj::object d{{"check", r.difference->check},
                 {"name", r.difference->name},
                 {"message", r.difference->message}};
    if (r.difference_offset >= 0) {
      d["offset"] = r.difference_offset;
      d["line"] = r.difference_line;
      d["column"] = r.difference_column;
    }
    o["difference"] = std::move(d);
  }
  return o;
}

}  // namespace jcm::service::json
