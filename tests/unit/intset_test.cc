// Tests for types/intset: encoding upgrades at the exact width boundaries, blobs compared
// byte for byte with redis-server 7.0.15's, a randomized model check against std::set, and
// Validate against corrupt blobs (run under -DBASALT_SANITIZE=ON to catch stray reads).
#include "types/intset.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <limits>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace basalt {
namespace {

constexpr int64_t kI16Min = std::numeric_limits<int16_t>::min();
constexpr int64_t kI16Max = std::numeric_limits<int16_t>::max();
constexpr int64_t kI32Min = std::numeric_limits<int32_t>::min();
constexpr int64_t kI32Max = std::numeric_limits<int32_t>::max();
constexpr int64_t kI64Min = std::numeric_limits<int64_t>::min();
constexpr int64_t kI64Max = std::numeric_limits<int64_t>::max();

std::string Unhex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

std::vector<int64_t> Elements(const IntSet& s) { return std::vector<int64_t>(s.begin(), s.end()); }

IntSet Make(std::initializer_list<int64_t> values) {
  IntSet s;
  for (int64_t v : values) s.Add(v);
  return s;
}

// A blob built by hand: encoding, length field, then the elements at that width.
std::string Blob(uint32_t enc, uint32_t length, const std::vector<int64_t>& values) {
  std::string out;
  auto put = [&out](uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  };
  put(enc, 4);
  put(length, 4);
  for (int64_t v : values) put(static_cast<uint64_t>(v), static_cast<int>(enc));
  return out;
}

static_assert(std::forward_iterator<IntSet::Iterator>);
static_assert(sizeof(IntSet) == sizeof(void*));

TEST(IntSetTest, EmptySet) {
  IntSet s;
  EXPECT_TRUE(s.empty());
  EXPECT_EQ(s.size(), 0u);
  EXPECT_EQ(s.encoding(), 2u);
  EXPECT_EQ(s.bytes(), Blob(2, 0, {}));
  EXPECT_EQ(s.bytes_len(), 8u);
  EXPECT_EQ(s.AllocatedBytes(), 0u);
  EXPECT_FALSE(s.Contains(0));
  EXPECT_FALSE(s.Remove(0));
  EXPECT_EQ(s.begin(), s.end());
}

TEST(IntSetTest, AddRemoveContains) {
  IntSet s;
  EXPECT_TRUE(s.Add(5));
  EXPECT_TRUE(s.Add(1));
  EXPECT_TRUE(s.Add(3));
  EXPECT_FALSE(s.Add(3));
  EXPECT_EQ(Elements(s), (std::vector<int64_t>{1, 3, 5}));
  EXPECT_TRUE(s.Contains(1));
  EXPECT_FALSE(s.Contains(2));
  EXPECT_FALSE(s.Contains(6));
  EXPECT_FALSE(s.Contains(0));
  EXPECT_EQ(s.Min(), 1);
  EXPECT_EQ(s.Max(), 5);
  EXPECT_EQ(s.Get(1), 3);
  EXPECT_EQ(s.AllocatedBytes(), 8u + 3 * 2);
  EXPECT_TRUE(s.Remove(3));
  EXPECT_FALSE(s.Remove(3));
  EXPECT_EQ(Elements(s), (std::vector<int64_t>{1, 5}));
  EXPECT_TRUE(s.Remove(1));
  EXPECT_TRUE(s.Remove(5));
  EXPECT_TRUE(s.empty());
  EXPECT_EQ(s.bytes(), Blob(2, 0, {}));
}

// Each boundary value sits at the edge of a width: the last value that fits, then the first
// one that forces the next width, on both sides of zero.
TEST(IntSetTest, UpgradesAtExactBoundaries) {
  struct Case {
    int64_t value;
    uint32_t enc;
  };
  const Case cases[] = {
      {kI16Max, 2}, {kI16Min, 2},     {kI16Max + 1, 4}, {kI16Min - 1, 4}, {kI32Max, 4},
      {kI32Min, 4}, {kI32Max + 1, 8}, {kI32Min - 1, 8}, {kI64Max, 8},     {kI64Min, 8},
  };
  for (const Case& c : cases) {
    IntSet s = Make({0, -1, 1});
    ASSERT_EQ(s.encoding(), 2u);
    EXPECT_TRUE(s.Add(c.value)) << c.value;
    EXPECT_EQ(s.encoding(), c.enc) << c.value;
    std::vector<int64_t> want = {-1, 0, 1, c.value};
    std::sort(want.begin(), want.end());
    EXPECT_EQ(Elements(s), want) << c.value;
    EXPECT_EQ(s.bytes_len(), 8 + 4 * c.enc);
    EXPECT_TRUE(IntSet::Validate(s.bytes(), true));
  }
}

TEST(IntSetTest, UpgradeStepByStepAndNeverDowngrade) {
  IntSet s = Make({10, -10});
  EXPECT_EQ(s.encoding(), 2u);
  s.Add(kI16Max + 1);  // appended: positive values that need widening go last
  EXPECT_EQ(s.encoding(), 4u);
  EXPECT_EQ(Elements(s), (std::vector<int64_t>{-10, 10, kI16Max + 1}));
  s.Add(kI32Min - 1);  // prepended
  EXPECT_EQ(s.encoding(), 8u);
  EXPECT_EQ(Elements(s), (std::vector<int64_t>{kI32Min - 1, -10, 10, kI16Max + 1}));
  EXPECT_TRUE(s.Remove(kI32Min - 1));
  EXPECT_TRUE(s.Remove(kI16Max + 1));
  EXPECT_EQ(s.encoding(), 8u);
  EXPECT_EQ(s.bytes(), Blob(8, 2, {-10, 10}));
  // A wide value cannot be in a narrower set, and must not be mistaken for its truncation.
  IntSet narrow = Make({0, 1});
  EXPECT_FALSE(narrow.Contains(65536));  // truncates to 0 in 16 bits
  EXPECT_FALSE(narrow.Remove(65537));    // truncates to 1
  EXPECT_EQ(narrow.size(), 2u);
}

// Expected bytes are DUMP payloads from redis-server 7.0.15 (Debian), started with
//   redis-server --port 7778 --save '' --rdbcompression no
// and read back with
//   EVAL "local d=redis.call('DUMP',KEYS[1]) ... string.format('%02x',d:byte(i)) ..." 1 <key>
// A DUMP is: type byte 0x0b (RDB_TYPE_SET_INTSET), the blob's length as one byte (all are
// under 64), the blob, then RDB version (0a00) and CRC64; the strings below are the blob.
TEST(IntSetTest, BytesMatchRedis) {
  struct Case {
    const char* command;
    std::vector<int64_t> adds;
    std::vector<int64_t> removes;
    const char* hex;
  };
  const Case cases[] = {
      // SADD s 1 2 3  -> 0b 0e <blob> 0a00 a5025ce26d6e4d1b
      {"SADD s 1 2 3", {1, 2, 3}, {}, "0200000003000000010002000300"},
      // SADD neg -3 -1 0 5 32767 -32768
      {"SADD neg -3 -1 0 5 32767 -32768",
       {-3, -1, 0, 5, 32767, -32768},
       {},
       "02000000060000000080fdffffff00000500ff7f"},
      // SADD w 1 32768 -2
      {"SADD w 1 32768 -2", {1, 32768, -2}, {}, "0400000003000000feffffff0100000000800000"},
      // SADD w2 1 -32769
      {"SADD w2 1 -32769", {1, -32769}, {}, "0400000002000000ff7fffff01000000"},
      // SADD d 5 2147483648 -7
      {"SADD d 5 2147483648 -7",
       {5, 2147483648LL, -7},
       {},
       "0800000003000000f9ffffffffffffff05000000000000000000008000000000"},
      // SADD d2 7 -2147483649
      {"SADD d2 7 -2147483649",
       {7, -2147483649LL},
       {},
       "0800000002000000ffffff7fffffffff0700000000000000"},
      // SADD m -9223372036854775808 9223372036854775807 0
      {"SADD m -9223372036854775808 9223372036854775807 0",
       {kI64Min, kI64Max, 0},
       {},
       "08000000030000000000000000000080"
       "0000000000000000ffffffffffffff7f"},
      // SADD shrink 1 100000 2; SREM shrink 100000  (the 32-bit encoding stays)
      {"SADD shrink 1 100000 2; SREM shrink 100000",
       {1, 100000, 2},
       {100000},
       "04000000020000000100000002000000"},
  };
  for (const Case& c : cases) {
    IntSet s;
    for (int64_t v : c.adds) s.Add(v);
    for (int64_t v : c.removes) s.Remove(v);
    const std::string want = Unhex(c.hex);
    EXPECT_EQ(s.bytes(), want) << c.command;
    EXPECT_EQ(s.bytes_len(), want.size()) << c.command;
    // And the same blob loads back into an equal set.
    std::optional<IntSet> loaded = IntSet::FromBytes(want);
    ASSERT_TRUE(loaded.has_value()) << c.command;
    EXPECT_EQ(loaded->bytes(), want) << c.command;
    EXPECT_EQ(Elements(*loaded), Elements(s)) << c.command;
  }
}

TEST(IntSetTest, MoveAndClone) {
  IntSet a = Make({1, 2, 70000});
  IntSet b = a.Clone();
  IntSet c = std::move(a);
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): moved-from is a valid empty set
  EXPECT_EQ(a.AllocatedBytes(), 0u);
  EXPECT_EQ(b.bytes(), c.bytes());
  b.Add(3);
  EXPECT_EQ(c.size(), 3u);
  a = std::move(b);
  EXPECT_EQ(Elements(a), (std::vector<int64_t>{1, 2, 3, 70000}));
  a = std::move(a);  // self-move leaves the set intact
  EXPECT_EQ(a.size(), 4u);
  EXPECT_TRUE(a.Add(-5));  // a moved-from set is usable again
}

