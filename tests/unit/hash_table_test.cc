#include "db/hash_table.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace basalt {
namespace {

struct TestNode {
  std::string key;
  TestNode* next = nullptr;
  int value = 0;
};

struct TestTraits {
  static std::string_view Key(const TestNode* n) { return n->key; }
  static TestNode* Next(const TestNode* n) { return n->next; }
  static void SetNext(TestNode* n, TestNode* next) { n->next = next; }
  static uint64_t Hash(std::string_view key) { return KeyHash(key); }
};

// Every key hashes to one of 3 values: long chains, to exercise unlinking inside a chain.
struct CollidingTraits : TestTraits {
  static uint64_t Hash(std::string_view key) { return KeyHash(key) % 3; }
};

using Table = HashTable<TestNode, TestTraits>;

// Owns the nodes; they stay alive (at stable addresses) for the whole test, in or out of a table.
class NodePool {
 public:
  TestNode* Make(std::string key, int value = 0) {
    nodes_.push_back(TestNode{std::move(key), nullptr, value});
    return &nodes_.back();
  }

 private:
  std::deque<TestNode> nodes_;
};

std::string RandomKey(FastRng& rng) {
  std::string key = "k:";
  const size_t len = 1 + rng.Below(24);
  for (size_t i = 0; i < len; ++i) key.push_back(static_cast<char>('a' + rng.Below(26)));
  return key;
}

template <typename T>
void FinishRehash(T& table) {
  while (table.RehashStep(1000)) {
  }
}

template <typename T>
std::vector<TestNode*> Contents(T& table) {
  std::vector<TestNode*> out;
  table.ForEach([&](TestNode* n) { out.push_back(n); });
  return out;
}

TEST(HashTableTest, EmptyTable) {
  Table t;
  FastRng rng(1);
  EXPECT_EQ(t.size(), 0u);
  EXPECT_TRUE(t.empty());
  EXPECT_EQ(t.bucket_count(), 0u);
  EXPECT_EQ(t.MemoryUsage(), 0u);
  EXPECT_FALSE(t.rehashing());
  EXPECT_EQ(t.Find("x"), nullptr);
  EXPECT_EQ(t.Peek("x"), nullptr);
  EXPECT_EQ(t.Erase("x"), nullptr);
  EXPECT_EQ(t.Scan(0, [](TestNode*) { ADD_FAILURE(); }), 0u);
  EXPECT_EQ(t.RandomNode(rng), nullptr);
  TestNode* out[4];
  EXPECT_EQ(t.SampleNodes(out, 4, rng), 0u);
  EXPECT_FALSE(t.ResizeIfNeeded());
  EXPECT_FALSE(t.RehashStep(10));
}

TEST(HashTableTest, InsertFindEraseBasics) {
  Table t;
  NodePool pool;
  TestNode* a = pool.Make("a", 1);
  TestNode* b = pool.Make("b", 2);
  t.Insert(a);
  t.Insert(b);
  EXPECT_EQ(t.size(), 2u);
  EXPECT_EQ(t.bucket_count(), Table::kMinBuckets);
  EXPECT_EQ(t.MemoryUsage(), Table::kMinBuckets * sizeof(TestNode*));
  EXPECT_EQ(t.Find("a"), a);
  EXPECT_EQ(t.Find("b"), b);
  EXPECT_EQ(t.Find("c"), nullptr);
  EXPECT_EQ(t.Find("", 0), nullptr);
  EXPECT_EQ(t.Erase("a"), a);
  EXPECT_EQ(a->next, nullptr);
  EXPECT_EQ(t.Erase("a"), nullptr);
  EXPECT_EQ(t.Find("a"), nullptr);
  EXPECT_EQ(t.size(), 1u);
  // Precomputed-hash overloads agree with the plain ones.
  TestNode* c = pool.Make("c");
  t.Insert(c, Table::HashOf("c"));
  EXPECT_EQ(t.Find("c", Table::HashOf("c")), c);
  EXPECT_EQ(t.Erase("c", Table::HashOf("c")), c);
}

// 100k random keys, then a random mix of operations, checked step by step against
// std::unordered_map.
TEST(HashTableTest, MatchesReferenceModel) {
  Table t;
  NodePool pool;
  FastRng rng(42);
  std::unordered_map<std::string, TestNode*> model;
  std::vector<std::string> keys;
  while (keys.size() < 100000) {
    std::string key = RandomKey(rng);
    if (model.count(key) != 0) continue;
    ASSERT_EQ(t.Find(key), nullptr);
    TestNode* n = pool.Make(key);
    t.Insert(n);
    model[key] = n;
    keys.push_back(key);
  }
  ASSERT_EQ(t.size(), model.size());
  for (const auto& [key, node] : model) ASSERT_EQ(t.Find(key), node) << key;

  // Mixed operations over the known keys plus fresh ones.
  for (int op = 0; op < 300000; ++op) {
    const std::string key = rng.Below(4) == 0 ? RandomKey(rng) : keys[rng.Below(keys.size())];
    auto it = model.find(key);
    switch (rng.Below(3)) {
      case 0:  // find
        ASSERT_EQ(t.Find(key), it == model.end() ? nullptr : it->second);
        break;
      case 1:  // insert if absent
        if (it == model.end()) {
          TestNode* n = pool.Make(key);
          t.Insert(n);
          model[key] = n;
        }
        break;
      case 2: {  // erase
        TestNode* removed = t.Erase(key);
        ASSERT_EQ(removed, it == model.end() ? nullptr : it->second);
        if (it != model.end()) model.erase(it);
        break;
      }
    }
    ASSERT_EQ(t.size(), model.size());
  }
  // Exactly the model's nodes, each once.
  std::vector<TestNode*> contents = Contents(t);
  ASSERT_EQ(contents.size(), model.size());
  std::unordered_set<TestNode*> seen(contents.begin(), contents.end());
  EXPECT_EQ(seen.size(), contents.size());
  for (const auto& [key, node] : model) EXPECT_TRUE(seen.count(node)) << key;
  // Erase everything: the table shrinks back to the minimum.
  for (const auto& [key, node] : model) ASSERT_EQ(t.Erase(key), node);
  EXPECT_EQ(t.size(), 0u);
  FinishRehash(t);
  while (t.ResizeIfNeeded()) FinishRehash(t);
  EXPECT_EQ(t.bucket_count(), Table::kMinBuckets);
}

TEST(HashTableTest, GrowsAtLoadFactorOne) {
  Table t;
  NodePool pool;
  for (int i = 0; i < 4; ++i) t.Insert(pool.Make("key" + std::to_string(i)));
  EXPECT_EQ(t.bucket_count(), 4u);
  EXPECT_FALSE(t.rehashing());
  t.Insert(pool.Make("key4"));  // size 4 >= 4 buckets: grow to 8
  EXPECT_TRUE(t.rehashing());
  EXPECT_EQ(t.bucket_count(), 8u);
  EXPECT_EQ(t.MemoryUsage(), (4u + 8u) * sizeof(TestNode*));
  FinishRehash(t);
  EXPECT_FALSE(t.rehashing());
  EXPECT_EQ(t.MemoryUsage(), 8u * sizeof(TestNode*));

  for (int i = 5; i < 1000; ++i) {
    t.Insert(pool.Make("key" + std::to_string(i)));
    // Growth keeps pace: the load factor never runs away even with only automatic steps.
    ASSERT_LE(t.size(), 2 * t.bucket_count());
  }
  FinishRehash(t);
  EXPECT_EQ(t.bucket_count(), 1024u);
  for (int i = 0; i < 1000; ++i) ASSERT_NE(t.Find("key" + std::to_string(i)), nullptr);
}

TEST(HashTableTest, ShrinksBelowOneEighth) {
  Table t;
  NodePool pool;
  for (int i = 0; i < 1000; ++i) t.Insert(pool.Make("key" + std::to_string(i)));
  FinishRehash(t);
  ASSERT_EQ(t.bucket_count(), 1024u);
  int i = 999;
  for (; i >= 128; --i) ASSERT_NE(t.Erase("key" + std::to_string(i)), nullptr);
  EXPECT_EQ(t.size(), 128u);  // 128 == 1024 / 8: not yet
  EXPECT_FALSE(t.rehashing());
  EXPECT_EQ(t.bucket_count(), 1024u);
  ASSERT_NE(t.Erase("key" + std::to_string(i--)), nullptr);  // 127 < 128: shrink
  EXPECT_TRUE(t.rehashing());
  EXPECT_EQ(t.bucket_count(), 128u);
  FinishRehash(t);
  EXPECT_EQ(t.bucket_count(), 128u);
  EXPECT_EQ(t.MemoryUsage(), 128u * sizeof(TestNode*));
  for (int j = 0; j <= i; ++j) ASSERT_NE(t.Find("key" + std::to_string(j)), nullptr);
  // Down to nothing: never below the minimum.
  for (; i >= 0; --i) {
    ASSERT_NE(t.Erase("key" + std::to_string(i)), nullptr);
    FinishRehash(t);
  }
  EXPECT_EQ(t.size(), 0u);
  EXPECT_EQ(t.bucket_count(), Table::kMinBuckets);
  EXPECT_FALSE(t.ResizeIfNeeded());
}

TEST(HashTableTest, ResizeForbidden) {
  Table t;
  NodePool pool;
  for (int i = 0; i < 3; ++i) t.Insert(pool.Make("key" + std::to_string(i)));
  t.SetResizeAllowed(false);
  EXPECT_FALSE(t.resize_allowed());
  // Up to load factor 4 (16 keys in 4 buckets) nothing grows...
  int next = 3;
  for (; next < 16; ++next) t.Insert(pool.Make("key" + std::to_string(next)));
  EXPECT_FALSE(t.rehashing());
  EXPECT_EQ(t.bucket_count(), 4u);
  EXPECT_FALSE(t.ResizeIfNeeded());                     // 16 keys, load 4: not above 4
  t.Insert(pool.Make("key" + std::to_string(next++)));  // checked before linking: still 16
  EXPECT_FALSE(t.rehashing());
  // ...past it the table grows anyway, and that rehash is allowed to proceed.
  t.Insert(pool.Make("key" + std::to_string(next++)));
  EXPECT_TRUE(t.rehashing());
  FinishRehash(t);
  EXPECT_FALSE(t.rehashing());
  EXPECT_GE(t.bucket_count(), 16u);
  for (int i = 0; i < next; ++i) ASSERT_NE(t.Find("key" + std::to_string(i)), nullptr);

  // Allowed again: the cron's ResizeIfNeeded catches up.
  t.SetResizeAllowed(true);
  for (int i = 0; i < 1000; ++i) t.Insert(pool.Make("more" + std::to_string(i)));
  FinishRehash(t);
  const size_t big = t.bucket_count();
  t.SetResizeAllowed(false);
  for (int i = 0; i < 1000; ++i) ASSERT_NE(t.Erase("more" + std::to_string(i)), nullptr);
  EXPECT_FALSE(t.rehashing());
  EXPECT_EQ(t.bucket_count(), big);  // no shrink while forbidden
  t.SetResizeAllowed(true);
  EXPECT_TRUE(t.ResizeIfNeeded());
  EXPECT_LT(t.bucket_count(), big);
  // Forbidding again mid-rehash freezes the rehash (nothing to be copied-on-write).
  t.SetResizeAllowed(false);
  EXPECT_TRUE(t.RehashStep(1000));
  EXPECT_TRUE(t.rehashing());
  EXPECT_EQ(t.RehashFor(std::chrono::microseconds(1000)), 0u);
  for (int i = 0; i < next; ++i) ASSERT_NE(t.Find("key" + std::to_string(i)), nullptr);
  t.SetResizeAllowed(true);
  FinishRehash(t);
  EXPECT_FALSE(t.rehashing());
}

TEST(HashTableTest, CorrectMidRehash) {
  Table t;
  NodePool pool;
  int n = 0;
  while (!t.rehashing()) t.Insert(pool.Make("key" + std::to_string(n++)));
  ASSERT_EQ(n, 5);  // the 5th insert finds 4 keys in 4 buckets
  for (; n < 512; ++n) t.Insert(pool.Make("key" + std::to_string(n)));
  FinishRehash(t);
  // Trigger a grow from 512 to 1024 buckets and move only part of it.
  t.Insert(pool.Make("key" + std::to_string(n++)));
  ASSERT_TRUE(t.rehashing());
  ASSERT_TRUE(t.RehashStep(200));
  ASSERT_TRUE(t.rehashing());

  std::set<std::string> expected;
  for (int i = 0; i < n; ++i) expected.insert("key" + std::to_string(i));
  // Peek does not move buckets; Find, Insert and Erase each move one.
  for (const std::string& key : expected) ASSERT_NE(t.Peek(key), nullptr) << key;
  for (int i = 0; i < 100; i += 3) {
    ASSERT_NE(t.Erase("key" + std::to_string(i)), nullptr);
    expected.erase("key" + std::to_string(i));
  }
  for (int i = 0; i < 50; ++i) {
    t.Insert(pool.Make("new" + std::to_string(i)));
    expected.insert("new" + std::to_string(i));
  }
  ASSERT_TRUE(t.rehashing());
  EXPECT_EQ(t.size(), expected.size());
  std::vector<TestNode*> contents = Contents(t);
  std::set<std::string> got;
  for (TestNode* node : contents) got.insert(node->key);
  EXPECT_EQ(contents.size(), expected.size());
  EXPECT_EQ(got, expected);
  for (const std::string& key : expected) ASSERT_NE(t.Find(key), nullptr) << key;
  EXPECT_EQ(t.Find("key0"), nullptr);

  // RehashFor finishes it within a generous budget.
  t.RehashFor(std::chrono::seconds(10));
  EXPECT_FALSE(t.rehashing());
  EXPECT_EQ(t.size(), expected.size());
  for (const std::string& key : expected) ASSERT_NE(t.Find(key), nullptr) << key;
}

TEST(HashTableTest, CollidingChains) {
  HashTable<TestNode, CollidingTraits> t;
  NodePool pool;
  std::vector<TestNode*> nodes;
  for (int i = 0; i < 200; ++i) {
    nodes.push_back(pool.Make("key" + std::to_string(i)));
    t.Insert(nodes.back());
  }
  for (TestNode* node : nodes) ASSERT_EQ(t.Find(node->key), node);
  // Unlink from heads, middles and tails of the chains.
  for (int i = 0; i < 200; i += 2) ASSERT_EQ(t.Erase(nodes[i]->key), nodes[i]);
  for (int i = 0; i < 200; ++i) {
    ASSERT_EQ(t.Find(nodes[i]->key), i % 2 == 0 ? nullptr : nodes[i]);
  }
  for (int i = 1; i < 200; i += 4) {
    TestNode* replacement = pool.Make(nodes[i]->key, 7);
    t.Replace(nodes[i], replacement);
    nodes[i] = replacement;
  }
  size_t visited = 0;
  uint64_t cursor = 0;
  do {
    cursor = t.Scan(cursor, [&](TestNode*) { ++visited; });
  } while (cursor != 0);
  EXPECT_EQ(visited, 100u);
  for (int i = 1; i < 200; i += 2) ASSERT_EQ(t.Find(nodes[i]->key), nodes[i]);
}

TEST(HashTableTest, Replace) {
  Table t;
  NodePool pool;
  for (int i = 0; i < 100; ++i) t.Insert(pool.Make("key" + std::to_string(i), i));
  FinishRehash(t);
  TestNode* old_node = t.Find("key42");
  TestNode* new_node = pool.Make("key42", 4242);
  t.Replace(old_node, new_node);
  EXPECT_EQ(t.Find("key42"), new_node);
  EXPECT_EQ(old_node->next, nullptr);
  EXPECT_EQ(t.size(), 100u);
  // Also while rehashing, for nodes in either array.
  while (!t.rehashing()) t.Insert(pool.Make("more" + std::to_string(t.size())));
  t.RehashStep(10);
  ASSERT_TRUE(t.rehashing());
  for (int i = 0; i < 100; ++i) {
    const std::string key = "key" + std::to_string(i);
    TestNode* current = t.Peek(key);
    ASSERT_NE(current, nullptr);
    TestNode* replacement = pool.Make(key, -i);
    t.Replace(current, replacement);
    ASSERT_EQ(t.Peek(key), replacement);
  }
  FinishRehash(t);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(t.Find("key" + std::to_string(i))->value, -i);
  EXPECT_EQ(Contents(t).size(), t.size());
}

TEST(HashTableTest, ClearFreesEveryNodeOnce) {
  Table t;
  std::set<std::string> freed;
  for (int i = 0; i < 1000; ++i) t.Insert(new TestNode{"key" + std::to_string(i)});
  ASSERT_TRUE(t.RehashStep(1) || !t.rehashing());
  t.Clear([&](TestNode* n) {
    EXPECT_TRUE(freed.insert(n->key).second);
    delete n;
  });
  EXPECT_EQ(freed.size(), 1000u);
  EXPECT_EQ(t.size(), 0u);
  EXPECT_EQ(t.bucket_count(), 0u);
  EXPECT_EQ(t.MemoryUsage(), 0u);
  EXPECT_FALSE(t.rehashing());
  EXPECT_EQ(t.Find("key1"), nullptr);
  // Usable again.
  TestNode n{"again"};
  t.Insert(&n);
  EXPECT_EQ(t.Find("again"), &n);
  t.Clear([](TestNode*) {});
}

TEST(HashTableTest, MoveTransfersEverything) {
  Table a;
  NodePool pool;
  for (int i = 0; i < 100; ++i) a.Insert(pool.Make("key" + std::to_string(i)));
  Table b(std::move(a));
  EXPECT_EQ(a.size(), 0u);  // NOLINT(bugprone-use-after-move): moved-from is empty, usable
  EXPECT_EQ(a.bucket_count(), 0u);
  EXPECT_EQ(b.size(), 100u);
  EXPECT_NE(b.Find("key7"), nullptr);
  a.Insert(pool.Make("solo"));
  std::swap(a, b);
  EXPECT_EQ(a.size(), 100u);
  EXPECT_EQ(b.size(), 1u);
  EXPECT_NE(b.Find("solo"), nullptr);
  a = std::move(b);
  EXPECT_EQ(a.size(), 1u);
  EXPECT_EQ(a.Find("key7"), nullptr);
}

TEST(HashTableTest, ScanStableTableReturnsEachOnce) {
  for (bool mid_rehash : {false, true}) {
    Table t;
    NodePool pool;
    int n = 0;
    for (; n < 700; ++n) t.Insert(pool.Make("key" + std::to_string(n)));
    FinishRehash(t);
    if (mid_rehash) {
      while (!t.rehashing()) t.Insert(pool.Make("key" + std::to_string(n++)));
      t.RehashStep(100);
      ASSERT_TRUE(t.rehashing());
    }
    std::unordered_map<TestNode*, int> seen;
    uint64_t cursor = 0;
    size_t calls = 0;
    do {
      cursor = t.Scan(cursor, [&](TestNode* node) { ++seen[node]; });
      ++calls;
    } while (cursor != 0);
    EXPECT_EQ(seen.size(), t.size());
    for (const auto& [node, count] : seen) EXPECT_EQ(count, 1) << node->key;
    EXPECT_LE(calls, 1024u);               // one call per bucket of the smaller array
    EXPECT_EQ(t.rehashing(), mid_rehash);  // Scan itself does not rehash
  }
}

// The SCAN guarantee: nodes present for the whole scan are all returned, while other keys come
// and go between calls and the table grows, shrinks and rehashes.
class ScanChurn {
 public:
  explicit ScanChurn(uint64_t seed) : rng_(seed) {}

