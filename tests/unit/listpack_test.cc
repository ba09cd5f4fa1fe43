// Tests for types/listpack: byte-exact blobs against redis-server 7.0.15, every encoding
// boundary, a randomized model check against std::deque, and validation of corrupt blobs.
//
// How the expected blobs were produced (redis-server 7.0.15 from Debian):
//   redis-server --port 7777 --save '' --enable-debug-command yes --daemonize yes
//   redis-cli -p 7777 config set rdbcompression no   # DUMP would LZF-compress the blob
//   RPUSH l <values...>; DUMP l
// A list's DUMP payload (RDB_TYPE_LIST_QUICKLIST_2) is: 0x12, node count (0x01), container
// (0x02 = packed), then the node's listpack as an RDB string (length prefix: 00LLLLLL,
// 01LLLLLL LLLLLLLL, or 0x80 + 4-byte big-endian length), then version and CRC. A hash's
// (RDB_TYPE_HASH_LISTPACK) is 0x10 followed by the listpack string. The helper that cut the
// blob out (Python, redis-py):
//   def rdb_len(b, i):
//       t = b[i] >> 6
//       if t == 0: return b[i] & 0x3f, i + 1
//       if t == 1: return ((b[i] & 0x3f) << 8) | b[i+1], i + 2
//       return int.from_bytes(b[i+1:i+5], 'big'), i + 5           # 0x80
//   d = r.dump('l'); n, i = rdb_len(d, 1); c, i = rdb_len(d, i); ln, i = rdb_len(d, i)
//   print(d[i:i+ln].hex())
#include "types/listpack.h"
#include "hex_util.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <random>
#include <string>
#include <vector>

