// Tests for types/quicklist: node caps for every fill, plain nodes for large elements,
// split and merge on insertion in the middle, deletion walking both ways, range deletion,
// and a randomized model check against std::deque.
#include "types/quicklist.h"

#include <gtest/gtest.h>

#include <deque>
#include <random>
#include <string>
#include <vector>

namespace basalt {
namespace {

std::vector<std::string> Contents(const Quicklist& ql) {
  std::vector<std::string> out;
  for (Quicklist::Entry e = ql.First(); e.valid(); e = ql.Next(e)) out.push_back(ql.GetString(e));
  return out;
}

std::vector<std::string> ContentsBackwards(const Quicklist& ql) {
  std::vector<std::string> out;
  for (Quicklist::Entry e = ql.Last(); e.valid(); e = ql.Prev(e))
    out.insert(out.begin(), ql.GetString(e));
  return out;
}

TEST(QuicklistTest, NodeLimits) {
  size_t sz;
  size_t count;
  Quicklist::NodeLimit(-1, &sz, &count);
  EXPECT_EQ(sz, 4096u);
  Quicklist::NodeLimit(-2, &sz, &count);
  EXPECT_EQ(sz, 8192u);
  Quicklist::NodeLimit(-5, &sz, &count);
  EXPECT_EQ(sz, 65536u);
  Quicklist::NodeLimit(-9, &sz, &count);  // clamps to the largest level
  EXPECT_EQ(sz, 65536u);
  Quicklist::NodeLimit(0, &sz, &count);
  EXPECT_EQ(count, 1u);
  Quicklist::NodeLimit(128, &sz, &count);
  EXPECT_EQ(count, 128u);
  EXPECT_EQ(sz, SIZE_MAX);

  EXPECT_FALSE(Quicklist::NodeExceedsLimit(-2, 8192, 100000));
  EXPECT_TRUE(Quicklist::NodeExceedsLimit(-2, 8193, 1));
  EXPECT_FALSE(Quicklist::NodeExceedsLimit(5, 100, 5));
  EXPECT_TRUE(Quicklist::NodeExceedsLimit(5, 100, 6));
  EXPECT_TRUE(Quicklist::NodeExceedsLimit(5, 8193, 1));  // the safety limit

  EXPECT_TRUE(Quicklist::IsLargeElement(8193, 5));
  EXPECT_FALSE(Quicklist::IsLargeElement(8192, 5));
  EXPECT_TRUE(Quicklist::IsLargeElement(4097, -1));
  EXPECT_FALSE(Quicklist::IsLargeElement(4096, -1));
}

TEST(QuicklistTest, PushFillsNodesByCount) {
  Quicklist ql(3);
  for (int i = 0; i < 10; ++i) ql.PushTail(std::to_string(i));
  EXPECT_EQ(ql.size(), 10u);
  EXPECT_EQ(ql.NodeCounts(), (std::vector<uint32_t>{3, 3, 3, 1}));
  for (int i = 0; i < 4; ++i) ql.PushHead("h" + std::to_string(i));
  EXPECT_EQ(ql.NodeCounts(), (std::vector<uint32_t>{1, 3, 3, 3, 3, 1}));
  EXPECT_TRUE(ql.Verify());
  EXPECT_EQ(Contents(ql), ContentsBackwards(ql));
  EXPECT_EQ(Contents(ql).front(), "h3");
  EXPECT_EQ(Contents(ql).back(), "9");
}

TEST(QuicklistTest, PushFillsNodesBySize) {
  Quicklist ql(-1);  // 4 KB nodes
  std::string v(100, 'x');
  for (int i = 0; i < 100; ++i) ql.PushTail(v);
  EXPECT_TRUE(ql.Verify());
  EXPECT_GT(ql.node_count(), 1u);
  for (Quicklist::Node* n = ql.head(); n != nullptr; n = n->next) EXPECT_LE(n->sz(), 4096u);
}

TEST(QuicklistTest, LargeElementsGetPlainNodes) {
  Quicklist ql(-1);
  ql.PushTail("a");
  std::string big(5000, 'B');
  ql.PushTail(big);
  ql.PushTail("c");
  ql.PushHead(big);
  EXPECT_EQ(ql.node_count(), 4u);
  EXPECT_TRUE(ql.head()->is_plain);
  EXPECT_TRUE(ql.head()->next->next->is_plain);
  EXPECT_EQ(Contents(ql), (std::vector<std::string>{big, "a", big, "c"}));
  // Inserting next to a plain node never goes into it.
  ql.Insert(ql.At(2), "after-big", /*after=*/true);
  ql.Insert(ql.At(0), "before-big", /*after=*/false);
  EXPECT_EQ(Contents(ql),
            (std::vector<std::string>{"before-big", big, "a", big, "after-big", "c"}));
  EXPECT_TRUE(ql.Verify());
  // A large element inserted in the middle of a packed node splits it.
  Quicklist q2(-1);
  for (int i = 0; i < 6; ++i) q2.PushTail(std::to_string(i));
  q2.Insert(q2.At(2), big, /*after=*/true);
  EXPECT_EQ(q2.NodeCounts(), (std::vector<uint32_t>{3, 1, 3}));
  EXPECT_EQ(Contents(q2), (std::vector<std::string>{"0", "1", "2", big, "3", "4", "5"}));
  EXPECT_TRUE(q2.Verify());
}

TEST(QuicklistTest, ReplaceWithLargeAndBack) {
  Quicklist ql(-1);
  for (int i = 0; i < 6; ++i) ql.PushTail("v" + std::to_string(i));
  std::string big(6000, 'Z');
  ql.Replace(ql.At(2), big);
  EXPECT_EQ(Contents(ql), (std::vector<std::string>{"v0", "v1", big, "v3", "v4", "v5"}));
  EXPECT_TRUE(ql.Verify());
  EXPECT_TRUE(ql.At(2).node->is_plain);
  ql.Replace(ql.At(2), big + "!");
  EXPECT_EQ(ql.GetString(ql.At(2)), big + "!");
  ql.Replace(ql.At(2), "small");
  EXPECT_EQ(Contents(ql), (std::vector<std::string>{"v0", "v1", "small", "v3", "v4", "v5"}));
  EXPECT_TRUE(ql.Verify());
  ql.Replace(ql.At(-1), "last");
  ql.Replace(ql.At(0), "12345");
  EXPECT_EQ(ql.Get(ql.At(0)).is_int, true);
  EXPECT_EQ(ql.GetString(ql.At(0)), "12345");
  EXPECT_EQ(ql.GetString(ql.At(-1)), "last");
}

TEST(QuicklistTest, InsertIntoFullNodeSplitsAndMerges) {
  Quicklist ql(4);
  for (int i = 0; i < 8; ++i) ql.PushTail(std::to_string(i));
  ASSERT_EQ(ql.NodeCounts(), (std::vector<uint32_t>{4, 4}));
  // Middle of a full node: split at the pivot.
  ql.Insert(ql.At(1), "x", /*after=*/true);
  EXPECT_EQ(Contents(ql), (std::vector<std::string>{"0", "1", "x", "2", "3", "4", "5", "6", "7"}));
  EXPECT_EQ(ql.NodeCounts(), (std::vector<uint32_t>{2, 3, 4}));
  EXPECT_TRUE(ql.Verify());
  // Tail of a full node whose neighbour has room: goes to the neighbour's head.
  Quicklist q2(4);
  for (int i = 0; i < 6; ++i) q2.PushTail(std::to_string(i));
  ASSERT_EQ(q2.NodeCounts(), (std::vector<uint32_t>{4, 2}));
  q2.Insert(q2.At(3), "y", /*after=*/true);
  EXPECT_EQ(q2.NodeCounts(), (std::vector<uint32_t>{4, 3}));
  EXPECT_EQ(q2.GetString(q2.At(4)), "y");
  // Head of a full node whose previous node is full too: a new node between.
  Quicklist q3(2);
  for (int i = 0; i < 4; ++i) q3.PushTail(std::to_string(i));
  q3.Insert(q3.At(2), "z", /*after=*/false);
  EXPECT_EQ(q3.NodeCounts(), (std::vector<uint32_t>{2, 1, 2}));
  EXPECT_EQ(Contents(q3), (std::vector<std::string>{"0", "1", "z", "2", "3"}));
  // Merge: small neighbours after a split join up.
  Quicklist q4(6);
  for (int i = 0; i < 12; ++i) q4.PushTail(std::to_string(i));
  ASSERT_EQ(q4.NodeCounts(), (std::vector<uint32_t>{6, 6}));
  // Shrink the second node so that a split piece can merge into it.
  q4.DeleteRange(6, 4);
  ASSERT_EQ(q4.NodeCounts(), (std::vector<uint32_t>{6, 2}));
  q4.Insert(q4.At(3), "m", /*after=*/true);  // [0..3] + [m 4 5] then [m 4 5] + [10 11] merge
  EXPECT_EQ(q4.NodeCounts(), (std::vector<uint32_t>{4, 5}));
  EXPECT_EQ(Contents(q4),
            (std::vector<std::string>{"0", "1", "2", "3", "m", "4", "5", "10", "11"}));
  EXPECT_TRUE(q4.Verify());
}

TEST(QuicklistTest, DeleteWalksBothWays) {
  Quicklist ql(2);
  for (int i = 0; i < 7; ++i) ql.PushTail(i % 2 == 0 ? "x" : std::to_string(i));
  // Remove every "x" going forward.
  for (Quicklist::Entry e = ql.First(); e.valid();) {
    e = ql.GetString(e) == "x" ? ql.Delete(e, true) : ql.Next(e);
  }
  EXPECT_EQ(Contents(ql), (std::vector<std::string>{"1", "3", "5"}));
  EXPECT_TRUE(ql.Verify());
  Quicklist q2(2);
  for (int i = 0; i < 7; ++i) q2.PushTail(i % 3 == 0 ? "x" : std::to_string(i));
  for (Quicklist::Entry e = q2.Last(); e.valid();) {
    e = q2.GetString(e) == "x" ? q2.Delete(e, false) : q2.Prev(e);
  }
  EXPECT_EQ(Contents(q2), (std::vector<std::string>{"1", "2", "4", "5"}));
  EXPECT_TRUE(q2.Verify());
}

TEST(QuicklistTest, DeleteRange) {
  Quicklist ql(3);
  for (int i = 0; i < 10; ++i) ql.PushTail(std::to_string(i));
  ql.DeleteRange(2, 5);
  EXPECT_EQ(Contents(ql), (std::vector<std::string>{"0", "1", "7", "8", "9"}));
  ql.DeleteRange(-2, 10);
  EXPECT_EQ(Contents(ql), (std::vector<std::string>{"0", "1", "7"}));
  ql.DeleteRange(5, 1);  // out of range: nothing
  ql.DeleteRange(0, 100);
  EXPECT_EQ(ql.size(), 0u);
  EXPECT_EQ(ql.node_count(), 0u);
  EXPECT_TRUE(ql.Verify());
}

TEST(QuicklistTest, AtFromBothEnds) {
  Quicklist ql(5);
  for (int i = 0; i < 23; ++i) ql.PushTail(std::to_string(i));
  for (int i = 0; i < 23; ++i) {
    EXPECT_EQ(ql.GetString(ql.At(i)), std::to_string(i));
    EXPECT_EQ(ql.GetString(ql.At(i - 23)), std::to_string(i));
  }
  EXPECT_FALSE(ql.At(23).valid());
  EXPECT_FALSE(ql.At(-24).valid());
}

TEST(QuicklistTest, CloneAndTakeListpack) {
  Quicklist ql(-2);
  for (int i = 0; i < 5; ++i) ql.PushTail(std::string("a\0b", 3) + std::to_string(i));
  ql.PushTail(std::string(9000, 'q'));
  auto copy = ql.Clone();
  auto& c = static_cast<Quicklist&>(*copy);
  EXPECT_EQ(Contents(c), Contents(ql));
  EXPECT_TRUE(c.Verify());
  EXPECT_GT(c.AllocatedBytes(), 9000u);
  Quicklist single(-2);
  single.PushTail("only");
  ASSERT_TRUE(single.IsSinglePackedNode());
  Listpack lp = single.TakeSingleListpack();
  EXPECT_EQ(lp.size(), 1u);
  EXPECT_EQ(single.size(), 0u);
}

TEST(QuicklistTest, RandomOpsAgainstDeque) {
  for (int fill : {1, 2, 7, 32, -1, -2}) {
    std::mt19937 rng(1234 + fill);
    Quicklist ql(fill);
    std::deque<std::string> model;
    auto random_value = [&]() -> std::string {
      switch (rng() % 4) {
        case 0:
          return std::to_string(static_cast<int>(rng() % 2000) - 1000);
        case 1:
          return std::string(rng() % 20, 'a' + static_cast<char>(rng() % 26));
        case 2:
          return std::string(rng() % 300, 'k');
        default:
          return rng() % 50 == 0 ? std::string(5000 + rng() % 5000, 'L') : "v";
      }
    };
    for (int step = 0; step < 4000; ++step) {
      int op = static_cast<int>(rng() % 8);
      if (op == 0) {
        std::string v = random_value();
        ql.PushHead(v);
        model.push_front(v);
      } else if (op == 1) {
        std::string v = random_value();
        ql.PushTail(v);
        model.push_back(v);
      } else if (op == 2 && !model.empty()) {
        size_t i = rng() % model.size();
        std::string v = random_value();
        bool after = rng() % 2;
        ql.Insert(ql.At(static_cast<int64_t>(i)), v, after);
        model.insert(model.begin() + static_cast<long>(i + (after ? 1 : 0)), v);
      } else if (op == 3 && !model.empty()) {
        size_t i = rng() % model.size();
        std::string v = random_value();
        ql.Replace(ql.At(static_cast<int64_t>(i)), v);
        model[i] = v;
      } else if (op == 4 && !model.empty()) {
        size_t i = rng() % model.size();
        ql.Delete(ql.At(static_cast<int64_t>(i)), rng() % 2);
        model.erase(model.begin() + static_cast<long>(i));
      } else if (op == 5 && !model.empty() && rng() % 8 == 0) {
        size_t start = rng() % model.size();
        size_t n = rng() % 10;
        ql.DeleteRange(static_cast<int64_t>(start), static_cast<int64_t>(n));
        size_t end = std::min(model.size(), start + n);
        model.erase(model.begin() + static_cast<long>(start),
                    model.begin() + static_cast<long>(end));
      } else if (op == 6 && !model.empty()) {
        size_t i = rng() % model.size();
        ASSERT_EQ(ql.GetString(ql.At(static_cast<int64_t>(i))), model[i]);
      }
      ASSERT_EQ(ql.size(), model.size());
    }
    ASSERT_TRUE(ql.Verify()) << "fill " << fill;
    std::vector<std::string> expect(model.begin(), model.end());
    ASSERT_EQ(Contents(ql), expect) << "fill " << fill;
    ASSERT_EQ(ContentsBackwards(ql), expect) << "fill " << fill;
    // Caps hold for packed nodes built by pushes and inserts (replace may exceed, as Redis).
  }
}

TEST(QuicklistTest, HundredThousandElements) {
  Quicklist ql(-2);
  for (int i = 0; i < 100000; ++i) ql.PushTail(std::to_string(i));
  EXPECT_EQ(ql.size(), 100000u);
  EXPECT_TRUE(ql.Verify());
  EXPECT_EQ(ql.GetString(ql.At(54321)), "54321");
  EXPECT_EQ(ql.GetString(ql.At(-1)), "99999");
  ql.DeleteRange(10, 99980);
  EXPECT_EQ(ql.size(), 20u);
  EXPECT_EQ(ql.GetString(ql.At(10)), "99990");
  EXPECT_TRUE(ql.Verify());
}

}  // namespace
}  // namespace basalt
