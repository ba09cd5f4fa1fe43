// Tests for types/set and types/string_set: each encoding, the Redis 7.2 conversion rules at
// their exact boundaries, binary-safe members, a 100k-member set, and randomized operation
// sequences checked against std::set.
#include "types/set.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "types/string_set.h"

namespace basalt {
namespace {

std::set<std::string> Members(const Value& v) {
  std::set<std::string> out;
  ForEachSetMember(v, [&out](std::string_view m) { EXPECT_TRUE(out.emplace(m).second) << m; });
  return out;
}

Value Make(std::initializer_list<std::string_view> members, const SetLimits& limits = {}) {
  std::vector<std::string_view> v(members);
  return SetFromMembers(std::span<const std::string_view>(v), limits);
}

TEST(SetTest, NewSetPicksEncodingFromFirstMemberAndHint) {
  SetLimits l;
  EXPECT_EQ(NewSet("1", 1, l).encoding(), Encoding::kIntset);
  EXPECT_EQ(NewSet("1", 512, l).encoding(), Encoding::kIntset);
  EXPECT_EQ(NewSet("1", 513, l).encoding(), Encoding::kHashtable);
  EXPECT_EQ(NewSet("a", 128, l).encoding(), Encoding::kListpack);
  EXPECT_EQ(NewSet("a", 129, l).encoding(), Encoding::kHashtable);
  EXPECT_EQ(NewSet("01", 1, l).encoding(), Encoding::kListpack);  // not canonical
  EXPECT_EQ(NewSet("1", 200, l).type(), ValueType::kSet);
}

TEST(SetTest, IntsetBasics) {
  Value s = Make({"3", "1", "2", "1"});
  EXPECT_EQ(s.encoding(), Encoding::kIntset);
  EXPECT_EQ(SetSize(s), 3u);
  EXPECT_TRUE(SetContains(s, "2"));
  EXPECT_FALSE(SetContains(s, "4"));
  EXPECT_FALSE(SetContains(s, "02"));
  EXPECT_FALSE(SetContains(s, "a"));
  EXPECT_FALSE(SetRemove(s, "a"));
  EXPECT_TRUE(SetRemove(s, "2"));
  EXPECT_FALSE(SetRemove(s, "2"));
  EXPECT_EQ(Members(s), (std::set<std::string>{"1", "3"}));
  // Ascending iteration.
  std::vector<std::string> order;
  Value t = Make({"10", "-5", "7"});
  ForEachSetMember(t, [&order](std::string_view m) { order.emplace_back(m); });
  EXPECT_EQ(order, (std::vector<std::string>{"-5", "7", "10"}));
}

TEST(SetTest, IntsetToHashtablePastIntsetLimit) {
  SetLimits l;
  l.max_intset_entries = 4;
  Value s = NewSet("1", 1, l);
  for (int i = 0; i < 4; ++i) SetAdd(s, std::to_string(i), l);
  EXPECT_EQ(s.encoding(), Encoding::kIntset);
  EXPECT_FALSE(SetAdd(s, "3", l));  // duplicate: no conversion
  EXPECT_EQ(s.encoding(), Encoding::kIntset);
  EXPECT_TRUE(SetAdd(s, "4", l));
  EXPECT_EQ(s.encoding(), Encoding::kHashtable);
  EXPECT_EQ(Members(s), (std::set<std::string>{"0", "1", "2", "3", "4"}));
}

TEST(SetTest, IntsetToListpackOnString) {
  SetLimits l;
  Value s = Make({"1", "2", "3"});
  EXPECT_TRUE(SetAdd(s, "a", l));
  EXPECT_EQ(s.encoding(), Encoding::kListpack);
  EXPECT_EQ(Members(s), (std::set<std::string>{"1", "2", "3", "a"}));
  EXPECT_TRUE(SetContains(s, "2"));
  EXPECT_TRUE(SetContains(s, "a"));
}

TEST(SetTest, IntsetToHashtableWhenListpackWouldNotFit) {
  SetLimits l;
  // 128 integers: a listpack may not hold 129 members.
  Value big = NewSet("0", 1, l);
  for (int i = 0; i < 128; ++i) SetAdd(big, std::to_string(i), l);
  EXPECT_TRUE(SetAdd(big, "a", l));
  EXPECT_EQ(big.encoding(), Encoding::kHashtable);
  // 127 integers: the string fits.
  Value fits = NewSet("0", 1, l);
  for (int i = 0; i < 127; ++i) SetAdd(fits, std::to_string(i), l);
  EXPECT_TRUE(SetAdd(fits, "a", l));
  EXPECT_EQ(fits.encoding(), Encoding::kListpack);
  // A string longer than set-max-listpack-value.
  Value s = Make({"1"});
  EXPECT_TRUE(SetAdd(s, std::string(65, 'x'), l));
  EXPECT_EQ(s.encoding(), Encoding::kHashtable);
  // An integer longer (in decimal) than set-max-listpack-value.
  SetLimits tiny;
  tiny.max_listpack_value = 3;
  Value wide = Make({"1000"}, tiny);
  EXPECT_EQ(wide.encoding(), Encoding::kIntset);
  EXPECT_TRUE(SetAdd(wide, "ab", tiny));
  EXPECT_EQ(wide.encoding(), Encoding::kHashtable);
  Value narrow = Make({"-10"}, tiny);
  EXPECT_TRUE(SetAdd(narrow, "ab", tiny));
  EXPECT_EQ(narrow.encoding(), Encoding::kListpack);
}

TEST(SetTest, ListpackLimits) {
  SetLimits l;
  Value s = NewSet("a", 1, l);
  for (int i = 0; i < 128; ++i) EXPECT_TRUE(SetAdd(s, "m" + std::to_string(i), l));
  EXPECT_EQ(s.encoding(), Encoding::kListpack);
  EXPECT_FALSE(SetAdd(s, "m5", l));
  EXPECT_TRUE(SetAdd(s, "x", l));
  EXPECT_EQ(s.encoding(), Encoding::kHashtable);
  EXPECT_EQ(SetSize(s), 129u);

  Value v = NewSet("a", 1, l);
  EXPECT_TRUE(SetAdd(v, std::string(64, 'x'), l));
  EXPECT_EQ(v.encoding(), Encoding::kListpack);
  EXPECT_TRUE(SetAdd(v, std::string(65, 'x'), l));
  EXPECT_EQ(v.encoding(), Encoding::kHashtable);
  EXPECT_TRUE(SetContains(v, std::string(64, 'x')));
}

TEST(SetTest, ListpackIntegersAndStringsCompareAsRedis) {
  SetLimits l;
  Value s = Make({"a", "12", "-3"});
  EXPECT_EQ(s.encoding(), Encoding::kListpack);
  EXPECT_TRUE(SetContains(s, "12"));
  EXPECT_FALSE(SetContains(s, "012"));
  EXPECT_FALSE(SetAdd(s, "12", l));
  EXPECT_TRUE(SetAdd(s, "012", l));
  EXPECT_TRUE(SetRemove(s, "-3"));
  EXPECT_EQ(Members(s), (std::set<std::string>{"a", "12", "012"}));
}

TEST(SetTest, MaybeConvertUsesTheHint) {
  SetLimits l;
  Value lp = Make({"a"});
  SetMaybeConvert(lp, 128, l);
  EXPECT_EQ(lp.encoding(), Encoding::kListpack);
  SetMaybeConvert(lp, 129, l);
  EXPECT_EQ(lp.encoding(), Encoding::kHashtable);
  Value is = Make({"1"});
  SetMaybeConvert(is, 512, l);
  EXPECT_EQ(is.encoding(), Encoding::kIntset);
  SetMaybeConvert(is, 513, l);
  EXPECT_EQ(is.encoding(), Encoding::kHashtable);
  EXPECT_EQ(Members(is), (std::set<std::string>{"1"}));
}

TEST(SetTest, ConvertToIntsetAndExplicitConversions) {
  SetLimits l;
  Value s = NewHashtableSet();
  for (int i = 0; i < 10; ++i) SetAdd(s, std::to_string(i * 7), l);
  SetMaybeConvertToIntset(s, l);
  EXPECT_EQ(s.encoding(), Encoding::kIntset);
  EXPECT_EQ(SetSize(s), 10u);
  SetLimits small;
  small.max_intset_entries = 5;
  Value t = NewHashtableSet();
  for (int i = 0; i < 10; ++i) SetAdd(t, std::to_string(i), small);
  SetMaybeConvertToIntset(t, small);
  EXPECT_EQ(t.encoding(), Encoding::kHashtable);
  for (Encoding e : {Encoding::kListpack, Encoding::kHashtable, Encoding::kIntset}) {
    SetConvert(t, e);
    EXPECT_EQ(t.encoding(), e);
    EXPECT_EQ(SetSize(t), 10u);
    EXPECT_TRUE(SetContains(t, "9"));
  }
}

TEST(SetTest, BinarySafeMembers) {
  SetLimits l;
  const std::vector<std::string> weird = {
      std::string("\0", 1), std::string("a\0b", 3), "", "\xff\xfe", " 1", "-0", "+1", "1.5"};
  for (Encoding enc : {Encoding::kListpack, Encoding::kHashtable}) {
    Value s = enc == Encoding::kListpack ? NewListpackSet() : NewHashtableSet();
    for (const std::string& w : weird) EXPECT_TRUE(SetAdd(s, w, l));
    EXPECT_EQ(s.encoding(), enc);
    for (const std::string& w : weird) {
      EXPECT_TRUE(SetContains(s, w));
      EXPECT_FALSE(SetAdd(s, w, l));
    }
    EXPECT_EQ(Members(s), std::set<std::string>(weird.begin(), weird.end()));
    for (const std::string& w : weird) EXPECT_TRUE(SetRemove(s, w));
    EXPECT_EQ(SetSize(s), 0u);
  }
}

TEST(SetTest, HundredThousandMembers) {
  SetLimits l;
  Value s = NewSet("m0", 1, l);
  for (int i = 0; i < 100000; ++i) ASSERT_TRUE(SetAdd(s, "member:" + std::to_string(i), l));
  EXPECT_EQ(s.encoding(), Encoding::kHashtable);
  EXPECT_EQ(SetSize(s), 100000u);
  for (int i = 0; i < 100000; i += 997) EXPECT_TRUE(SetContains(s, "member:" + std::to_string(i)));
  EXPECT_FALSE(SetContains(s, "member:100000"));
  EXPECT_EQ(Members(s).size(), 100000u);
  Value copy = s.Clone();
  EXPECT_EQ(SetSize(copy), 100000u);
  EXPECT_GT(s.AllocatedBytes(), 100000u * 16);
  // A full SSCAN-style walk sees everything.
  std::set<std::string> scanned;
  const StringSet& table = s.object<StringSet>();
  uint64_t cursor = 0;
  do {
    cursor = table.Scan(cursor, [&scanned](std::string_view m) { scanned.emplace(m); });
  } while (cursor != 0);
  EXPECT_EQ(scanned.size(), 100000u);
  for (int i = 0; i < 100000; ++i) ASSERT_TRUE(SetRemove(s, "member:" + std::to_string(i)));
  EXPECT_EQ(SetSize(s), 0u);
  EXPECT_EQ(SetSize(copy), 100000u);
}

TEST(SetTest, RandomMembersAndPops) {
  SetLimits l;
  FastRng rng(42);
  for (int kind = 0; kind < 3; ++kind) {
    Value s = kind == 0 ? NewIntsetSet() : kind == 1 ? NewListpackSet() : NewHashtableSet();
    std::set<std::string> model;
    for (int i = 0; i < 100; ++i) {
      std::string m = kind == 0 ? std::to_string(i) : "m" + std::to_string(i);
      SetAdd(s, m, l);
      model.insert(m);
    }
    for (int i = 0; i < 50; ++i) EXPECT_TRUE(model.count(SetRandomMember(s, rng)));
    for (size_t count : {1u, 10u, 40u, 99u}) {
      std::vector<std::string> picks = SetRandomDistinctMembers(s, count, rng);
      EXPECT_EQ(picks.size(), count);
      EXPECT_EQ(std::set<std::string>(picks.begin(), picks.end()).size(), count);
      for (const std::string& p : picks) EXPECT_TRUE(model.count(p));
    }
    std::string one = SetPopRandom(s, rng);
    EXPECT_EQ(model.erase(one), 1u);
    for (size_t count : {3u, 80u}) {  // one-by-one, then keep-a-remainder
      std::vector<std::string> popped = SetPopRandomMembers(s, count, rng, l);
      EXPECT_EQ(popped.size(), count);
      for (const std::string& p : popped) EXPECT_EQ(model.erase(p), 1u) << p;
      EXPECT_EQ(Members(s), model);
    }
  }
}

TEST(SetTest, PopRemainderKeepsSmallEncoding) {
  SetLimits l;
  FastRng rng(1);
  Value s = NewHashtableSet();
  for (int i = 0; i < 1000; ++i) SetAdd(s, "m" + std::to_string(i), l);
  s.set_lru(12345);
  SetPopRandomMembers(s, 990, rng, l);
  EXPECT_EQ(SetSize(s), 10u);
  EXPECT_EQ(s.encoding(), Encoding::kListpack);
  EXPECT_EQ(s.lru(), 12345u);
  Value ints = NewSet("1", 1, l);
  for (int i = 0; i < 500; ++i) SetAdd(ints, std::to_string(i), l);
  SetPopRandomMembers(ints, 490, rng, l);
  EXPECT_EQ(ints.encoding(), Encoding::kIntset);
  EXPECT_EQ(SetSize(ints), 10u);
}

TEST(SetTest, ForEachStopsEarly) {
  std::vector<Value> sets;
  sets.push_back(Make({"1", "2", "3"}));
  sets.push_back(Make({"a", "b", "c"}));
  sets.push_back(Make({"a", "b", "c"}));
  SetConvert(sets.back(), Encoding::kHashtable);
  for (const Value& s : sets) {
    int calls = 0;
    ForEachSetMember(s, [&calls](std::string_view) { return ++calls < 2; });
    EXPECT_EQ(calls, 2);
  }
}

TEST(SetTest, RandomOperationsAgainstStdSet) {
  std::mt19937_64 gen(7);
  FastRng rng(7);
  SetLimits l;
  l.max_intset_entries = 40;
  l.max_listpack_entries = 20;
  l.max_listpack_value = 8;
  for (int round = 0; round < 200; ++round) {
    const bool ints_only = round % 3 == 0;
    auto random_member = [&]() -> std::string {
      if (ints_only || gen() % 2 == 0) return std::to_string(static_cast<int64_t>(gen() % 80) - 10);
      return std::string(gen() % 12, static_cast<char>('a' + gen() % 3));
    };
    std::string first = random_member();
    Value s = NewSet(first, 1 + gen() % 30, l);
    std::set<std::string> model;
    for (int op = 0; op < 300; ++op) {
      const std::string m = random_member();
      switch (gen() % 6) {
        case 0:
        case 1:
        case 2:
          EXPECT_EQ(SetAdd(s, m, l), model.insert(m).second);
          break;
        case 3:
          EXPECT_EQ(SetRemove(s, m), model.erase(m) == 1);
          break;
        case 4:
          EXPECT_EQ(SetContains(s, m), model.count(m) == 1);
          break;
        case 5:
          if (!model.empty()) {
            EXPECT_EQ(model.erase(SetPopRandom(s, rng)), 1u);
          }
          break;
      }
      ASSERT_EQ(SetSize(s), model.size());
      // The encoding follows the rules: intset only for integers within the limit...
      if (s.encoding() == Encoding::kIntset) {
        ASSERT_LE(SetSize(s), l.max_intset_entries);
      }
      if (s.encoding() == Encoding::kListpack) {
        ASSERT_LE(SetSize(s), l.max_listpack_entries);
      }
    }
    EXPECT_EQ(Members(s), model);
    if (ints_only) {
      EXPECT_NE(s.encoding(), Encoding::kListpack);
    }
  }
}

}  // namespace
}  // namespace basalt
