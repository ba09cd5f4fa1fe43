// Tests for types/bitmap: the fast paths are checked against bit-by-bit reference versions
// on random data; the BITFIELD overflow cases were checked against redis-server 7.0.15.
#include "types/bitmap.h"

#include <gtest/gtest.h>

#include <limits>
#include <random>
#include <string>
#include <vector>

namespace basalt {
namespace {

constexpr uint64_t k512Mb = 512ULL * 1024 * 1024;

int RefBit(std::string_view s, uint64_t pos) {
  if ((pos >> 3) >= s.size()) return 0;
  return (static_cast<uint8_t>(s[pos >> 3]) >> (7 - (pos & 7))) & 1;
}

std::string RandomBytes(std::mt19937_64& rng, size_t n, int density_percent) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n * 8; ++i) {
    if (static_cast<int>(rng() % 100) < density_percent)
      s[i >> 3] |= static_cast<char>(0x80 >> (i & 7));
  }
  return s;
}

// ---- ClampRange ----------------------------------------------------------------------------

TEST(BitmapTest, ClampRange) {
  IndexRange r = ClampRange(0, -1, 10);
  EXPECT_EQ(r.start, 0);
  EXPECT_EQ(r.end, 9);
  r = ClampRange(-3, -1, 10);
  EXPECT_EQ(r.start, 7);
  EXPECT_EQ(r.end, 9);
  r = ClampRange(-100, 100, 10);
  EXPECT_EQ(r.start, 0);
  EXPECT_EQ(r.end, 9);
  EXPECT_TRUE(ClampRange(5, 2, 10).empty());
  EXPECT_TRUE(ClampRange(0, -1, 0).empty());
  EXPECT_TRUE(ClampRange(20, 30, 10).empty());
  r = ClampRange(std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max(), 4);
  EXPECT_EQ(r.start, 0);
  EXPECT_EQ(r.end, 3);
}

// ---- PopCount ------------------------------------------------------------------------------

TEST(BitmapTest, PopCountKnownValues) {
  EXPECT_EQ(PopCount(""), 0u);
  EXPECT_EQ(PopCount("foobar"), 26u);  // the BITCOUNT documentation example
  EXPECT_EQ(PopCount(std::string(1000, '\xff')), 8000u);
  EXPECT_EQ(PopCountBits("foobar", 0, 47), 26u);
  EXPECT_EQ(PopCountBits("foobar", 8, 15), 6u);   // BITCOUNT foobar 1 1
  EXPECT_EQ(PopCountBits("foobar", 5, 30), 17u);  // BITCOUNT foobar 5 30 BIT
}

TEST(BitmapTest, PopCountMatchesReference) {
  std::mt19937_64 rng(1);
  for (int iter = 0; iter < 200; ++iter) {
    std::string s = RandomBytes(rng, 1 + rng() % 80, static_cast<int>(rng() % 101));
    uint64_t total = 0;
    for (uint64_t i = 0; i < s.size() * 8; ++i) total += RefBit(s, i);
    // Unaligned starting points exercise the word loop's tail handling.
    for (size_t skip = 0; skip < std::min<size_t>(s.size(), 9); ++skip) {
      uint64_t expected = 0;
      for (uint64_t i = skip * 8; i < s.size() * 8; ++i) expected += RefBit(s, i);
      EXPECT_EQ(PopCount(std::string_view(s).substr(skip)), expected);
    }
    EXPECT_EQ(PopCount(s), total);
    for (int k = 0; k < 20; ++k) {
      uint64_t a = rng() % (s.size() * 8), b = rng() % (s.size() * 8);
      if (a > b) std::swap(a, b);
      uint64_t expected = 0;
      for (uint64_t i = a; i <= b; ++i) expected += RefBit(s, i);
      EXPECT_EQ(PopCountBits(s, a, b), expected) << a << ".." << b;
    }
  }
}