namespace basalt {
namespace {

using test::Hex;
using test::Unhex;

using Pos = ListpackPos;
using Where = Listpack::Where;

uint64_t Fnv1a(std::string_view bytes) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::vector<std::string> Contents(const Listpack& lp) {
  std::vector<std::string> out;
  for (ListpackEntry e : lp.view()) out.push_back(e.ToString());
  return out;
}

std::vector<std::string> ContentsBackwards(const Listpack& lp) {
  std::vector<std::string> out;
  for (Pos p = lp.Last(); p; p = lp.Prev(p)) out.push_back(lp.Get(p).ToString());
  return {out.rbegin(), out.rend()};
}

bool ValidateDeep(std::string_view blob, size_t* count = nullptr) {
  return Listpack::Validate(blob, /*deep=*/true, count);
}

// ---- Byte-exact against redis-server 7.0 ----------------------------------------------------

TEST(ListpackTest, EmptyIsTheRedisEmptyBlobAndAllocatesNothing) {
  Listpack lp;
  EXPECT_EQ(Hex(lp.bytes()), "070000000000ff");
  EXPECT_EQ(lp.size(), 0u);
  EXPECT_TRUE(lp.empty());
  EXPECT_EQ(lp.AllocatedBytes(), 0u);
  EXPECT_FALSE(lp.First());
  EXPECT_FALSE(lp.Last());
  EXPECT_FALSE(lp.Seek(0));
  EXPECT_FALSE(lp.Seek(-1));
  EXPECT_EQ(sizeof(Listpack), sizeof(void*));
}

// RPUSH l 0 127 128 -1 -4096 4095 4096 -4097 32767 -32768 32768 -32769 8388607 -8388608
//         8388608 -8388609 2147483647 -2147483648 2147483648 -2147483649
//         9223372036854775807 -9223372036854775808
const std::vector<std::string> kIntBoundaries = {
    "0",        "127",        "128",         "-1",         "-4096",       "4095",
    "4096",     "-4097",      "32767",       "-32768",     "32768",       "-32769",
    "8388607",  "-8388608",   "8388608",     "-8388609",   "2147483647",  "-2147483648",
    "2147483648", "-2147483649", "9223372036854775807", "-9223372036854775808"};
constexpr std::string_view kIntBoundariesBlob =
    "7b000000160000017f01c08002dfff02d00002cfff02f1001003f1ffef03f1ff7f03f1008003f200800004f2"
    "ff7fff04f2ffff7f04f200008004f30000800005f3ffff7fff05f3ffffff7f05f30000008005f40000008000"
    "00000009f4ffffff7fffffffff09f4ffffffffffffff7f09f4000000000000008009ff";

TEST(ListpackTest, IntegerEncodingsMatchRedis) {
  Listpack from_strings;
  Listpack from_ints;
  for (const std::string& s : kIntBoundaries) {
    from_strings.Append(s);
    from_ints.Append(static_cast<int64_t>(std::stoll(s)));
  }
  EXPECT_EQ(Hex(from_strings.bytes()), kIntBoundariesBlob);
  EXPECT_EQ(Hex(from_ints.bytes()), kIntBoundariesBlob);
  EXPECT_EQ(Contents(from_strings), kIntBoundaries);
  EXPECT_EQ(ContentsBackwards(from_strings), kIntBoundaries);
}

TEST(ListpackTest, IntegerEntrySizesPerEncoding) {
  struct Case {
    int64_t v;
    size_t entry_bytes;
  };
  const Case cases[] = {
      {0, 2},         {127, 2},       {128, 3},       {-1, 3},        {-4096, 3},
      {4095, 3},      {4096, 4},      {-4097, 4},     {32767, 4},     {-32768, 4},
      {32768, 5},     {-32769, 5},    {8388607, 5},   {-8388608, 5},  {8388608, 6},
      {-8388609, 6},  {INT32_MAX, 6}, {INT32_MIN, 6}, {int64_t{INT32_MAX} + 1, 10},
      {int64_t{INT32_MIN} - 1, 10},   {INT64_MAX, 10}, {INT64_MIN, 10}};
  for (const Case& c : cases) {
    Listpack lp;
    lp.Append(c.v);
    EXPECT_EQ(lp.bytes_len(), 7 + c.entry_bytes) << c.v;
    ListpackEntry e = lp.Get(lp.First());
    EXPECT_TRUE(e.is_int) << c.v;
    EXPECT_EQ(e.ival, c.v);
    EXPECT_TRUE(ValidateDeep(lp.bytes()));
  }
}

// RPUSH l "" a <63 x> <64 y> -0 01 +1 9223372036854775808 " 1" 1.5 "a\0b\r\n"
TEST(ListpackTest, StringEncodingsMatchRedis) {
  const std::vector<std::string> values = {"",
                                           "a",
                                           std::string(63, 'x'),
                                           std::string(64, 'y'),
                                           "-0",
                                           "01",
                                           "+1",
                                           "9223372036854775808",
                                           " 1",
                                           "1.5",
                                           std::string("a\0b\r\n", 5)};
  const std::string expected = Unhex("c10000000b00 8001 816102 bf") + std::string(63, 'x') +
                               Unhex("40 e040") + std::string(64, 'y') +
                               Unhex("42 822d3003 82303103 822b3103") + Unhex("93") +
                               "9223372036854775808" + Unhex("14") +
                               Unhex("82203103 83312e3504 856100620d0a06 ff");
  Listpack lp;
  for (const std::string& v : values) lp.Append(v);
  EXPECT_EQ(Hex(lp.bytes()), Hex(expected));
  EXPECT_EQ(Contents(lp), values);
  for (Pos p = lp.First(); p; p = lp.Next(p)) EXPECT_FALSE(lp.Get(p).is_int);
}

// RPUSH l <n times 'z'>, one value per list; the prefix and suffix printed by Redis.
TEST(ListpackTest, LongStringsAndBacklenBoundariesMatchRedis) {
  struct Case {
    size_t n;
    const char* head;  // header + encoding
    const char* tail;  // backlen + terminator
    size_t total;
  };
  const Case cases[] = {
      {4095, "0a1000000100efff", "2081ff", 4106},                  // 12-bit string at its limit
      {4096, "0e1000000100f000100000", "2085ff", 4110},            // 32-bit string
      {16376, "064000000100f0f83f0000", "7ffdff", 16390},
      {16377, "074000000100f0f93f0000", "7ffeff", 16391},          // entry 16382: 2 bytes
      {16378, "094000000100f0fa3f0000", "00ffffff", 16393},        // entry 16383: 3 ('<')
      {2097145, "080020000100f0f9ff1f00", "7ffffeff", 2097160},
      {2097146, "0a0020000100f0faff1f00", "00ffffffff", 2097162},  // 4-byte backlen
  };
  for (const Case& c : cases) {
    Listpack lp;
    lp.Append(std::string(c.n, 'z'));
    std::string expected = Unhex(c.head) + std::string(c.n, 'z') + Unhex(c.tail);
    ASSERT_EQ(lp.bytes_len(), c.total) << c.n;
    EXPECT_TRUE(lp.bytes() == expected) << c.n;
    EXPECT_EQ(lp.Get(lp.First()).sval.size(), c.n);
    EXPECT_EQ(lp.Last(), lp.First());
    size_t count = 0;
    EXPECT_TRUE(ValidateDeep(lp.bytes(), &count));
    EXPECT_EQ(count, 1u);
    // A neighbour after the long entry must find its way back over the long backlen.
    lp.Append(int64_t{7});
    EXPECT_EQ(lp.Prev(lp.Last()), lp.First());
  }
}

// RPUSH l a b c 1 2 3; LINSERT l BEFORE c 99999; LINSERT l AFTER 3 hello; LSET l 0 -5;
// LREM l 1 b; LPUSH l first; LSET l 2 <70 x>
TEST(ListpackTest, EditSequenceMatchesRedis) {
  Listpack lp;
  for (const char* v : {"a", "b", "c", "1", "2", "3"}) lp.Append(v);
  lp.Insert(lp.Find(lp.First(), "c"), Where::kBefore, "99999");
  lp.Insert(lp.Find(lp.First(), "3"), Where::kAfter, "hello");
  lp.Replace(lp.Seek(0), "-5");
  lp.Delete(lp.Find(lp.First(), "b"));
  lp.Prepend("first");
  lp.Replace(lp.Seek(2), std::string(70, 'x'));
  EXPECT_EQ(Hex(lp.bytes()), "6a000000080085666972737406dffb02e046" + Hex(std::string(70, 'x')) +
                                 "488163020101020103018568656c6c6f06ff");
  EXPECT_EQ(Contents(lp), (std::vector<std::string>{"first", "-5", std::string(70, 'x'), "c",
                                                    "1", "2", "3", "hello"}));
}

// HSET h name basalt n 42 (hash-max-listpack-*: defaults); DUMP h gives 10 1a <blob> ...
TEST(ListpackTest, HashBlobFromRedisLoadsAndReads) {
  std::string blob = Unhex("1a000000040084 6e616d6505 86626173616c7407 816e02 2a01 ff");
  ASSERT_EQ(blob.size(), 0x1au);
  std::optional<Listpack> lp = Listpack::FromBytes(blob);
  ASSERT_TRUE(lp);
  EXPECT_EQ(lp->size(), 4u);
  Pos field = lp->Find(lp->First(), "n", /*skip=*/1);
  ASSERT_TRUE(field);
  ListpackEntry value = lp->Get(lp->Next(field));
  EXPECT_TRUE(value.is_int);
  EXPECT_EQ(value.ival, 42);
  // "basalt" is a value, not a field: searching fields only must not find it.
  EXPECT_FALSE(lp->Find(lp->First(), "basalt", 1));
  EXPECT_TRUE(lp->Find(lp->First(), "basalt", 0));
  Listpack rebuilt;
  for (const char* v : {"name", "basalt", "n", "42"}) rebuilt.Append(v);
  EXPECT_EQ(rebuilt.bytes(), blob);
}

// CONFIG SET hash-max-listpack-entries 100000; HSET h f0 -1000 f1 -993 ... f39999 278993
// (field "f<i>", value i*7-1000, in batches of 2000 fields): 80000 entries, so the header
// count is 65535 ("unknown"). Blob: 503326 bytes, FNV-1a 64 0x5c9366d47a47d61a.
TEST(ListpackTest, UnknownCountHeaderMatchesRedis) {
  Listpack lp;
  lp.Reserve(600000);  // one allocation: sanitizer builds copy on every realloc
  for (int i = 0; i < 40000; ++i) {
    lp.Append("f" + std::to_string(i));
    lp.Append(std::to_string(i * 7 - 1000));
  }
  EXPECT_EQ(lp.bytes_len(), 503326u);
  EXPECT_EQ(Hex(lp.bytes().substr(0, 12)), "1eae0700ffff82663003dc18");
  EXPECT_EQ(Fnv1a(lp.bytes()), 0x5c9366d47a47d61aULL);
  EXPECT_EQ(lp.size(), 80000u);
  EXPECT_EQ(lp.view().size(), 80000u);
  EXPECT_EQ(lp.Get(lp.Seek(-1)).ival, 39999 * 7 - 1000);
  EXPECT_EQ(lp.Get(lp.Seek(79998)).ToString(), "f39999");
  size_t count = 0;
  EXPECT_TRUE(ValidateDeep(lp.bytes(), &count));
  EXPECT_EQ(count, 80000u);
  // Deleting back below 65535 leaves the header unknown until size() recounts it.
  lp.DeleteRange(int64_t{0}, 80000 - 65534);
  EXPECT_EQ(Hex(lp.bytes().substr(4, 2)), "ffff");
  EXPECT_EQ(lp.size(), 65534u);
  EXPECT_EQ(Hex(lp.bytes().substr(4, 2)), "feff");
  lp.Append("x");
  EXPECT_EQ(Hex(lp.bytes().substr(4, 2)), "ffff");
  EXPECT_EQ(lp.size(), 65535u);
}

// ---- Canonical integers ---------------------------------------------------------------------

TEST(ListpackTest, OnlyCanonicalIntegerStringsBecomeIntegers) {
  for (const char* s : {"0", "-1", "9223372036854775807", "-9223372036854775808", "10"}) {
    Listpack lp;
    lp.Append(s);
    EXPECT_TRUE(lp.Get(lp.First()).is_int) << s;
    EXPECT_EQ(lp.Get(lp.First()).ToString(), s);
  }
  for (const char* s : {"", "-", "-0", "00", "01", "+1", " 1", "1 ", "1.0", "0x10",
                        "9223372036854775808", "-9223372036854775809", "123456789012345678901"}) {
    Listpack lp;
    lp.Append(s);
    EXPECT_FALSE(lp.Get(lp.First()).is_int) << s;
    EXPECT_EQ(lp.Get(lp.First()).sval, s);
  }
}

TEST(ListpackTest, FindComparesIntegersAsIntegers) {
  Listpack lp;
  for (const char* v : {"k1", "100", "k2", "-7", "007", "x", "k3", "100"}) lp.Append(v);
  EXPECT_EQ(lp.Find(lp.First(), "100"), lp.Seek(1));
  EXPECT_EQ(lp.Find(lp.First(), int64_t{100}), lp.Seek(1));
  EXPECT_EQ(lp.Find(lp.Next(lp.Seek(1)), "100"), lp.Seek(7));
  EXPECT_EQ(lp.Find(lp.First(), "007"), lp.Seek(4));  // a string entry, matched as bytes
  EXPECT_FALSE(lp.Find(lp.First(), int64_t{7}));      // "007" is not the integer 7
  EXPECT_EQ(lp.Find(lp.First(), int64_t{-7}), lp.Seek(3));
  EXPECT_FALSE(lp.Find(lp.First(), "0100"));
  EXPECT_FALSE(lp.Find(lp.First(), "-7", /*skip=*/1));  // -7 sits at an odd index
  EXPECT_EQ(lp.Find(lp.Seek(1), "-7", 1), lp.Seek(3));
  EXPECT_TRUE(lp.Get(lp.Seek(1)).Equals("100"));
  EXPECT_FALSE(lp.Get(lp.Seek(1)).Equals("100.0"));
  EXPECT_TRUE(lp.Get(lp.Seek(4)).Equals("007"));
}

// ---- Positions and editing ------------------------------------------------------------------

TEST(ListpackTest, SeekAndDeleteRangeFollowRedisIndexRules) {
  Listpack lp;
  for (int i = 0; i < 10; ++i) lp.Append(int64_t{i});
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(lp.Get(lp.Seek(i)).ival, i);
    EXPECT_EQ(lp.Get(lp.Seek(-10 + i)).ival, i);
  }
  EXPECT_FALSE(lp.Seek(10));
  EXPECT_FALSE(lp.Seek(-11));
  lp.DeleteRange(int64_t{-3}, 100);  // past the end: trims
  EXPECT_EQ(Contents(lp), (std::vector<std::string>{"0", "1", "2", "3", "4", "5", "6"}));
  lp.DeleteRange(int64_t{1}, 2);
  EXPECT_EQ(Contents(lp), (std::vector<std::string>{"0", "3", "4", "5", "6"}));
  lp.DeleteRange(int64_t{5}, 1);  // out of range: nothing
  lp.DeleteRange(int64_t{0}, 0);
  EXPECT_EQ(lp.size(), 5u);
  Pos next = lp.DeleteRange(lp.Seek(3), 5);
  EXPECT_FALSE(next);
  next = lp.Delete(lp.First());
  EXPECT_EQ(next, lp.First());
  EXPECT_EQ(Contents(lp), (std::vector<std::string>{"3", "4"}));
  lp.DeleteRange(int64_t{0}, 2);
  EXPECT_TRUE(lp.empty());
  EXPECT_EQ(Hex(lp.bytes()), "070000000000ff");
}

TEST(ListpackTest, InsertAndReplaceReturnTheNewEntry) {
  Listpack lp;
  lp.Append("b");
  Pos a = lp.Insert(lp.First(), Where::kBefore, "a");
  EXPECT_EQ(lp.Get(a).sval, "a");
  Pos c = lp.Insert(lp.Last(), Where::kAfter, int64_t{3000});
  EXPECT_EQ(lp.Get(c).ival, 3000);
  Pos r = lp.Replace(lp.Seek(1), std::string(100, 'q'));
  EXPECT_EQ(lp.Get(r).sval, std::string(100, 'q'));
  EXPECT_EQ(lp.Get(lp.Next(r)).ival, 3000);
  r = lp.Replace(r, int64_t{-1});
  EXPECT_EQ(Contents(lp), (std::vector<std::string>{"a", "-1", "3000"}));
  lp.Prepend(int64_t{5});
  EXPECT_EQ(Contents(lp), (std::vector<std::string>{"5", "a", "-1", "3000"}));
}

TEST(ListpackTest, MoveAndMemoryFigures) {
  Listpack a;
  for (int i = 0; i < 100; ++i) a.Append("member:" + std::to_string(i));
  std::string before(a.bytes());
  EXPECT_GE(a.AllocatedBytes(), a.bytes_len());
  Listpack b(std::move(a));
  EXPECT_EQ(b.bytes(), before);
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): moved-from is empty
  a = std::move(b);
  EXPECT_EQ(a.bytes(), before);
  a.Reserve(1 << 16);
  EXPECT_GE(a.AllocatedBytes(), size_t{1} << 16);
  a.ShrinkToFit();
  EXPECT_LT(a.AllocatedBytes(), size_t{1} << 16);
  EXPECT_EQ(a.bytes(), before);
  EXPECT_TRUE(a.SafeToAdd(1000));
  EXPECT_FALSE(a.SafeToAdd(Listpack::kMaxSafetySize));
  a.Clear();
  EXPECT_EQ(a.AllocatedBytes(), 0u);
  Listpack reserved;
  reserved.Reserve(100);
  EXPECT_EQ(Hex(reserved.bytes()), "070000000000ff");
  reserved.Append("x");
  EXPECT_EQ(reserved.size(), 1u);
}

