#include "types/hash.h"

#include <gtest/gtest.h>
#include <malloc.h>

#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "db/database.h"
#include "db/digest.h"
#include "types/string_map.h"

namespace basalt {
namespace {

constexpr HashLimits kLimits{.max_listpack_entries = 128, .max_listpack_value = 64};
constexpr int64_t kNow = 1'000'000;

std::map<std::string, std::string> Contents(const Value& v) {
  std::map<std::string, std::string> out;
  ForEachHashField(v, [&out](std::string_view f, std::string_view val) {
    EXPECT_TRUE(out.emplace(std::string(f), std::string(val)).second) << "duplicate " << f;
  });
  return out;
}

// --- encodings and conversion ---

TEST(HashTest, NewHashIsAnEmptyListpack) {
  Value v = NewHash();
  EXPECT_EQ(v.type(), ValueType::kHash);
  EXPECT_EQ(v.encoding(), Encoding::kListpack);
  EXPECT_EQ(HashSize(v), 0u);
  EXPECT_FALSE(HashGet(v, "a").has_value());
}

TEST(HashTest, SetGetDeleteInListpack) {
  Value v = NewHash();
  EXPECT_TRUE(HashSet(v, "a", "1", kLimits));
  EXPECT_TRUE(HashSet(v, "b", "two", kLimits));
  EXPECT_FALSE(HashSet(v, "a", "uno", kLimits));  // update
  EXPECT_EQ(v.encoding(), Encoding::kListpack);
  EXPECT_EQ(HashSize(v), 2u);
  EXPECT_EQ(HashGet(v, "a"), "uno");
  EXPECT_EQ(HashGet(v, "b"), "two");
  EXPECT_TRUE(HashExists(v, "b"));
  EXPECT_TRUE(HashDelete(v, "a"));
  EXPECT_FALSE(HashDelete(v, "a"));
  EXPECT_EQ(HashSize(v), 1u);
  EXPECT_FALSE(HashExists(v, "a"));
}

TEST(HashTest, IntegerLikeFieldsAndValuesRoundTrip) {
  Value v = NewHash();
  HashSet(v, "1", "-42", kLimits);
  HashSet(v, "01", "9223372036854775807", kLimits);  // "01" is not canonical: stays a string
  EXPECT_EQ(HashGet(v, "1"), "-42");
  EXPECT_EQ(HashGet(v, "01"), "9223372036854775807");
  char scratch[kInt64StrLen];
  EXPECT_EQ(HashGetView(v, "1", scratch), "-42");
  auto c = Contents(v);
  EXPECT_EQ(c.size(), 2u);
  EXPECT_EQ(c["1"], "-42");
}

TEST(HashTest, ConvertsWhenEntriesExceedLimit) {
  Value v = NewHash();
  for (size_t i = 0; i < kLimits.max_listpack_entries; ++i) {
    HashSet(v, "f" + std::to_string(i), "v", kLimits);
  }
  EXPECT_EQ(v.encoding(), Encoding::kListpack);  // exactly at the limit
  HashSet(v, "f0", "updated", kLimits);          // an update does not grow it
  EXPECT_EQ(v.encoding(), Encoding::kListpack);
  HashSet(v, "one-more", "v", kLimits);
  EXPECT_EQ(v.encoding(), Encoding::kHashtable);
  EXPECT_EQ(HashSize(v), kLimits.max_listpack_entries + 1);
  EXPECT_EQ(HashGet(v, "f0"), "updated");
  EXPECT_EQ(HashGet(v, "one-more"), "v");
}

TEST(HashTest, ConvertsWhenFieldOrValueExceedsLimit) {
  const std::string at_limit(kLimits.max_listpack_value, 'x');
  const std::string over(kLimits.max_listpack_value + 1, 'x');
  Value v = NewHash();
  HashSet(v, at_limit, at_limit, kLimits);
  EXPECT_EQ(v.encoding(), Encoding::kListpack);
  HashSet(v, "k", over, kLimits);
  EXPECT_EQ(v.encoding(), Encoding::kHashtable);
  EXPECT_EQ(HashGet(v, "k"), over);

  Value w = NewHash();
  HashSet(w, over, "v", kLimits);  // a long field converts too
  EXPECT_EQ(w.encoding(), Encoding::kHashtable);
}

TEST(HashTest, TryConversionLooksAtEveryArgument) {
  Value v = NewHash();
  HashSet(v, "a", "b", kLimits);
  const std::string over(kLimits.max_listpack_value + 1, 'y');
  const std::string_view small_args[] = {"f", "v", "g", "w"};
  HashTryConversion(v, small_args, kLimits);
  EXPECT_EQ(v.encoding(), Encoding::kListpack);
  const std::string_view args[] = {"f", "v", "g", over};
  HashTryConversion(v, args, kLimits);
  EXPECT_EQ(v.encoding(), Encoding::kHashtable);
  EXPECT_EQ(HashGet(v, "a"), "b");
}

TEST(HashTest, BinarySafeFieldsAndValues) {
  const std::string f1("a\0b", 3), f2("a\0c", 3), val("\0\xff\r\n", 4);
  for (size_t entries : {size_t{128}, size_t{0}}) {  // listpack, then hashtable
    Value v = NewHash();
    const HashLimits limits{entries, 64};
    HashSet(v, f1, val, limits);
    HashSet(v, f2, "x", limits);
    HashSet(v, "", "", limits);  // the empty field is a field like any other
    EXPECT_EQ(HashGet(v, f1), val);
    EXPECT_EQ(HashGet(v, f2), "x");
    EXPECT_EQ(HashGet(v, ""), "");
    EXPECT_EQ(HashSize(v), 3u);
    EXPECT_FALSE(HashExists(v, std::string("a\0", 2)));
  }
}

TEST(HashTest, HundredThousandFields) {
  Value v = NewHash();
  constexpr int kN = 100'000;
  for (int i = 0; i < kN; ++i) {
    ASSERT_TRUE(HashSet(v, "field:" + std::to_string(i), std::to_string(i * 7), kLimits));
  }
  EXPECT_EQ(v.encoding(), Encoding::kHashtable);
  EXPECT_EQ(HashSize(v), static_cast<size_t>(kN));
  for (int i = 0; i < kN; i += 997) {
    EXPECT_EQ(HashGet(v, "field:" + std::to_string(i)), std::to_string(i * 7));
  }
  size_t seen = 0;
  ForEachHashField(v, [&seen](std::string_view, std::string_view) { ++seen; });
  EXPECT_EQ(seen, static_cast<size_t>(kN));
  for (int i = 0; i < kN; i += 2) ASSERT_TRUE(HashDelete(v, "field:" + std::to_string(i)));
  EXPECT_EQ(HashSize(v), static_cast<size_t>(kN / 2));
  EXPECT_FALSE(HashExists(v, "field:0"));
  EXPECT_TRUE(HashExists(v, "field:1"));
  // A clone is deep and equal.
  Value c = v.Clone();
  EXPECT_EQ(Contents(c), Contents(v));
}

TEST(HashTest, RandomOperationsMatchStdMap) {
  std::mt19937 gen(12345);
  for (size_t max_entries : {size_t{16}, size_t{128}}) {
    const HashLimits limits{max_entries, 16};
    Value v = NewHash();
    std::map<std::string, std::string> model;
    for (int step = 0; step < 20000; ++step) {
      const std::string field = "f" + std::to_string(gen() % 200);
      const int op = static_cast<int>(gen() % 10);
      if (op < 6) {
        // Values sometimes exceed the listpack limit, sometimes are integers.
        std::string value = (gen() % 3 == 0) ? std::to_string(static_cast<int>(gen()))
                                             : std::string(gen() % 20, 'a' + gen() % 26);
        const bool added = HashSet(v, field, value, limits);
        EXPECT_EQ(added, model.count(field) == 0);
        model[field] = value;
      } else if (op < 9) {
        EXPECT_EQ(HashDelete(v, field), model.erase(field) == 1);
      } else {
        auto it = model.find(field);
        EXPECT_EQ(HashGet(v, field),
                  it == model.end() ? std::nullopt : std::optional<std::string>(it->second));
      }
      ASSERT_EQ(HashSize(v), model.size());
    }
    EXPECT_EQ(Contents(v), model);
  }
}

TEST(HashTest, RandomFields) {
  FastRng rng(7);
  for (size_t max_entries : {size_t{128}, size_t{0}}) {
    Value v = NewHash();
    const HashLimits limits{max_entries, 64};
    for (int i = 0; i < 50; ++i)
      HashSet(v, "f" + std::to_string(i), "v" + std::to_string(i), limits);
    std::set<std::string> seen;
    for (int i = 0; i < 2000; ++i) {
      HashPair p = HashRandomField(v, rng);
      EXPECT_EQ("v" + p.field.substr(1), p.value);
      seen.insert(p.field);
    }
    EXPECT_EQ(seen.size(), 50u);  // every field comes up
    for (size_t count : {size_t{1}, size_t{10}, size_t{40}, size_t{50}}) {
      std::vector<HashPair> sample = HashRandomDistinctFields(v, count, rng);
      ASSERT_EQ(sample.size(), count);
      std::set<std::string> distinct;
      for (const HashPair& p : sample) {
        EXPECT_EQ("v" + p.field.substr(1), p.value);
        distinct.insert(p.field);
      }
      EXPECT_EQ(distinct.size(), count);
    }
  }
}

// --- StringMap nodes and field TTLs ---

TEST(StringMapTest, NodeLayoutIsCompact) {
  StringMap m;
  m.Set("0123456789", "abcdefghij");
  const StringMapNode* n = m.Peek("0123456789");
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->width(), 1u);
  EXPECT_EQ(n->value(), "abcdefghij");
  // 8 (next) + 1 (meta) + 2 (lengths) + 20 bytes: one 32-byte allocation class.
  EXPECT_LE(malloc_usable_size(const_cast<StringMapNode*>(n)), 40u);
  const std::string big(70000, 'z');
  m.Set("big", big);
  EXPECT_EQ(m.Peek("big")->width(), 4u);
  EXPECT_EQ(m.Peek("big")->value(), big);
  m.Set("mid", std::string(300, 'm'));
  EXPECT_EQ(m.Peek("mid")->width(), 2u);
}

TEST(StringMapTest, ExpiryHeapOrdersFieldsAndSurvivesNodeMoves) {
  StringMap m;
  for (int i = 0; i < 100; ++i) m.Set("f" + std::to_string(i), "v");
  // TTLs in a scrambled order.
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(m.SetExpire("f" + std::to_string(i), kNow + (i * 37) % 100 + 1));
  }
  EXPECT_FALSE(m.SetExpire("missing", kNow));
  EXPECT_EQ(m.volatile_count(), 100u);
  EXPECT_EQ(m.next_expire(), kNow + 1);
  // Updating values (reallocating nodes) keeps or drops TTLs as asked.
  m.Set("f0", "a much longer value than before", /*keep_ttl=*/true);
  EXPECT_EQ(StringMap::ExpireOf(m.Peek("f0")), kNow + 1);
  m.Set("f1", "replaced");  // HSET semantics: the TTL goes
  EXPECT_EQ(StringMap::ExpireOf(m.Peek("f1")), kNoFieldExpire);
  EXPECT_EQ(m.volatile_count(), 99u);
  ASSERT_TRUE(m.SetExpire("f2", kNoFieldExpire));  // persist
  EXPECT_EQ(m.volatile_count(), 98u);
  ASSERT_TRUE(m.SetExpire("f3", kNow + 1000));  // move later
  EXPECT_TRUE(m.Erase("f4"));
  EXPECT_EQ(m.volatile_count(), 97u);