// ---- FindBit -------------------------------------------------------------------------------

TEST(BitmapTest, FindBitKnownValues) {
  const std::string s("\xff\xf0\x00", 3);  // BITPOS documentation example
  EXPECT_EQ(FindBit(s, 0, 0, 23), 12);
  EXPECT_EQ(FindBit(s, 1, 0, 23), 0);
  EXPECT_EQ(FindBit(s, 1, 16, 23), -1);
  EXPECT_EQ(FindBit(s, 0, 0, 11), -1);
  EXPECT_EQ(FindBit(s, 1, 7, 15), 7);
  EXPECT_EQ(FindBit(s, 0, 13, 13), 13);
  EXPECT_EQ(FindBit(std::string(64, '\0'), 1, 0, 511), -1);
  EXPECT_EQ(FindBit(std::string(64, '\xff'), 0, 3, 508), -1);
}

TEST(BitmapTest, FindBitMatchesReference) {
  std::mt19937_64 rng(2);
  for (int iter = 0; iter < 300; ++iter) {
    // Mostly uniform strings with a rare odd bit: the word-skipping path must not miss it.
    const int density = iter % 3 == 0 ? 1 : (iter % 3 == 1 ? 99 : 50);
    std::string s = RandomBytes(rng, 1 + rng() % 100, density);
    for (int k = 0; k < 20; ++k) {
      uint64_t a = rng() % (s.size() * 8), b = rng() % (s.size() * 8);
      if (a > b) std::swap(a, b);
      for (int bit = 0; bit <= 1; ++bit) {
        int64_t expected = -1;
        for (uint64_t i = a; i <= b; ++i) {
          if (RefBit(s, i) == bit) {
            expected = static_cast<int64_t>(i);
            break;
          }
        }
        EXPECT_EQ(FindBit(s, bit, a, b), expected) << "bit " << bit << " in " << a << ".." << b;
      }
    }
  }
}

// ---- BitOp ---------------------------------------------------------------------------------

std::string RunBitOp(BitOpKind op, std::vector<std::string_view> sources) {
  std::string out(BitOpLength(sources), '?');
  BitOp(op, sources, std::span<char>(out.data(), out.size()));
  return out;
}

TEST(BitmapTest, BitOpKnownValues) {
  EXPECT_EQ(RunBitOp(BitOpKind::kAnd, {"foobar", "abcdef"}), "`bc`ab");
  EXPECT_EQ(RunBitOp(BitOpKind::kOr, {"\x01", "\x02\x04"}), "\x03\x04");
  EXPECT_EQ(RunBitOp(BitOpKind::kAnd, {"\xff\xff", "\x0f"}), std::string("\x0f\x00", 2));
  EXPECT_EQ(RunBitOp(BitOpKind::kXor, {"\xff", "\x0f\x0f"}), "\xf0\x0f");
  EXPECT_EQ(RunBitOp(BitOpKind::kNot, {std::string_view("\x00\xf0", 2)}), "\xff\x0f");
  EXPECT_EQ(RunBitOp(BitOpKind::kOr, {"", ""}), "");
  EXPECT_EQ(RunBitOp(BitOpKind::kAnd, {"", "abc"}), std::string(3, '\0'));
}

