// Tests for persistence/rdb_writer and rdb_reader: whole files round trip (databases, expiry,
// IDLE/FREQ, functions, aux fields), and the reader refuses, with an offset and never a crash,
// every truncation and every single-bit flip of a file, bad versions, module data, duplicated
// keys and out-of-range databases.
#include "persistence/rdb_reader.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "persistence/crc64.h"
#include "persistence/rdb_writer.h"

namespace basalt {
namespace {

struct LoadedKey {
  uint64_t db;
  std::string value;
  int64_t expire_ms;
  int64_t idle;
  int freq;
};

class CollectingTarget : public RdbLoadTarget {
 public:
  bool HasDb(uint64_t db) override { return db < 16; }
  void OnAux(std::string_view name, std::string_view value) override {
    aux[std::string(name)] = std::string(value);
  }
  bool OnFunction(std::string_view code, std::string* error) override {
    functions.emplace_back(code);
    return true;
  }
  bool OnKey(uint64_t db, std::string key, Value value, int64_t expire_ms, int64_t idle,
             int freq, std::string* error) override {
    std::string id = std::to_string(db) + ":" + key;
    if (keys.count(id) != 0) {
      *error = "duplicated key";
      return false;
    }
    char scratch[kInt64StrLen];
    std::string text = value.is_string() ? std::string(value.StringView(scratch)) : "<coll>";
    keys[id] = {db, text, expire_ms, idle, freq};
    return true;
  }
  std::map<std::string, std::string> aux;
  std::vector<std::string> functions;
  std::map<std::string, LoadedKey> keys;
};

std::string SampleFile(bool checksum = true) {
  StringSink sink;
  RdbSaveOptions opts;
  RdbWriter w(&sink, checksum, opts);
  EXPECT_TRUE(w.WriteHeader());
  w.WriteAux("redis-ver", "7.0.0");
  w.WriteAuxInt("redis-bits", 64);
  w.WriteFunction("#!lua name=lib\nredis.register_function('f', function() return 1 end)");
  w.WriteSelectDb(0, 3, 1);
  w.WriteEntry("a", Value::String("hello"), -1, -1, -1);
  w.WriteEntry("b", Value::Int(42), 4102444800000, 10, -1);
  w.WriteEntry("c", Value::String(std::string(300, 'z')), -1, -1, 7);
  w.WriteSelectDb(3, 1, 0);
  w.WriteEntry("a", Value::String("db3"), -1, -1, -1);
  EXPECT_TRUE(w.Finish());
  return sink.data;
}

RdbLoadOptions Options() {
  RdbLoadOptions o;
  o.now_ms = 1700000000000;
  return o;
}

TEST(RdbReaderTest, WholeFileRoundTrip) {
  std::string file = SampleFile();
  EXPECT_EQ(file.substr(0, 9), "REDIS0010");
  CollectingTarget t;
  RdbLoadResult r = LoadRdb(file, Options(), t);
  ASSERT_TRUE(r.ok) << r.error << " at " << r.offset;
  EXPECT_EQ(r.stats.version, 10);
  EXPECT_EQ(r.stats.keys_loaded, 4u);
  EXPECT_EQ(t.aux["redis-ver"], "7.0.0");
  EXPECT_EQ(t.aux["redis-bits"], "64");
  ASSERT_EQ(t.functions.size(), 1u);
  EXPECT_EQ(t.keys["0:a"].value, "hello");
  EXPECT_EQ(t.keys["0:b"].value, "42");
  EXPECT_EQ(t.keys["0:b"].expire_ms, 4102444800000);
  EXPECT_EQ(t.keys["0:b"].idle, 10);
  EXPECT_EQ(t.keys["0:c"].value, std::string(300, 'z'));
  EXPECT_EQ(t.keys["0:c"].freq, 7);
  EXPECT_EQ(t.keys["3:a"].value, "db3");
  // The trailer is the CRC-64 of everything before it.
  uint64_t stored = 0;
  for (int i = 0; i < 8; ++i) {
    stored |= uint64_t{static_cast<uint8_t>(file[file.size() - 8 + i])} << (8 * i);
  }
  EXPECT_EQ(stored, Crc64Of(0, std::string_view(file).substr(0, file.size() - 8)));
}

TEST(RdbReaderTest, ExpiredKeysAreDropped) {
  StringSink sink;
  RdbWriter w(&sink, true, {});
  w.WriteHeader();
  w.WriteSelectDb(0, 2, 2);
  w.WriteEntry("old", Value::String("x"), 1000, -1, -1);
  w.WriteEntry("new", Value::String("y"), 4102444800000, -1, -1);
  w.Finish();
  CollectingTarget t;
  RdbLoadResult r = LoadRdb(sink.data, Options(), t);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.stats.keys_loaded, 1u);
  EXPECT_EQ(r.stats.keys_expired, 1u);
  EXPECT_EQ(t.keys.count("0:old"), 0u);
}

TEST(RdbReaderTest, ChecksumZeroMeansUnchecked) {
  std::string file = SampleFile(/*checksum=*/false);
  EXPECT_EQ(file.substr(file.size() - 8), std::string(8, '\0'));
  CollectingTarget t;
  EXPECT_TRUE(LoadRdb(file, Options(), t).ok);
}

TEST(RdbReaderTest, EveryTruncationIsRefused) {
  const std::string file = SampleFile();
  for (size_t n = 0; n < file.size(); ++n) {
    CollectingTarget t;
    RdbLoadResult r = LoadRdb(std::string_view(file).substr(0, n), Options(), t);
    EXPECT_FALSE(r.ok) << n;
    EXPECT_FALSE(r.error.empty());
    EXPECT_LE(r.offset, n);
  }
}

TEST(RdbReaderTest, EveryBitFlipIsRefused) {
  const std::string file = SampleFile();
  for (size_t i = 0; i < file.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string flipped = file;
      flipped[i] ^= static_cast<char>(1 << bit);
      CollectingTarget t;
      RdbLoadResult r = LoadRdb(flipped, Options(), t);
      EXPECT_FALSE(r.ok) << "byte " << i << " bit " << bit;
    }
  }
}

TEST(RdbReaderTest, CrcErrorIsReported) {
  std::string file = SampleFile();
  file[file.size() - 3] ^= 0x10;
  CollectingTarget t;
  RdbLoadResult r = LoadRdb(file, Options(), t);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("CRC error"), std::string::npos);
  EXPECT_EQ(r.offset, file.size() - 8);
}

TEST(RdbReaderTest, VersionsModulesDatabasesAndDuplicates) {
  CollectingTarget t;
  EXPECT_FALSE(LoadRdb("REDIS0012\xff", Options(), t).ok);
  EXPECT_FALSE(LoadRdb("RADIS0010\xff", Options(), t).ok);
  // Version 4 files have no checksum.
  EXPECT_TRUE(LoadRdb(std::string("REDIS0004\xfe\x00\x00\x01" "k\x01v\xff", 17), Options(), t).ok);
  EXPECT_EQ(t.keys["0:k"].value, "v");

  CollectingTarget m;
  RdbLoadResult r = LoadRdb(std::string("REDIS0009\xf7\x01\x02\x02", 13), Options(), m);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("module"), std::string::npos);

  CollectingTarget d;
  r = LoadRdb(std::string("REDIS0009\xfe\x20", 11), Options(), d);  // SELECTDB 32
  EXPECT_FALSE(r.ok);

  CollectingTarget dup;
  r = LoadRdb(std::string("REDIS0004\x00\x01k\x01v\x00\x01k\x01w\xff", 20), Options(), dup);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.offset, 14u);
}

}  // namespace
}  // namespace basalt
