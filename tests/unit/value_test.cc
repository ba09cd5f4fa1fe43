#include "types/value.h"

#include <gtest/gtest.h>

#include <string>

namespace basalt {
namespace {

std::string Str(const Value& v) {
  char scratch[kInt64StrLen];
  return std::string(v.StringView(scratch));
}

TEST(ValueTest, PicksRedisStringEncodings) {
  EXPECT_EQ(Value::String("12345").encoding(), Encoding::kInt);
  EXPECT_EQ(Value::String("-9223372036854775808").encoding(), Encoding::kInt);
  EXPECT_EQ(Value::String("9223372036854775808").encoding(), Encoding::kEmbStr);  // overflow
  EXPECT_EQ(Value::String("012").encoding(), Encoding::kEmbStr);  // not canonical
  EXPECT_EQ(Value::String(" 1").encoding(), Encoding::kEmbStr);
  EXPECT_EQ(Value::String(std::string(44, 'a')).encoding(), Encoding::kEmbStr);
  EXPECT_EQ(Value::String(std::string(45, 'a')).encoding(), Encoding::kRaw);
  EXPECT_EQ(Value::RawString("1").encoding(), Encoding::kRaw);
  EXPECT_STREQ(EncodingName(Value::String("x").encoding()), "embstr");
}

TEST(ValueTest, StringViewRoundTrips) {
  EXPECT_EQ(Str(Value::String("hello")), "hello");
  EXPECT_EQ(Str(Value::Int(-42)), "-42");
  EXPECT_EQ(Value::Int(-42).StringLength(), 3u);
  std::string binary("a\0b", 3);
  EXPECT_EQ(Str(Value::String(binary)), binary);
}

TEST(ValueTest, MutableStringPadsWithZerosAndBecomesRaw) {
  Value v = Value::Int(7);
  char* data = v.MutableString(4);
  EXPECT_EQ(v.encoding(), Encoding::kRaw);
  EXPECT_EQ(std::string(data, 4), std::string("7\0\0\0", 4));
  EXPECT_EQ(v.StringLength(), 4u);
}

TEST(ValueTest, AppendGrowsGeometrically) {
  Value v = Value::String("a");
  for (int i = 0; i < 10000; ++i) v.Append("b");
  EXPECT_EQ(v.StringLength(), 10001u);
  EXPECT_EQ(Str(v).substr(0, 3), "abb");
  EXPECT_LT(v.AllocatedBytes(), 3 * 10001u);
}

TEST(ValueTest, MoveAndClone) {
  Value a = Value::String(std::string(100, 'x'));
  Value b = a.Clone();
  Value c = std::move(a);
  EXPECT_EQ(Str(b), std::string(100, 'x'));
  EXPECT_EQ(Str(c), std::string(100, 'x'));
  c = Value::Int(1);
  EXPECT_TRUE(c.is_int());
}

TEST(ValueTest, LruIs24Bits) {
  Value v;
  v.set_lru(0x1FFFFFF);
  EXPECT_EQ(v.lru(), 0xFFFFFFu);
}

// Strings of up to 8 bytes live in the payload itself; longer ones move into an owner's
// trailing room only through AssignEmbedding (tested with DbEntry in db_entry_test.cc).
TEST(ValueInlineTest, ShortStringsNeedNoAllocation) {
  for (size_t len : {0, 1, 8}) {
    Value v = Value::String(std::string(len, 'x'));
    EXPECT_EQ(v.encoding(), Encoding::kEmbStr) << len;
    EXPECT_EQ(v.AllocatedBytes(), 0u) << len;
    EXPECT_EQ(Str(v), std::string(len, 'x'));
    EXPECT_EQ(v.RoomToEmbed(), 0u);
    Value moved = std::move(v);
    EXPECT_EQ(Str(moved), std::string(len, 'x'));
  }
  Value nine = Value::String("123456789x");
  EXPECT_GT(nine.AllocatedBytes(), 0u);
  EXPECT_EQ(nine.RoomToEmbed(), 2u);
  // Raw stays raw and on the heap whatever its length: OBJECT ENCODING must say raw.
  Value raw = Value::RawString("ab");
  EXPECT_EQ(raw.encoding(), Encoding::kRaw);
  EXPECT_EQ(raw.RoomToEmbed(), 0u);
  EXPECT_EQ(Value::Int(7).RoomToEmbed(), 0u);
  EXPECT_EQ(Value::String(std::string(kEmbStrMaxLen + 1, 'x')).RoomToEmbed(), 0u);
}

TEST(ValueInlineTest, InlineStringBecomesRawWhenEdited) {
  Value v = Value::String("abc");
  v.Append("def");
  EXPECT_EQ(v.encoding(), Encoding::kRaw);
  EXPECT_EQ(Str(v), "abcdef");
  EXPECT_GT(v.AllocatedBytes(), 0u);
  Value w = Value::String("xy");
  char* bytes = w.MutableString(4);
  bytes[3] = 'z';
  EXPECT_EQ(Str(w), std::string("xy\0z", 4));
}

TEST(ValueInlineTest, HostBitsBelongToTheSlot) {
  Value slot = Value::String("old");
  slot.set_host_bits(0xBEEF);
  slot = Value::Int(5);
  EXPECT_EQ(slot.host_bits(), 0xBEEF);
  slot.AssignEmbedding(Value::String("new"), 0);
  EXPECT_EQ(slot.host_bits(), 0xBEEF);
  Value taken = std::move(slot);
  EXPECT_EQ(taken.host_bits(), 0);
  EXPECT_EQ(slot.host_bits(), 0xBEEF);
  EXPECT_EQ(taken.Clone().host_bits(), 0);
}

}  // namespace
}  // namespace basalt