TEST(BitmapTest, BitOpMatchesReference) {
  std::mt19937_64 rng(3);
  for (int iter = 0; iter < 100; ++iter) {
    std::vector<std::string> inputs;
    const size_t n = 1 + rng() % 5;
    for (size_t i = 0; i < n; ++i) inputs.push_back(RandomBytes(rng, rng() % 70, 50));
    std::vector<std::string_view> views(inputs.begin(), inputs.end());
    size_t max_len = 0;
    for (auto& s : inputs) max_len = std::max(max_len, s.size());
    for (BitOpKind op : {BitOpKind::kAnd, BitOpKind::kOr, BitOpKind::kXor, BitOpKind::kNot}) {
      std::string expected(max_len, '\0');
      for (size_t i = 0; i < max_len; ++i) {
        auto at = [&](size_t k) {
          return i < inputs[k].size() ? static_cast<uint8_t>(inputs[k][i]) : 0;
        };
        uint8_t v = at(0);
        if (op == BitOpKind::kNot) v = static_cast<uint8_t>(~v);
        for (size_t k = 1; op != BitOpKind::kNot && k < n; ++k) {
          if (op == BitOpKind::kAnd) v &= at(k);
          if (op == BitOpKind::kOr) v |= at(k);
          if (op == BitOpKind::kXor) v ^= at(k);
        }
        expected[i] = static_cast<char>(v);
      }
      EXPECT_EQ(RunBitOp(op, views), expected);
    }
  }
}

// ---- BITFIELD parsing ----------------------------------------------------------------------

TEST(BitmapTest, ParseBitfieldType) {
  auto t = ParseBitfieldType("i8");
  ASSERT_TRUE(t);
  EXPECT_TRUE(t->is_signed);
  EXPECT_EQ(t->bits, 8);
  t = ParseBitfieldType("u63");
  ASSERT_TRUE(t);
  EXPECT_FALSE(t->is_signed);
  EXPECT_EQ(t->bits, 63);
  EXPECT_TRUE(ParseBitfieldType("i64"));
  EXPECT_TRUE(ParseBitfieldType("u1"));
  for (std::string_view bad :
       {"u64", "i65", "i0", "u0", "I8", "U8", "", "i", "8", "i-1", "i08", "i 8", "x8"}) {
    EXPECT_FALSE(ParseBitfieldType(bad)) << bad;
  }
}

TEST(BitmapTest, ParseBitOffset) {
  EXPECT_EQ(ParseBitOffset("0", 0, k512Mb), 0u);
  EXPECT_EQ(ParseBitOffset("4294967295", 0, k512Mb), 4294967295u);
  EXPECT_FALSE(ParseBitOffset("4294967296", 0, k512Mb));
  EXPECT_FALSE(ParseBitOffset("-1", 0, k512Mb));
  EXPECT_FALSE(ParseBitOffset("abc", 0, k512Mb));
  EXPECT_FALSE(ParseBitOffset("", 0, k512Mb));
  EXPECT_FALSE(ParseBitOffset("#3", 0, k512Mb));  // '#' only with BITFIELD
  EXPECT_EQ(ParseBitOffset("#3", 8, k512Mb), 24u);
  EXPECT_EQ(ParseBitOffset("5", 8, k512Mb), 5u);
  EXPECT_FALSE(ParseBitOffset("#", 8, k512Mb));
  EXPECT_FALSE(ParseBitOffset("#-1", 8, k512Mb));
  EXPECT_FALSE(ParseBitOffset("8388608", 0, 1024 * 1024));  // byte 1 MB with a 1 MB limit
  EXPECT_EQ(ParseBitOffset("8388607", 0, 1024 * 1024), 8388607u);
  // The product wraps as in Redis: 2^60 * 8 = 2^63 is negative, 2^60 * 16 = 2^64 is 0.
  EXPECT_FALSE(ParseBitOffset("#1152921504606846976", 8, k512Mb));
  EXPECT_EQ(ParseBitOffset("#1152921504606846976", 16, k512Mb), 0u);
}

// ---- Field access --------------------------------------------------------------------------

TEST(BitmapTest, FieldLayoutIsMostSignificantBitFirst) {
  // Redis's bitops.c example: u5 at offset 7 set to 23 gives 00000001 01110000.
  std::string s(2, '\0');
  SetField(s.data(), 7, 5, 23);
  EXPECT_EQ(s, std::string("\x01\x70", 2));
  EXPECT_EQ(GetUnsignedField(s, 7, 5), 23u);
  EXPECT_EQ(GetSignedField(s, 7, 5), -9);
  // Byte-aligned fields are big endian.
  std::string w(8, '\0');
  SetField(w.data(), 0, 32, 0x01020304);
  EXPECT_EQ(w.substr(0, 4), "\x01\x02\x03\x04");
  EXPECT_EQ(GetUnsignedField(w, 8, 16), 0x0203u);
}

