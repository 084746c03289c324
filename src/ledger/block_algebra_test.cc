#include "ledger/block_algebra.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

namespace jcm::ledger {
namespace {

UnitBlock Block(int64_t id, int64_t first, int64_t count) {
  UnitBlock b;
  b.id = id;
  b.registry = core::RegistryCode::FromTrusted("MN");
  b.serial_first = first;
  b.unit_count = count;
  b.account = "A";
  b.project = "MN003";
  b.monitoring_period = *core::Period::Parse("2017-08-26..2018-05-31");
  b.issuance_number = 1;
  b.authorization = Authorization::kNdc;
  return b;
}

TEST(BlockAlgebraTest, SplitAtLastUnitLeavesNoRemainder) {
  std::vector<UnitBlock> live = {Block(1, 1, 10)};
  Selection s = SelectByQuantity(live, 10);
  ASSERT_EQ(s.pieces.size(), 1u);
  EXPECT_TRUE(s.pieces[0].moves);
  EXPECT_EQ(s.units_selected, 10);
}

TEST(BlockAlgebraTest, RangeInsideABlockMakesThreeChildrenThatPartitionIt) {
  std::vector<UnitBlock> live = {Block(1, 1, 100)};
  Selection s = SelectByRange(live, {41, 50});
  int64_t next_id = 2;
  auto children = MakeChildren(live, s, "B", 9, &next_id);
  ASSERT_EQ(children.size(), 3u);
  EXPECT_EQ(children[0].serial_first, 1);
  EXPECT_EQ(children[0].account, "A");
  EXPECT_EQ(children[1].serial_first, 41);
  EXPECT_EQ(children[1].account, "B");
  EXPECT_EQ(children[2].serial_first, 51);
  EXPECT_EQ(children[2].unit_count, 50);
  for (const auto& c : children) {
    EXPECT_EQ(c.parent_id, 1);
    EXPECT_TRUE(c.SameAttributes(live[0]));
  }
}

// Property: for any blocks and any quantity, the children of the touched blocks partition them
// exactly (merging the pieces back gives the parents), and the moved units equal the quantity
// or everything held.
TEST(BlockAlgebraTest, ChildrenAlwaysPartitionTheirParents) {
  std::mt19937_64 random(42);
  for (int round = 0; round < 2000; ++round) {
    std::vector<UnitBlock> live;
    int64_t serial = 1 + static_cast<int64_t>(random() % 5);
    int64_t held = 0;
    for (int64_t i = 0, n = 1 + static_cast<int64_t>(random() % 6); i < n; ++i) {
      const int64_t count = 1 + static_cast<int64_t>(random() % 20);
      live.push_back(Block(i + 1, serial, count));
      serial += count + static_cast<int64_t>(random() % 3);  // gaps between blocks
      held += count;
    }
    const bool by_range = random() % 2;
    const int64_t a = 1 + static_cast<int64_t>(random() % static_cast<uint64_t>(serial));
    const int64_t b = a + static_cast<int64_t>(random() % 30);
    const int64_t quantity = 1 + static_cast<int64_t>(random() % static_cast<uint64_t>(held + 5));
    Selection s = by_range ? SelectByRange(live, {a, b}) : SelectByQuantity(live, quantity);
    int64_t next_id = 100;
    auto children = MakeChildren(live, s, "B", 7, &next_id);
    std::map<int64_t, int64_t> covered;  // parent id → units covered, in order
    std::map<int64_t, int64_t> cursor;
    int64_t moved = 0;
    for (const auto& c : children) {
      const UnitBlock& parent = live[static_cast<size_t>(c.parent_id - 1)];
      if (!cursor.count(c.parent_id)) cursor[c.parent_id] = parent.serial_first;
      ASSERT_EQ(c.serial_first, cursor[c.parent_id]) << "pieces are contiguous, in order";
      cursor[c.parent_id] += c.unit_count;
      covered[c.parent_id] += c.unit_count;
      if (c.account == "B") moved += c.unit_count;
    }
    for (const auto& [parent_id, units] : covered) {
      EXPECT_EQ(units, live[static_cast<size_t>(parent_id - 1)].unit_count);
    }
    EXPECT_EQ(moved, s.units_selected);
    if (!by_range) {
      EXPECT_EQ(moved, std::min(quantity, held));
    }
  }
}

}  // namespace
}  // namespace jcm::ledger