  // Expire in time order: a field lives through its deadline millisecond.
  int64_t prev = 0;
  size_t removed = 0;
  for (int64_t t = kNow; t <= kNow + 1001; ++t) {
    const int64_t next = m.next_expire();
    if (next != kNoFieldExpire) {
      EXPECT_GE(next, prev);
      prev = next;
    }
    removed += m.ExpireFields(t, SIZE_MAX);
    if (next != kNoFieldExpire) {
      EXPECT_GE(next, t - 1);
    }
  }
  EXPECT_EQ(removed, 97u);
  EXPECT_EQ(m.volatile_count(), 0u);
  EXPECT_EQ(m.size(), 2u);  // f1 and f2 have no TTL
  EXPECT_TRUE(m.Peek("f1") != nullptr && m.Peek("f2") != nullptr);
}

TEST(StringMapTest, ExpireFieldsHonoursLimitAndCloneKeepsTtls) {
  StringMap m;
  for (int i = 0; i < 10; ++i) {
    m.Set("f" + std::to_string(i), "v");
    m.SetExpire("f" + std::to_string(i), kNow + i);
  }
  m.set_indexed_at(kNow);
  auto clone = m.Clone();
  auto& c = static_cast<StringMap&>(*clone);
  EXPECT_EQ(c.volatile_count(), 10u);
  EXPECT_EQ(c.indexed_at(), kNoFieldExpire);  // clones are not indexed
  EXPECT_EQ(m.ExpireFields(kNow + 100, 3), 3u);
  EXPECT_EQ(m.size(), 7u);
  EXPECT_EQ(m.next_expire(), kNow + 3);
  EXPECT_EQ(c.size(), 10u);
}