TEST(BitmapTest, FieldReadsPastEndAsZero) {
  EXPECT_EQ(GetUnsignedField("", 100, 64), 0u);
  EXPECT_EQ(GetUnsignedField("\xff", 4, 8), 0xf0u);
  EXPECT_EQ(GetSignedField("\xff", 0, 16), -256);
  EXPECT_EQ(GetUnsignedField("\xff", 0, 63), 0x7f80000000000000u);
}

TEST(BitmapTest, FieldRoundTripMatchesReference) {
  std::mt19937_64 rng(4);
  for (int iter = 0; iter < 2000; ++iter) {
    std::string s = RandomBytes(rng, 20, 50);
    const int bits = 1 + static_cast<int>(rng() % 64);
    const uint64_t offset = rng() % (20 * 8 - bits + 1);
    const uint64_t value = rng();
    std::string before = s;
    SetField(s.data(), offset, bits, value);
    for (uint64_t i = 0; i < 160; ++i) {
      int expected = (i >= offset && i < offset + bits) ? (value >> (bits - 1 - (i - offset))) & 1
                                                        : RefBit(before, i);
      ASSERT_EQ(RefBit(s, i), expected) << "bit " << i << " bits " << bits << " at " << offset;
    }
    const uint64_t mask = bits == 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
    EXPECT_EQ(GetUnsignedField(s, offset, bits), value & mask);
    int64_t sign_extended = static_cast<int64_t>(value & mask);
    if (bits < 64 && ((value >> (bits - 1)) & 1)) sign_extended |= static_cast<int64_t>(~mask);
    EXPECT_EQ(GetSignedField(s, offset, bits), sign_extended);
  }
}

// ---- Overflow ------------------------------------------------------------------------------

constexpr BitfieldType kI8{true, 8};
constexpr BitfieldType kU8{false, 8};
constexpr BitfieldType kI64{true, 64};
constexpr BitfieldType kU63{false, 63};
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

void ExpectOutcome(FieldOutcome got, bool overflow, int64_t value) {
  EXPECT_EQ(got.overflow, overflow);
  EXPECT_EQ(got.value, value);
}

TEST(BitmapTest, FieldAddInRange) {
  ExpectOutcome(FieldAdd(kI8, 100, 27, BitfieldOverflow::kFail), false, 127);
  ExpectOutcome(FieldAdd(kI8, -100, -28, BitfieldOverflow::kFail), false, -128);
  ExpectOutcome(FieldAdd(kU8, 200, 55, BitfieldOverflow::kFail), false, 255);
  ExpectOutcome(FieldAdd(kU8, 5, -5, BitfieldOverflow::kFail), false, 0);
  ExpectOutcome(FieldAdd(kI64, kMax - 5, 5, BitfieldOverflow::kFail), false, kMax);
  ExpectOutcome(FieldAdd(kI64, 0, kMin, BitfieldOverflow::kFail), false, kMin);
}