  void AddStable(int count) {
    for (int i = 0; i < count; ++i) {
      TestNode* n = pool_.Make("stable:" + std::to_string(i));
      table_.Insert(n);
      stable_.insert(n);
    }
  }
  void AddChurn(int count) {
    for (int i = 0; i < count; ++i) {
      TestNode* n = pool_.Make("churn:" + std::to_string(next_churn_++));
      table_.Insert(n);
      churn_.push_back(n);
    }
  }
  void RemoveChurn(int count) {
    for (int i = 0; i < count && !churn_.empty(); ++i) {
      const size_t pick = rng_.Below(churn_.size());
      ASSERT_EQ(table_.Erase(churn_[pick]->key), churn_[pick]);
      churn_[pick] = churn_.back();
      churn_.pop_back();
    }
  }
  void RandomRehash() {
    if (rng_.Below(2) == 0) table_.RehashStep(rng_.Below(64));
    if (rng_.Below(4) == 0) table_.ResizeIfNeeded();
  }

  // Runs a scan calling between(i) before the i-th Scan call (i >= 1). `between` must stop
  // growing the table at some point: a scan of a table that grows without end never ends.
  template <typename F>
  void ScanAndCheck(F between) {
    std::unordered_set<TestNode*> seen;
    uint64_t cursor = 0;
    size_t calls = 0;
    do {
      ASSERT_LT(calls, 1000000u) << "the scan does not end";
      if (calls > 0) between(calls);
      ++calls;
      cursor = table_.Scan(cursor, [&](TestNode* n) {
        // Only nodes that are in the table: Peek finds this very node.
        ASSERT_EQ(table_.Peek(n->key), n);
        seen.insert(n);
      });
    } while (cursor != 0);
    for (TestNode* n : stable_) EXPECT_TRUE(seen.count(n)) << n->key;
  }

