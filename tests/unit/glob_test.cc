// Expected values were checked against redis-server 7.0.15 (KEYS <pattern> over a key set)
// and, for nocase and random inputs, against Redis 7.0's stringmatchlen itself.
#include "util/glob.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace basalt {
namespace {

using namespace std::string_view_literals;

TEST(GlobTest, Literals) {
  EXPECT_TRUE(GlobMatch("hello", "hello"));
  EXPECT_FALSE(GlobMatch("hello", "hellO"));
  EXPECT_FALSE(GlobMatch("hello", "hell"));
  EXPECT_FALSE(GlobMatch("hell", "hello"));
  EXPECT_TRUE(GlobMatch("", ""));
  EXPECT_FALSE(GlobMatch("", "a"));
}

TEST(GlobTest, QuestionMark) {
  EXPECT_TRUE(GlobMatch("h?llo", "hallo"));
  EXPECT_FALSE(GlobMatch("h?llo", "hllo"));
  EXPECT_FALSE(GlobMatch("?*?", "a"));
  EXPECT_TRUE(GlobMatch("?*?", "ab"));
}

TEST(GlobTest, Star) {
  EXPECT_TRUE(GlobMatch("h*llo", "hllo"));
  EXPECT_TRUE(GlobMatch("h*llo", "heeeello"));
  EXPECT_TRUE(GlobMatch("h*", "h"));
  EXPECT_TRUE(GlobMatch("*", "x"));
  EXPECT_TRUE(GlobMatch("a*", "a"));
  EXPECT_TRUE(GlobMatch("*a", "a"));
  EXPECT_TRUE(GlobMatch("a**b", "ab"));
  EXPECT_TRUE(GlobMatch("a*b*c", "abbbc"));
  EXPECT_FALSE(GlobMatch("a*b*c", "acb"));
  EXPECT_TRUE(GlobMatch("*[ab]", "zzb"));
  EXPECT_TRUE(GlobMatch("*.txt", "notes.txt.txt"));
  EXPECT_FALSE(GlobMatch("*.txt", "notes.txt.bak"));
}

TEST(GlobTest, EmptySubjectMatchesOnlyEmptyPattern) {
  // Redis's matcher never enters its loop for an empty subject. (KEYS special-cases the
  // exact pattern "*" before matching, which is why KEYS * still lists an empty key.)
  EXPECT_FALSE(GlobMatch("*", ""));
  EXPECT_FALSE(GlobMatch("**", ""));
  EXPECT_FALSE(GlobMatch("?", ""));
}

TEST(GlobTest, Classes) {
  EXPECT_TRUE(GlobMatch("h[ae]llo", "hello"));
  EXPECT_FALSE(GlobMatch("h[ae]llo", "hillo"));
  EXPECT_TRUE(GlobMatch("h[^e]llo", "hallo"));
  EXPECT_FALSE(GlobMatch("h[^e]llo", "hello"));
  EXPECT_TRUE(GlobMatch("h[a-b]llo", "hbllo"));
  EXPECT_FALSE(GlobMatch("h[a-b]llo", "hcllo"));
}

TEST(GlobTest, ReversedRangeIsSwapped) {
  EXPECT_TRUE(GlobMatch("h[b-a]llo", "hallo"));
  EXPECT_TRUE(GlobMatch("[z-a]", "m"));
}

TEST(GlobTest, EmptyAndUnterminatedClasses) {
  EXPECT_FALSE(GlobMatch("[]", "]"));
  EXPECT_FALSE(GlobMatch("[]", "a"));
  EXPECT_TRUE(GlobMatch("[^]", "a"));
  EXPECT_TRUE(GlobMatch("[^]", "]"));
  EXPECT_FALSE(GlobMatch("[]a]", "a]"));  // "[]" is an empty class, never matching.
  EXPECT_TRUE(GlobMatch("[ab", "b"));     // Runs to the end of the pattern.
  EXPECT_FALSE(GlobMatch("[ab", "c"));
  EXPECT_FALSE(GlobMatch("[", "["));
  EXPECT_TRUE(GlobMatch("[^", "x"));
  EXPECT_TRUE(GlobMatch("[a-", "-"));
  EXPECT_FALSE(GlobMatch("[a-", "b"));
}

TEST(GlobTest, DashBeforeClosingBracketMakesRangeToBracket) {
  // "[a-]" is the range ']'..'a' (swapped), and the class does not close at that ']'.
  EXPECT_TRUE(GlobMatch("[a-]", "]"));
  EXPECT_TRUE(GlobMatch("[a-]", "_"));
  EXPECT_TRUE(GlobMatch("[a-]", "a"));
  EXPECT_FALSE(GlobMatch("[a-]", "-"));
  EXPECT_TRUE(GlobMatch("[a-]x", "x"));
}

TEST(GlobTest, Escapes) {
  EXPECT_TRUE(GlobMatch("\\*", "*"));
  EXPECT_FALSE(GlobMatch("\\*", "a"));
  EXPECT_TRUE(GlobMatch("\\?", "?"));
  EXPECT_TRUE(GlobMatch("\\[a]", "[a]"));
  EXPECT_TRUE(GlobMatch("a\\", "a\\"));  // A trailing backslash is literal.
  EXPECT_TRUE(GlobMatch("\\", "\\"));
  EXPECT_TRUE(GlobMatch("[\\]]", "]"));
  EXPECT_TRUE(GlobMatch("[\\^a]", "^"));
  EXPECT_TRUE(GlobMatch("[\\-]", "-"));
  EXPECT_FALSE(GlobMatch("[a\\-z]", "b"));  // An escaped '-' is not a range.
  EXPECT_TRUE(GlobMatch("[a\\-z]", "-"));
  EXPECT_TRUE(GlobMatch("[\\", "\\"));
}

TEST(GlobTest, HighBytesCompareAsSignedChars) {
  EXPECT_TRUE(GlobMatch("[\x80-a]", "\xff"));
  EXPECT_FALSE(GlobMatch("[\x80-a]", "b"));
  // [\x01-\xff] is the range -1..1 once swapped: it holds \xff, \x00 and \x01 only.
  EXPECT_FALSE(GlobMatch("[\x01-\xff]", "\x80"));
  EXPECT_TRUE(GlobMatch("[\x01-\xff]", "\x00"sv));
  EXPECT_FALSE(GlobMatch("[\x01-\xff]", "a"));
  EXPECT_TRUE(GlobMatch("\xe4\xb8\xad*", "\xe4\xb8\xad\xe6\x96\x87"));
}

TEST(GlobTest, EmbeddedNulBytes) {
  EXPECT_TRUE(GlobMatch("a\0b"sv, "a\0b"sv));
  EXPECT_FALSE(GlobMatch("a\0b"sv, "a\0c"sv));
  EXPECT_TRUE(GlobMatch("a?b"sv, "a\0b"sv));
  EXPECT_TRUE(GlobMatch("[\0]"sv, "\0"sv));
}

TEST(GlobTest, NoCase) {
  EXPECT_TRUE(GlobMatch("HeLLo", "hello", true));
  EXPECT_TRUE(GlobMatch("h*O", "HELLO", true));
  EXPECT_TRUE(GlobMatch("[A-C]x", "bX", true));
  EXPECT_TRUE(GlobMatch("[abc]", "B", true));
  EXPECT_FALSE(GlobMatch("[abc]", "B", false));
  EXPECT_FALSE(GlobMatch("maxmemory", "MAXMEMORY", false));
  EXPECT_TRUE(GlobMatch("maxmem*", "MAXMEMORY", true));
}

TEST(GlobTest, NoCaseQuirks) {
  // Escapes inside a class compare exactly even with nocase.
  EXPECT_FALSE(GlobMatch("[\\A]", "a", true));
  EXPECT_TRUE(GlobMatch("[\\A]", "A", true));
  // Range ends are folded after swapping: [A-z] becomes a-z, so '[' (between Z and a) is out.
  EXPECT_TRUE(GlobMatch("[A-z]", "[", false));
  EXPECT_FALSE(GlobMatch("[A-z]", "[", true));
  EXPECT_TRUE(GlobMatch("[A-z]", "Q", true));
  // [Z-a] folds to z..a, an empty range.
  EXPECT_TRUE(GlobMatch("[Z-a]", "_", false));
  EXPECT_FALSE(GlobMatch("[Z-a]", "_", true));
  EXPECT_FALSE(GlobMatch("[Z-a]", "z", true));
  // glibc's tolower maps bytes 0x80..0xfe to 128..254 but leaves 0xff (EOF) at -1, so
  // with nocase a range that mixes high bytes with ASCII or with 0xff becomes empty.
  EXPECT_TRUE(GlobMatch("[\x80-a]", "\xff", false));
  EXPECT_FALSE(GlobMatch("[\x80-a]", "\xff", true));
  EXPECT_FALSE(GlobMatch("[\x80-a]", "b", true));
  EXPECT_TRUE(GlobMatch("[\x80-\xff]", "\x90", false));
  EXPECT_FALSE(GlobMatch("[\x80-\xff]", "\x90", true));
  EXPECT_TRUE(GlobMatch("[\x80-\xf0]", "\xe0", true));
  EXPECT_TRUE(GlobMatch("[\x80-\xf0]", "\xe0", false));
}

TEST(GlobTest, PathologicalPatternsRunInPolynomialTime) {
  const std::string subject(20000, 'a');
  std::string pattern;
  for (int i = 0; i < 200; ++i) pattern += "a*";
  pattern += "b";
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(GlobMatch(pattern, subject));
  EXPECT_FALSE(GlobMatch("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", subject));
  EXPECT_TRUE(GlobMatch(pattern.substr(0, pattern.size() - 1), subject));
  // A long run of stars must not recurse either.
  EXPECT_TRUE(GlobMatch(std::string(100000, '*') + "a", subject));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_LT(elapsed, std::chrono::seconds(2));
}

}  // namespace
}  // namespace basalt