TEST(IntSetTest, RandomIsUniformOverElements) {
  IntSet s = Make({10, 20, 30, 40});
  std::mt19937_64 rng(7);
  std::vector<int> counts(4);
  for (int i = 0; i < 40000; ++i) {
    const int64_t v = s.Random(rng);
    ASSERT_TRUE(s.Contains(v));
    ++counts[v / 10 - 1];
  }
  for (int c : counts) EXPECT_NEAR(c, 10000, 600);
}

// 100k random Adds and Removes checked against std::set after each step, with values drawn
// from ranges that exercise every width and the upgrade paths.
TEST(IntSetTest, RandomOpsMatchStdSet) {
  std::mt19937_64 rng(12345);
  for (int round = 0; round < 4; ++round) {
    IntSet s;
    std::set<int64_t> model;
    uint32_t widest = 2;
    auto draw = [&]() -> int64_t {
      switch (rng() % 8) {
        case 0:
          return static_cast<int64_t>(rng());  // any 64-bit value
        case 1:
          return static_cast<int32_t>(rng());
        case 2:
          return static_cast<int16_t>(rng());
        default:  // a dense small range, so removes often hit
          return static_cast<int64_t>(rng() % 600) - 300;
      }
    };
    // The first round stays 16-bit for a while so growth at the narrow width is covered.
    const int narrow_ops = round == 0 ? 10000 : 0;
    for (int op = 0; op < 25000; ++op) {
      const int64_t v = op < narrow_ops ? static_cast<int64_t>(rng() % 2000) - 1000 : draw();
      if (rng() % 3 != 0) {
        ASSERT_EQ(s.Add(v), model.insert(v).second) << v;
        const uint32_t need = (v < kI32Min || v > kI32Max)   ? 8
                              : (v < kI16Min || v > kI16Max) ? 4
                                                             : 2;
        widest = std::max(widest, need);
      } else {
        ASSERT_EQ(s.Remove(v), model.erase(v) == 1) << v;
      }
      ASSERT_EQ(s.size(), model.size());
      ASSERT_EQ(s.encoding(), widest);
      ASSERT_EQ(s.Contains(v), model.count(v) == 1);
      if (op % 1000 == 0) {
        ASSERT_TRUE(std::equal(s.begin(), s.end(), model.begin(), model.end()));
        if (!model.empty()) {
          ASSERT_EQ(s.Min(), *model.begin());
          ASSERT_EQ(s.Max(), *model.rbegin());
          ASSERT_TRUE(IntSet::Validate(s.bytes(), true));
        }
      }
    }
    ASSERT_TRUE(std::equal(s.begin(), s.end(), model.begin(), model.end()));
  }
}