  Table& table() { return table_; }
  size_t Buckets() const { return table_.bucket_count(); }

 private:
  FastRng rng_;
  NodePool pool_;
  Table table_;
  std::unordered_set<TestNode*> stable_;
  std::vector<TestNode*> churn_;
  int next_churn_ = 0;
};

TEST(HashTableTest, ScanGuaranteeAcrossGrow) {
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    ScanChurn churn(seed);
    churn.AddStable(300);
    const size_t start_buckets = churn.Buckets();
    size_t max_buckets = start_buckets;
    churn.ScanAndCheck([&](size_t call) {
      if (call <= 100) {
        churn.AddChurn(40);
        churn.RemoveChurn(10);
      }
      churn.RandomRehash();
      max_buckets = std::max(max_buckets, churn.Buckets());
    });
    EXPECT_GE(max_buckets, 8 * start_buckets) << "the table should have grown a lot mid-scan";
  }
}

TEST(HashTableTest, ScanGuaranteeAcrossShrink) {
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    ScanChurn churn(seed);
    churn.AddStable(100);
    churn.AddChurn(20000);
    while (churn.table().RehashStep(1000)) {
    }
    const size_t start_buckets = churn.Buckets();
    size_t min_buckets = start_buckets;
    churn.ScanAndCheck([&](size_t call) {
      churn.RemoveChurn(200);
      if (call <= 200) churn.AddChurn(20);
      churn.RandomRehash();
      min_buckets = std::min(min_buckets, churn.Buckets());
    });
    EXPECT_LE(min_buckets * 16, start_buckets) << "the table should have shrunk a lot mid-scan";
  }
}