TEST(HashTest, SetFieldExpireConditionsAndResults) {
  Value v = NewHash();
  HashSet(v, "a", "1", kLimits);
  HashSet(v, "b", "2", kLimits);
  EXPECT_EQ(HashSetFieldExpire(v, "zz", kNow + 10, ExpireCondition::kNone, kNow),
            FieldExpireResult::kNoField);
  // No TTL: XX and GT fail, NX and LT pass.
  EXPECT_EQ(HashSetFieldExpire(v, "a", kNow + 10, ExpireCondition::kXx, kNow),
            FieldExpireResult::kConditionNotMet);
  EXPECT_EQ(HashSetFieldExpire(v, "a", kNow + 10, ExpireCondition::kGt, kNow),
            FieldExpireResult::kConditionNotMet);
  EXPECT_EQ(v.encoding(), Encoding::kListpack);  // nothing set yet
  EXPECT_EQ(HashSetFieldExpire(v, "a", kNow + 10, ExpireCondition::kLt, kNow),
            FieldExpireResult::kSet);
  EXPECT_EQ(v.encoding(), Encoding::kHashtable);  // TTLs live in the hashtable encoding
  EXPECT_EQ(HashFieldExpire(v, "a"), kNow + 10);
  EXPECT_EQ(HashSetFieldExpire(v, "a", kNow + 20, ExpireCondition::kNx, kNow),
            FieldExpireResult::kConditionNotMet);
  EXPECT_EQ(HashSetFieldExpire(v, "a", kNow + 5, ExpireCondition::kGt, kNow),
            FieldExpireResult::kConditionNotMet);
  EXPECT_EQ(HashSetFieldExpire(v, "a", kNow + 20, ExpireCondition::kGt, kNow),
            FieldExpireResult::kSet);
  EXPECT_EQ(HashSetFieldExpire(v, "a", kNow + 30, ExpireCondition::kLt, kNow),
            FieldExpireResult::kConditionNotMet);
  EXPECT_EQ(HashSetFieldExpire(v, "a", kNow + 15, ExpireCondition::kXx, kNow),
            FieldExpireResult::kSet);
  EXPECT_EQ(HashNextFieldExpire(v), kNow + 15);
  // A time not in the future deletes the field.
  EXPECT_EQ(HashSetFieldExpire(v, "b", kNow, ExpireCondition::kNone, kNow),
            FieldExpireResult::kDeleted);
  EXPECT_FALSE(HashExists(v, "b"));
  EXPECT_EQ(HashPersistField(v, "b"), FieldPersistResult::kNoField);
  EXPECT_EQ(HashPersistField(v, "a"), FieldPersistResult::kPersisted);
  EXPECT_EQ(HashPersistField(v, "a"), FieldPersistResult::kNoTtl);
  EXPECT_EQ(HashNextFieldExpire(v), kNoFieldExpire);
}