// ---- Randomized model check -----------------------------------------------------------------

std::string RandomValue(std::mt19937_64& rng) {
  switch (rng() % 10) {
    case 0:
      return std::to_string(static_cast<int64_t>(rng() % 256) - 128);
    case 1:
      return std::to_string(static_cast<int64_t>(rng()));
    case 2:
      return std::to_string(static_cast<int64_t>(rng() % 20000000) - 10000000);
    case 3: {
      const char* odd[] = {"-0", "007", "+5", "", "1e3", " 1", "-", "18446744073709551616"};
      return odd[rng() % 8];
    }
    case 4:
      return std::string(60 + rng() % 10, static_cast<char>('a' + rng() % 26));
    case 5:
      return std::string(120 + rng() % 20, 'b');
    case 6:
      if (rng() % 20 == 0) return std::string(4090 + rng() % 12, 'c');
      [[fallthrough]];
    default: {
      std::string s(rng() % 12, '\0');
      for (char& ch : s) ch = static_cast<char>(rng());
      return s;
    }
  }
}

TEST(ListpackTest, RandomOperationsMatchDequeModel) {
  std::mt19937_64 rng(20240611);
  Listpack lp;
  // Reading gives back exactly what was written (canonical integers print as they were
  // parsed), so the model holds the raw strings.
  std::deque<std::string> model;
  for (int op = 0; op < 10000; ++op) {
    size_t n = model.size();
    int kind = static_cast<int>(rng() % 9);
    std::string v = RandomValue(rng);
    if (kind <= 1 || n == 0) {
      lp.Append(v);
      model.push_back(v);
    } else if (kind == 2) {
      lp.Prepend(v);
      model.push_front(v);
    } else if (kind == 3) {
      size_t i = rng() % n;
      bool after = rng() % 2;
      Pos at = lp.Seek(static_cast<int64_t>(i));
      Pos p = lp.Insert(at, after ? Where::kAfter : Where::kBefore, v);
      model.insert(model.begin() + static_cast<long>(i + (after ? 1 : 0)), v);
      ASSERT_EQ(lp.Get(p).ToString(), v);
    } else if (kind == 4) {
      size_t i = rng() % n;
      Pos p = lp.Replace(lp.Seek(-static_cast<int64_t>(n - i)), v);
      model[i] = v;
      ASSERT_EQ(lp.Get(p).ToString(), v);
    } else if (kind == 5) {
      size_t i = rng() % n;
      Pos next = lp.Delete(lp.Seek(static_cast<int64_t>(i)));
      model.erase(model.begin() + static_cast<long>(i));
      if (i < model.size()) {
        ASSERT_EQ(lp.Get(next).ToString(), model[i]);
      } else {
        ASSERT_FALSE(next);
      }
    } else if (kind == 6 && rng() % 4 == 0) {
      size_t i = rng() % n;
      size_t count = rng() % 6;
      lp.DeleteRange(static_cast<int64_t>(i), count);
      model.erase(model.begin() + static_cast<long>(i),
                  model.begin() + static_cast<long>(std::min(n, i + count)));
    } else if (kind == 7) {
      size_t i = rng() % n;
      ASSERT_EQ(lp.Get(lp.Seek(static_cast<int64_t>(i))).ToString(), model[i]);
      ASSERT_EQ(lp.Get(lp.Seek(static_cast<int64_t>(i) - static_cast<int64_t>(n))).ToString(),
                model[i]);
    } else {
      size_t i = rng() % n;
      Pos found = lp.Find(lp.First(), model[i]);
      ASSERT_TRUE(found);
      ASSERT_TRUE(lp.Get(found).Equals(model[i]));
    }
    ASSERT_EQ(lp.size(), model.size());
    if (op % 97 == 0 || op > 9990) {
      std::vector<std::string> expected(model.begin(), model.end());
      ASSERT_EQ(Contents(lp), expected) << "op " << op;
      ASSERT_EQ(ContentsBackwards(lp), expected) << "op " << op;
      size_t count = 0;
      ASSERT_TRUE(ValidateDeep(lp.bytes(), &count));
      ASSERT_EQ(count, model.size());
      // Rebuilding by appends gives the same bytes: edits leave no trace in the format.
      Listpack rebuilt;
      for (const std::string& s : model) rebuilt.Append(s);
      ASSERT_EQ(rebuilt.bytes(), lp.bytes());
    }
  }
}