TEST(HashTableTest, ScanGuaranteeAcrossGrowAndShrinkMixed) {
  for (uint64_t seed = 10; seed < 30; ++seed) {
    ScanChurn churn(seed);
    FastRng rng(seed);
    churn.AddStable(static_cast<int>(1 + rng.Below(500)));
    churn.AddChurn(static_cast<int>(rng.Below(5000)));
    churn.ScanAndCheck([&](size_t call) {
      // Alternate growing and shrinking phases for a while.
      if (call <= 512 && call % 64 < 32) churn.AddChurn(static_cast<int>(rng.Below(100)));
      if (call <= 512 && call % 64 >= 32) churn.RemoveChurn(static_cast<int>(rng.Below(150)));
      churn.RandomRehash();
    });
  }
}

TEST(HashTableTest, ScanCallbackMayEraseTheNodeItGets) {
  Table t;
  NodePool pool;
  for (int i = 0; i < 2000; ++i) t.Insert(pool.Make("key" + std::to_string(i), i));
  t.RehashStep(3);  // whatever state the growth left
  std::unordered_set<int> visited;
  uint64_t cursor = 0;
  do {
    cursor = t.Scan(cursor, [&](TestNode* n) {
      visited.insert(n->value);
      if (n->value % 2 == 0) {
        ASSERT_EQ(t.Erase(n->key), n);
      }
    });
  } while (cursor != 0);
  EXPECT_EQ(visited.size(), 2000u);
  EXPECT_EQ(t.size(), 1000u);
  for (int i = 0; i < 2000; ++i) {
    ASSERT_EQ(t.Find("key" + std::to_string(i)) != nullptr, i % 2 == 1) << i;
  }
}

