// Tests for types/lcs. Expected values were checked against redis-server 7.0.15's LCS.
#include "types/lcs.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace basalt {
namespace {

LcsResult Lcs(std::string_view a, std::string_view b, bool matches = false,
              uint64_t min_match_len = 0) {
  LcsOptions options;
  options.want_matches = matches;
  options.min_match_len = min_match_len;
  LcsResult result;
  EXPECT_EQ(ComputeLcs(a, b, options, &result), LcsStatus::kOk);
  return result;
}

void ExpectMatch(const LcsMatch& m, uint32_t a0, uint32_t a1, uint32_t b0, uint32_t b1) {
  EXPECT_EQ(m.a_start, a0);
  EXPECT_EQ(m.a_end, a1);
  EXPECT_EQ(m.b_start, b0);
  EXPECT_EQ(m.b_end, b1);
}

TEST(LcsTest, DocumentationExample) {
  LcsResult r = Lcs("ohmytext", "mynewtext", true);
  EXPECT_EQ(r.sequence, "mytext");
  EXPECT_EQ(r.length, 6u);
  ASSERT_EQ(r.matches.size(), 2u);
  ExpectMatch(r.matches[0], 4, 7, 5, 8);
  EXPECT_EQ(r.matches[0].length(), 4u);
  ExpectMatch(r.matches[1], 2, 3, 0, 1);
  EXPECT_EQ(r.matches[1].length(), 2u);

  r = Lcs("ohmytext", "mynewtext", true, 4);
  ASSERT_EQ(r.matches.size(), 1u);
  ExpectMatch(r.matches[0], 4, 7, 5, 8);
}

TEST(LcsTest, TieBreaksAsRedis) {
  LcsResult r = Lcs("ABCBDAB", "BDCABA", true);
  EXPECT_EQ(r.sequence, "BDAB");
  ASSERT_EQ(r.matches.size(), 2u);
  ExpectMatch(r.matches[0], 5, 6, 3, 4);
  ExpectMatch(r.matches[1], 3, 4, 0, 1);

  r = Lcs("aaaa", "aa", true);
  EXPECT_EQ(r.sequence, "aa");
  ASSERT_EQ(r.matches.size(), 1u);
  ExpectMatch(r.matches[0], 2, 3, 0, 1);
}

TEST(LcsTest, EmptyAndDisjoint) {
  EXPECT_EQ(Lcs("", "").sequence, "");
  EXPECT_EQ(Lcs("abc", "").length, 0u);
  LcsResult r = Lcs("abc", "xyz", true);
  EXPECT_EQ(r.length, 0u);
  EXPECT_TRUE(r.matches.empty());
  EXPECT_EQ(Lcs("same", "same").sequence, "same");
}

TEST(LcsTest, LengthOnlySkipsTheWalk) {
  LcsOptions options;
  options.want_sequence = false;
  LcsResult r;
  ASSERT_EQ(ComputeLcs("ohmytext", "mynewtext", options, &r), LcsStatus::kOk);
  EXPECT_EQ(r.length, 6u);
  EXPECT_TRUE(r.sequence.empty());
}

TEST(LcsTest, TableLimit) {
  LcsOptions options;
  options.max_table_bytes = 4 * 11 * 11 - 1;  // "0123456789" x "0123456789" needs 11*11 cells
  LcsResult r;
  EXPECT_EQ(ComputeLcs("0123456789", "0123456789", options, &r), LcsStatus::kTableTooLarge);
  options.max_table_bytes = 4 * 11 * 11;
  EXPECT_EQ(ComputeLcs("0123456789", "0123456789", options, &r), LcsStatus::kOk);
}

// The subsequence is common to both inputs and has the computed length; matches tile it.
TEST(LcsTest, RandomInputsAreConsistent) {
  std::mt19937 rng(5);
  for (int iter = 0; iter < 300; ++iter) {
    std::string a(rng() % 40, 'a'), b(rng() % 40, 'a');
    for (char& c : a) c = static_cast<char>('a' + rng() % 3);
    for (char& c : b) c = static_cast<char>('a' + rng() % 3);
    LcsResult r = Lcs(a, b, true);
    ASSERT_EQ(r.sequence.size(), r.length);
    size_t i = 0, j = 0;
    for (char c : r.sequence) {
      while (i < a.size() && a[i] != c) ++i;
      while (j < b.size() && b[j] != c) ++j;
      ASSERT_LT(i, a.size());
      ASSERT_LT(j, b.size());
      ++i, ++j;
    }
    uint32_t covered = 0;
    for (const LcsMatch& m : r.matches) {
      EXPECT_EQ(a.substr(m.a_start, m.length()), b.substr(m.b_start, m.length()));
      covered += m.length();
    }
    EXPECT_EQ(covered, r.length);
  }
}

}  // namespace
}  // namespace basalt
