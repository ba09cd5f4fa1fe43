#include <gtest/gtest.h>

#include <cmath>
#include <iterator>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "types/zset.h"
#include "types/zset_index.h"

namespace basalt {
namespace {

using Model = std::set<std::pair<double, std::string>>;

std::string Member(uint64_t i) { return "m" + std::to_string(i); }

// Compares every rank, score and the order of the index with the model.
void ExpectSame(const ZSetIndex& index, const Model& model) {
  ASSERT_TRUE(index.CheckInvariants());
  ASSERT_EQ(index.size(), model.size());
  size_t rank = 0;
  ZSetIndex::Cursor c = index.First();
  for (const auto& [score, member] : model) {
    ASSERT_TRUE(c.valid());
    EXPECT_EQ(c.node()->member(), member);
    EXPECT_EQ(c.node()->score, score);
    const ZNode* z = index.Find(member);
    ASSERT_NE(z, nullptr);
    EXPECT_EQ(index.Rank(z), rank);
    ++rank;
    c.Next();
  }
  EXPECT_FALSE(c.valid());
}

TEST(ZSetIndexTest, RandomOperationsMatchModel) {
  FastRng rng(42);
  ZSetIndex index;
  Model model;
  std::map<std::string, double> scores;
  for (int step = 0; step < 60000; ++step) {
    const std::string m = Member(rng.Below(3000));
    const double score = static_cast<double>(rng.Below(50));  // many duplicate scores
    const uint64_t op = rng.Below(10);
    auto it = scores.find(m);
    if (op < 5) {
      if (it == scores.end()) {
        index.Insert(m, score);
        model.insert({score, m});
        scores[m] = score;
      } else {
        index.UpdateScore(index.Find(m), score);
        model.erase({it->second, m});
        model.insert({score, m});
        it->second = score;
      }
    } else if (op < 9) {
      EXPECT_EQ(index.Erase(m), it != scores.end());
      if (it != scores.end()) {
        model.erase({it->second, m});
        scores.erase(it);
      }
    } else if (!model.empty()) {
      const size_t r = rng.Below(model.size());
      auto mit = std::next(model.begin(), static_cast<long>(r));
      ZSetIndex::Cursor c = index.Select(r);
      ASSERT_TRUE(c.valid());
      EXPECT_EQ(c.node()->member(), mit->second);
    }
    if (step % 5000 == 0) ExpectSame(index, model);
  }
  ExpectSame(index, model);
  // CountWhile against the model.
  for (double bound = -1; bound < 52; bound += 0.5) {
    size_t expected = 0;
    for (const auto& e : model) expected += e.first < bound ? 1 : 0;
    EXPECT_EQ(index.CountWhile([bound](const ZNode* z) { return z->score < bound; }), expected);
  }
}

TEST(ZSetIndexTest, OneMillionMembers) {
  FastRng rng(7);
  ZSetIndex index;
  constexpr size_t kN = 1000000;
  for (size_t i = 0; i < kN; ++i) index.Insert(Member(i), static_cast<double>(rng.Below(1000)));
  ASSERT_TRUE(index.CheckInvariants());
  ASSERT_EQ(index.size(), kN);
  // Ranks are consistent with Select, and ties are ordered by member.
  for (int k = 0; k < 2000; ++k) {
    const size_t r = rng.Below(kN);
    const ZNode* z = index.Select(r).node();
    EXPECT_EQ(index.Rank(z), r);
    if (r + 1 < kN) {
      EXPECT_TRUE(ZNodeLess(z, index.Select(r + 1).node()));
    }
  }
  // Delete half, then check again.
  for (size_t i = 0; i < kN; i += 2) ASSERT_TRUE(index.Erase(Member(i)));
  ASSERT_TRUE(index.CheckInvariants());
  EXPECT_EQ(index.size(), kN / 2);
  for (size_t i = 1; i < kN; i += 2) ASSERT_TRUE(index.Erase(Member(i)));
  ASSERT_TRUE(index.CheckInvariants());
  EXPECT_TRUE(index.empty());
}

TEST(ZSetIndexTest, LongAndEmptyMembers) {
  ZSetIndex index;
  const std::string huge(70000, 'x');
  index.Insert(huge, 1);
  index.Insert("", 1);
  index.Insert(std::string(0xFFFF, 'y'), 0);
  ASSERT_TRUE(index.CheckInvariants());
  EXPECT_EQ(index.Find(huge)->member(), huge);
  EXPECT_EQ(index.Find("")->score, 1);
  EXPECT_EQ(index.Rank(index.Find("")), 1u);
  EXPECT_EQ(index.Find(std::string(0xFFFF, 'y'))->member().size(), 0xFFFFu);
  EXPECT_TRUE(index.Erase(huge));
  EXPECT_TRUE(index.CheckInvariants());
}

TEST(ZSetIndexTest, AscendingInsertsPackLeaves) {
  ZSetIndex index;
  for (int i = 0; i < 100000; ++i) index.Insert(Member(i), i);
  ASSERT_TRUE(index.CheckInvariants());
  // ~32 B node + hash share + 8 B leaf slot: well under Redis's ~100+.
  EXPECT_LT(index.AllocatedBytes() / 100000.0, 56.0);
  auto clone = index.Clone();
  EXPECT_TRUE(static_cast<ZSetIndex&>(*clone).CheckInvariants());
}

// --- zset.h over both encodings -------------------------------------------------------------

class ZSetTest : public ::testing::TestWithParam<bool> {
 protected:
  ZSetLimits limits_;
  Value NewSet() {
    Value v = NewZSet(1, 1, limits_);
    if (GetParam()) ZSetConvertToSkiplist(v);
    return v;
  }
};

TEST_P(ZSetTest, AddScoreRankAndFlags) {
  Value v = NewSet();
  EXPECT_EQ(ZSetAdd(v, 2, "b", 0, limits_).outcome, ZAddOutcome::kAdded);
  EXPECT_EQ(ZSetAdd(v, 1, "a", 0, limits_).outcome, ZAddOutcome::kAdded);
  EXPECT_EQ(ZSetAdd(v, 1, "c", 0, limits_).outcome, ZAddOutcome::kAdded);
  EXPECT_EQ(ZSetAdd(v, 1, "c", 0, limits_).outcome, ZAddOutcome::kNop);
  EXPECT_TRUE(ZSetAdd(v, 5, "c", kZAddNx, limits_).skipped);
  EXPECT_TRUE(ZSetAdd(v, 5, "d", kZAddXx, limits_).skipped);
  EXPECT_TRUE(ZSetAdd(v, 0, "c", kZAddGt, limits_).skipped);
  ZAddResult r = ZSetAdd(v, 2.5, "c", kZAddIncr, limits_);
  EXPECT_EQ(r.outcome, ZAddOutcome::kUpdated);
  EXPECT_EQ(r.score, 3.5);
  EXPECT_EQ(ZSetSize(v), 3u);
  EXPECT_EQ(*ZSetScore(v, "c"), 3.5);
  EXPECT_FALSE(ZSetScore(v, "zz"));
  EXPECT_EQ(ZSetRank(v, "a", false)->rank, 0u);
  EXPECT_EQ(ZSetRank(v, "c", false)->rank, 2u);
  EXPECT_EQ(ZSetRank(v, "c", true)->rank, 0u);
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(ZSetAdd(v, inf, "i", 0, limits_).outcome, ZAddOutcome::kAdded);
  EXPECT_EQ(ZSetAdd(v, -inf, "i", kZAddIncr, limits_).outcome, ZAddOutcome::kNaN);
  EXPECT_EQ(*ZSetScore(v, "i"), inf);
  EXPECT_TRUE(ZSetRemove(v, "i"));
  EXPECT_FALSE(ZSetRemove(v, "i"));
}

TEST_P(ZSetTest, RangesAndPops) {
  Value v = NewSet();
  for (int i = 0; i < 10; ++i) {
    ZSetAdd(v, i, std::string(1, static_cast<char>('a' + i)), 0, limits_);
  }
  RankSpan s = ZSetScoreSpan(v, *ParseScoreRange("(2", "5"));
  EXPECT_EQ(s.begin, 3u);
  EXPECT_EQ(s.end, 6u);
  EXPECT_TRUE(ZSetScoreSpan(v, *ParseScoreRange("5", "(5")).empty());
  EXPECT_EQ(ZSetScoreSpan(v, *ParseScoreRange("-inf", "+inf")).size(), 10u);
  EXPECT_FALSE(ParseScoreRange("x", "1"));
  EXPECT_FALSE(ParseScoreRange("nan", "1"));
  std::vector<ZSetEntry> rev = ZSetEntries(v, RankSpanFromIndexes(0, 1, 10, true), true);
  ASSERT_EQ(rev.size(), 2u);
  EXPECT_EQ(rev[0].member, "j");
  EXPECT_EQ(rev[1].member, "i");
  std::vector<ZSetEntry> popped = ZSetPop(v, 2, false);
  EXPECT_EQ(popped[0].member, "a");
  EXPECT_EQ(popped[1].member, "b");
  popped = ZSetPop(v, 1, true);
  EXPECT_EQ(popped[0].member, "j");
  EXPECT_EQ(ZSetDeleteSpan(v, RankSpan{0, 2}), 2u);  // c, d
  EXPECT_EQ(ZSetSize(v), 5u);
  EXPECT_EQ(ZSetRank(v, "e", false)->rank, 0u);
}

TEST_P(ZSetTest, LexRanges) {
  Value v = NewSet();
  for (const char* m : {"a", "b", "c", "d", "e"}) ZSetAdd(v, 0, m, 0, limits_);
  RankSpan s = ZSetLexSpan(v, *ParseLexRange("[b", "(d"));
  EXPECT_EQ(s.begin, 1u);
  EXPECT_EQ(s.end, 3u);
  EXPECT_EQ(ZSetLexSpan(v, *ParseLexRange("-", "+")).size(), 5u);
  EXPECT_TRUE(ZSetLexSpan(v, *ParseLexRange("+", "-")).empty());
  EXPECT_FALSE(ParseLexRange("b", "[d"));
}

INSTANTIATE_TEST_SUITE_P(Encodings, ZSetTest, ::testing::Bool());

TEST(ZSetConversionTest, ListpackToSkiplistAndBack) {
  ZSetLimits limits{.max_listpack_entries = 4, .max_listpack_value = 8};
  Value v = NewZSet(1, 1, limits);
  EXPECT_EQ(v.encoding(), Encoding::kListpack);
  for (int i = 0; i < 4; ++i) ZSetAdd(v, i, Member(i), 0, limits);
  EXPECT_EQ(v.encoding(), Encoding::kListpack);
  ZSetAdd(v, 9, Member(9), 0, limits);
  EXPECT_EQ(v.encoding(), Encoding::kSkiplist);
  ZSetRemove(v, Member(9));
  EXPECT_EQ(v.encoding(), Encoding::kSkiplist);  // never by itself
  ZSetConvertToListpackIfNeeded(v, limits);
  EXPECT_EQ(v.encoding(), Encoding::kListpack);
  EXPECT_EQ(ZSetRank(v, Member(3), false)->rank, 3u);

  Value w = NewZSet(1, 1, limits);
  ZSetAdd(w, 1, "a-very-long-member", 0, limits);
  EXPECT_EQ(w.encoding(), Encoding::kSkiplist);
  EXPECT_EQ(NewZSet(5, 1, limits).encoding(), Encoding::kSkiplist);

  std::vector<ZSetEntry> entries = {{"b", 2}, {"a", 1}};
  Value s = ZSetFromEntries(entries, limits);
  EXPECT_EQ(s.encoding(), Encoding::kListpack);
  EXPECT_EQ(ZSetRank(s, "a", false)->rank, 0u);
}

TEST(ZSetConversionTest, ListpackStoresNonIntegerScoresExactly) {
  ZSetLimits limits;
  Value v = NewZSet(1, 1, limits);
  const double values[] = {0.1, -0.0, 1e300, 3, -17.25, std::numeric_limits<double>::infinity()};
  int i = 0;
  for (double d : values) ZSetAdd(v, d, Member(i++), 0, limits);
  i = 0;
  for (double d : values) {
    const double got = *ZSetScore(v, Member(i++));
    EXPECT_EQ(got, d);
    EXPECT_FALSE(got == 0 && std::signbit(got));  // -0 is stored as the integer 0, as Redis
  }
}

}  // namespace
}  // namespace basalt