TEST(HashTableTest, RandomNodeCoversAllKeys) {
  for (bool mid_rehash : {false, true}) {
    Table t;
    NodePool pool;
    FastRng rng(7);
    const int kKeys = 1000;
    for (int i = 0; i < kKeys; ++i) t.Insert(pool.Make("key" + std::to_string(i), i));
    FinishRehash(t);
    if (mid_rehash) {
      int extra = 0;
      while (!t.rehashing()) t.Insert(pool.Make("extra" + std::to_string(extra++), -1));
      t.RehashStep(300);
      t.SetResizeAllowed(false);  // keep it mid-rehash while drawing
      ASSERT_TRUE(t.rehashing());
    }
    std::vector<int> counts(kKeys, 0);
    const int kDraws = 200 * kKeys;
    for (int d = 0; d < kDraws; ++d) {
      TestNode* n = t.RandomNode(rng);
      ASSERT_NE(n, nullptr);
      ASSERT_EQ(t.Peek(n->key), n);
      if (n->value >= 0) ++counts[n->value];
    }
    const auto [min_it, max_it] = std::minmax_element(counts.begin(), counts.end());
    const double expected = static_cast<double>(kDraws) / static_cast<double>(t.size());
    // Roughly fair: every key drawn, none wildly over- or under-represented.
    EXPECT_GT(*min_it, expected / 4) << "mid_rehash=" << mid_rehash;
    EXPECT_LT(*max_it, expected * 4) << "mid_rehash=" << mid_rehash;
  }
}