TEST(ListpackTest, NextAndPrevAreSymmetric) {
  std::mt19937_64 rng(7);
  Listpack lp;
  for (int i = 0; i < 2000; ++i) lp.Append(RandomValue(rng));
  std::vector<Pos> forward;
  for (Pos p = lp.First(); p; p = lp.Next(p)) forward.push_back(p);
  std::vector<Pos> backward;
  for (Pos p = lp.Last(); p; p = lp.Prev(p)) backward.push_back(p);
  ASSERT_EQ(forward.size(), 2000u);
  ASSERT_EQ(std::vector<Pos>(backward.rbegin(), backward.rend()), forward);
  for (size_t i = 0; i + 1 < forward.size(); ++i) {
    ASSERT_EQ(lp.Next(forward[i]), forward[i + 1]);
    ASSERT_EQ(lp.Prev(forward[i + 1]), forward[i]);
  }
  EXPECT_FALSE(lp.Prev(lp.First()));
  EXPECT_FALSE(lp.Next(lp.Last()));
}

// ---- Validation of untrusted blobs ----------------------------------------------------------

// Reads everything a validated blob offers, from an exactly-sized heap copy so that
// AddressSanitizer sees any read past its end.
size_t ExerciseValidated(std::string_view blob) {
  std::vector<char> copy(blob.begin(), blob.end());
  ListpackView view(std::string_view(copy.data(), copy.size()));
  size_t n = 0;
  size_t checksum = 0;
  for (Pos p = view.First(); p; p = view.Next(p)) {
    ListpackEntry e = view.Get(p);
    checksum += e.is_int ? static_cast<size_t>(e.ival) : e.sval.size();
    ++n;
  }
  size_t back = 0;
  for (Pos p = view.Last(); p; p = view.Prev(p)) ++back;
  EXPECT_EQ(back, n);
  EXPECT_EQ(view.size(), n);
  view.Find(view.First(), "needle", 1);
  view.Seek(-1);
  return checksum;
}