// --- the database's lazy and active field expiry ---

Value HashWithTtl(int64_t when, int fields = 2) {
  Value v = NewHash();
  for (int i = 0; i < fields; ++i) HashSet(v, "f" + std::to_string(i), "v", kLimits);
  HashSetFieldExpire(v, "f0", when, ExpireCondition::kNone, 0);
  return v;
}

TEST(HashFieldExpiryDbTest, LazyExpiryHidesFieldsAndDeletesEmptiedHash) {
  KeyspaceStats stats;
  Database db(0, &stats);
  db.Add("h", HashWithTtl(kNow + 10));
  db.Add("only", HashWithTtl(kNow + 10, 1));
  EXPECT_EQ(db.hash_field_expiry_index_size(), 2u);
  DbEntry* e = db.Lookup("h", kNow + 10);  // alive through its deadline
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(HashSize(e->value), 2u);
  e = db.Lookup("h", kNow + 11);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(HashSize(e->value), 1u);
  EXPECT_EQ(db.Lookup("only", kNow + 11), nullptr);  // its last field expired
  EXPECT_EQ(db.size(), 1u);
  // The index drops the stale entries when they come due.
  EXPECT_EQ(db.ActiveExpireHashFields(kNow + 11, 100), 0u);
  EXPECT_EQ(db.hash_field_expiry_index_size(), 0u);
}