TEST(HashTableTest, RandomNodeInSparseTable) {
  Table t;
  NodePool pool;
  FastRng rng(3);
  for (int i = 0; i < 4096; ++i) t.Insert(pool.Make("key" + std::to_string(i)));
  FinishRehash(t);
  t.SetResizeAllowed(false);  // stays at 8192 buckets while nearly empty
  for (int i = 0; i < 4094; ++i) t.Erase("key" + std::to_string(i));
  std::set<std::string> drawn;
  for (int d = 0; d < 200; ++d) drawn.insert(t.RandomNode(rng)->key);
  EXPECT_EQ(drawn, (std::set<std::string>{"key4094", "key4095"}));
}

TEST(HashTableTest, SampleNodesReturnsDistinctExistingNodes) {
  FastRng rng(11);
  for (int keys : {1, 3, 10, 100, 5000}) {
    for (int state = 0; state < 3; ++state) {  // settled, mid-grow, sparse (mid-shrink or not)
      Table t;
      NodePool pool;
      for (int i = 0; i < keys; ++i) t.Insert(pool.Make("key" + std::to_string(i)));
      FinishRehash(t);
      if (state == 1) {
        int extra = 0;
        while (!t.rehashing()) t.Insert(pool.Make("extra" + std::to_string(extra++)));
      } else if (state == 2) {
        t.SetResizeAllowed(false);
        for (int i = 0; i < keys * 9 / 10; ++i) t.Erase("key" + std::to_string(i));
        t.SetResizeAllowed(true);
        t.ResizeIfNeeded();
        t.SetResizeAllowed(false);  // keep whatever state that left
      }
      for (size_t count : {1u, 2u, 5u, 16u, 20u, 64u}) {
        for (int round = 0; round < 50; ++round) {
          TestNode* out[64];
          const size_t got = t.SampleNodes(out, count, rng);
          ASSERT_LE(got, std::min(count, t.size()));
          std::unordered_set<TestNode*> distinct(out, out + got);
          ASSERT_EQ(distinct.size(), got) << "keys=" << keys << " state=" << state;
          for (size_t i = 0; i < got; ++i) ASSERT_EQ(t.Peek(out[i]->key), out[i]);
          if (state == 0 && keys >= 100) {
            // A settled table has load >= 1/2: a run of 10 * count buckets has enough.
            EXPECT_EQ(got, count);
          }
        }
      }
    }
  }
}

