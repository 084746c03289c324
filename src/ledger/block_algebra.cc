#include "ledger/block_algebra.h"

#include <algorithm>

#include "core/check.h"

namespace jcm::ledger {
namespace {

// Splits block `index` into up to three pieces around the moving part [take_first, take_last].
void AddPieces(const UnitBlock& block, int64_t index, int64_t take_first, int64_t take_last,
               Selection* selection) {
  if (take_first > block.serial_first) {
    selection->pieces.push_back(
        {index, block.serial_first, take_first - block.serial_first, false});
  }
  selection->pieces.push_back({index, take_first, take_last - take_first + 1, true});
  if (take_last < block.serial_last()) {
    selection->pieces.push_back({index, take_last + 1, block.serial_last() - take_last, false});
  }
  selection->units_selected += take_last - take_first + 1;
  selection->blocks_touched += 1;
}

}  // namespace

Selection SelectByQuantity(std::span<const UnitBlock> live, int64_t quantity) {
  Selection selection;
  for (size_t i = 0; i < live.size() && selection.units_selected < quantity; ++i) {
    const UnitBlock& block = live[i];
    const int64_t take = std::min(block.unit_count, quantity - selection.units_selected);
    AddPieces(block, static_cast<int64_t>(i), block.serial_first, block.serial_first + take - 1,
              &selection);
  }
  return selection;
}

Selection SelectByRange(std::span<const UnitBlock> live, SerialRange range) {
  Selection selection;
  for (size_t i = 0; i < live.size(); ++i) {
    const UnitBlock& block = live[i];
    const int64_t first = std::max(block.serial_first, range.first);
    const int64_t last = std::min(block.serial_last(), range.last);
    if (first <= last) AddPieces(block, static_cast<int64_t>(i), first, last, &selection);
  }
  return selection;
}

std::vector<UnitBlock> MakeChildren(std::span<const UnitBlock> live, const Selection& selection,
                                    const std::string& destination, int64_t created_seq,
                                    int64_t* next_id) {
  std::vector<UnitBlock> children;
  children.reserve(selection.pieces.size());
  for (const Piece& piece : selection.pieces) {
    const UnitBlock& parent = live[static_cast<size_t>(piece.parent_index)];
    UnitBlock child = parent;  // inherits every attribute (INV-5)
    child.id = (*next_id)++;
    child.serial_first = piece.serial_first;
    child.unit_count = piece.unit_count;
    // The ITMO IDs of its serials: the sub-range parallel to them (INV-42).
    if (parent.itmo_first != 0) {
      child.itmo_first = parent.itmo_first + (piece.serial_first - parent.serial_first);
    }
    child.account = piece.moves ? destination : parent.account;
    child.parent_id = parent.id;
    child.created_seq = created_seq;
    child.ended_seq = 0;
    // One condition per check, so a failure says which (TIGER_STYLE: split compound asserts).
    JCM_CHECK(child.unit_count > 0, "INV-5: a child holds at least one unit");
    JCM_CHECK(child.serial_first >= parent.serial_first, "INV-5: a child starts inside its parent");
    JCM_CHECK(child.serial_last() <= parent.serial_last(), "INV-5: a child ends inside its parent");
    children.push_back(std::move(child));
  }
  return children;
}

}  // namespace jcm::ledger