TEST(HashFieldExpiryDbTest, ActiveExpiryRemovesDueFieldsOnly) {
  KeyspaceStats stats;
  Database db(0, &stats);
  db.Add("a", HashWithTtl(kNow + 10));
  db.Add("b", HashWithTtl(kNow + 20, 1));
  db.Add("plain", HashWithTtl(kNoFieldExpire));  // never indexed
  EXPECT_EQ(db.ActiveExpireHashFields(kNow, 100), 0u);
  EXPECT_EQ(db.ActiveExpireHashFields(kNow + 15, 100), 1u);
  EXPECT_EQ(HashSize(db.FindRaw("a")->value), 1u);
  EXPECT_EQ(db.ActiveExpireHashFields(kNow + 25, 100), 1u);
  EXPECT_EQ(db.FindRaw("b"), nullptr);  // emptied and deleted
  EXPECT_EQ(db.hash_field_expiry_index_size(), 0u);
}

TEST(HashFieldExpiryDbTest, ActiveExpiryQuotaLeavesTheRestForLater) {
  KeyspaceStats stats;
  Database db(0, &stats);
  Value v = NewHash();
  for (int i = 0; i < 50; ++i) {
    HashSet(v, "f" + std::to_string(i), "v", kLimits);
    HashSetFieldExpire(v, "f" + std::to_string(i), kNow + 1, ExpireCondition::kNone, 0);
  }
  HashSet(v, "keep", "v", kLimits);
  db.Add("h", std::move(v));
  EXPECT_EQ(db.ActiveExpireHashFields(kNow + 5, 20), 20u);
  EXPECT_EQ(db.ActiveExpireHashFields(kNow + 5, 20), 20u);
  EXPECT_EQ(db.ActiveExpireHashFields(kNow + 5, 20), 10u);
  EXPECT_EQ(HashSize(db.FindRaw("h")->value), 1u);
}