TEST(HashTableTest, KeyHashIsSeeded) {
  const uint64_t original = KeyHashSeed();
  const uint64_t h1 = KeyHash("hello");
  EXPECT_EQ(KeyHash("hello"), h1);
  EXPECT_NE(KeyHash("hellp"), h1);
  SetKeyHashSeed(original + 1);
  EXPECT_NE(KeyHash("hello"), h1);
  SetKeyHashSeed(original);
  EXPECT_EQ(KeyHash("hello"), h1);
}

TEST(HashTableTest, FastRngIsDeterministicAndBounded) {
  FastRng a(5), b(5), c(6);
  bool differs = false;
  for (int i = 0; i < 100; ++i) {
    const uint64_t x = a.Next();
    EXPECT_EQ(x, b());
    differs |= x != c.Next();
  }
  EXPECT_TRUE(differs);
  std::vector<int> buckets(10, 0);
  for (int i = 0; i < 100000; ++i) {
    const uint64_t r = a.Below(10);
    ASSERT_LT(r, 10u);
    ++buckets[r];
  }
  for (int count : buckets) EXPECT_NEAR(count, 10000, 600);
}

// A point-in-time copy of a table's keys taken while it changes, the way
// persistence/background_snapshot.cc does it: each bucket is copied whole, either by the walk
// or when a call is about to touch it, and everything left when the layout must change.
class SnapshotWatcher final : public Table::Watcher {
 public:
  explicit SnapshotWatcher(Table* t) : table_(t), done_(t->BucketIdCount(), false) {
    table_->SetResizeAllowed(false);
    table_->SetWatcher(this);
  }
  void BeforeBucketTouched(size_t id) override {
    if (!done_[id]) Copy(id);
  }
  void BeforeLayoutChange() override {
    while (attached_ && WalkOne()) {
    }
    Detach();
  }
  // Copies the next bucket not yet copied; false when none is left.
  bool WalkOne() {
    while (next_ < done_.size() && done_[next_]) ++next_;
    if (next_ == done_.size()) {
      Detach();
      return false;
    }
    Copy(next_);
    return true;
  }
  const std::multiset<std::string>& keys() const { return keys_; }

