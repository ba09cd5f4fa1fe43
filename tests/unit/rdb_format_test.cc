// Tests for persistence/rdb_format and lzf_codec: the length and string encodings at their
// boundaries (bytes as Redis writes them), LZF round trips, and bounds checks on bad input.
#include "persistence/rdb_format.h"

#include <gtest/gtest.h>

#include <string>

#include "persistence/lzf_codec.h"
#include "hex_util.h"

namespace basalt {
namespace {

using test::Hex;
using test::Unhex;

TEST(RdbFormatTest, LengthEncodingBoundaries) {
  struct Case {
    uint64_t len;
    const char* hex;
  } cases[] = {{0, "00"},           {63, "3f"},           {64, "4040"},
               {16383, "7fff"},     {16384, "8000004000"}, {UINT32_MAX, "80ffffffff"},
               {uint64_t{1} << 32, "810000000100000000"}};
  for (const Case& c : cases) {
    std::string out;
    RdbPutLength(&out, c.len);
    EXPECT_EQ(Hex(out), c.hex) << c.len;
    RdbInput in(out);
    EXPECT_EQ(in.ReadLength(), c.len);
    EXPECT_EQ(in.remaining(), 0u);
  }
}

TEST(RdbFormatTest, StringsUseIntegerEncodingWhenCanonical) {
  struct Case {
    const char* s;
    const char* hex;
  } cases[] = {{"12", "c00c"},          {"-128", "c080"},           {"300", "c12c01"},
               {"12345", "c13930"},     {"100000", "c2a0860100"},   {"012", "03303132"},
               {"4294967296", "0a34323934393637323936"}, {"", "00"}, {"+1", "022b31"}};
  for (const Case& c : cases) {
    std::string out;
    RdbPutString(&out, c.s, true);
    EXPECT_EQ(Hex(out), c.hex) << c.s;
    RdbInput in(out);
    EXPECT_EQ(in.ReadString(), std::string(c.s));
  }
}

TEST(RdbFormatTest, LongStringsAreCompressedLikeRedis) {
  std::string out;
  RdbPutString(&out, std::string(100, 'a'), true);
  // What redis-server 7.0 writes for 100 'a's (from its DUMP payload).
  EXPECT_EQ(Hex(out), "c3094064016161e05700016161");
  RdbInput in(out);
  EXPECT_EQ(in.ReadString(), std::string(100, 'a'));
  out.clear();
  RdbPutString(&out, std::string(100, 'a'), false);
  EXPECT_EQ(out.size(), 2 + 100u);
  // Incompressible strings stay raw.
  std::string noise;
  for (int i = 0; i < 64; ++i) noise.push_back(static_cast<char>(i * 97 + 13));
  out.clear();
  RdbPutString(&out, noise, true);
  EXPECT_EQ(out.size(), 2 + noise.size());  // 14-bit length + raw bytes
}

TEST(RdbFormatTest, LzfRoundTripAndCorruption) {
  std::string text;
  for (int i = 0; i < 200; ++i) text += "field" + std::to_string(i % 7);
  auto packed = LzfCompress(text);
  ASSERT_TRUE(packed);
  EXPECT_LT(packed->size(), text.size());
  EXPECT_EQ(LzfDecompress(*packed, text.size()), text);
  EXPECT_FALSE(LzfDecompress(*packed, text.size() - 1));
  EXPECT_FALSE(LzfDecompress(*packed, text.size() + 1));
  EXPECT_FALSE(LzfDecompress(*packed, size_t{1} << 31));  // absurd announced length
  EXPECT_FALSE(LzfCompress("abcd"));
}

TEST(RdbFormatTest, DoublesAndTimes) {
  std::string out;
  RdbPutBinaryDouble(&out, 2.5);
  RdbPutMillis(&out, 1700000000123);
  RdbInput in(out);
  EXPECT_EQ(in.ReadBinaryDouble(), 2.5);
  EXPECT_EQ(in.ReadMillis(), 1700000000123);
  std::string text = "\x03" "1.5" "\xfe";
  RdbInput t(text);
  EXPECT_EQ(t.ReadTextDouble(), 1.5);
  EXPECT_EQ(t.ReadTextDouble(), std::numeric_limits<double>::infinity());
}

TEST(RdbFormatTest, TruncatedInputFailsWithOffset) {
  std::string out;
  RdbPutString(&out, "hello world", false);
  for (size_t n = 0; n < out.size(); ++n) {
    RdbInput in(std::string_view(out).substr(0, n));
    EXPECT_FALSE(in.ReadString()) << n;
    EXPECT_FALSE(in.ok());
    EXPECT_LE(in.error_offset(), n);
  }
  // A count larger than the bytes left is refused before anything allocates.
  std::string count;
  RdbPutLength(&count, 1000000);
  RdbInput in(count);
  EXPECT_FALSE(in.ReadCount(1));
  EXPECT_EQ(in.error_offset(), 0u);
  // A compressed string whose payload does not decompress.
  std::string bad = "\xc3\x05\x40\x64" "abcde";
  RdbInput lzf(bad);
  EXPECT_FALSE(lzf.ReadString());
}

TEST(RdbFormatTest, ReadsFunctionRecordsOfBothFormats) {
  std::string error;
  std::string v2;
  RdbPutString(&v2, "#!lua name=lib\nreturn 1", false);
  RdbInput in2(v2);
  EXPECT_EQ(RdbReadFunctionCode(in2, kRdbOpFunction2, &error), "#!lua name=lib\nreturn 1");

  // 7.0-rc: name, engine, description flag (+ description), body.
  std::string pre;
  RdbPutString(&pre, "mylib", false);
  RdbPutString(&pre, "LUA", false);
  RdbPutLength(&pre, 1);
  RdbPutString(&pre, "a description", false);
  RdbPutString(&pre, "redis.register_function('f', function() return 1 end)", false);
  RdbInput in(pre);
  EXPECT_EQ(RdbReadFunctionCode(in, kRdbOpFunctionPreGa, &error),
            "#!LUA name=mylib\nredis.register_function('f', function() return 1 end)");

  // Truncations name the part that failed, with Redis's texts.
  const std::pair<size_t, const char*> cuts[] = {
      {0, "Failed loading library name"}, {6, "Failed loading engine name"},
      {10, "Failed loading library description indicator"},
      {11, "Failed loading library description"}, {pre.size() - 1, "Failed loading library blob"}};
  for (const auto& [n, want] : cuts) {
    RdbInput cut(std::string_view(pre).substr(0, n));
    EXPECT_FALSE(RdbReadFunctionCode(cut, kRdbOpFunctionPreGa, &error)) << n;
    EXPECT_EQ(error, want) << n;
  }
  RdbInput empty("");
  EXPECT_FALSE(RdbReadFunctionCode(empty, kRdbOpFunction2, &error));
  EXPECT_EQ(error, "Failed loading library payload");
}

}  // namespace
}  // namespace basalt
