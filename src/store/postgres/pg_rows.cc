#include "store/postgres/internal/pg_rows.h"

#include <algorithm>

#include "store/postgres/internal/pg_reader.h"

namespace jcm::store::postgres {
namespace {

std::string Num(int64_t value) { return std::to_string(value); }

}  // namespace

core::Status InsertRows(Connection& db, const std::string& table, const std::string& columns,
                        const std::vector<std::string>& types, size_t rows,
                        const std::function<std::string(size_t, size_t)>& cell) {
  std::string select;
  for (size_t c = 0; c < types.size(); ++c) {
    select += (c ? ", " : "") + ("$" + std::to_string(c + 1) + "::" + types[c] + "[]");
  }
  const std::string sql =
      "INSERT INTO " + table + " (" + columns + ") SELECT * FROM unnest(" + select + ")";
  for (size_t first = 0; first < rows; first += kRowsPerStatement) {
    const size_t last = std::min(rows, first + kRowsPerStatement);
    std::vector<Param> params;
    for (size_t c = 0; c < types.size(); ++c) {
      std::vector<std::string> values;
      for (size_t r = first; r < last; ++r) values.push_back(cell(r, c));
      params.push_back(P(ArrayLiteral(values)));
    }
    JCM_RETURN_IF_ERROR(db.Exec(sql, params).status());
  }
  return core::OkStatus();
}

const std::vector<std::string>& BlockColumnTypes() {
  static const std::vector<std::string> types = {
      "bigint", "text",   "bigint", "bigint", "text", "text", "text", "bigint", "text", "bigint",
      "bigint", "bigint", "bigint", "bigint", "text", "text", "text", "bigint", "text", "bigint"};
  return types;
}

std::vector<std::string> BlockRowValues(const ledger::UnitBlock& b) {
  return {Num(b.id),
          b.registry.str(),
          Num(b.serial_first),
          Num(b.unit_count),
          b.account,
          b.project,
          b.monitoring_period.ToString(),
          Num(b.issuance_number),
          std::string(ledger::AuthorizationName(b.authorization)),
          Num(b.first_transferred ? 1 : 0),
          Num(b.parent_id),
          Num(b.created_seq),
          Num(b.ended_seq),
          Num(b.imported ? 1 : 0),
          b.article6_authorisation,
          b.cooperative_approach,
          b.itmo_registry,
          Num(b.itmo_first),
          b.first_transferring_party,
          Num(b.vintage)};
}

core::Status InsertBlocks(Connection& db, const std::vector<ledger::UnitBlock>& blocks) {
  std::vector<std::vector<std::string>> rows;
  rows.reserve(blocks.size());
  for (const ledger::UnitBlock& b : blocks) rows.push_back(BlockRowValues(b));
  return InsertRows(db, "blocks", JCM_PG_BLOCK_COLUMNS, BlockColumnTypes(), rows.size(),
                    [&](size_t r, size_t c) { return rows[r][c]; });
}

}  // namespace jcm::store::postgres