TEST(IntSetTest, LargeSet) {
#if defined(__SANITIZE_ADDRESS__)
  // ASan's realloc always moves, which makes exact-size growth quadratic: 22 s at 100k.
  constexpr int64_t kCount = 10000;
#else
  constexpr int64_t kCount = 100000;
#endif
  IntSet s;
  for (int64_t i = 0; i < kCount; ++i) ASSERT_TRUE(s.Add(i * 3));
  EXPECT_EQ(s.size(), static_cast<size_t>(kCount));
  EXPECT_EQ(s.encoding(), kCount * 3 > kI16Max ? 4u : 2u);
  EXPECT_EQ(s.AllocatedBytes(), 8u + kCount * s.encoding());
  for (int64_t i = 0; i < kCount * 3; ++i) ASSERT_EQ(s.Contains(i), i % 3 == 0) << i;
  EXPECT_TRUE(IntSet::Validate(s.bytes(), true));
}

TEST(IntSetTest, ValidateAcceptsGoodBlobs) {
  EXPECT_TRUE(IntSet::Validate(Blob(2, 1, {7}), true));
  EXPECT_TRUE(IntSet::Validate(Blob(4, 3, {-5, 0, 5}), true));
  EXPECT_TRUE(IntSet::Validate(Blob(8, 2, {kI64Min, kI64Max}), true));
  // Redis accepts values that would fit a narrower width; only the header and order matter.
  EXPECT_TRUE(IntSet::Validate(Blob(8, 2, {1, 2}), true));
}