TEST(HashFieldExpiryDbTest, IndexFollowsRenameMoveCopySwapAndFlush) {
  KeyspaceStats stats;
  Database db0(0, &stats), db1(1, &stats);
  // RENAME
  db0.MoveEntry(db0.Add("src", HashWithTtl(kNow + 10)), db0, "dst");
  EXPECT_EQ(db0.ActiveExpireHashFields(kNow + 11, 100), 1u);
  EXPECT_EQ(HashSize(db0.FindRaw("dst")->value), 1u);
  // MOVE to another database
  db0.Add("m", HashWithTtl(kNow + 10));
  db0.MoveEntry(db0.FindRaw("m"), db1, "m");
  EXPECT_EQ(db0.ActiveExpireHashFields(kNow + 11, 100), 0u);
  EXPECT_EQ(db1.ActiveExpireHashFields(kNow + 11, 100), 1u);
  // COPY (a clone added under a new key): both copies expire.
  db0.Add("c1", HashWithTtl(kNow + 20));
  db0.Add("c2", db0.FindRaw("c1")->value.Clone());
  EXPECT_EQ(db0.ActiveExpireHashFields(kNow + 21, 100), 2u);
  // SWAPDB carries the index with the keys.
  db0.Add("s", HashWithTtl(kNow + 30));
  db0.SwapWith(db1);
  EXPECT_EQ(db0.ActiveExpireHashFields(kNow + 31, 100), 0u);
  EXPECT_EQ(db1.ActiveExpireHashFields(kNow + 31, 100), 1u);
  // FLUSHDB drops it.
  db1.Add("f", HashWithTtl(kNow + 40));
  db1.Clear();
  EXPECT_EQ(db1.hash_field_expiry_index_size(), 0u);
  // Overwriting a key with another value leaves a stale entry that is dropped on use.
  db0.Add("o", HashWithTtl(kNow + 50));
  db0.Set("o", Value::String("x"), kNow);
  EXPECT_EQ(db0.ActiveExpireHashFields(kNow + 51, 100), 0u);
  EXPECT_EQ(db0.hash_field_expiry_index_size(), 0u);
}

TEST(HashFieldExpiryDbTest, NoteAfterEarlierTtlReindexes) {
  KeyspaceStats stats;
  Database db(0, &stats);
  DbEntry* e = db.Add("h", HashWithTtl(kNow + 100, 3));
  HashSetFieldExpire(e->value, "f1", kNow + 10, ExpireCondition::kNone, kNow);
  db.NoteHashFieldExpiry("h", e->value);
  EXPECT_EQ(db.hash_field_expiry_index_size(), 1u);  // the old entry was replaced
  EXPECT_EQ(db.ActiveExpireHashFields(kNow + 11, 100), 1u);
  EXPECT_EQ(db.ActiveExpireHashFields(kNow + 101, 100), 1u);
  EXPECT_EQ(HashSize(db.FindRaw("h")->value), 1u);
}

// --- digest ---

TEST(HashDigestTest, SameContentsSameDigestAcrossEncodings) {
  KeyspaceStats stats;
  Database db(0, &stats);
  Value a = NewHash(), b = NewHash();
  HashSet(a, "x", "1", kLimits);
  HashSet(a, "y", "2", kLimits);
  HashSet(b, "y", "2", {0, 64});  // hashtable, other order
  HashSet(b, "x", "1", {0, 64});
  ASSERT_NE(a.encoding(), b.encoding());
  DbEntry* ea = db.Add("k", std::move(a));
  const std::string da = KeyDigest(*ea).Hex();
  db.Delete("k");
  DbEntry* eb = db.Add("k", std::move(b));
  EXPECT_EQ(KeyDigest(*eb).Hex(), da);
  HashSet(eb->value, "x", "2", kLimits);
  EXPECT_NE(KeyDigest(*eb).Hex(), da);
}

}  // namespace
}  // namespace basalt
