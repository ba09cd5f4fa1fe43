// Tests for types/list: the listpack <-> quicklist conversion boundaries (entry caps, byte
// caps, large elements, the halved shrink threshold), every operation in both encodings,
// MakeList, binary-safe elements, and a randomized model check against std::deque.
#include "types/list.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <random>
#include <string>
#include <vector>

namespace basalt {
namespace {

std::vector<std::string> All(const Value& list) {
  std::vector<std::string> out;
  ForEachListElement(list, [&](const ListpackEntry& e) { out.push_back(e.ToString()); });
  return out;
}

void Push(Value& list, const std::string& s, ListEnd where, const ListConfig& cfg) {
  ListPrepareGrowth(list, s.size(), 1, cfg);
  ListPush(list, s, where);
}

TEST(ListTest, ConvertsByEntryCountBothWays) {
  ListConfig cfg{.max_listpack_size = 4};
  Value list = NewList();
  for (int i = 0; i < 4; ++i) Push(list, std::to_string(i), ListEnd::kTail, cfg);
  EXPECT_EQ(list.encoding(), Encoding::kListpack);
  EXPECT_STREQ(EncodingName(list.encoding()), "listpack");
  Push(list, "4", ListEnd::kTail, cfg);
  EXPECT_EQ(list.encoding(), Encoding::kQuicklist);
  EXPECT_STREQ(EncodingName(list.encoding()), "quicklist");
  EXPECT_EQ(All(list), (std::vector<std::string>{"0", "1", "2", "3", "4"}));
  // Shrinks back only at one node within half the cap (2 entries).
  for (int expect_len : {4, 3}) {
    ListPop(list, ListEnd::kTail);
    ListAfterShrink(list, cfg);
    EXPECT_EQ(ListLength(list), static_cast<size_t>(expect_len));
    EXPECT_EQ(list.encoding(), Encoding::kQuicklist);
  }
  ListPop(list, ListEnd::kHead);
  ListAfterShrink(list, cfg);
  EXPECT_EQ(list.encoding(), Encoding::kListpack);
  EXPECT_EQ(All(list), (std::vector<std::string>{"1", "2"}));
}

TEST(ListTest, ConvertsByBytes) {
  ListConfig cfg{.max_listpack_size = -1};  // 4 KB
  Value list = NewList();
  std::string v(100, 'x');  // 103 bytes per entry
  int pushed = 0;
  while (list.encoding() == Encoding::kListpack) {
    size_t before = list.listpack().bytes_len();
    Push(list, v, ListEnd::kTail, cfg);
    ++pushed;
    if (list.encoding() == Encoding::kListpack) {
      EXPECT_LE(list.listpack().bytes_len(), 4096u);
    } else {
      EXPECT_GT(before + v.size(), 4096u);  // the check that converted it
    }
  }
  EXPECT_EQ(ListLength(list), static_cast<size_t>(pushed));
  // Pop down to one node of at most 2 KB: back to a listpack.
  while (list.encoding() == Encoding::kQuicklist) {
    ListPop(list, ListEnd::kTail);
    ListAfterShrink(list, cfg);
  }
  EXPECT_LE(list.listpack().bytes_len(), 2048u);
  EXPECT_GT(list.listpack().bytes_len() + 103, 2048u);
}

TEST(ListTest, LargeElementConverts) {
  ListConfig cfg{.max_listpack_size = 128};
  Value list = NewList();
  Push(list, "a", ListEnd::kTail, cfg);
  Push(list, std::string(9000, 'B'), ListEnd::kTail, cfg);  // past the 8 KB safety size
  EXPECT_EQ(list.encoding(), Encoding::kQuicklist);
  EXPECT_EQ(ListPop(list, ListEnd::kTail), std::string(9000, 'B'));
  ListAfterShrink(list, cfg);
  EXPECT_EQ(list.encoding(), Encoding::kListpack);
  EXPECT_EQ(All(list), (std::vector<std::string>{"a"}));
}

TEST(ListTest, SetConvertsBothWays) {
  ListConfig cfg{.max_listpack_size = -2};
  Value list = NewList();
  Push(list, "x", ListEnd::kTail, cfg);
  EXPECT_TRUE(ListSet(list, 0, std::string(10000, 'y'), cfg));
  EXPECT_EQ(list.encoding(), Encoding::kQuicklist);
  EXPECT_EQ(*ListIndex(list, 0), std::string(10000, 'y'));
  EXPECT_TRUE(ListSet(list, -1, "small", cfg));
  EXPECT_EQ(list.encoding(), Encoding::kListpack);
  EXPECT_EQ(All(list), (std::vector<std::string>{"small"}));
  EXPECT_FALSE(ListSet(list, 1, "z", cfg));
  EXPECT_FALSE(ListSet(list, -2, "z", cfg));
}

TEST(ListTest, OperationsInBothEncodings) {
  for (int fill : {-2, 2}) {
    ListConfig cfg{.max_listpack_size = fill};
    Value list = NewList();
    for (const char* s : {"a", "b", "c", "b", "d", "b"}) Push(list, s, ListEnd::kTail, cfg);
    EXPECT_EQ(list.encoding(), fill == 2 ? Encoding::kQuicklist : Encoding::kListpack);
    EXPECT_EQ(*ListIndex(list, -1), "b");
    EXPECT_FALSE(ListIndex(list, 6).has_value());
    EXPECT_TRUE(ListInsert(list, true, "c", "C", cfg));
    EXPECT_TRUE(ListInsert(list, false, "a", "A", cfg));
    EXPECT_FALSE(ListInsert(list, false, "zz", "Z", cfg));
    EXPECT_EQ(All(list), (std::vector<std::string>{"A", "a", "b", "c", "C", "b", "d", "b"}));
    EXPECT_EQ(ListRemove(list, -2, "b"), 2u);
    EXPECT_EQ(All(list), (std::vector<std::string>{"A", "a", "b", "c", "C", "d"}));
    EXPECT_EQ(ListRemove(list, 0, "nope"), 0u);
    EXPECT_EQ(ListRemove(list, 1, "A"), 1u);
    ListDeleteRange(list, 0, 1);
    ListDeleteRange(list, -1, 1);
    EXPECT_EQ(All(list), (std::vector<std::string>{"b", "c", "C"}));
    // Backward iteration from an index.
    std::vector<std::string> back;
    for (ListIterator it(list, -1, false); !it.Done(); it.Advance()) {
      back.push_back(it.Get().ToString());
    }
    EXPECT_EQ(back, (std::vector<std::string>{"C", "c", "b"}));
    EXPECT_EQ(ListRemove(list, INT64_MIN, "c"), 1u);
  }
}

TEST(ListTest, IntegersReadBackAsText) {
  ListConfig cfg;
  Value list = NewList();
  for (const char* s : {"12", "-7", "007", "9223372036854775807", "-0", "1e3"}) {
    Push(list, s, ListEnd::kTail, cfg);
  }
  EXPECT_EQ(All(list),
            (std::vector<std::string>{"12", "-7", "007", "9223372036854775807", "-0", "1e3"}));
  EXPECT_EQ(ListRemove(list, 0, "12"), 1u);
}

TEST(ListTest, BinarySafe) {
  for (int fill : {-2, 1}) {
    ListConfig cfg{.max_listpack_size = fill};
    Value list = NewList();
    std::string nul("a\0b", 3);
    std::string crlf("x\r\ny");
    std::string big(70000, '\0');
    Push(list, nul, ListEnd::kTail, cfg);
    Push(list, crlf, ListEnd::kHead, cfg);
    Push(list, big, ListEnd::kTail, cfg);
    Push(list, "", ListEnd::kTail, cfg);
    EXPECT_EQ(All(list), (std::vector<std::string>{crlf, nul, big, ""}));
    EXPECT_EQ(ListRemove(list, 0, nul), 1u);
    EXPECT_EQ(ListPop(list, ListEnd::kTail), "");
    EXPECT_EQ(ListPop(list, ListEnd::kTail), big);
  }
}

TEST(ListTest, MakeListPicksEncoding) {
  ListConfig cfg{.max_listpack_size = 4};
  std::vector<std::string> small = {"a", "b", "c", "d"};
  Value l1 = MakeList(small, cfg);
  EXPECT_EQ(l1.encoding(), Encoding::kListpack);
  EXPECT_EQ(All(l1), small);
  std::vector<std::string> more = {"a", "b", "c", "d", "e"};
  Value l2 = MakeList(more, cfg);
  EXPECT_EQ(l2.encoding(), Encoding::kQuicklist);
  EXPECT_EQ(All(l2), more);
  Value l3 = MakeList({}, cfg);
  EXPECT_EQ(ListLength(l3), 0u);
  EXPECT_EQ(l3.type(), ValueType::kList);
}

TEST(ListTest, CloneKeepsEncoding) {
  ListConfig cfg{.max_listpack_size = 2};
  Value list = NewList();
  for (int i = 0; i < 5; ++i) Push(list, std::to_string(i), ListEnd::kTail, cfg);
  Value copy = list.Clone();
  EXPECT_EQ(copy.encoding(), Encoding::kQuicklist);
  EXPECT_EQ(All(copy), All(list));
  EXPECT_GT(copy.AllocatedBytes(), 0u);
}

TEST(ListTest, HundredThousandElements) {
  ListConfig cfg;
  Value list = NewList();
  for (int i = 0; i < 100000; ++i) Push(list, "e" + std::to_string(i), ListEnd::kTail, cfg);
  EXPECT_EQ(ListLength(list), 100000u);
  EXPECT_EQ(*ListIndex(list, 77777), "e77777");
  size_t n = 0;
  ForEachListElement(list, [&](const ListpackEntry&) { ++n; });
  EXPECT_EQ(n, 100000u);
  ListDeleteRange(list, 1, 99998);
  ListAfterShrink(list, cfg);
  // The two survivors sit in the first and the last node: still a quicklist, as in Redis.
  EXPECT_EQ(list.encoding(), Encoding::kQuicklist);
  EXPECT_EQ(All(list), (std::vector<std::string>{"e0", "e99999"}));
  ListPop(list, ListEnd::kHead);
  ListAfterShrink(list, cfg);
  EXPECT_EQ(list.encoding(), Encoding::kListpack);
}

TEST(ListTest, RandomOpsAgainstDeque) {
  for (int fill : {-2, -1, 1, 3, 16}) {
    ListConfig cfg{.max_listpack_size = fill};
    std::mt19937 rng(99 + fill);
    Value list = NewList();
    std::deque<std::string> model;
    auto value = [&]() -> std::string {
      switch (rng() % 5) {
        case 0:
          return std::to_string(static_cast<int>(rng() % 10));
        case 1:
          return std::string(1 + rng() % 3, 'a' + static_cast<char>(rng() % 3));
        case 2:
          return std::string(rng() % 500, 'p');
        case 3:
          return rng() % 20 == 0 ? std::string(9000, 'G') : "q";
        default:
          return "v";
      }
    };
    for (int step = 0; step < 3000; ++step) {
      switch (rng() % 9) {
        case 0: {
          std::string v = value();
          Push(list, v, ListEnd::kHead, cfg);
          model.push_front(v);
          break;
        }
        case 1: {
          std::string v = value();
          Push(list, v, ListEnd::kTail, cfg);
          model.push_back(v);
          break;
        }
        case 2:
          if (!model.empty()) {
            bool head = rng() % 2;
            std::string got = ListPop(list, head ? ListEnd::kHead : ListEnd::kTail);
            ASSERT_EQ(got, head ? model.front() : model.back());
            if (head) {
              model.pop_front();
            } else {
              model.pop_back();
            }
            if (!model.empty()) ListAfterShrink(list, cfg);
          }
          break;
        case 3: {
          std::string pivot = value();
          std::string v = value();
          bool after = rng() % 2;
          bool ok = ListInsert(list, after, pivot, v, cfg);
          auto it = std::find(model.begin(), model.end(), pivot);
          ASSERT_EQ(ok, it != model.end());
          if (ok) model.insert(after ? it + 1 : it, v);
          break;
        }
        case 4: {
          std::string v = value();
          int64_t count = static_cast<int64_t>(rng() % 5) - 2;
          size_t removed = ListRemove(list, count, v);
          size_t expect = 0;
          if (count >= 0) {
            for (auto it = model.begin(); it != model.end();) {
              if (*it == v && (count == 0 || expect < static_cast<size_t>(count))) {
                it = model.erase(it);
                ++expect;
              } else {
                ++it;
              }
            }
          } else {
            for (size_t i = model.size(); i-- > 0;) {
              if (model[i] == v && expect < static_cast<size_t>(-count)) {
                model.erase(model.begin() + static_cast<long>(i));
                ++expect;
              }
            }
          }
          ASSERT_EQ(removed, expect);
          if (!model.empty()) ListAfterShrink(list, cfg);
          break;
        }
        case 5:
          if (!model.empty()) {
            int64_t i = static_cast<int64_t>(rng() % model.size());
            std::string v = value();
            ASSERT_TRUE(ListSet(list, i, v, cfg));
            model[static_cast<size_t>(i)] = v;
          }
          break;
        case 6:
          if (model.size() > 4 && rng() % 4 == 0) {
            ListDeleteRange(list, 0, 1);
            ListDeleteRange(list, -2, 2);
            model.pop_front();
            model.pop_back();
            model.pop_back();
            ListAfterShrink(list, cfg);
          }
          break;
        default:
          if (!model.empty()) {
            size_t i = rng() % model.size();
            ASSERT_EQ(*ListIndex(list, static_cast<int64_t>(i)), model[i]);
          }
          break;
      }
      ASSERT_EQ(ListLength(list), model.size());
      if (list.encoding() == Encoding::kQuicklist) {
        ASSERT_TRUE(list.object<Quicklist>().Verify());
      }
    }
    std::vector<std::string> expect(model.begin(), model.end());
    ASSERT_EQ(All(list), expect) << "fill " << fill;
  }
}

}  // namespace
}  // namespace basalt