TEST(IntSetTest, ValidateRejectsCorruptBlobs) {
  // Too short for a header.
  EXPECT_FALSE(IntSet::Validate("", false));
  EXPECT_FALSE(IntSet::Validate(std::string_view("\x02\0\0\0\x01\0\0", 7), false));
  // Empty: Redis never stores an empty set.
  EXPECT_FALSE(IntSet::Validate(Blob(2, 0, {}), false));
  // Bad encodings.
  for (uint32_t enc : {0u, 1u, 3u, 6u, 16u, 0x02000000u}) {
    std::string b = Blob(2, 1, {1});
    b[0] = static_cast<char>(enc & 0xff);
    b[3] = static_cast<char>(enc >> 24);
    EXPECT_FALSE(IntSet::Validate(b, false)) << enc;
  }
  // Length inconsistent with the size: truncated, trailing bytes, length too large, and a
  // length so large that a 32-bit count * width would wrap around.
  const std::string good = Blob(4, 3, {1, 2, 3});
  ASSERT_TRUE(IntSet::Validate(good, true));
  for (size_t cut = 0; cut < good.size(); ++cut) {
    EXPECT_FALSE(IntSet::Validate(std::string_view(good).substr(0, cut), false)) << cut;
  }
  EXPECT_FALSE(IntSet::Validate(good + '\0', false));
  EXPECT_FALSE(IntSet::Validate(Blob(4, 4, {1, 2, 3}), false));
  EXPECT_FALSE(IntSet::Validate(Blob(4, 2, {1, 2, 3}), false));
  EXPECT_FALSE(IntSet::Validate(Blob(8, 0x20000001u, {1}), false));  // 8 * count wraps to 8
  EXPECT_FALSE(IntSet::Validate(Blob(4, 0x40000001u, {1}), false));  // 4 * count wraps to 4
  // Unsorted and duplicated: only the deep check looks at the elements.
  const std::string unsorted = Blob(2, 3, {1, 3, 2});
  EXPECT_TRUE(IntSet::Validate(unsorted, false));
  EXPECT_FALSE(IntSet::Validate(unsorted, true));
  const std::string dup = Blob(8, 3, {-1, 4, 4});
  EXPECT_TRUE(IntSet::Validate(dup, false));
  EXPECT_FALSE(IntSet::Validate(dup, true));
  EXPECT_FALSE(IntSet::Validate(Blob(4, 2, {9, -9}), true));
  // FromBytes refuses what Validate refuses.
  EXPECT_FALSE(IntSet::FromBytes(unsorted).has_value());
  EXPECT_TRUE(IntSet::FromBytes(unsorted, /*deep=*/false).has_value());
  EXPECT_FALSE(IntSet::FromBytes(good.substr(0, 10), false).has_value());
}

// Random byte flips and truncations of valid blobs: Validate must never read out of bounds
// (the sanitizer build would abort), and every blob it accepts deeply must behave as a set.
TEST(IntSetTest, ValidateSurvivesRandomCorruption) {
  std::mt19937_64 rng(99);
  int accepted = 0;
  for (int iter = 0; iter < 20000; ++iter) {
    IntSet s;
    const int n = 1 + static_cast<int>(rng() % 20);
    const int width = static_cast<int>(rng() % 3);
    for (int i = 0; i < n; ++i) {
      const uint64_t r = rng();
      s.Add(width == 0   ? static_cast<int16_t>(r)
            : width == 1 ? static_cast<int32_t>(r)
                         : static_cast<int64_t>(r));
    }
    std::string blob(s.bytes());
    const int flips = 1 + static_cast<int>(rng() % 3);
    for (int f = 0; f < flips; ++f) {
      blob[rng() % blob.size()] ^= static_cast<char>(1 + rng() % 255);
    }
    if (rng() % 4 == 0) blob.resize(rng() % (blob.size() + 1));
    // A heap copy of exactly the right size, so ASan sees any read past the end.
    std::vector<char> exact(blob.begin(), blob.end());
    const std::string_view view(exact.data(), exact.size());
    IntSet::Validate(view, false);
    if (IntSet::Validate(view, true)) {
      ++accepted;
      std::optional<IntSet> loaded = IntSet::FromBytes(view);
      ASSERT_TRUE(loaded.has_value());
      std::vector<int64_t> elems = Elements(*loaded);
      ASSERT_TRUE(std::is_sorted(elems.begin(), elems.end()));
      for (int64_t v : elems) ASSERT_TRUE(loaded->Contains(v));
      const int64_t extra = static_cast<int64_t>(rng());
      const bool had = loaded->Contains(extra);
      ASSERT_EQ(loaded->Add(extra), !had);
      ASSERT_TRUE(IntSet::Validate(loaded->bytes(), true));
    }
  }
  // Some flips land in element bytes without breaking the order; make sure that path ran.
  EXPECT_GT(accepted, 0);
}

}  // namespace
}  // namespace basalt
