#include "db/database.h"

#include <gtest/gtest.h>

#include <string>

namespace basalt {
namespace {

constexpr int64_t kNow = 1'000'000;

std::string StringOf(const DbEntry* e) {
  char scratch[kInt64StrLen];
  return std::string(e->value.StringView(scratch));
}

TEST(DatabaseMoveEntryTest, RenameWithinDatabaseKeepsValueTtlAndLru) {
  KeyspaceStats stats;
  Database db(0, &stats);
  DbEntry* e = db.Add("src", Value::String("hello"), kNow + 5000);
  e->value.set_lru(1234);
  db.Add("other", Value::String("x"));
  ASSERT_EQ(db.expires_count(), 1u);

  DbEntry* moved = db.MoveEntry(e, db, "dst");
  EXPECT_EQ(moved->key(), "dst");
  EXPECT_EQ(StringOf(moved), "hello");
  EXPECT_EQ(moved->expire_ms(), kNow + 5000);
  EXPECT_EQ(moved->value.lru(), 1234u);
  EXPECT_EQ(db.Lookup("src", kNow), nullptr);
  EXPECT_EQ(db.Lookup("dst", kNow), moved);
  EXPECT_EQ(db.size(), 2u);
  EXPECT_EQ(db.expires_count(), 1u);

  // The volatile list must point at the new entry: active expiry finds and frees it.
  EXPECT_EQ(db.ActiveExpireCycle(kNow + 6000, 1000), 1u);
  EXPECT_EQ(db.size(), 1u);
  EXPECT_EQ(db.expires_count(), 0u);
}

TEST(DatabaseMoveEntryTest, MoveToAnotherDatabaseUsingItsOwnKey) {
  KeyspaceStats stats;
  Database a(0, &stats);
  Database b(1, &stats);
  DbEntry* e = a.Add("key", Value::Int(42));
  // new_key aliases the entry's own key bytes, which MoveEntry frees.
  DbEntry* moved = a.MoveEntry(e, b, e->key());
  EXPECT_EQ(moved->key(), "key");
  EXPECT_TRUE(moved->value.is_int());
  EXPECT_EQ(moved->value.int_value(), 42);
  EXPECT_FALSE(moved->has_expire());
  EXPECT_EQ(a.size(), 0u);
  EXPECT_EQ(b.size(), 1u);
  EXPECT_EQ(b.expires_count(), 0u);
  EXPECT_EQ(b.Lookup("key", kNow), moved);
}

TEST(DatabaseMoveEntryTest, MoveVolatileKeyUpdatesBothExpireLists) {
  KeyspaceStats stats;
  Database a(0, &stats);
  Database b(1, &stats);
  for (int i = 0; i < 100; ++i) {
    a.Add("k" + std::to_string(i), Value::Int(i), kNow + 1000 + i);
  }
  for (int i = 0; i < 100; i += 2) {
    std::string key = "k" + std::to_string(i);
    a.MoveEntry(a.Lookup(key, kNow), b, key);
  }
  EXPECT_EQ(a.size(), 50u);
  EXPECT_EQ(a.expires_count(), 50u);
  EXPECT_EQ(b.size(), 50u);
  EXPECT_EQ(b.expires_count(), 50u);
  for (int i = 0; i < 100; ++i) {
    std::string key = "k" + std::to_string(i);
    Database& owner = i % 2 == 0 ? b : a;
    DbEntry* e = owner.Lookup(key, kNow);
    ASSERT_NE(e, nullptr) << key;
    EXPECT_EQ(e->expire_ms(), kNow + 1000 + i);
    EXPECT_EQ(e->value.int_value(), i);
  }
  // Every key is past its deadline here: each database expires exactly its own keys.
  while (b.ActiveExpireCycle(kNow + 5000, 100000) > 0) {
  }
  EXPECT_EQ(b.size(), 0u);
  EXPECT_EQ(b.expires_count(), 0u);
  EXPECT_EQ(a.size(), 50u);
  EXPECT_EQ(a.expires_count(), 50u);
}

}  // namespace
}  // namespace basalt