 private:
  void Copy(size_t id) {
    done_[id] = true;
    table_->ForEachInBucket(id, [this](const TestNode* n) { keys_.insert(n->key); });
  }
  void Detach() {
    if (!attached_) return;
    attached_ = false;
    table_->SetWatcher(nullptr);
    table_->SetResizeAllowed(true);
  }

  Table* table_;
  std::vector<bool> done_;
  size_t next_ = 0;
  bool attached_ = true;
  std::multiset<std::string> keys_;
};

// Whatever the table goes through while watched (inserts, erases, lookups, a rehash in
// progress at the start, resizes forced by overload), the copy holds exactly the keys present
// at the start, each once.
TEST(HashTableTest, WatcherSeesEveryBucketBeforeItChanges) {
  for (int round = 0; round < 20; ++round) {
    FastRng rng(round);
    NodePool pool;
    Table t;
    std::set<std::string> present;
    const int initial = 50 + static_cast<int>(rng.Below(2000));
    for (int i = 0; i < initial; ++i) {
      const std::string k = "k" + std::to_string(i);
      t.Insert(pool.Make(k));
      present.insert(k);
    }
    if (round % 2 == 0) FinishRehash(t);  // odd rounds start in the middle of a rehash
    const std::multiset<std::string> at_start(present.begin(), present.end());
    SnapshotWatcher w(&t);
    // Even rounds insert far past the forced-resize load; odd rounds mostly erase and look up.
    const int ops = round % 2 == 0 ? initial * 6 : initial;
    int next_key = initial;
    for (int op = 0; op < ops; ++op) {
      const uint64_t dice = rng.Below(10);
      if (dice < (round % 2 == 0 ? 8u : 3u)) {
        const std::string k = "k" + std::to_string(next_key++);
        t.Insert(pool.Make(k));
        present.insert(k);
      } else if (dice < 7 && !present.empty()) {
        auto it = present.begin();
        std::advance(it, rng.Below(present.size()));
        ASSERT_NE(t.Erase(*it), nullptr);
        present.erase(it);
      } else {
        t.Find("k" + std::to_string(rng.Below(next_key)));
      }
      if (op % 4 == 0) w.WalkOne();
    }
    while (w.WalkOne()) {
    }
    EXPECT_EQ(w.keys(), at_start) << "round " << round;
    EXPECT_EQ(t.watcher(), nullptr);
    EXPECT_EQ(t.size(), present.size());
  }
}

TEST(HashTableTest, ClearAndMoveReleaseTheWatcher) {
  NodePool pool;
  Table t;
  for (int i = 0; i < 100; ++i) t.Insert(pool.Make("k" + std::to_string(i)));
  {
    SnapshotWatcher w(&t);
    Table moved(std::move(t));
    EXPECT_EQ(w.keys().size(), 100u);  // copied whole before the nodes left
    EXPECT_EQ(moved.watcher(), nullptr);
    SnapshotWatcher w2(&moved);
    moved.Clear([](TestNode*) {});
    EXPECT_EQ(w2.keys().size(), 100u);
  }
}

}  // namespace
}  // namespace basalt