TEST(ListpackTest, ValidateRejectsMalformedBlobs) {
  Listpack lp;
  for (const char* v : {"a", "12345", "hello world", "-3"}) lp.Append(v);
  lp.Append(std::string(300, 'z'));
  const std::string good(lp.bytes());
  size_t count = 0;
  ASSERT_TRUE(ValidateDeep(good, &count));
  EXPECT_EQ(count, 5u);
  EXPECT_TRUE(Listpack::Validate(good, false, &count));
  EXPECT_EQ(count, 5u);

  // Every truncation, with or without the header fixed up to the shorter length.
  for (size_t len = 0; len < good.size(); ++len) {
    std::string cut = good.substr(0, len);
    EXPECT_FALSE(ValidateDeep(cut)) << len;
    if (len >= 7) {
      cut[0] = static_cast<char>(len);
      cut[1] = static_cast<char>(len >> 8);
      cut.back() = static_cast<char>(0xFF);
      EXPECT_FALSE(ValidateDeep(cut)) << len;
    }
  }
  auto mutate = [&good](size_t at, uint8_t byte) {
    std::string s = good;
    s[at] = static_cast<char>(byte);
    return s;
  };
  EXPECT_FALSE(ValidateDeep(mutate(good.size() - 1, 0x00)));                // no terminator
  EXPECT_FALSE(Listpack::Validate(mutate(0, good[0] + 1), false, nullptr));  // wrong total
  EXPECT_FALSE(ValidateDeep(mutate(4, 4)));                                  // wrong count
  EXPECT_TRUE(ValidateDeep(mutate(4, 0xFF).replace(5, 1, "\xff")));  // unknown count is fine
  EXPECT_FALSE(ValidateDeep(mutate(6, 0xF5)));  // no such encoding
  EXPECT_FALSE(ValidateDeep(mutate(6, 0xFF)));  // terminator too early
  EXPECT_FALSE(ValidateDeep(mutate(6, 0x85)));  // string length past its backlen
  EXPECT_FALSE(ValidateDeep(mutate(8, 0x03)));  // wrong backlen
  EXPECT_FALSE(ValidateDeep(mutate(6, 0xF0)));  // 32-bit length way past the end
  // A deep check is what catches entry damage; a shallow one only sees the frame.
  EXPECT_TRUE(Listpack::Validate(mutate(6, 0xF5), false, nullptr));
  EXPECT_FALSE(Listpack::FromBytes(mutate(6, 0xF5)));
  EXPECT_TRUE(Listpack::FromBytes(mutate(6, 0xF5), /*deep=*/false));
  // A backlen padded with a leading zero group decodes to the right value but is not what
  // Redis writes, and would make Prev land mid-entry: rejected.
  Listpack one;
  one.Append("a");  // entry 81 61 02
  std::string padded = std::string(one.bytes().substr(0, 8)) + Unhex("0082") + "\xff";
  padded[0] = static_cast<char>(padded.size());
  EXPECT_FALSE(ValidateDeep(padded));
}

