// The entry layout (db/db_entry.h) and the Value's inline strings it relies on: where a
// value's bytes go, what survives a reallocation (TTL, rename, move, overwrite), and that the
// table's scans and samples only ever hand out live entries.
#include "db/db_entry.h"

#include <gtest/gtest.h>
#include <malloc.h>

#include <set>
#include <string>
#include <vector>

#include "db/database.h"

namespace basalt {
namespace {

constexpr int64_t kNow = 1'000'000;

std::string StringOf(const Value& v) {
  char scratch[kInt64StrLen];
  return std::string(v.StringView(scratch));
}

std::string Key(int i) { return "key:" + std::to_string(100000000000 + i); }  // 16 bytes
std::string Val(int i) { return "val:" + std::to_string(100000000000 + i); }  // 16 bytes

// Embedding boundaries, as seen through Database::Add: a string of up to 44 bytes is held in
// the entry (no allocation of its own), one of 45 is not.
TEST(DbEntryTest, EmbedsStringsUpToTheEmbstrLimit) {
  KeyspaceStats stats;
  Database db(0, &stats);
  for (size_t len : {0, 7, 8, 9, 16, 43, 44, 45, 100}) {
    const std::string key = "k" + std::to_string(len);
    const std::string bytes(len, 'v');
    DbEntry* e = db.Add(key, Value::PlainString(bytes));
    EXPECT_EQ(e->key(), key);
    EXPECT_EQ(StringOf(e->value), bytes);
    const bool embedded = len <= kEmbStrMaxLen;
    EXPECT_EQ(e->value.AllocatedBytes() == 0, embedded) << len;
    EXPECT_EQ(e->value.encoding(), embedded ? Encoding::kEmbStr : Encoding::kRaw) << len;
    EXPECT_EQ(e->value_room(), len > 8 && embedded ? len - 8 : 0) << len;
    EXPECT_GE(malloc_usable_size(e), DbEntry::SizeFor(key, e->value_room(), false));
  }
}

TEST(DbEntryTest, SmallStringKeyFitsJemallocs48ByteClass) {
  KeyspaceStats stats;
  Database db(0, &stats);
  DbEntry* e = db.Add(Key(1), Value::String(Val(1)));
  EXPECT_EQ(DbEntry::SizeFor(Key(1), e->value_room(), false), 48u);
  EXPECT_EQ(DbEntry::SizeFor(Key(1), e->value_room(), true), 60u);
}

TEST(DbEntryTest, ShortAndLongKeys) {
  KeyspaceStats stats;
  Database db(0, &stats);
  for (size_t len : {0, 1, 254, 255, 256, 5000}) {
    const std::string key(len, static_cast<char>('a' + len % 26));
    DbEntry* e = db.Add(key, Value::String("some value 123"), kNow + 100);
    EXPECT_EQ(e->key(), key) << len;
    EXPECT_EQ(e->expire_ms(), kNow + 100) << len;
    EXPECT_EQ(StringOf(e->value), "some value 123");
  }
  for (size_t len : {0, 1, 254, 255, 256, 5000}) {
    const std::string key(len, static_cast<char>('a' + len % 26));
    EXPECT_NE(db.Lookup(key, kNow), nullptr) << len;
  }
  EXPECT_EQ(db.expires_count(), 6u);
}

TEST(DbEntryTest, TtlAddRemoveOnEmbeddedEntry) {
  KeyspaceStats stats;
  Database db(0, &stats);
  for (int i = 0; i < 10; ++i) db.Add(Key(i), Value::String(Val(i)), kNow + 1000 + i);
  DbEntry* e = db.Add("plain", Value::String("embedded value!"));
  e->value.set_lru(77);
  EXPECT_FALSE(e->has_expire());
  EXPECT_EQ(e->expire_ms(), kNoExpire);

  DbEntry* with_ttl = db.SetExpire(e, kNow + 50);  // needs the expire slot: reallocated
  EXPECT_TRUE(with_ttl->has_expire());
  EXPECT_EQ(with_ttl->expire_ms(), kNow + 50);
  EXPECT_EQ(with_ttl->key(), "plain");
  EXPECT_EQ(StringOf(with_ttl->value), "embedded value!");
  EXPECT_EQ(with_ttl->value.AllocatedBytes(), 0u);
  EXPECT_EQ(with_ttl->value.lru(), 77u);
  EXPECT_EQ(db.Lookup("plain", kNow), with_ttl);
  EXPECT_EQ(db.expires_count(), 11u);

  // Removing and re-adding a TTL keeps the slot: the entry stays where it is.
  EXPECT_EQ(db.SetExpire(with_ttl, kNoExpire), with_ttl);
  EXPECT_FALSE(with_ttl->has_expire());
  EXPECT_EQ(db.expires_count(), 10u);
  EXPECT_EQ(db.SetExpire(with_ttl, kNow + 60), with_ttl);
  EXPECT_EQ(db.SetExpire(with_ttl, kNow + 70), with_ttl);
  EXPECT_EQ(with_ttl->expire_ms(), kNow + 70);
  EXPECT_EQ(db.expires_count(), 11u);

  // The volatile list points at live entries: active expiry frees exactly the expired ones.
  // Sampling is random: enough cycles that every expired key is found.
  size_t expired = 0;
  for (int i = 0; i < 100; ++i) expired += db.ActiveExpireCycle(kNow + 1005, 100000, 0);
  EXPECT_EQ(expired, 6u);  // "plain" and Key(0..4)
  EXPECT_EQ(db.size(), 5u);
  EXPECT_EQ(db.Lookup("plain", kNow + 1005), nullptr);
  EXPECT_NE(db.Lookup(Key(5), kNow + 1005), nullptr);
}

TEST(DbEntryTest, OverwriteReallocatesForALongerShortString) {
  KeyspaceStats stats;
  Database db(0, &stats);
  db.Add("other", Value::Int(1), kNow + 500);
  DbEntry* e = db.Add("k", Value::String("short"), kNow + 100);
  DbEntry* same = db.Set("k", Value::String("tiny"), kNow, /*keep_ttl=*/true);
  EXPECT_EQ(same, e);  // fits in the room it has
  DbEntry* bigger = db.Set("k", Value::String(std::string(40, 'b')), kNow, true);
  EXPECT_EQ(StringOf(bigger->value), std::string(40, 'b'));
  EXPECT_EQ(bigger->value.AllocatedBytes(), 0u);
  EXPECT_EQ(bigger->expire_ms(), kNow + 100);
  EXPECT_EQ(db.Lookup("k", kNow), bigger);
  // Back to a shorter one in the same entry; then a value that cannot be embedded.
  EXPECT_EQ(db.Set("k", Value::String("again"), kNow, true), bigger);
  EXPECT_EQ(StringOf(bigger->value), "again");
  DbEntry* raw = db.Set("k", Value::String(std::string(100, 'r')), kNow, false);
  EXPECT_EQ(raw, bigger);
  EXPECT_FALSE(raw->has_expire());
  EXPECT_EQ(StringOf(raw->value), std::string(100, 'r'));
  EXPECT_EQ(db.expires_count(), 1u);
  EXPECT_EQ(db.ActiveExpireCycle(kNow + 1000, 100000, 0), 1u);
  EXPECT_EQ(db.size(), 1u);
}

TEST(DbEntryTest, SetWithExpireAllocatesTheSlotOnce) {
  KeyspaceStats stats;
  Database db(0, &stats);
  DbEntry* fresh = db.Set(Key(1), Value::String(Val(1)), kNow, false, kNow + 10);
  EXPECT_TRUE(fresh->has_expire_slot());
  EXPECT_EQ(fresh->expire_ms(), kNow + 10);
  EXPECT_EQ(db.Set(Key(1), Value::String(Val(2)), kNow, false, kNow + 20), fresh);
  EXPECT_EQ(fresh->expire_ms(), kNow + 20);
  EXPECT_EQ(StringOf(fresh->value), Val(2));

  db.Add(Key(2), Value::String(Val(2)));  // no slot yet
  DbEntry* later = db.Set(Key(2), Value::String(Val(3)), kNow, false, kNow + 30);
  EXPECT_EQ(later->expire_ms(), kNow + 30);
  EXPECT_EQ(StringOf(later->value), Val(3));
  EXPECT_EQ(db.Lookup(Key(2), kNow), later);
  EXPECT_EQ(db.expires_count(), 2u);

  // Plain SET drops the TTL; KEEPTTL keeps it.
  EXPECT_EQ(db.Set(Key(1), Value::String("x"), kNow, /*keep_ttl=*/true), fresh);
  EXPECT_EQ(fresh->expire_ms(), kNow + 20);
  EXPECT_EQ(db.Set(Key(1), Value::String("y"), kNow), fresh);
  EXPECT_FALSE(fresh->has_expire());
  EXPECT_EQ(db.expires_count(), 1u);
  EXPECT_EQ(db.Lookup(Key(2), kNow + 31), nullptr);  // lazily expired through the new entry
  EXPECT_EQ(db.expires_count(), 0u);
}

// SetString gives what Set(key, Value::String(bytes)) gives, at every length and encoding.
TEST(DbEntryTest, SetStringMatchesSetWithAValue) {
  KeyspaceStats stats;
  Database a(0, &stats);
  Database b(1, &stats);
  const std::string kinds[] = {"",        "12345",          "-7",  "abcdefgh",
                               "0123456789", std::string(44, 'e'), "007", std::string(45, 'r'),
                               "9223372036854775808", std::string(20, '9')};
  int64_t deadline = kNow + 100;
  for (const std::string& first : kinds) {
    for (const std::string& second : kinds) {
      for (int ttl_mode = 0; ttl_mode < 3; ++ttl_mode) {
        const bool keep = ttl_mode == 1;
        const int64_t expire = ttl_mode == 2 ? ++deadline : kNoExpire;
        a.SetString("k", first, 5, kNow, false, kNow + 50);
        b.Set("k", Value::String(first), kNow, false, kNow + 50);
        DbEntry* ea = a.SetString("k", second, 9, kNow, keep, expire);
        DbEntry* eb = b.Set("k", Value::String(second), kNow, keep, expire);
        eb->value.set_lru(9);
        EXPECT_EQ(StringOf(ea->value), second);
        EXPECT_EQ(ea->value.encoding(), eb->value.encoding()) << first << " -> " << second;
        EXPECT_EQ(ea->value.AllocatedBytes(), eb->value.AllocatedBytes());
        EXPECT_EQ(ea->value.lru(), 9u);
        EXPECT_EQ(ea->expire_ms(), eb->expire_ms());
        EXPECT_EQ(a.Lookup("k", kNow), ea);
        EXPECT_EQ(a.expires_count(), b.expires_count());
      }
    }
  }
  DbEntry* fresh = a.SetString("new", "a sixteen-byte v", 3, kNow, false, kNow + 7);
  EXPECT_EQ(fresh->value.AllocatedBytes(), 0u);
  EXPECT_EQ(fresh->value.lru(), 3u);
  EXPECT_EQ(fresh->expire_ms(), kNow + 7);
  EXPECT_EQ(a.Lookup("new", kNow), fresh);
}

TEST(DbEntryTest, ValueMovedOutOwnsItsBytes) {
  KeyspaceStats stats;
  Database db(0, &stats);
  DbEntry* e = db.Add(Key(1), Value::String(Val(1)));
  Value taken = std::move(e->value);  // what lazyfree and RESTORE-style callers do
  EXPECT_GT(taken.AllocatedBytes(), 0u);
  EXPECT_EQ(e->key(), Key(1));  // the entry's own fields survive the move
  db.Delete(Key(1));
  EXPECT_EQ(StringOf(taken), Val(1));
}

TEST(DbEntryTest, RenameAndMoveKeepTheEmbeddedValue) {
  KeyspaceStats stats;
  Database a(0, &stats);
  Database b(1, &stats);
  DbEntry* e = a.Add(Key(1), Value::String(Val(1)), kNow + 100);
  DbEntry* renamed = a.MoveEntry(e, a, Key(2));
  EXPECT_EQ(renamed->key(), Key(2));
  EXPECT_EQ(StringOf(renamed->value), Val(1));
  EXPECT_EQ(renamed->value.AllocatedBytes(), 0u);
  EXPECT_EQ(renamed->expire_ms(), kNow + 100);
  DbEntry* moved = a.MoveEntry(renamed, b, renamed->key());
  EXPECT_EQ(moved->key(), Key(2));
  EXPECT_EQ(StringOf(moved->value), Val(1));
  EXPECT_EQ(moved->value.AllocatedBytes(), 0u);
  EXPECT_EQ(a.size() + a.expires_count(), 0u);
  EXPECT_EQ(b.expires_count(), 1u);
  EXPECT_EQ(b.Lookup(Key(2), kNow), moved);
}

// A scan that runs while entries move (first TTLs) and the table grows still returns every
// key present throughout.
TEST(DbEntryTest, ScanAcrossReallocationAndResize) {
  KeyspaceStats stats;
  Database db(0, &stats);
  constexpr int kKeys = 2000;
  for (int i = 0; i < kKeys; ++i) db.Add(Key(i), Value::String(Val(i)));
  std::set<std::string> seen;
  uint64_t cursor = 0;
  int step = 0;
  int next_new = kKeys;
  do {
    cursor = db.Scan(cursor, [&](DbEntry* e) { seen.insert(std::string(e->key())); });
    // Between steps: give some keys their first TTL (each moves) and add keys (growth).
    for (int j = 0; j < 10; ++j) {
      const int i = (step * 10 + j) % kKeys;
      if (DbEntry* e = db.Lookup(Key(i), kNow)) db.SetExpire(e, kNow + 100000);
    }
    if (step % 4 == 0) {
      db.Add(Key(next_new), Value::String(Val(next_new)));
      ++next_new;
    }
    ++step;
  } while (cursor != 0);
  for (int i = 0; i < kKeys; ++i) EXPECT_TRUE(seen.count(Key(i))) << Key(i);
  for (int i = 0; i < kKeys; ++i) {
    DbEntry* e = db.Lookup(Key(i), kNow);
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(StringOf(e->value), Val(i));
  }
}

TEST(DbEntryTest, SamplesAreLiveEntriesAfterReallocation) {
  KeyspaceStats stats;
  Database db(0, &stats);
  constexpr int kKeys = 500;
  for (int i = 0; i < kKeys; ++i) db.Add(Key(i), Value::String(Val(i)));
  for (int i = 0; i < kKeys; i += 2) db.SetExpire(db.Lookup(Key(i), kNow), kNow + 1000 + i);
  FastRng rng(42);
  std::vector<DbEntry*> sample(16);
  for (int round = 0; round < 50; ++round) {
    const size_t n = db.SampleEntries(sample.data(), sample.size(), rng);
    for (size_t j = 0; j < n; ++j) EXPECT_EQ(db.FindRaw(sample[j]->key()), sample[j]);
    const size_t v = db.SampleVolatileEntries(sample.data(), sample.size(), rng);
    for (size_t j = 0; j < v; ++j) {
      EXPECT_TRUE(sample[j]->has_expire());
      EXPECT_EQ(db.FindRaw(sample[j]->key()), sample[j]);
    }
    DbEntry* r = db.RandomEntry(kNow, rng);
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(db.FindRaw(r->key()), r);
    DbEntry* ev = db.RandomEntryForEviction(true, rng);
    ASSERT_NE(ev, nullptr);
    EXPECT_TRUE(ev->has_expire());
  }
}

}  // namespace
}  // namespace basalt
