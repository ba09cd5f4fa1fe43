// Tests for persistence/rdb_value and dump_payload: DUMP payloads byte-identical to the ones
// redis-server 7.0.15 produces for small values, round trips of every type and encoding
// (compared with DEBUG DIGEST-VALUE's digest), the legacy ziplist/zipmap decoders, and
// refusal of corrupt payloads (every truncation and every single-bit flip).
#include "persistence/rdb_value.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "db/database.h"
#include "db/digest.h"
#include "persistence/dump_payload.h"
#include "persistence/legacy_encodings.h"
#include "types/stream.h"
#include "hex_util.h"

namespace basalt {
namespace {

using test::Hex;
using test::Unhex;

std::string DigestOf(const Value& v) {
  KeyspaceStats stats;
  Database db(0, &stats);
  DbEntry* e = db.Add("k", v.Clone());
  Digest d;
  MixValueDigest(*e, &d);
  return d.Hex();
}

RdbLoadLimits DefaultLimits() {
  RdbLoadLimits l;
  l.hash.max_listpack_entries = 128;
  return l;
}

Value RoundTrip(const Value& v, RdbSaveOptions opts = {}) {
  std::string payload = CreateDumpPayload(v, opts);
  EXPECT_TRUE(VerifyDumpPayload(payload));
  RdbLoadedValue out = DecodeDumpPayload(payload, DefaultLimits());
  EXPECT_TRUE(out.value.has_value());
  return out.value ? std::move(*out.value) : Value();
}

// Redis 7.0.15's DUMP of: SET s hello; SET i 12345; RPUSH l a b 1; SADD si 1 2 3;
// HSET h f v; ZADD z 1 a 2.5 b; SET big <100 x 'a'>.
struct RedisPayload {
  const char* name;
  const char* hex;
};
constexpr RedisPayload kRedisPayloads[] = {
    {"s", "000568656c6c6f0a006372df766534200a"},
    {"i", "00c139300a009d94ea2793fc08b9"},
    {"l", "1201020f0f00000003008161028162020101ff0a00e01bab4a47ce5922"},
    {"si", "0b0e02000000030000000100020003000a00a5025ce26d6e4d1b"},
    {"h", "100d0d0000000200816602817602ff0a0020f13d442354089d"},
    {"z", "1114140000000400816102010181620283322e3504ff0a00d44c6ea4f644d9d7"},
};

TEST(RdbValueTest, RedisPayloadsDecodeAndReencodeByteForByte) {
  for (const RedisPayload& p : kRedisPayloads) {
    std::string payload = Unhex(p.hex);
    ASSERT_TRUE(VerifyDumpPayload(payload)) << p.name;
    RdbLoadedValue v = DecodeDumpPayload(payload, DefaultLimits());
    ASSERT_TRUE(v.value) << p.name;
    EXPECT_EQ(Hex(CreateDumpPayload(*v.value, {})), p.hex) << p.name;
  }
}

TEST(RdbValueTest, RedisStreamPayloadWithGroup) {
  // XADD x 1-1 f v; XGROUP CREATE x g 0
  const std::string hex =
      "130110000000000000000100000000000000011d1d0000000a0001010001010181660200010201000100018176"
      "020401ff0101010101000001010167000081ffffffffffffffff00000a00ff9ad34b48b268ce";
  std::string payload = Unhex(hex);
  ASSERT_TRUE(VerifyDumpPayload(payload));
  RdbLoadedValue v = DecodeDumpPayload(payload, DefaultLimits());
  ASSERT_TRUE(v.value);
  const Stream& s = v.value->object<Stream>();
  EXPECT_EQ(s.length(), 1u);
  EXPECT_EQ(s.last_id(), (StreamID{1, 1}));
  ASSERT_EQ(s.groups().size(), 1u);
  EXPECT_EQ(s.groups().begin()->second->entries_read, kInvalidEntriesRead);
  EXPECT_EQ(Hex(CreateDumpPayload(*v.value, {})), hex);
}

TEST(RdbValueTest, VerifyRejectsBadChecksumVersionAndLength) {
  std::string payload = Unhex(kRedisPayloads[0].hex);
  EXPECT_FALSE(VerifyDumpPayload(payload.substr(0, 9)));
  std::string bad = payload;
  bad[1] ^= 1;
  EXPECT_FALSE(VerifyDumpPayload(bad));
  bad = payload;
  bad[bad.size() - 10] = 99;  // version 99
  EXPECT_FALSE(VerifyDumpPayload(bad));
}

TEST(RdbValueTest, CorruptPayloadsNeverDecodeOrCrash) {
  // Checksums are bypassed here (DecodeDumpPayload alone) to exercise the parser's own checks
  // on every prefix and every single-bit flip of each payload.
  for (const RedisPayload& p : kRedisPayloads) {
    const std::string payload = Unhex(p.hex);
    const std::string body = payload.substr(0, payload.size() - 10);
    for (size_t n = 0; n < body.size(); ++n) {
      std::string cut = body.substr(0, n) + payload.substr(payload.size() - 10);
      EXPECT_FALSE(DecodeDumpPayload(cut, DefaultLimits()).value) << p.name << " cut " << n;
    }
    for (size_t i = 0; i < body.size(); ++i) {
      for (int bit = 0; bit < 8; ++bit) {
        std::string flipped = payload;
        flipped[i] ^= static_cast<char>(1 << bit);
        // May decode to another valid value; must not crash or read out of bounds.
        (void)DecodeDumpPayload(flipped, DefaultLimits());
      }
    }
  }
}

TEST(RdbValueTest, EveryTypeAndEncodingRoundTrips) {
  std::vector<Value> values;
  values.push_back(Value::String("hello"));
  values.push_back(Value::Int(-5));
  values.push_back(Value::Int(INT64_MAX));
  values.push_back(Value::String(std::string(5000, 'x')));
  {
    std::vector<std::string> small = {"a", "1", "-7", "b"};
    values.push_back(MakeList(small, ListConfig{}));
    std::vector<std::string> big;
    for (int i = 0; i < 2000; ++i) big.push_back("element-" + std::to_string(i));
    big.push_back(std::string(20000, 'p'));  // a plain node
    values.push_back(MakeList(big, ListConfig{}));
  }
  {
    std::vector<std::string> ints = {"1", "2", "-300", "70000"};
    values.push_back(SetFromMembers(std::span<const std::string>(ints), SetLimits{}));
    std::vector<std::string> mixed = {"a", "b", "3"};
    values.push_back(SetFromMembers(std::span<const std::string>(mixed), SetLimits{}));
    std::vector<std::string> many;
    for (int i = 0; i < 1000; ++i) many.push_back("m" + std::to_string(i));
    values.push_back(SetFromMembers(std::span<const std::string>(many), SetLimits{}));
  }
  {
    HashLimits limits{128, 64};
    Value h = NewHash();
    HashSet(h, "f", "v", limits);
    HashSet(h, "n", "12", limits);
    values.push_back(std::move(h));
    Value big = NewHash();
    for (int i = 0; i < 500; ++i) HashSet(big, "f" + std::to_string(i), "v", limits);
    values.push_back(std::move(big));
  }
  {
    ZSetLimits limits;
    std::vector<ZSetEntry> small = {{"a", 1}, {"b", 2.5}, {"c", -1e300}};
    values.push_back(ZSetFromEntries(small, limits));
    std::vector<ZSetEntry> big;
    for (int i = 0; i < 300; ++i) big.push_back({"m" + std::to_string(i), i * 0.5});
    values.push_back(ZSetFromEntries(big, limits));
  }
  {
    auto s = std::make_unique<Stream>();
    for (uint64_t i = 1; i <= 250; ++i) {
      std::string n = std::to_string(i);
      std::vector<std::string_view> fv = {"f", n};
      if (i % 3 == 0) fv = {"other", "x", "f", n};
      s->Append(StreamID{1000 + i / 10, i}, fv, 4096, 100);
    }
    s->Delete(StreamID{1001, 10});
    s->set_max_deleted_id(StreamID{1001, 10});
    StreamGroup* g = s->CreateGroup("g", StreamID{1005, 50}, 50);
    bool created;
    StreamConsumer* c = g->GetOrCreateConsumer("alice", 123, &created);
    PendingEntry& pe = g->pel[StreamID{1002, 20}];
    pe.delivery_time = 99;
    pe.delivery_count = 3;
    pe.consumer = c;
    c->pel[StreamID{1002, 20}] = &pe;
    s->CreateGroup("empty", StreamID{0, 0}, kInvalidEntriesRead);
    values.push_back(Value::FromObject(ValueType::kStream, Encoding::kStream, std::move(s)));
  }
  for (bool compress : {true, false}) {
    RdbSaveOptions opts;
    opts.compress = compress;
    for (const Value& v : values) {
      Value back = RoundTrip(v, opts);
      EXPECT_EQ(back.type(), v.type());
      EXPECT_EQ(back.encoding(), v.encoding()) << TypeName(v.type()) << " " << EncodingName(v.encoding());
      EXPECT_EQ(DigestOf(back), DigestOf(v)) << TypeName(v.type()) << " " << EncodingName(v.encoding());
    }
  }
  // The stream's metadata and consumer groups survive.
  Value back = RoundTrip(values.back());
  const Stream& s = back.object<Stream>();
  const Stream& orig = values.back().object<Stream>();
  EXPECT_EQ(s.length(), orig.length());
  EXPECT_EQ(s.last_id(), orig.last_id());
  EXPECT_EQ(s.first_id(), orig.first_id());
  EXPECT_EQ(s.max_deleted_id(), orig.max_deleted_id());
  EXPECT_EQ(s.entries_added(), orig.entries_added());
  ASSERT_EQ(s.groups().size(), 2u);
  const StreamGroup& g = *s.groups().at("g");
  EXPECT_EQ(g.entries_read, 50);
  ASSERT_EQ(g.pel.size(), 1u);
  EXPECT_EQ(g.pel.begin()->second.delivery_count, 3u);
  EXPECT_EQ(g.pel.begin()->second.consumer->name, "alice");
  EXPECT_EQ(g.consumers.at("alice")->seen_time, 123);
  EXPECT_EQ(s.groups().at("empty")->entries_read, kInvalidEntriesRead);
}

TEST(RdbValueTest, LoadedEncodingsFollowTheThresholds) {
  std::vector<std::string> members;
  for (int i = 0; i < 20; ++i) members.push_back(std::to_string(i));
  Value set = SetFromMembers(std::span<const std::string>(members), SetLimits{});
  ASSERT_EQ(set.encoding(), Encoding::kIntset);
  RdbLoadLimits limits = DefaultLimits();
  limits.set.max_intset_entries = 10;
  RdbLoadedValue v = DecodeDumpPayload(CreateDumpPayload(set, {}), limits);
  ASSERT_TRUE(v.value);
  EXPECT_EQ(v.value->encoding(), Encoding::kHashtable);

  HashLimits hl{128, 64};
  Value h = NewHash();
  for (int i = 0; i < 10; ++i) HashSet(h, "f" + std::to_string(i), "v", hl);
  limits.hash.max_listpack_entries = 5;
  v = DecodeDumpPayload(CreateDumpPayload(h, {}), limits);
  ASSERT_TRUE(v.value);
  EXPECT_EQ(v.value->encoding(), Encoding::kHashtable);
}

TEST(RdbValueTest, ZiplistAndZipmapDecoding) {
  // zlbytes, zltail, zllen=3, "ab", int 5 (immediate), int16 1000, end.
  std::string zl;
  auto le = [&](uint64_t v, int n) {
    for (int i = 0; i < n; ++i) zl.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  };
  le(0, 4);
  le(0, 4);
  le(3, 2);
  zl += std::string("\x00\x02" "ab", 4);
  zl += std::string("\x04\xf6", 2);        // prevlen 4, immediate 5
  zl += std::string("\x02\xc0\xe8\x03", 4);  // prevlen 2, int16 1000
  zl.push_back('\xff');
  for (int i = 0; i < 4; ++i) zl[i] = static_cast<char>((zl.size() >> (8 * i)) & 0xff);
  auto elems = DecodeZiplist(zl);
  ASSERT_TRUE(elems);
  EXPECT_EQ(*elems, (std::vector<std::string>{"ab", "5", "1000"}));
  for (size_t n = 0; n < zl.size(); ++n) EXPECT_FALSE(DecodeZiplist(zl.substr(0, n))) << n;

  std::string zm = std::string("\x01\x01" "k" "\x02\x00" "vv" "\xff", 8);
  auto kv = DecodeZipmap(zm);
  ASSERT_TRUE(kv);
  EXPECT_EQ(*kv, (std::vector<std::string>{"k", "vv"}));
  for (size_t n = 0; n < zm.size(); ++n) EXPECT_FALSE(DecodeZipmap(zm.substr(0, n))) << n;
}

TEST(RdbValueTest, EmptyAndDuplicateCollectionsAreRefused) {
  // RDB_TYPE_SET with members a, a.
  const std::string body = std::string("\x02\x01" "a" "\x01" "a", 5);
  RdbInput in(body);
  RdbLoadedValue v = RdbReadValue(in, 2, DefaultLimits());
  EXPECT_FALSE(v.value);
  EXPECT_FALSE(in.ok());
  std::string empty = std::string("\x00", 1);
  RdbInput in2(empty);
  v = RdbReadValue(in2, 2, DefaultLimits());
  EXPECT_TRUE(in2.ok());
  EXPECT_TRUE(v.empty);
  RdbInput in3(std::string_view("\x00", 1));
  EXPECT_FALSE(RdbReadValue(in3, 6, DefaultLimits()).value);  // module
  EXPECT_FALSE(in3.ok());
}

}  // namespace
}  // namespace basalt