TEST(BitmapTest, FieldAddSigned) {
  ExpectOutcome(FieldAdd(kI8, 127, 1, BitfieldOverflow::kWrap), true, -128);
  ExpectOutcome(FieldAdd(kI8, 127, 1, BitfieldOverflow::kSat), true, 127);
  EXPECT_TRUE(FieldAdd(kI8, 127, 1, BitfieldOverflow::kFail).overflow);
  ExpectOutcome(FieldAdd(kI8, -128, -1, BitfieldOverflow::kWrap), true, 127);
  ExpectOutcome(FieldAdd(kI8, -128, -1, BitfieldOverflow::kSat), true, -128);
  ExpectOutcome(FieldAdd(kI8, 0, kMax, BitfieldOverflow::kWrap), true, -1);
  // SET i8 200 (checked as 200 + 0).
  ExpectOutcome(FieldAdd(kI8, 200, 0, BitfieldOverflow::kWrap), true, -56);
  ExpectOutcome(FieldAdd(kI8, 200, 0, BitfieldOverflow::kSat), true, 127);
  ExpectOutcome(FieldAdd(kI64, kMin, -1, BitfieldOverflow::kWrap), true, kMax);
  ExpectOutcome(FieldAdd(kI64, kMin, -1, BitfieldOverflow::kSat), true, kMin);
  ExpectOutcome(FieldAdd(kI64, kMax, kMax, BitfieldOverflow::kSat), true, kMax);
  ExpectOutcome(FieldAdd(kI64, kMax, 1, BitfieldOverflow::kWrap), true, kMin);
  ExpectOutcome(FieldAdd(BitfieldType{true, 1}, 0, 1, BitfieldOverflow::kWrap), true, -1);
  // SET i16 -40000 saturates low, but a value within 2^15 of INT64_MIN saturates high, as in
  // Redis (its "room above the value" wraps around).
  constexpr BitfieldType kI16{true, 16};
  ExpectOutcome(FieldAdd(kI16, -40000, 0, BitfieldOverflow::kSat), true, -32768);
  ExpectOutcome(FieldAdd(kI16, kMin, 0, BitfieldOverflow::kSat), true, 32767);
  ExpectOutcome(FieldAdd(kI16, kMin + 32767, 0, BitfieldOverflow::kSat), true, 32767);
  ExpectOutcome(FieldAdd(kI16, kMin + 32768, 0, BitfieldOverflow::kSat), true, -32768);
  ExpectOutcome(FieldAdd(kI16, kMin, 0, BitfieldOverflow::kWrap), true, 0);
  EXPECT_TRUE(FieldAdd(kI16, kMin, 0, BitfieldOverflow::kFail).overflow);
}

TEST(BitmapTest, FieldAddUnsigned) {
  ExpectOutcome(FieldAdd(kU8, 255, 1, BitfieldOverflow::kWrap), true, 0);
  ExpectOutcome(FieldAdd(kU8, 255, 1, BitfieldOverflow::kSat), true, 255);
  ExpectOutcome(FieldAdd(kU8, 0, -1, BitfieldOverflow::kWrap), true, 255);
  ExpectOutcome(FieldAdd(kU8, 0, -1, BitfieldOverflow::kSat), true, 0);
  EXPECT_TRUE(FieldAdd(kU8, 0, -1, BitfieldOverflow::kFail).overflow);
  // SET u8 -1: -1 is read as 2^64-1, an overflow high, so it saturates to 255 (as Redis).
  ExpectOutcome(FieldAdd(kU8, -1, 0, BitfieldOverflow::kSat), true, 255);
  ExpectOutcome(FieldAdd(kU8, -1, 0, BitfieldOverflow::kWrap), true, 255);
  ExpectOutcome(FieldAdd(kU8, 256, 0, BitfieldOverflow::kWrap), true, 0);
  ExpectOutcome(FieldAdd(kU8, 256, 0, BitfieldOverflow::kSat), true, 255);
  ExpectOutcome(FieldAdd(kU63, 0, -1, BitfieldOverflow::kWrap), true, kMax);
  ExpectOutcome(FieldAdd(kU63, 0, -1, BitfieldOverflow::kSat), true, 0);
  ExpectOutcome(FieldAdd(kU63, kMax, kMax, BitfieldOverflow::kWrap), true, kMax - 1);
  ExpectOutcome(FieldAdd(kU63, 1, kMin, BitfieldOverflow::kSat), true, 0);
}

}  // namespace
}  // namespace basalt
