// Block algebra: which parts of an account's live blocks a transaction takes, and the child
// blocks that replace them. Pure functions over values.
//
// Rule for a quantity without serials (docs/formats/serials.md): the lowest serials go first —
// blocks in ascending serial order, and within the last block touched, its low end. Lower
// serials were issued earlier, so this is "oldest first", and it is deterministic.
//
// Every touched block is ended; it is replaced by one child per contiguous piece (moved or
// left behind). Children inherit every attribute and record their parent (INV-5), so the
// pieces of a parent always partition its serial range exactly, and each keeps the ITMO IDs
// parallel to its serials (INV-42).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "ledger/types.h"

namespace jcm::ledger {

struct Piece {
  int64_t parent_index = 0;  // index into the `live` span given to the selection
  int64_t serial_first = 0;
  int64_t unit_count = 0;
  bool moves = false;  // true: goes to the destination; false: stays with the source
};

struct Selection {
  std::vector<Piece> pieces;   // in ascending serial order
  int64_t units_selected = 0;  // units that move
  int64_t blocks_touched = 0;
};

// REQUIRES: live is sorted by serial_first, blocks disjoint; quantity > 0.
// Takes min(quantity, units held); the caller compares units_selected with quantity.
Selection SelectByQuantity(std::span<const UnitBlock> live, int64_t quantity);

// Takes the held part of [range.first, range.last]; units_selected < range.count() means some
// named serials are not held.
Selection SelectByRange(std::span<const UnitBlock> live, SerialRange range);

// Children of the touched blocks. `next_id` is advanced for each child.
std::vector<UnitBlock> MakeChildren(std::span<const UnitBlock> live, const Selection& selection,
                                    const std::string& destination, int64_t created_seq,
                                    int64_t* next_id);

}  // namespace jcm::ledger
