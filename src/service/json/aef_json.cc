#include "service/json/aef_json.h"

namespace jcm::service::json {

boost::json::object AefReportJson(const AefReport& report) {
  boost::json::array tables;
  for (const article6::AefTable& table : report.tables) {
    const auto columns = article6::AefColumns(table.id);
    boost::json::array names;
    for (std::string_view column : columns) names.emplace_back(column);
    boost::json::array rows;
    for (const std::vector<std::string>& row : table.rows) {
      boost::json::object cells;
      for (size_t c = 0; c < columns.size() && c < row.size(); ++c) cells[columns[c]] = row[c];
      rows.push_back(std::move(cells));
    }
    tables.push_back({{"name", article6::AefTableName(table.id)},
                      {"columns", std::move(names)},
                      {"rows", std::move(rows)}});
  }
  boost::json::array consistency;
  for (const AefConsistency& c : report.consistency) {
    consistency.push_back(
        {{"check", c.check}, {"subject", c.subject}, {"ok", c.ok}, {"detail", c.detail}});
  }
  boost::json::array notes;
  for (const std::string& note : report.notes) notes.emplace_back(note);
  return {{"party", report.party},
          {"year", report.year},
          {"version", report.version},
          {"year_over", report.year_over},
          {"holdings_frozen", report.holdings_frozen},
          {"as_of_seq", report.as_of_seq},
          {"submitted", report.submitted},
          {"replayed", report.replayed},
          {"tables", std::move(tables)},
          {"consistency", std::move(consistency)},
          {"notes", std::move(notes)}};
}

}  // namespace jcm::service::json
