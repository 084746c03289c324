// Internal to the PostgreSQL adapter: rows written set-based, many per statement (one array
// parameter per column, `INSERT … SELECT * FROM unnest(…)`), for a write batch's rows and for
// Restore. The `blocks` row is defined here once, from JCM_PG_BLOCK_COLUMNS: its column types
// and the text of each value, in that order, so adding a column changes one place.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "ledger/types.h"
#include "store/postgres/internal/connection.h"

namespace jcm::store::postgres {

// At most this many rows per statement (one statement's parameters stay small).
inline constexpr size_t kRowsPerStatement = 10'000;

// Inserts `rows` rows into `table` (`columns`: "a, b, c"; `types`: their PostgreSQL types, in
// the same order); `cell(row, column)` gives a value as text.
core::Status InsertRows(Connection& db, const std::string& table, const std::string& columns,
                        const std::vector<std::string>& types, size_t rows,
                        const std::function<std::string(size_t, size_t)>& cell);

// The PostgreSQL type of each column of JCM_PG_BLOCK_COLUMNS, in order.
const std::vector<std::string>& BlockColumnTypes();
// A block's values as text, in JCM_PG_BLOCK_COLUMNS order (ended_seq as the block has it).
std::vector<std::string> BlockRowValues(const ledger::UnitBlock& block);
// Inserts `blocks` (their ended_seq as they have it).
core::Status InsertBlocks(Connection& db, const std::vector<ledger::UnitBlock>& blocks);

}  // namespace jcm::store::postgres