TEST(ListpackTest, ValidateSurvivesRandomCorruption) {
  std::mt19937_64 rng(99);
  std::vector<std::string> seeds;
  for (int k = 0; k < 8; ++k) {
    Listpack lp;
    int n = 1 + static_cast<int>(rng() % 40);
    for (int i = 0; i < n; ++i) lp.Append(RandomValue(rng));
    seeds.emplace_back(lp.bytes());
  }
  seeds.push_back(Unhex(kIntBoundariesBlob));
  int accepted = 0;
  for (int iter = 0; iter < 30000; ++iter) {
    std::string blob = seeds[rng() % seeds.size()];
    int flips = 1 + static_cast<int>(rng() % 3);
    for (int f = 0; f < flips; ++f) {
      size_t at = rng() % blob.size();
      // Aim at the header and near the start half of the time: that is where lengths live.
      if (rng() % 2) at = rng() % std::min<size_t>(blob.size(), 16);
      blob[at] = static_cast<char>(rng() % 3 == 0 ? (blob[at] ^ (1 << (rng() % 8))) : rng());
    }
    if (rng() % 8 == 0) blob.resize(rng() % (blob.size() + 1));
    std::vector<char> exact(blob.begin(), blob.end());
    size_t count = 0;
    if (Listpack::Validate(std::string_view(exact.data(), exact.size()), true, &count)) {
      ++accepted;
      (void)ExerciseValidated(blob);
      Listpack::FromBytes(blob)->Append("still usable");
    }
  }
  // Some flips land in string data and leave a valid blob; most must be rejected.
  RecordProperty("accepted", accepted);
  EXPECT_GT(accepted, 0);
  EXPECT_LT(accepted, 30000);
}

}  // namespace
}  // namespace basalt
